from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "portal.places"
    label = "places"
    verbose_name = "Places"
