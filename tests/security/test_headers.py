"""The headers walk: every URL pattern (the matrix's URL builder), at its English and its
Welsh address, as anonymous and as a signed-in curator, with the production security
settings over HTTPS, answers with

- a Content Security Policy whose nonce every script tag carries, with no
  ``unsafe-inline`` or ``unsafe-eval`` for scripts, ``object-src 'none'``, ``base-uri 'none'`` and
  ``frame-ancestors 'none'``;
- ``X-Content-Type-Options: nosniff``, a ``Referrer-Policy`` and HSTS;
- ``Cache-Control: no-store`` for a signed-in person (account and staff pages, and
  every other) and for a founder's session (questionnaire and results pages).

(The error pages are checked in tests/security/test_error_pages.py.)
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from diagnostics.tokens import make_resume_token
from tests.security.requests import csrf_token
from tests.security.world import every_pattern, url_for

pytestmark = pytest.mark.matrix

PATTERNS = every_pattern()


def script_nonce_problems(response, scripts: str) -> list[str]:
    """Every script tag of an HTML page carries the policy's nonce. (A response that
    uses no nonce, a JSON or CSV file, a redirect or the script-free 500 page, gets
    ``script-src 'self'`` alone: stricter still.)"""
    if "text/html" not in response.get("Content-Type", "") or response.streaming:
        return []
    tags = re.findall(r"<script\b[^>]*>", response.content.decode(errors="replace"))
    if not tags:
        return []
    nonce = re.search(r"'nonce-([^']+)'", scripts)
    if nonce is None:
        return [f"{len(tags)} script tags but no nonce in the policy"]
    unsigned = [tag for tag in tags if f'nonce="{nonce.group(1)}"' not in tag]
    return [f"a script tag without the nonce: {tag}" for tag in unsigned]


def policy_problems(response) -> list[str]:
    policy = response.get("Content-Security-Policy")
    if not policy:
        return ["no Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    problems = script_nonce_problems(response, scripts)
    for word in ("unsafe-inline", "unsafe-eval"):
        if word in scripts:
            problems.append(f"scripts allow {word}")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(directive) != "'none'":
            problems.append(f"{directive} is {directives.get(directive)!r}, not 'none'")
    return problems


def header_problems(response, *, private: bool) -> list[str]:
    problems = policy_problems(response)
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not response.get("Strict-Transport-Security", "").startswith("max-age=31536000"):
        problems.append("no HSTS")
    if private and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    return problems


def _walk(world, client, *, private: bool, language: str = "") -> list[str]:
    problems = []
    for name in PATTERNS:
        url = url_for(name, world, language)
        response = client.get(url, secure=True)
        # The language switcher's link remembers a language: forget it for the next.
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        problems += [
            f"{url} ({response.status_code}): {problem}"
            for problem in header_problems(response, private=private)
        ]
    return problems


@pytest.mark.django_db
@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("language", ["", "cy"])
class TestHeadersWalk:
    def test_every_page_for_an_anonymous_visitor(self, world, language):
        problems = _walk(world, Client(), private=False, language=language)
        assert not problems, "\n".join(problems)

    def test_every_page_for_a_signed_in_curator_is_private(self, world, language):
        client = Client()
        client.force_login(world["users"]["council_a_curator"])
        problems = _walk(world, client, private=True, language=language)
        assert not problems, "\n".join(problems)

    def test_a_remembered_language_redirect_carries_the_headers(self, world, language):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language or "cy"
        response = client.get(url_for("catalogue:search", world), secure=True)
        if language:
            assert response.status_code == 302
            assert response["Location"] == url_for("catalogue:search", world, "cy")
        problems = header_problems(response, private=False)
        assert not problems, "\n".join(problems)

    def test_a_founders_questionnaire_and_results_are_private(self, world, language):
        """No account: the session the founder started, and the results it was granted
        by the resume link, are never stored."""
        with translation.override(language or settings.LANGUAGE_CODE):
            self._founders_pages_are_private(world)

    def _founders_pages_are_private(self, world):
        client = Client(enforce_csrf_checks=True)
        token = csrf_token(client, secure=True)
        start = client.post(
            reverse("diagnostics:start"),
            {"csrfmiddlewaretoken": token},
            secure=True,
            headers={"referer": "https://testserver/diagnostic/"},  # HTTPS: same origin
        )
        assert start.status_code == 302
        public_id = start["Location"].rstrip("/").split("/")[-2]
        completed = world["completed"]
        client.get(
            reverse(
                "diagnostics:resume",
                args=[completed.public_id, make_resume_token(completed.public_id)],
            ),
            secure=True,
        )
        pages = [
            reverse(f"diagnostics:{name}", args=[public_id])
            for name in ("task-list", "profile", "check-answers", "save-and-leave")
        ]
        pages.append(reverse("diagnostics:section", args=[public_id, 1]))
        pages += [
            reverse(f"diagnostics:{name}", args=[completed.public_id])
            for name in ("results", "email-results", "download", "delete")
        ]
        problems = []
        for url in pages:
            response = client.get(url, secure=True)
            if response.status_code >= 400:
                problems.append(f"{url}: {response.status_code}")
            problems += [f"{url}: {p}" for p in header_problems(response, private=True)]
        assert not problems, "\n".join(problems)
