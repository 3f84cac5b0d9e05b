"""Pages for a signed-in person, or read from a founder's session, are never stored
(portal.core.middleware.PrivateResponsesMiddleware); public pages for a visitor
without a session may be; the Content Security Policy is strict everywhere."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import create_council_a_curator, create_user


class NoStoreTests(TestCase):
    def assert_not_stored(self, response):
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_every_page_for_a_signed_in_person_is_not_stored(self):
        self.client.force_login(create_user(email="nia@example.com"))
        for url in (
            reverse("core:home"),
            reverse("catalogue:search"),
            reverse("accounts:account"),
        ):
            with self.subTest(url=url):
                self.assert_not_stored(self.client.get(url))

    def test_staff_pages_are_not_stored(self):
        self.client.force_login(create_council_a_curator())
        self.assert_not_stored(self.client.get(reverse("catalogue:offer-list")))

    def test_the_questionnaire_and_results_of_an_anonymous_founder_are_not_stored(self):
        start = self.client.post(reverse("diagnostics:start"))
        self.assertEqual(start.status_code, 302)
        profile = self.client.get(start.url)
        self.assertEqual(profile.status_code, 200)
        self.assert_not_stored(profile)
        # Public pages read with that session are the founder's own too.
        self.assert_not_stored(self.client.get(reverse("catalogue:search")))

    def test_a_public_page_for_a_visitor_without_a_session_may_be_stored(self):
        response = self.client.get(reverse("catalogue:search"))
        self.assertNotIn("no-store", response.get("Cache-Control", ""))


class ContentSecurityPolicyTests(TestCase):
    def test_the_policy_allows_no_inline_or_evaluated_script_objects_bases_or_frames(self):
        policy = self.client.get(reverse("core:home"))["Content-Security-Policy"]
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
        )
        self.assertIn("'nonce-", directives["script-src"])
        self.assertNotIn("unsafe-inline", directives["script-src"])
        self.assertNotIn("unsafe-eval", directives["script-src"])
        self.assertEqual(directives["object-src"], "'none'")
        self.assertEqual(directives["base-uri"], "'none'")
        self.assertEqual(directives["frame-ancestors"], "'none'")
