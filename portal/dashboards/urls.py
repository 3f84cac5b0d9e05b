from django.urls import path

from portal.dashboards import map_urls, views

app_name = "dashboards"

urlpatterns: list = [
    # Before data/<code>/, which "map" would otherwise match.
    *map_urls.urlpatterns,
    path("data/", views.summary, name="uk_summary"),
    path("data/<slug:code>/", views.summary, name="summary"),
    path("data/<slug:code>/full/", views.full_dashboard, name="full"),
    path("data/<slug:code>/<slug:table>.csv", views.summary_csv, name="summary_csv"),
    path("data/<slug:code>/full/<slug:table>.csv", views.full_csv, name="full_csv"),
]
