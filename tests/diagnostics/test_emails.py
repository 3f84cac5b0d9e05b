"""The diagnostic's emails go out by task after commit: none for a rolled-back request,
a refused one is sent on retry, and the links are on SITE_URL."""

from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings

from diagnostics import services
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.factories import create_assessment, get_council
from tests.mail_backends import FAIL_ONCE, FailOnceBackend


class Rollback(Exception):
    pass


class DiagnosticEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_a_resume_link_request_rolled_back_sends_nothing(self):
        assessment = create_assessment()
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(Rollback),
            transaction.atomic(),
        ):
            services.send_resume_link(assessment=assessment, email="a@example.com")
            raise Rollback
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        assessment.refresh_from_db()
        self.assertEqual(assessment.email, "")

    @override_settings(MAILERS=FAIL_ONCE, SITE_URL="https://waymark.example.org")
    def test_a_refused_resume_link_is_sent_on_retry_with_a_link_on_site_url(self):
        assessment = create_assessment()
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            services.send_resume_link(assessment=assessment, email="a@example.com")
        self.assertEqual(
            FailOnceBackend.attempts, [("refused", ["a@example.com"]), ("sent", ["a@example.com"])]
        )
        [message] = mail.outbox
        self.assertIn(
            f"https://waymark.example.org/diagnostic/{assessment.public_id}/", message.body
        )
