"""Making one request as one role, the way a browser would, and reading what it did:
its outcome in the matrix's terms and the rows it added or removed."""

from contextlib import contextmanager
from copy import deepcopy

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.security.matrix import SIGN_IN

# The one place listing what a GET may write (HEAD writes none of these but the
# session): the session itself, and anonymous analytics: the referral an offer's
# outbound link records, and the page views the dashboards count.
SESSION_TABLES = {Session._meta.db_table}


def analytics_tables() -> dict[str, set[str]]:
    """URL name → the tables its GET may add a row to (anonymous analytics)."""
    from portal.catalogue.models import Referral
    from portal.dashboards.models import OpportunityViews

    return {
        "catalogue:offer-go": {Referral._meta.db_table},
        "procurement:detail": {OpportunityViews._meta.db_table},
    }


def _tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def changed_tables(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {table for table, count in after.items() if before.get(table) != count}


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def csrf_token(client: Client, **extra) -> str:
    """The token a browser holds after opening a page with a form on it."""
    client.get(reverse("accounts:password-reset"), **extra)
    return client.cookies["csrftoken"].value


def outcome_of(response) -> object:
    """The response's status, or SIGN_IN for a redirect to a sign-in page."""
    if response.status_code == 302:
        location = response["Location"]
        for sign_in in _sign_in_paths():
            if location.startswith(sign_in):
                return SIGN_IN
    return response.status_code


def _sign_in_paths() -> list[str]:
    """The site's sign-in page in each language, and the admin's."""
    paths = [reverse("admin:login")]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("accounts:sign-in"))
    return paths


def request(client: Client, method: str, url: str, data=None, headers=None):
    return getattr(client, method.lower())(url, data or {}, headers=headers or {})


@contextmanager
def restoring_cookies(client: Client):
    """The browser's cookies as they were, after a request that signed out or changed
    the session (its row is rolled back with the test's savepoint)."""
    cookies = deepcopy(client.cookies)
    try:
        yield client
    finally:
        client.cookies = cookies
