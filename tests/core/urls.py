"""A test-only URLconf: the real one plus views that fail in each way a handler serves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import render
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("A request that makes no sense")


def broken(request):
    raise RuntimeError("Something went wrong in a view")


def with_messages(request):
    messages.success(request, "Your offer has been published")
    messages.info(request, "Offers are reviewed every 6 months")
    return render(request, "core/accessibility.html")


urlpatterns = [
    path("test/forbidden/", forbidden),
    path("test/suspicious/", suspicious),
    path("test/broken/", broken),
    path("api/test/broken/", broken),
    path("api/test/suspicious/", suspicious),
    path("api/test/forbidden/", forbidden),
    path("test/messages/", with_messages),
    *urlpatterns,
]
