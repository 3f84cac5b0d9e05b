from django.urls import path

from portal.dashboards import views

app_name = "dashboards"

urlpatterns: list = [
    path("data/", views.summary, name="uk_summary"),
    path("data/<slug:code>/", views.summary, name="summary"),
    path("data/<slug:code>/full/", views.full_dashboard, name="full"),
    path("data/<slug:code>/<slug:table>.csv", views.summary_csv, name="summary_csv"),
    path("data/<slug:code>/full/<slug:table>.csv", views.full_csv, name="full_csv"),
]
