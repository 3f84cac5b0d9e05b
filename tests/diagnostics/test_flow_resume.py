"""Saving and leaving, the resume link, and the emailed link."""

import re

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Assessment
from diagnostics.tokens import make_resume_token, token_opens
from portal.lib.links import DEVELOPMENT_SITE_URL
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import answered, best_section_answers, flow_url, section_post
from tests.factories import create_assessment, get_council


def resume_url(assessment, token=None):
    return flow_url("resume", assessment, token=token or make_resume_token(assessment.public_id))


class ResumeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_leaving_after_section_3_and_resuming_continues_at_section_4_with_answers_kept(self):
        self.client.post(reverse("diagnostics:start"))
        assessment = Assessment.objects.get()
        self.client.post(flow_url("profile", assessment), TRADING_PUBLIC)
        for number in (1, 2, 3):
            self.client.post(
                flow_url("section", assessment, number=number),
                section_post(number, best_section_answers(number)),
            )
        response = self.client.get(flow_url("save-and-leave", assessment))
        link = response.context["resume_url"]
        self.assertTrue(link.startswith("http"))
        self.assertContains(response, link)

        later = self.client_class()  # another browser, days later
        response = later.get(link)
        self.assertRedirects(response, flow_url("section", assessment, number=4))
        self.assertEqual(len(answered(assessment)), 15)
        response = later.get(flow_url("section", assessment, number=2))
        form = response.context["form"]
        self.assertEqual(form["K1"].value(), "all")
        self.assertEqual(len(form["K3"].value()), 6)

    def test_the_token_of_one_assessment_cannot_open_another(self):
        mine = create_assessment(sections=1)
        theirs = create_assessment(sections=1)
        response = self.client.get(
            flow_url("resume", theirs, token=make_resume_token(mine.public_id))
        )
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "This link has not worked", status_code=404)
        self.assertEqual(self.client.get(flow_url("section", theirs, number=1)).status_code, 404)
        self.assertFalse(token_opens(make_resume_token(mine.public_id), theirs.public_id))

    def test_a_tampered_or_made_up_token_gets_the_link_has_not_worked_page(self):
        assessment = create_assessment()
        for token in ("nonsense", make_resume_token(assessment.public_id) + "x", "a:b:c"):
            with self.subTest(token=token):
                response = self.client.get(resume_url(assessment, token))
                self.assertContains(response, "This link has not worked", status_code=404)

    def test_a_link_to_a_deleted_assessment_has_not_worked(self):
        assessment = create_assessment()
        link = resume_url(assessment)
        assessment.delete()
        self.assertContains(self.client.get(link), "This link has not worked", status_code=404)

    def test_resuming_a_completed_assessment_opens_its_results(self):
        assessment = create_assessment(sections=8)
        services.submit_assessment(assessment=assessment)
        response = self.client.get(resume_url(assessment))
        self.assertRedirects(
            response, flow_url("results", assessment), fetch_redirect_response=False
        )

    def test_resuming_before_the_profile_opens_the_profile(self):
        assessment = create_assessment(profile=None)
        self.assertRedirects(
            self.client.get(resume_url(assessment)), flow_url("profile", assessment)
        )


class SaveAndLeaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def setUp(self):
        self.assessment = create_assessment(sections=2)
        self.client.get(resume_url(self.assessment))

    def test_emailing_the_link_keeps_the_address_and_sends_text_and_html(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                flow_url("save-and-leave", self.assessment), {"email": "founder@example.com"}
            )
        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.email, "founder@example.com")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["founder@example.com"])
        # The token is signed with the time it was made: read it back from the email
        # rather than making another (a second may have passed).
        pattern = rf"/diagnostic/{self.assessment.public_id}/resume/([^/\s\"]+)/"
        [token] = re.findall(pattern, message.body)
        self.assertTrue(token_opens(token, self.assessment.public_id))
        self.assertIn(resume_url(self.assessment, token), message.body)
        self.assertIn(resume_url(self.assessment, token), message.alternatives[0].content)

    def test_a_bad_address_shows_the_error_summary_and_sends_nothing(self):
        response = self.client.post(
            flow_url("save-and-leave", self.assessment), {"email": "not an address"}
        )
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Enter an email address in the correct format")
        self.assertEqual(mail.outbox, [])
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.email, "")


@override_settings(ALLOWED_HOSTS=["waymark.test", "testserver"])
class SavedPageTests(TestCase):
    HOST = "waymark.test:8123"

    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def setUp(self):
        self.assessment = create_assessment(sections=1)
        self.client.get(resume_url(self.assessment))
        # The resume link's path up to its token (the token carries the time it was made).
        self.path = f"/diagnostic/{self.assessment.public_id}/resume/"

    def assert_resume_link(self, link, base):
        self.assertTrue(link.startswith(base + self.path), link)
        token = link.removeprefix(base + self.path).rstrip("/")
        self.assertTrue(token_opens(token, self.assessment.public_id))

    def emailed_link(self):
        [message] = mail.outbox
        self.assertNotIn(self.HOST, message.body)
        return re.search(r"https?://\S+/resume/\S+/", message.body)[0]

    def saved_page(self):
        return self.client.get(
            flow_url("save-and-leave", self.assessment), headers={"host": self.HOST}
        )

    @override_settings(SITE_URL="")
    def test_without_site_url_the_link_is_on_the_address_in_use(self):
        response = self.saved_page()
        link = response.context["resume_url"]
        self.assert_resume_link(link, f"http://{self.HOST}")
        self.assertContains(response, f'<a href="{link}" class="govuk-link">{link}</a>', html=True)

    @override_settings(SITE_URL="https://waymark.example.org")
    def test_with_site_url_the_link_is_on_it(self):
        response = self.saved_page()
        self.assert_resume_link(response.context["resume_url"], "https://waymark.example.org")

    @override_settings(SITE_URL="https://waymark.example.org")
    def test_the_emailed_link_is_on_site_url_whatever_address_was_used(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                flow_url("save-and-leave", self.assessment),
                {"email": "founder@example.com"},
                headers={"host": self.HOST},
            )
        self.assert_resume_link(self.emailed_link(), "https://waymark.example.org")

    @override_settings(SITE_URL="")
    def test_without_site_url_the_emailed_link_is_not_on_the_requests_host(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                flow_url("save-and-leave", self.assessment),
                {"email": "founder@example.com"},
                headers={"host": self.HOST},
            )
        self.assert_resume_link(self.emailed_link(), DEVELOPMENT_SITE_URL)

    def test_the_copy_button_waits_for_its_script_which_loads_with_the_nonce(self):
        response = self.saved_page()
        content = response.content.decode()
        self.assertRegex(content, r'<div data-module="copy-link"[^>]* hidden>')
        self.assertContains(response, "Copy link")
        nonce = re.search(r'src="[^"]*js/copy-link\.js" nonce="([^"]+)"', content)
        self.assertIsNotNone(nonce)
        self.assertIn(f"'nonce-{nonce[1]}'", response.headers["Content-Security-Policy"])
        self.assertContains(response, "govuk-!-text-break-word")

    def test_after_a_page_saved_unfinished_the_saved_page_says_so(self):
        self.assertNotContains(self.saved_page(), "Some of your answers are not finished yet")
        self.client.post(
            flow_url("section", self.assessment, number=2), {"K1": "all", "then": "leave"}
        )
        self.assertContains(self.saved_page(), "Some of your answers are not finished yet")
