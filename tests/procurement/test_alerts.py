"""Saved searches: double opt-in, the digest task (once per period, no opportunity
twice), cadence, abuse limits, unsubscribing and managing by signed token."""

import email.policy
import re
import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from portal.procurement import alert_links
from portal.procurement.models import AlertDelivery, SavedSearch
from portal.procurement.services import alerts
from tests.factories import create_opportunity, create_saved_search, create_user, get_council

LINK = re.compile(r"http://[^\s<>\"]+")


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


class DoubleOptInTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_nothing_but_the_confirmation_is_sent_before_confirming(self):
        with self.captureOnCommitCallbacks(execute=True):
            result = alerts.create_saved_search(
                email="founder@example.com", query="closing=14", frequency="daily"
            )
        saved_search = result.saved_search
        self.assertTrue(result.created)
        self.assertIsNone(saved_search.confirmed_at)

        [message] = mail.outbox
        self.assertEqual(message.to, ["founder@example.com"])
        self.assertEqual(message.subject, "Confirm your email alert for contract opportunities")
        self.assertIn("Closing within 14 days", message.body)
        [(html, mimetype)] = message.alternatives
        self.assertEqual(mimetype, "text/html")
        self.assertIn("Closing within 14 days", html)
        confirm_link = next(link for link in links_in(message) if "/confirm/" in link)
        self.assertIn(f'href="{confirm_link}"', html)

        # An opportunity published now is not sent: the search is not confirmed.
        create_opportunity(title="Cloud hosting", published_at=timezone.now())
        self.assertEqual(alerts.send_due_digests(now=timezone.now() + timedelta(days=2)), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_link_confirms_once(self):
        saved_search = create_saved_search()
        token = alert_links.make_confirm_token(saved_search)
        now = timezone.now()

        first = alerts.confirm(token, now=now)
        second = alerts.confirm(token, now=now + timedelta(hours=1))

        self.assertTrue(first.changed)
        self.assertFalse(second.changed)
        saved_search.refresh_from_db()
        self.assertEqual(saved_search.confirmed_at, now)
        self.assertEqual(saved_search.last_sent_at, now)

    def test_confirming_after_unsubscribing_does_not_resubscribe(self):
        saved_search = create_saved_search(unsubscribed_at=timezone.now())

        outcome = alerts.confirm(alert_links.make_confirm_token(saved_search))

        self.assertFalse(outcome.changed)
        saved_search.refresh_from_db()
        self.assertIsNone(saved_search.confirmed_at)

    def test_a_confirmation_token_expires_after_7_days(self):
        saved_search = create_saved_search()
        token = alert_links.make_confirm_token(saved_search)
        later = timezone.now().timestamp() + timedelta(days=8).total_seconds()

        with (
            mock.patch("django.core.signing.time.time", return_value=later),
            self.assertRaises(alerts.InvalidToken) as raised,
        ):
            alerts.confirm(token)
        self.assertTrue(raised.exception.expired)

    def test_tokens_are_not_interchangeable_between_purposes(self):
        saved_search = create_saved_search()
        with self.assertRaises(alerts.InvalidToken):
            alerts.confirm(alert_links.make_unsubscribe_token(saved_search))
        with self.assertRaises(alerts.InvalidToken):
            alerts.unsubscribe(alert_links.make_confirm_token(saved_search))
        with self.assertRaises(alerts.InvalidToken):
            alerts.confirm(alert_links.make_confirm_token(saved_search)[:-2] + "xx")

    def test_the_same_address_and_search_again_makes_no_second_saved_search(self):
        with self.captureOnCommitCallbacks(execute=True):
            first = alerts.create_saved_search(
                email="Founder@Example.com", query="sme=1", frequency="daily"
            )
        with self.captureOnCommitCallbacks(execute=True):
            second = alerts.create_saved_search(
                email="founder@example.COM", query="sme=1", frequency="weekly"
            )

        self.assertFalse(second.created)
        self.assertEqual(second.saved_search.pk, first.saved_search.pk)
        self.assertEqual(SavedSearch.objects.count(), 1)
        # Sent again only after a while, so resubmitting cannot flood a mailbox.
        self.assertFalse(second.confirmation_sent)
        self.assertEqual(len(mail.outbox), 1)
        first.saved_search.refresh_from_db()
        self.assertEqual(first.saved_search.frequency, "weekly")

    def test_the_confirmation_is_sent_again_after_a_while(self):
        with self.captureOnCommitCallbacks(execute=True):
            alerts.create_saved_search(email="ann@example.com", query="", frequency="daily")
        cache.clear()  # as if RESEND_CONFIRMATION_AFTER had passed
        with self.captureOnCommitCallbacks(execute=True):
            again = alerts.create_saved_search(
                email="ann@example.com", query="", frequency="daily"
            )

        self.assertTrue(again.confirmation_sent)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(SavedSearch.objects.count(), 1)

    def test_too_many_unconfirmed_searches_in_a_day_are_refused(self):
        for days in range(alerts.MAX_UNCONFIRMED_PER_DAY):
            alerts.create_saved_search(
                email="spam@example.com", query=f"closing={days}", frequency="daily"
            )

        with self.assertRaises(alerts.TooManyAlertsError):
            alerts.create_saved_search(
                email="SPAM@example.com", query="closing=30", frequency="daily"
            )
        self.assertEqual(SavedSearch.objects.count(), alerts.MAX_UNCONFIRMED_PER_DAY)
        # Another address is not affected.
        alerts.create_saved_search(email="other@example.com", query="", frequency="daily")

    def test_a_signed_in_user_is_linked_only_to_their_own_address(self):
        user = create_user(email="pat@example.com")

        own = alerts.create_saved_search(
            email="PAT@example.com", query="", frequency="daily", user=user
        )
        other = alerts.create_saved_search(
            email="someone.else@example.com", query="", frequency="daily", user=user
        )

        self.assertEqual(own.saved_search.user, user)
        self.assertIsNone(other.saved_search.user)

    def test_no_confirmation_for_an_unsubscribed_search(self):
        saved_search = create_saved_search(unsubscribed_at=timezone.now())
        alerts.send_confirmation(saved_search_id=saved_search.pk)
        alerts.send_confirmation(saved_search_id=123456789)
        self.assertEqual(mail.outbox, [])


class DigestTests(TestCase):
    """Times are relative to `start`, ten days ago; opportunities close in 20 days."""

    def setUp(self):
        self.start = timezone.now() - timedelta(days=10)

    def day(self, number, hours=0):
        return self.start + timedelta(days=number, hours=hours)

    def published(self, title, when, **fields):
        return create_opportunity(title=title, published_at=when, created=when, **fields)

    def confirmed(self, *, email="founder@example.com", query="", frequency="daily", at=None):
        at = at or self.start
        return create_saved_search(
            email=email, query=query, frequency=frequency, confirmed_at=at, last_sent_at=at
        )

    def test_sends_one_digest_with_only_new_opportunities(self):
        self.published("Published before confirming", self.day(0, hours=-2))
        saved_search = self.confirmed()
        self.published(
            "Digital inclusion programme",
            self.day(0, hours=3),
            buyer_name="Gateshead Council",
            value_min=Decimal("10000"),
            value_max=Decimal("50000"),
        )
        self.published("Website accessibility audit", self.day(0, hours=5))

        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 1)

        [message] = mail.outbox
        self.assertEqual(message.to, ["founder@example.com"])
        self.assertEqual(message.subject, "2 new contract opportunities for your saved search")
        self.assertIn("Digital inclusion programme", message.body)
        self.assertIn("Gateshead Council", message.body)
        self.assertIn("£10,000 to £50,000", message.body)
        self.assertIn("Website accessibility audit", message.body)
        self.assertIn("Value not stated", message.body)
        self.assertNotIn("Published before confirming", message.body)
        self.assertNotIn("£0", message.body)
        [(html, _mimetype)] = message.alternatives
        self.assertIn("Digital inclusion programme", html)
        self.assertIn("Manage my alerts", html)

        unsubscribe = next(link for link in links_in(message) if "/unsubscribe/" in link)
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{unsubscribe}>")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )
        self.assertTrue(any("/alerts/manage/" in link for link in links_in(message)))
        # On one line, as mail clients read it: not folded into RFC 2047 encoded-words.
        for policy in (email.policy.default, email.policy.SMTP):
            raw = message.message(policy=policy).as_string()
            self.assertIn(f"List-Unsubscribe: <{unsubscribe}>{policy.linesep}", raw)
            self.assertIn("List-Unsubscribe-Post: List-Unsubscribe=One-Click", raw)
        smtp_bytes = message.message(policy=email.policy.SMTP).as_bytes()
        self.assertIn(f"List-Unsubscribe: <{unsubscribe}>\r\n".encode(), smtp_bytes)
        saved_search.refresh_from_db()
        self.assertEqual(saved_search.last_sent_at, self.day(1))
        self.assertEqual(AlertDelivery.objects.filter(saved_search=saved_search).count(), 2)

    def test_run_twice_in_a_row_the_second_sends_nothing(self):
        self.confirmed(email="a@example.com")
        self.confirmed(email="b@example.com")
        self.published("Cloud hosting", self.day(0, hours=1))

        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 2)
        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 0)
        self.assertEqual(alerts.send_due_digests(now=self.day(1, hours=2)), 0)

        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox), ["a@example.com", "b@example.com"]
        )

    def test_across_two_days_only_the_new_opportunity_is_sent(self):
        self.confirmed()
        old = self.published("Day one opportunity", self.day(0, hours=1))
        alerts.send_due_digests(now=self.day(1))
        self.published("Day two opportunity", self.day(1, hours=1))
        # Republished (a corrected notice): it was sent already, so it is not sent again.
        old.published_at = self.day(1, hours=2)
        old.save(update_fields=["published_at"])

        self.assertEqual(alerts.send_due_digests(now=self.day(2)), 1)

        first, second = mail.outbox
        self.assertIn("Day one opportunity", first.body)
        self.assertIn("Day two opportunity", second.body)
        self.assertNotIn("Day one opportunity", second.body)
        self.assertEqual(second.subject, "1 new contract opportunity for your saved search")

    def test_an_imported_opportunity_published_earlier_elsewhere_is_sent_once_it_arrives(self):
        self.confirmed()
        create_opportunity(
            title="Imported from Contracts Finder",
            source="imported",
            published_at=self.day(-3),
            created=self.day(0, hours=4),
        )

        alerts.send_due_digests(now=self.day(1))

        [message] = mail.outbox
        self.assertIn("Imported from Contracts Finder", message.body)

    def test_daily_is_not_sent_again_within_the_day(self):
        self.confirmed()
        self.published("First", self.day(0, hours=1))
        alerts.send_due_digests(now=self.day(1))
        self.published("Second", self.day(1, hours=1))

        self.assertEqual(alerts.send_due_digests(now=self.day(1, hours=12)), 0)
        self.assertEqual(alerts.send_due_digests(now=self.day(2)), 1)
        self.assertEqual(len(mail.outbox), 2)

    def test_weekly_waits_a_week(self):
        saved_search = self.confirmed(frequency="weekly")
        self.published("Monday", self.day(0, hours=1))
        self.published("Thursday", self.day(3))

        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 0)
        self.assertEqual(alerts.send_due_digests(now=self.day(6)), 0)
        saved_search.refresh_from_db()
        self.assertEqual(saved_search.last_sent_at, self.start)

        self.assertEqual(alerts.send_due_digests(now=self.day(7)), 1)
        [message] = mail.outbox
        self.assertIn("Monday", message.body)
        self.assertIn("Thursday", message.body)

    def test_nothing_new_sends_nothing_but_restarts_the_period(self):
        saved_search = self.confirmed()

        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 0)

        self.assertEqual(mail.outbox, [])
        saved_search.refresh_from_db()
        self.assertEqual(saved_search.last_sent_at, self.day(1))

    def test_only_opportunities_matching_the_search(self):
        gateshead = get_council(gss_code="E08000037")
        self.confirmed(query="council=E08000037&sme=1")
        self.published("For Gateshead SMEs", self.day(0, hours=1), councils=[gateshead])
        self.published(
            "For Gateshead, SME suitable",
            self.day(0, hours=1),
            councils=[gateshead],
            sme_suitable=True,
        )
        self.published("Elsewhere", self.day(0, hours=1), sme_suitable=True)
        self.published("Closed already", self.day(0, hours=1), status="closed")

        alerts.send_due_digests(now=self.day(1))

        [message] = mail.outbox
        self.assertIn("For Gateshead, SME suitable", message.body)
        self.assertNotIn("For Gateshead SMEs", message.body)
        self.assertNotIn("Elsewhere", message.body)
        self.assertNotIn("Closed already", message.body)
        self.assertIn("In Gateshead", message.body)

    def test_unconfirmed_and_unsubscribed_searches_get_nothing(self):
        create_saved_search(email="unconfirmed@example.com")
        create_saved_search(
            email="gone@example.com",
            confirmed_at=self.start,
            last_sent_at=self.start,
            unsubscribed_at=self.day(0, hours=2),
        )
        self.published("Cloud hosting", self.day(0, hours=1))

        self.assertEqual(alerts.send_due_digests(now=self.day(1)), 0)
        self.assertEqual(mail.outbox, [])

    def test_one_failing_email_does_not_stop_the_others(self):
        failing = self.confirmed(email="broken@example.com")
        self.confirmed(email="fine@example.com")
        self.published("Cloud hosting", self.day(0, hours=1))
        real_send = EmailMultiAlternatives.send

        def send(message, *args, **kwargs):
            if message.to == ["broken@example.com"]:
                raise OSError("mail server said no")
            return real_send(message, *args, **kwargs)

        with (
            mock.patch.object(EmailMultiAlternatives, "send", send),
            self.assertLogs("portal.procurement.services.alerts", "ERROR"),
        ):
            self.assertEqual(alerts.send_due_digests(now=self.day(1)), 1)

        [message] = mail.outbox
        self.assertEqual(message.to, ["fine@example.com"])
        # Nothing recorded for the failed one: it is still due next run.
        failing.refresh_from_db()
        self.assertEqual(failing.last_sent_at, self.start)
        self.assertFalse(AlertDelivery.objects.filter(saved_search=failing).exists())
        self.assertEqual(alerts.send_due_digests(now=self.day(1, hours=1)), 1)

    def test_a_long_digest_links_to_the_rest(self):
        self.confirmed()
        for number in range(alerts.MAX_OPPORTUNITIES_PER_DIGEST + 3):
            self.published(f"Opportunity {number}", self.day(0, hours=1))

        alerts.send_due_digests(now=self.day(1))

        [message] = mail.outbox
        self.assertIn(
            f"{alerts.MAX_OPPORTUNITIES_PER_DIGEST + 3} new contract opportunities",
            message.subject,
        )
        self.assertIn("And 3 more", message.body)
        self.assertEqual(AlertDelivery.objects.count(), alerts.MAX_OPPORTUNITIES_PER_DIGEST)

    def test_queries_per_saved_search_are_bounded(self):
        for number in range(3):
            self.confirmed(email=f"few{number}@example.com", query="sme=1")
        for number in range(10):
            self.published(f"Opportunity {number}", self.day(0, hours=1), sme_suitable=True)
        # Per saved search: a savepoint, lock it, its opportunities, restart the period,
        # record the deliveries, release.
        with self.assertNumQueries(1 + 3 * 6):
            self.assertEqual(alerts.send_due_digests(now=self.day(1)), 3)

    def test_the_task_sends_the_due_digests(self):
        from portal.procurement.tasks import send_alert_digests

        self.confirmed(at=timezone.now() - timedelta(days=2))
        create_opportunity(title="Cloud hosting", published_at=timezone.now() - timedelta(days=1))

        self.assertEqual(send_alert_digests.delay().get(), 1)
        self.assertEqual(send_alert_digests.delay().get(), 0)
        self.assertEqual(len(mail.outbox), 1)


