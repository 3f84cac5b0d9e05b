"""Saving and leaving, the resume link, and the emailed link."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Assessment
from diagnostics.tokens import make_resume_token, token_opens
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
        link = resume_url(self.assessment)
        self.assertIn(link, message.body)
        self.assertIn(link, message.alternatives[0].content)

    def test_a_bad_address_shows_the_error_summary_and_sends_nothing(self):
        response = self.client.post(
            flow_url("save-and-leave", self.assessment), {"email": "not an address"}
        )
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Enter an email address in the correct format")
        self.assertEqual(mail.outbox, [])
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.email, "")
