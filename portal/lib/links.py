"""The site's own address in absolute links: SITE_URL where it is set.

Where it is not (development only: production refuses to start without it), a page links
to the address the person is using, so a link shown on a page opens on whatever address,
port or machine name reached the site; emails and feeds, read away from the site, link to
the development server's address, never to a request's Host header.
"""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

# Where `manage.py runserver` (and `make run`) serve by default.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The base of links read away from the site (emails, feeds), without a final slash."""
    return settings.SITE_URL or DEVELOPMENT_SITE_URL


def page_url(request, path: str) -> str:
    """``path`` as an absolute link to show on a page: on SITE_URL where it is set, else on
    the request's scheme and host (the host is one of ALLOWED_HOSTS: ``get_host`` refuses
    any other)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def local_path(request, candidate: str) -> str:
    """``candidate`` if it is a path on this site ("/support/?q=grant"), else "": where a
    form may send someone back to (``next``). Anything else (another site, "//host",
    a bare word Django's ``redirect`` would take for a view name) is dropped."""
    candidate = candidate or ""
    if (
        not candidate.startswith("/")
        or candidate.startswith(("//", "/\\"))
        or any(ord(character) < 32 for character in candidate)
    ):
        return ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return candidate
