"""Staff sessions end after 30 minutes without a request, with a warning first.

People with a staff role (a member of any organisation, a moderator, or an admin-site
user) can change what founders see and read what they asked, so a computer left signed
in is a risk: their session ends after ``STAFF_IDLE_TIMEOUT_SECONDS`` (30 minutes)
without a request. Founders keep the two weeks of ``SESSION_COOKIE_AGE``.

Whether the person has a staff role is worked out once, at sign-in (a role given later
applies from the next sign-in), and kept in the session with the time of the last
request; the middleware refreshes that time at most once a minute, so a page costs no
extra query. The page's script (static/js/idle-timeout.js) asks ``session_status``
how long is left without counting as activity, warns ``STAFF_IDLE_WARNING_SECONDS``
(2 minutes) before the end in a dialog (WCAG 2.2.1, Timing adjustable) whose "Stay
signed in" button posts to ``keep_alive``, and goes to the sign-in page when time is
up. Everything a person saved stays saved; the next request after the end signs them
out and sends them to sign in again, back to the page they asked for.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from portal.accounts import permissions

STAFF_KEY = "waymark_staff_idle"
LAST_SEEN_KEY = "waymark_last_seen"
# How stale the stored time may get before a request writes it again.
REFRESH_SECONDS = 60


def has_staff_role(user) -> bool:
    return bool(
        permissions.is_signed_in(user)
        and (user.is_staff or permissions.is_moderator(user) or permissions.organisation_ids(user))
    )


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if has_staff_role(user):
        request.session[STAFF_KEY] = True
        request.session[LAST_SEEN_KEY] = int(time.time())
    else:
        request.session.pop(STAFF_KEY, None)
        request.session.pop(LAST_SEEN_KEY, None)


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds until this staff session ends, or None when it has no idle limit."""
    session = getattr(request, "session", None)
    if session is None or not session.get(STAFF_KEY):
        return None
    last_seen = session.get(LAST_SEEN_KEY) or 0
    return int(last_seen + settings.STAFF_IDLE_TIMEOUT_SECONDS - time.time())


def _view_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else ""


def _is_status_check(request: HttpRequest) -> bool:
    return _view_name(request) == "accounts:session-status"


class StaffIdleTimeoutMiddleware:
    """Ends a staff session idle for too long; otherwise notes the request's time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        left = seconds_left(request)
        if left is None or not request.user.is_authenticated:
            return None
        if left <= 0:
            logout(request)
            # Shown by the next page, whichever request found the time was up (the
            # warning's status check, then the sign-in page it goes to).
            messages.info(
                request,
                _(
                    "We signed you out because you had not done anything for "
                    "%(minutes)d minutes. Anything you saved has been kept."
                )
                % {"minutes": settings.STAFF_IDLE_TIMEOUT_SECONDS // 60},
            )
            if _is_status_check(request):
                return JsonResponse({"signed_in": False, "seconds_left": 0})
            if _view_name(request) == "accounts:sign-in":
                return None
            next_path = request.get_full_path() if request.method == "GET" else request.path
            return redirect_to_login(next_path)
        if _is_status_check(request):
            return None
        now = int(time.time())
        if now - request.session.get(LAST_SEEN_KEY, 0) >= REFRESH_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return None
