"""A test URLconf with the council map but no councils' public summaries yet."""

from django.urls import include, path

from portal.dashboards import map_urls
from portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    pattern
    for pattern in project_urlpatterns
    if getattr(pattern, "namespace", None) != "dashboards"
] + [path("", include((map_urls.urlpatterns, "dashboards")))]
