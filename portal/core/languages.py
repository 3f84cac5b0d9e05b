"""English and Cymraeg: the switcher's links, remembering the choice, and the language a
person used (stored where their address is kept, so their emails are in it).

- Welsh pages are the English ones under ``/cy/`` (portal/urls.py); the switcher on
  every page links to ``/language/<code>/?next=<this page>``, which sets the language
  cookie and redirects to the page's twin. A plain link, so it works without
  JavaScript; a GET that changes nothing but the cookie.
- An unprefixed page asked for (GET or HEAD) with the Welsh cookie redirects to its
  ``/cy/`` twin (``RememberedLanguageMiddleware``): so an old emailed link, a bookmark
  or the bare address lead a Welsh reader back to Welsh. Choosing English in the
  switcher sets the cookie back. Nothing follows Accept-Language: English is the
  default, as on GOV.UK, and crawlers (no cookie) see each page at its own address.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from portal.lib.languages import current_language, language_codes
from portal.lib.links import local_path, page_url

# What a screen reader says for each language's link, in that language (the visible
# text is the language's own name).
CHANGE_TO = {
    "en-gb": gettext_noop("Change the language to English"),
    "cy": gettext_noop("Change the language to Welsh"),
}


def twin_path(path: str, code: str) -> str:
    """``path`` (a local path, with its query) in the language ``code``: the same page
    under its prefix; ``path`` itself when no page of ours answers it."""
    from_language = translation.get_language_from_path(path.split("?", 1)[0])
    with translation.override(from_language or settings.LANGUAGE_CODE):
        return translate_url(path, code)


@require_safe
def choose_language(request, code: str):
    """The switcher's link: remember ``code`` in the language cookie and go to the page
    ``next`` names (a local path) in that language, or the home page."""
    if code not in language_codes():
        raise Http404
    next_path = local_path(request, request.GET.get("next", "")) or reverse("core:home")
    response = HttpResponseRedirect(twin_path(next_path, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class RememberedLanguageMiddleware:
    """After LocaleMiddleware: an unprefixed page read with the cookie of another
    language than the default goes to its twin in that language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or translation.get_language_from_path(
            request.path_info
        ):
            return self.get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        path = request.get_full_path()
        if chosen != settings.LANGUAGE_CODE and chosen in language_codes():
            twin = twin_path(path, chosen)
            if twin != path:
                response = HttpResponseRedirect(twin)
                patch_vary_headers(response, ("Cookie",))
                return response
        response = self.get_response(request)
        # The same address answers a page or a redirect, by the cookie.
        if twin_path(path, language_codes()[-1]) != path:
            patch_vary_headers(response, ("Cookie",))
        return response


def language_links(request) -> dict:
    """The template context of the switcher and of the ``hreflang`` alternates: each
    language's code, name, the page's address in it (``href``), the switcher's link
    (``choose_url``) and whether it is the current one. Empty for a page that exists in
    one language only (an error page, the admin)."""
    if request is None or getattr(request, "resolver_match", None) is None:
        return {"languages": []}
    path = request.get_full_path()
    current = current_language()
    languages = []
    for code, name in settings.LANGUAGES:
        href = twin_path(path, code)
        with translation.override(code):
            change_to = gettext(CHANGE_TO.get(code, name))
        languages.append(
            {
                "code": code,
                "name": name,
                "href": href,
                "absolute_href": page_url(request, href),
                "change_to": change_to,
                "choose_url": reverse("choose-language", kwargs={"code": code})
                + "?"
                + urlencode({"next": path}),
                "current": code == current,
            }
        )
    if len({language["href"] for language in languages}) < len(languages):
        return {"languages": []}
    return {"languages": languages, "default_language": languages[0]}
