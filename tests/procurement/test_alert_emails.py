"""The alerts' emails go out by task: none for a rolled-back saved search, a refused
confirmation, digest or reminder is sent on retry (and a digest never twice), and digest
links and headers are on SITE_URL."""

import re
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from portal.procurement.models import AlertDelivery, SavedOpportunity, SavedSearch
from portal.procurement.services import alerts
from tests.factories import create_opportunity, create_user
from tests.mail_backends import FAIL_ONCE, FailOnceBackend

SITE_URL = "https://waymark.example.org"
LINK = re.compile(r"https?://[^\s<>\"]+")


class Rollback(Exception):
    pass


def due_saved_search(email="founder@example.com"):
    two_days_ago = timezone.now() - timedelta(days=2)
    return SavedSearch.objects.create(
        email=email,
        query="",
        frequency="daily",
        confirmed_at=two_days_ago,
        last_sent_at=two_days_ago,
    )


class AlertEmailTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_a_saved_search_rolled_back_sends_no_confirmation(self):
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(Rollback),
            transaction.atomic(),
        ):
            alerts.create_saved_search(email="founder@example.com", query="", frequency="daily")
            raise Rollback
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        self.assertFalse(SavedSearch.objects.exists())

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_confirmation_is_sent_on_retry(self):
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            alerts.create_saved_search(email="founder@example.com", query="", frequency="daily")
        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["founder@example.com"]), ("sent", ["founder@example.com"])],
        )
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_digest_is_sent_once_on_retry(self):
        saved_search = due_saved_search()
        create_opportunity(title="Cloud hosting", published_at=timezone.now() - timedelta(1))
        FailOnceBackend.reset()

        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertLogs("portal.procurement.services.alerts", "ERROR"),
        ):
            # The run's own attempt is refused; the retrying task sends it after commit.
            self.assertEqual(alerts.send_due_digests(), 0)

        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["founder@example.com"]), ("sent", ["founder@example.com"])],
        )
        [message] = mail.outbox
        self.assertIn("Cloud hosting", message.body)
        self.assertEqual(AlertDelivery.objects.filter(saved_search=saved_search).count(), 1)
        # Sent: neither the next run nor the task run again sends it twice.
        from portal.procurement.tasks import send_alert_digest

        self.assertEqual(alerts.send_due_digests(), 0)
        self.assertEqual(send_alert_digest.delay(saved_search.pk).get(), 0)
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_closing_reminder_is_sent_on_retry(self):
        founder = create_user(email="founder@example.com")
        opportunity = create_opportunity(deadline=timezone.now() + timedelta(days=3))
        SavedOpportunity.objects.create(user=founder, opportunity=opportunity)
        FailOnceBackend.reset()

        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertLogs("portal.procurement.services.alerts", "ERROR"),
        ):
            self.assertEqual(alerts.send_closing_reminders(), 0)

        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["founder@example.com"]), ("sent", ["founder@example.com"])],
        )
        self.assertEqual(alerts.send_closing_reminders(), 0)
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(SITE_URL=SITE_URL)
    def test_a_digest_has_one_click_unsubscribe_and_links_on_site_url(self):
        saved_search = due_saved_search()
        create_opportunity(title="Cloud hosting", published_at=timezone.now() - timedelta(1))

        self.assertEqual(alerts.send_due_digests(), 1)

        [message] = mail.outbox
        links = LINK.findall(message.body)
        unsubscribe = next(link for link in links if "/unsubscribe/" in link)
        self.assertTrue(unsubscribe.startswith(f"{SITE_URL}/contracts/alerts/unsubscribe/"))
        self.assertEqual(
            alerts.saved_search_for_unsubscribe_token(unsubscribe.split("/")[-2]), saved_search
        )
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{unsubscribe}>")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )
        self.assertGreaterEqual(len(links), 3)
        for link in links:
            self.assertTrue(link.startswith(f"{SITE_URL}/"), link)

    def test_the_confirmation_has_no_unsubscribe_header(self):
        with self.captureOnCommitCallbacks(execute=True):
            alerts.create_saved_search(email="founder@example.com", query="", frequency="daily")
        [message] = mail.outbox
        self.assertNotIn("List-Unsubscribe", message.extra_headers)
