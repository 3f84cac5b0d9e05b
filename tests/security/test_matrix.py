"""The permission matrix (tests/security/matrix.py) run against the site, with CSRF
enforced: every URL pattern × method × role gets the outcome the table says.

- GET and HEAD change no row of any table, but for the exceptions listed in
  tests/security/requests.py (the session; a GET's anonymous analytics); HEAD records
  no analytics.
- A POST without a CSRF token is refused (403) and changes nothing; the same POST with
  the token a browser holds gets the row's outcome.
- Where a role is refused A's object (404), A's object is unchanged.
- A meta-test fails when a URL pattern has no row, or a row names no pattern.
- Every row of a page people read is tried at its Welsh address (/cy/...) too, with the
  same outcomes: the language changes no one's access.
"""

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from tests.security import requests as http
from tests.security.matrix import CSRF_EXEMPT, OPEN_MISMATCHES, full_matrix
from tests.security.world import (
    ROLES,
    UNPREFIXED,
    admin_models,
    every_pattern,
    url_for,
    welsh_patterns,
)

pytestmark = pytest.mark.matrix

MODEL_KEYS = [f"{m._meta.app_label}_{m._meta.model_name}" for m in admin_models()]
MATRIX = full_matrix(MODEL_KEYS)
WELSH = set(welsh_patterns())
# English at the unprefixed address ("") for every row; Welsh ("cy") for pages' GET and
# POST (a HEAD is answered as its GET, which the English rows check for every page).
CASES = [
    (name, method, language)
    for name, row in MATRIX.items()
    for method in row
    for language in ("", "cy")
    if language == "" or (name in WELSH and method != "HEAD")
]

# A's objects, whose rows must not change when a role is refused them.
A_OBJECTS = (
    "assessment",
    "completed",
    "offer_draft",
    "offer_review",
    "offer_published",
    "opportunity_draft",
    "opportunity_open",
    "opportunity_pending",
    "membership_request",
    "advice_request",
    "saved_search",
    "match_subscription",
    "import_run",
)


def _snapshot(world) -> dict:
    snapshot = {}
    for key in A_OBJECTS:
        obj = world[key]
        fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
        snapshot[key] = model_to_dict(fresh) if fresh is not None else None
    return snapshot


def _try(
    world, browser, name, method, role, expected, headers=None, language=""
) -> tuple[list[str], bool]:
    """Make the request as ``role`` with its ``browser`` (a client and its CSRF token):
    what differs from the table, as sentences, and whether the open mismatch of this
    row (OPEN_MISMATCHES) happened."""
    problems = []
    instead = OPEN_MISMATCHES.get((name, method), (None, ""))[0]
    seen = False
    client, token = browser
    url = url_for(name, world, language)
    guarded = expected == 404
    before_objects = _snapshot(world) if guarded else None
    before = http.row_counts()
    if method == "POST":
        refused = http.request(client, "POST", url, headers=headers)
        # A CSRF-exempt view (the read APIs) answers as with a token.
        wanted = expected if name in CSRF_EXEMPT else 403
        if http.outcome_of(refused) != wanted:
            problems.append(f"POST without a CSRF token: {refused.status_code}, not {wanted}")
        written = http.changed_tables(before, http.row_counts()) - http.SESSION_TABLES
        if written:
            problems.append(f"POST without a CSRF token wrote to {sorted(written)}")
        response = http.request(
            client, "POST", url, {"csrfmiddlewaretoken": token}, headers=headers
        )
    else:
        response = http.request(client, method, url, headers=headers)
        allowed = set(http.SESSION_TABLES)
        if method == "GET":
            allowed |= http.analytics_tables().get(name, set())
        written = http.changed_tables(before, http.row_counts()) - allowed
        if written and instead == "writes " + " ".join(sorted(written)):
            seen = True
        elif written:
            problems.append(f"{method} wrote to {sorted(written)}")
    got = http.outcome_of(response)
    if got != expected and got == instead:
        seen = True
    elif got != expected:
        where = f" → {response['Location']}" if response.status_code in (301, 302) else ""
        problems.append(f"expected {expected}, got {got}{where}")
    if guarded and _snapshot(world) != before_objects:
        problems.append("A's object changed")
    where = f" ({url})" if language else ""
    return [f"{name}{where} {method} as {role}: {problem}" for problem in problems], seen


