"""Middleware of our own."""

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers


class RejectNullCharactersMiddleware:
    """An address holding a NUL character (``%00``) gets the 400 page.

    No page wants one, and PostgreSQL refuses text holding one, so a hand-edited URL
    would otherwise reach a query and fail there (a 500) instead of saying it was a bad
    request. Form fields refuse it themselves, with a message by the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("The address holds a NUL character.")
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """A response for a signed-in person, or one that read a session holding something
    (a founder's diagnostic, their council, their answers), is never stored by a
    browser or a proxy: ``Cache-Control: no-store`` (with Django's other never-cache
    headers), whatever the view said. A shared computer's back button or a proxy's
    cache must not show one person's questionnaire, results, account or staff pages to
    the next. Public pages for a visitor with no session stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", "") and _is_private(request):
            add_never_cache_headers(response)
        return response


def _is_private(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and not session.is_empty())
