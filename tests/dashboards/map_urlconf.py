"""A test URLconf: the project's, with the council map routed as the coordinator will
route it and a stand-in for the councils' public summaries ("dashboards:place")."""

from django.http import HttpResponse
from django.urls import include, path

from portal.dashboards import map_urls
from portal.urls import urlpatterns as project_urlpatterns


def place_stand_in(request, code):
    return HttpResponse(code)


urlpatterns = [
    pattern
    for pattern in project_urlpatterns
    if getattr(pattern, "namespace", None) != "dashboards"
] + [
    path(
        "",
        include(
            (
                [*map_urls.urlpatterns, path("data/<str:code>/", place_stand_in, name="place")],
                "dashboards",
            )
        ),
    )
]
