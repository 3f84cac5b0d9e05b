from django.urls import path

from portal.procurement import api

app_name = "ocds"

urlpatterns = [
    path("releases", api.releases, name="releases"),
    path("releases/<path:ocid>", api.release, name="release"),
]
