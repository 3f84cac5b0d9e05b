from django.urls import path, register_converter

from portal.places import views


class GssCodeConverter:
    """An ONS GSS code: a letter for the nation and eight digits (E08000037)."""

    regex = "[EWSN][0-9]{8}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(GssCodeConverter, "gss")

app_name = "places"

urlpatterns = [
    path("", views.council_choose, name="council-choose"),
    path("councils/search.json", views.council_search, name="council-search"),
    path("<gss:gss_code>/", views.council_detail, name="council-detail"),
]