@pytest.mark.django_db
class TestPermissionMatrix:
    @pytest.mark.parametrize(("name", "method", "language"), CASES)
    def test_row(self, world, clients, name, method, language):
        problems, open_mismatch_seen = [], False
        for role in ROLES:
            expected = MATRIX[name][method][role]
            with transaction.atomic(), http.restoring_cookies(clients[role][0]):
                found, seen = _try(
                    world, clients[role], name, method, role, expected, language=language
                )
                transaction.set_rollback(True)
            problems += found
            open_mismatch_seen |= seen
        if (name, method) in OPEN_MISMATCHES and not open_mismatch_seen:
            problems.append(f"{name} {method}: fixed? remove it from OPEN_MISMATCHES")
        assert not problems, "\n".join(problems)


def test_every_url_pattern_has_a_row():
    patterns = every_pattern()
    assert len(patterns) == len(set(patterns)), "two patterns share a name"
    missing = sorted(set(patterns) - set(MATRIX))
    assert not missing, f"URL patterns with no row in the matrix: {missing}"


def test_every_row_names_a_url_pattern():
    stale = sorted(set(MATRIX) - set(every_pattern()))
    assert not stale, f"rows naming no URL pattern: {stale}"


# The htmx fragments: every object A's roles may open and others are refused (404), asked
# for as htmx asks (``HX-Request``), is refused alike, with A's object unchanged.
HTMX = {"HX-Request": "true"}
REFUSED = [
    (name, method)
    for name, row in MATRIX.items()
    if not name.startswith("admin")
    for method in ("GET", "POST")
    if 404 in row[method].values() and 200 in row["GET"].values()
]


@pytest.mark.django_db
class TestHtmxRequestsRefusedAlike:
    @pytest.mark.parametrize(("name", "method"), REFUSED)
    def test_row(self, world, clients, name, method):
        problems = []
        for role, expected in MATRIX[name][method].items():
            if expected != 404:
                continue
            with transaction.atomic(), http.restoring_cookies(clients[role][0]):
                found, _ = _try(world, clients[role], name, method, role, 404, HTMX)
                transaction.set_rollback(True)
            problems += found
        assert not problems, "\n".join(problems)


def test_every_open_mismatch_names_a_row():
    assert set(OPEN_MISMATCHES) <= {(name, method) for name, method, _language in CASES}


@pytest.mark.django_db
def test_every_page_has_a_welsh_address_and_the_rest_one_address(world):
    """Pages people read are under /cy/ in Welsh; the exceptions (APIs, health checks,
    robots.txt, sitemap.xml, the admin, the switcher) keep one address, unprefixed."""
    problems = []
    for name in every_pattern():
        english, welsh = url_for(name, world), url_for(name, world, "cy")
        if name in WELSH and welsh != "/cy" + english:
            problems.append(f"{name}: {welsh} is not /cy{english}")
        if name not in WELSH and welsh != english:
            problems.append(f"{name}: {welsh} has a Welsh address")
    assert not problems, "\n".join(problems)
    assert set(UNPREFIXED) <= set(every_pattern())


def test_no_mismatch_is_open():
    """Issue 18: zero mismatches. A new one is fixed, or the row is argued anew."""
    assert OPEN_MISMATCHES == {}


def test_every_row_has_every_role():
    for name, row in MATRIX.items():
        for method, outcomes in row.items():
            assert set(outcomes) == set(ROLES), (name, method)
