"""Any text in any form field or list parameter: never a 500. Invalid input gets the
form's errors, an unknown sort key is ignored, and no ``next=`` leads off the site.

Hypothesis drives each form found on the pages below (its fields read from the page's
own HTML, so a new field is fuzzed without a change here) and each search or list page's
parameters. The two APIs have sweeps of their own (tests/catalogue/
test_openreferral_api_parameters.py, tests/procurement/test_ocds_api_parameters.py).
"""

from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.factories import (
    create_cluster_body_poster,
    create_council_a_curator,
    create_moderator,
    create_offer,
    create_opportunity,
    create_user,
)

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "9" * 40,
    "2026-02-31",
    "\x00",
    "%",
    "<script>alert(1)</script>",
    "'; drop table accounts_user; --",
    "https://evil.example/",
    "//evil.example",
    "E08000037",
    "grant",
    "micro",
]
text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=80))
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


class FormFields(HTMLParser):
    """The names of a page's form fields (inside <main>), and its CSRF token."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.csrf = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag in {"input", "select", "textarea"} and name:
            if name == "csrfmiddlewaretoken":
                self.csrf = attributes.get("value") or ""
            elif attributes.get("type") not in {"submit", "hidden"}:
                self.names.add(name)


def fields_of(html: str) -> list[str]:
    parser = FormFields()
    parser.feed(html)
    return sorted(parser.names)


def assert_handled(test, response):
    test.assertLess(response.status_code, 500, response.content[:500])
    location = response.get("Location", "")
    if location:
        parts = urlsplit(location)
        test.assertIn(parts.netloc, ("", "testserver"), f"redirected off the site: {location}")


class FormFuzzTests(TestCase):
    """Each form, posted with any text in any of its fields."""

    @classmethod
    def setUpTestData(cls):
        cls.founder = create_user(email="nia@example.com")
        cls.curator = create_council_a_curator()
        cls.poster = create_cluster_body_poster()
        cls.moderator = create_moderator()
        cls.offer = create_offer(title="Export grant", status="published", uk_wide=True)
        cls.opportunity = create_opportunity(title="Cleaning services")

    def post_anything(self, url: str, values):
        """Post text drawn for every field of the form on ``url``: never a 500 or an
        off-site redirect; a page shown again (200) says what was wrong."""
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200, url)
        names = fields_of(page.content.decode())
        self.assertTrue(names, f"no form fields on {url}")
        posted = {name: values.draw(text, label=f"{url} {name}") for name in names}
        response = self.client.post(url, posted)
        assert_handled(self, response)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            self.assertContains(response, "govuk-error-summary")

    @EXAMPLES
    @given(values=st.data())
    def test_public_forms(self, values):
        for url in (
            reverse("accounts:sign-up"),
            reverse("accounts:sign-in"),
            reverse("accounts:password-reset"),
            reverse("procurement:alert-create"),
        ):
            self.post_anything(url, values)
            self.client.logout()

    @EXAMPLES
    @given(values=st.data())
    def test_the_diagnostic_profile(self, values):
        start = self.client.post(reverse("diagnostics:start"))
        self.post_anything(start["Location"], values)

    @EXAMPLES
    @given(values=st.data())
    def test_staff_forms(self, values):
        for user, url in (
            (self.curator, reverse("catalogue:offer-create")),
            (self.poster, reverse("procurement:opportunity-create")),
            (self.founder, reverse("accounts:organisations")),
        ):
            self.client.force_login(user)
            self.post_anything(url, values)


class ParameterFuzzTests(TestCase):
    """Each search or list page, given any text in its parameters."""

    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.moderator = create_moderator()
        create_offer(title="Export grant", status="published", uk_wide=True)
        create_opportunity(title="Cleaning services")

    PUBLIC = ("catalogue:search", "procurement:list", "procurement:cpv-search")
    PUBLIC_PARAMETERS = (
        "q",
        "kind",
        "size",
        "stage",
        "place",
        "sort",
        "page",
        "status",
        "cpv",
        "open",
        "region",
        "value",
        "from",
        "next",
    )
    STAFF = (
        "catalogue:offer-list",
        "catalogue:curation-queue",
        "advice:queue-home",
        "procurement:import-runs",
        "procurement:moderation-queue",
    )

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(PUBLIC_PARAMETERS), text, max_size=4))
    def test_public_lists(self, query):
        for name in self.PUBLIC:
            url = reverse(name) + "?" + urlencode(query)
            assert_handled(self, self.client.get(url))
        for code in ("E08000037", "uk"):
            assert_handled(self, self.client.get(f"/data/{code}/?" + urlencode(query)))

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(PUBLIC_PARAMETERS), text, max_size=4))
    def test_staff_lists(self, query):
        self.client.force_login(self.moderator)
        for name in self.STAFF:
            url = reverse(name) + "?" + urlencode(query)
            assert_handled(self, self.client.get(url))

    @EXAMPLES
    @given(next_url=text)
    def test_sign_in_never_returns_off_the_site(self, next_url):
        user = create_user(email="ann@example.com")
        response = self.client.post(
            reverse("accounts:sign-in") + "?" + urlencode({"next": next_url}),
            {"username": user.email, "password": "a-long-test-password-42", "next": next_url},
        )
        assert_handled(self, response)
        self.client.logout()
