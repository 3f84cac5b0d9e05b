"""The site's URLs plus the constant-response reference view, for benchmarks only.

The site's URLconf is the one settings named before the benchmark swapped this one in
(``BENCHMARK_SITE_URLCONF``, set by ``throwaway_database``), so core names no module of
the project.
"""

from importlib import import_module

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from portal.core.benchmarking import CONSTANT_PATH


def constant(request):
    return HttpResponse("ok", content_type="text/plain")


site_urlpatterns = import_module(settings.BENCHMARK_SITE_URLCONF).urlpatterns

urlpatterns = [path(CONSTANT_PATH.strip("/") + "/", constant), *site_urlpatterns]
