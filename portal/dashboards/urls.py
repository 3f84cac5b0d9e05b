app_name = "dashboards"

urlpatterns: list = [
    # The public summaries, the analysts' dashboards and the map (issue 14).
]
