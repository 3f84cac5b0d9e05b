"""Who a sign-in attempt counts against, for the lockout (django-axes, see settings).

Ten failed sign-ins within 15 minutes lock out the account they were for and, apart
from that, the address they came from. An account is known by its email address in
lower case, as sign-in matches it in any letter case, so changing the case does not
start a new count. The address is the connecting one; behind proxies
(``TRUSTED_PROXY_COUNT``), the one the nearest trusted proxy saw, never a value the
client could write itself.
"""

from django.conf import settings
from django.http import HttpRequest


def account_key(request: HttpRequest, credentials: dict | None) -> str:
    """The email address an attempt was for, trimmed and in lower case."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "") if request is not None else ""
    return str(username).strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with N trusted proxies in front, the N-th
    address from the right of X-Forwarded-For (each proxy appends the address that
    connected to it, so the ones further left may be made up by the client)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
