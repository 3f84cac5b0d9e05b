"""What several browser tests do the same way."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user):
    """Sign ``user`` in to the browser page's context (a session made by the test
    client, its cookie handed to the browser), replacing any earlier session."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
