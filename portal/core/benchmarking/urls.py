"""The site's URLs plus the constant-response reference view, for benchmarks only."""

from django.http import HttpResponse
from django.urls import path

from portal.core.benchmarking import CONSTANT_PATH
from portal.urls import urlpatterns as site_urlpatterns


def constant(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(CONSTANT_PATH.strip("/") + "/", constant), *site_urlpatterns]
