"""Emails go out in the language the person used: the address is stored with the
language of the page it was given on, and the email (subject, text, links) is built in
it, even when sent later by a task outside any request. Everything else is English."""

import re
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from diagnostics.models import Assessment
from diagnostics.tokens import make_resume_token
from portal.advice.models import AdviceRequest
from portal.lib.links import DEVELOPMENT_SITE_URL
from portal.procurement.models import SavedSearch
from portal.procurement.services import alerts
from tests.advice.factories import create_advice_team
from tests.advice.test_asking import DETAILS, GATESHEAD_PROFILE, ask_url, create_support, grant
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.peer_data import complete_assessment
from tests.factories import create_assessment, create_opportunity, get_council

LINK = re.compile(r"https?://[^\s<>\"]+")


def welsh(name: str, *args) -> str:
    with translation.override("cy"):
        return reverse(name, args=args or None)


class ResumeLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def save_and_leave(self, prefix: str) -> Assessment:
        assessment = create_assessment(sections=2)
        token = make_resume_token(assessment.public_id)
        # Both made before a Welsh request leaves Welsh active in this thread.
        path = reverse("diagnostics:resume", args=[assessment.public_id, token])
        leave = reverse("diagnostics:save-and-leave", args=[assessment.public_id])
        self.client.get(prefix + path)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(prefix + leave, {"email": "founder@example.com"})
        self.assertRedirects(response, prefix + leave)
        assessment.refresh_from_db()
        return assessment

    def test_a_founder_on_the_welsh_pages_gets_the_resume_link_in_welsh(self):
        assessment = self.save_and_leave("/cy")

        self.assertEqual(assessment.language, "cy")
        [message] = mail.outbox
        self.assertEqual(
            message.subject, "Eich dolen i ddod yn ôl i’r hunanasesiad aeddfedrwydd digidol"
        )
        resume = f"{DEVELOPMENT_SITE_URL}/cy/diagnostic/{assessment.public_id}/resume/"
        self.assertIn(resume, message.body)
        html = message.alternatives[0].content
        self.assertIn('<html lang="cy">', html)
        self.assertIn(resume, html)
        # The link opens the Welsh pages where the founder left off.
        link = next(link for link in LINK.findall(message.body) if "/resume/" in link)
        response = self.client_class().get(link.removeprefix(DEVELOPMENT_SITE_URL))
        self.assertTrue(response["Location"].startswith("/cy/diagnostic/"), response["Location"])

    def test_a_founder_on_the_english_pages_gets_it_in_english(self):
        assessment = self.save_and_leave("")

        self.assertEqual(assessment.language, "en-gb")
        [message] = mail.outbox
        self.assertEqual(message.subject, "Your link to come back to the digital maturity check")
        self.assertIn(f"{DEVELOPMENT_SITE_URL}/diagnostic/{assessment.public_id}/", message.body)
        self.assertIn('<html lang="en-gb">', message.alternatives[0].content)

    def test_the_results_link_is_in_the_language_it_was_asked_for_in(self):
        assessment = complete_assessment(profile=TRADING_PUBLIC)
        grant(self.client, assessment)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                welsh("diagnostics:email-results", assessment.public_id),
                {"email": "founder@example.com"},
            )
        [message] = mail.outbox
        self.assertEqual(message.subject, "Canlyniadau eich hunanasesiad aeddfedrwydd digidol")
        self.assertIn(f"{DEVELOPMENT_SITE_URL}/cy/diagnostic/", message.body)


class AlertDigestTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_an_alert_asked_for_on_the_welsh_pages_is_confirmed_and_sent_in_welsh(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                welsh("procurement:alert-create"),
                {"email": "founder@example.com", "frequency": "daily"},
            )
        self.assertRedirects(response, welsh("procurement:alert-sent"))
        saved_search = SavedSearch.objects.get()
        self.assertEqual(saved_search.language, "cy")

        [confirmation] = mail.outbox
        self.assertEqual(
            confirmation.subject, "Cadarnhewch eich hysbysiad e-bost am gyfleoedd contract"
        )
        confirm = next(link for link in LINK.findall(confirmation.body) if "/confirm/" in link)
        self.assertTrue(confirm.startswith(f"{DEVELOPMENT_SITE_URL}/cy/contracts/alerts/"))
        # The link asks before it confirms: its page is Welsh, its button POSTs.
        asked = self.client.get(confirm.removeprefix(DEVELOPMENT_SITE_URL))
        self.assertContains(asked, '<html lang="cy"')
        confirmed = self.client.post(confirm.removeprefix(DEVELOPMENT_SITE_URL), follow=True)
        self.assertContains(confirmed, '<html lang="cy"')

        # A day later, by the scheduled task (outside any request): the digest.
        saved_search.refresh_from_db()
        SavedSearch.objects.filter(pk=saved_search.pk).update(
            last_sent_at=timezone.now() - timedelta(days=2)
        )
        create_opportunity(title="Cloud hosting", published_at=timezone.now() - timedelta(1))
        mail.outbox.clear()
        self.assertEqual(alerts.send_due_digests(), 1)

        [digest] = mail.outbox
        self.assertEqual(
            digest.subject, "1 cyfle contract newydd ar gyfer eich chwiliad wedi’i gadw"
        )
        links = LINK.findall(digest.body)
        unsubscribe = next(link for link in links if "/unsubscribe/" in link)
        self.assertTrue(unsubscribe.startswith(f"{DEVELOPMENT_SITE_URL}/cy/contracts/alerts/"))
        self.assertEqual(digest.extra_headers["List-Unsubscribe"], f"<{unsubscribe}>")
        self.assertIn('<html lang="cy">', digest.alternatives[0].content)
        for link in links:
            if link.rstrip("/") != DEVELOPMENT_SITE_URL:
                self.assertTrue(link.startswith(f"{DEVELOPMENT_SITE_URL}/cy/"), link)

    def test_welsh_plural_forms_of_the_digest_subject(self):
        subjects = {}
        with translation.override("cy"):
            for count in (0, 1, 2, 3, 4, 6, 11):
                subjects[count] = translation.ngettext(
                    "%(count)d new contract opportunity for your saved search",
                    "%(count)d new contract opportunities for your saved search",
                    count,
                ) % {"count": count}
        tail = "newydd ar gyfer eich chwiliad wedi’i gadw"
        self.assertEqual(subjects[0], f"0 cyfleoedd contract {tail}")
        self.assertEqual(subjects[1], f"1 cyfle contract {tail}")
        self.assertEqual(subjects[2], f"2 gyfle contract {tail}")
        self.assertEqual(subjects[3], f"3 chyfle contract {tail}")
        self.assertEqual(subjects[4], f"4 o gyfleoedd contract {tail}")
        self.assertEqual(subjects[6], f"6 chyfle contract {tail}")
        self.assertEqual(subjects[11], f"11 o gyfleoedd contract {tail}")

    def test_asking_again_in_english_turns_its_emails_english(self):
        english = reverse("procurement:alert-create")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                welsh("procurement:alert-create"),
                {"email": "founder@example.com", "frequency": "daily"},
            )
        cache.clear()  # past the resend limit
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(english, {"email": "founder@example.com", "frequency": "weekly"})
        self.assertEqual(SavedSearch.objects.get().language, "en-gb")
        self.assertEqual(
            mail.outbox[-1].subject, "Confirm your email alert for contract opportunities"
        )


class AdviceRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_advice_team(team_email="business@gateshead.example")
        create_support()
        cls.assessment = complete_assessment(profile=GATESHEAD_PROFILE)

    def test_the_founder_is_answered_in_welsh_and_the_council_team_in_english(self):
        grant(self.client, self.assessment)
        url = "/cy" + ask_url(**{"from": "results", "assessment": str(self.assessment.public_id)})
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {**DETAILS, "consent": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AdviceRequest.objects.get().language, "cy")

        by_address = {message.to[0]: message for message in mail.outbox}
        founder = by_address[DETAILS["email"]]
        team = by_address["business@gateshead.example"]
        self.assertIn('<html lang="cy">', founder.alternatives[0].content)
        self.assertIn(f"{DEVELOPMENT_SITE_URL}/cy/advice/requests/", founder.body)
        # Staff pages and emails may stay English, whatever page caused them.
        self.assertIn('<html lang="en-gb">', team.alternatives[0].content)
        self.assertNotIn("/cy/", team.body)
        self.assertTrue(team.subject.startswith("New request for business advice"))