class UnsubscribeAndManageTests(TestCase):
    def test_unsubscribe_works_once(self):
        saved_search = create_saved_search(confirmed_at=timezone.now())
        token = alert_links.make_unsubscribe_token(saved_search)

        self.assertTrue(alerts.unsubscribe(token).changed)
        self.assertFalse(alerts.unsubscribe(token).changed)
        saved_search.refresh_from_db()
        self.assertIsNotNone(saved_search.unsubscribed_at)

    def test_the_manage_token_is_bound_to_the_address(self):
        token = alert_links.make_manage_token("Founder@Example.com")

        self.assertEqual(alert_links.email_for_manage_token(token), "founder@example.com")
        with self.assertRaises(alerts.InvalidToken):
            alert_links.email_for_manage_token(token + "x")

    def test_saved_searches_of_an_address(self):
        mine = create_saved_search(email="Founder@example.com")
        create_saved_search(email="founder@example.com", unsubscribed_at=timezone.now())
        create_saved_search(email="other@example.com")

        self.assertEqual(list(alerts.saved_searches_of("founder@example.com")), [mine])

    def test_change_frequency(self):
        saved_search = create_saved_search()

        self.assertTrue(
            alerts.change_frequency(saved_search=saved_search, frequency="weekly").changed
        )
        saved_search.refresh_from_db()
        self.assertEqual(saved_search.frequency, "weekly")


class ConcurrentDigestTests(TransactionTestCase):
    """Two workers running the digest task at once: each subscriber still gets one
    digest (the row locks skip what the other run holds). PostgreSQL only: SQLite has
    no row locks and serialises writers anyway."""

    # Put back the data migrations' rows (places, CPV codes) the flush removes.
    serialized_rollback = True

    def test_concurrent_runs_send_each_subscriber_one_digest(self):
        if connection.vendor != "postgresql":
            self.skipTest("row locks need PostgreSQL")
        start = timezone.now() - timedelta(days=2)
        for number in range(20):
            create_saved_search(
                email=f"subscriber{number}@example.com", confirmed_at=start, last_sent_at=start
            )
        create_opportunity(title="Cloud hosting", published_at=start + timedelta(hours=1))
        now = timezone.now()
        barrier = threading.Barrier(3)
        sent = []

        def run():
            try:
                barrier.wait()
                sent.append(alerts.send_due_digests(now=now))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _number in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(sum(sent), 20)
        recipients = [message.to[0] for message in mail.outbox]
        self.assertEqual(len(recipients), 20)
        self.assertEqual(len(set(recipients)), 20)
        self.assertEqual(AlertDelivery.objects.count(), 20)
