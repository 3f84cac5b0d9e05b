import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from portal.core import health
from portal.core.context_processors import service
from portal.lib.links import page_url

logger = logging.getLogger(__name__)

# The last resort when even the 500 template cannot render (a broken template or
# settings): plain HTML with nothing to go wrong.
PLAIN_SERVER_ERROR = (
    "<!DOCTYPE html><html lang='en'><title>Sorry, there is a problem with the service</title>"
    "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></html>"
)


@require_safe
def home(request):
    return render(request, "home.html")


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_safe
def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {"session_days": settings.SESSION_COOKIE_AGE // (60 * 60 * 24)},
    )


@require_safe
def cookies(request):
    return render(
        request,
        "core/cookies.html",
        {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "session_days": settings.SESSION_COOKIE_AGE // (60 * 60 * 24),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            # None makes it a browser-session cookie.
            "csrf_weeks": settings.CSRF_COOKIE_AGE // (60 * 60 * 24 * 7)
            if settings.CSRF_COOKIE_AGE
            else None,
            "messages_cookie_name": CookieStorage.cookie_name,
            "language_cookie_name": settings.LANGUAGE_COOKIE_NAME,
            "language_days": settings.LANGUAGE_COOKIE_AGE // (60 * 60 * 24),
        },
    )


@require_safe
def robots_txt(request, *, disallow: list[str], sitemap: str):
    """Asks crawlers to leave ``disallow`` (path prefixes) alone and points them at the
    sitemap (a URL name); the root URLconf says which."""
    return render(
        request,
        "core/robots.txt",
        {"disallow": disallow, "sitemap_url": page_url(request, reverse(sitemap))},
        content_type="text/plain; charset=utf-8",
    )


# Health checks for load balancers and orchestrators. Neither touches the session;
# never_cache so no proxy answers for them.


@never_cache
@require_safe
def healthz(request):
    """The process is up and serving requests (liveness): no database needed."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """The process can do its work (readiness): the database answers, and the Celery
    broker does when one is configured."""
    if not health.database_is_available():
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain; charset=utf-8"
        )
    if settings.CELERY_BROKER_URL and not health.broker_is_available():
        return HttpResponse(
            "broker unavailable", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ready", content_type="text/plain; charset=utf-8")


# Error handlers (handler403/404/500 in portal/urls.py). Under /api/ they answer JSON
# that any site may read, as the APIs' own answers are: a program asked, not a person.

API_PATH_PREFIX = "/api/"


def _api_error(request, status: int, message: str) -> JsonResponse | None:
    """The error as JSON when the request is for an API, else None."""
    if not request.path_info.startswith(API_PATH_PREFIX):
        return None
    response = JsonResponse({"status": status, "message": message}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@requires_csrf_token
def page_not_found(request, exception):
    return _api_error(request, 404, _("There is nothing at this address")) or render(
        request, "errors/404.html", status=404
    )


@requires_csrf_token
def permission_denied(request, exception):
    return _api_error(request, 403, _("This address is not open to you")) or render(
        request, "errors/403.html", status=403
    )


def server_error(request):
    """Renders with a plain context, not the request's: the context processors (the
    user, messages) may need the database or whatever else has just failed."""
    api_error = _api_error(request, 500, _("Sorry, there is a problem with the service"))
    if api_error:
        return api_error
    try:
        body = loader.get_template("errors/500.html").render(service(None))
    except Exception:
        logger.exception("The 500 page could not be rendered")
        body = PLAIN_SERVER_ERROR
    return HttpResponseServerError(body)


@requires_csrf_token
def bad_request(request, exception):
    """The reason is not shown, as on the page: an exception's text is for developers and
    may name a setting or echo what was sent (a host not allowed: "add 'evil.example' to
    ALLOWED_HOSTS")."""
    return _api_error(request, 400, _("The request could not be read")) or render(
        request, "errors/400.html", status=400
    )


def csrf_failure(request, reason=""):
    """A form came back without a valid CSRF token: usually an old tab or blocked cookies.

    The reason is logged, not shown: it is for developers, not for the person.
    """
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return _api_error(request, 403, _("The APIs only read: use GET")) or render(
        request, "errors/403_csrf.html", status=403
    )
