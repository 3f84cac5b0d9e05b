"""Middleware of our own."""

from django.core.exceptions import BadRequest


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
