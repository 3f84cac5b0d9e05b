"""The council map's route, for portal/dashboards/urls.py to add to its urlpatterns
(under app_name "dashboards")."""

from django.urls import path

from portal.dashboards import map_views

urlpatterns = [
    path("data/map/", map_views.council_map, name="map"),
]
