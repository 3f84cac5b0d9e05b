"""portal/lib/subscriptions.py on its own: a Mailing whose emails only record what they
were given, over the saved-search tables (any Subscription and Delivery would do).
Signed tokens with a salt per use, the daily limit, double opt-in, which subscriptions
are due, and digests that record each item once and only after confirmation."""

from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from portal.lib import subscriptions
from portal.lib.subscriptions import (
    DUE_AFTER,
    Digest,
    Frequency,
    InvalidToken,
    Mailing,
    SubscriptionLinks,
)
from portal.procurement.models import AlertDelivery, SavedSearch
from tests.factories import create_opportunity, create_saved_search, create_user


class Probe(Mailing):
    """Sends nothing: remembers what it was asked to send. Its digest is the opportunities
    in ``self.items`` not delivered to the subscription before."""

    model = SavedSearch
    delivery_model = AlertDelivery
    delivery_subscription_field = "saved_search"
    links = SubscriptionLinks(salt="tests.probe")
    confirmation_task = "portal.procurement.tasks.send_alert_confirmation"
    digest_task = "portal.procurement.tasks.send_alert_digest"

    def __init__(self, items=(), *, fail_with: Exception | None = None):
        self.items = list(items)
        self.fail_with = fail_with
        self.confirmations, self.digests, self.confirmed_ones = [], [], []

    def send_confirmation_email(self, subscription):
        self.confirmations.append(subscription.pk)

    def confirmed(self, subscription, *, now):
        self.confirmed_ones.append(subscription.pk)

    def collect_digest(self, subscription, *, now):
        sent = set(self.deliveries_of(subscription).values_list("opportunity_id", flat=True))
        new = [item for item in self.items if item.pk not in sent]
        return Digest(items=new, deliveries=[{"opportunity": item} for item in new])

    def send_digest_email(self, subscription, digest):
        if self.fail_with is not None:
            raise self.fail_with
        self.digests.append((subscription.email, [item.title for item in digest.items]))


class OtherProbe(Probe):
    links = SubscriptionLinks(salt="tests.other-probe")


def expiring_after(days: float):
    later = timezone.now().timestamp() + timedelta(days=days).total_seconds()
    return mock.patch("django.core.signing.time.time", return_value=later)


class TokenTests(TestCase):
    def setUp(self):
        self.mailing = Probe()
        self.subscription = create_saved_search()

    def test_each_use_has_its_own_salt(self):
        confirm = self.mailing.links.confirm_token(self.subscription)
        unsubscribe = self.mailing.links.unsubscribe_token(self.subscription)

        with self.assertRaises(InvalidToken):
            self.mailing.subscription_for_unsubscribe_token(confirm)
        with self.assertRaises(InvalidToken):
            self.mailing.confirm(unsubscribe)
        self.assertEqual(
            self.mailing.subscription_for_unsubscribe_token(unsubscribe), self.subscription
        )

    def test_another_mailings_tokens_do_not_work_here(self):
        other = OtherProbe()

        with self.assertRaises(InvalidToken):
            self.mailing.subscription_for_unsubscribe_token(
                other.links.unsubscribe_token(self.subscription)
            )
        with self.assertRaises(InvalidToken):
            self.mailing.links.email_for_manage_token(other.links.manage_token("a@example.com"))

    def test_confirm_and_manage_links_expire_unsubscribe_links_do_not(self):
        confirm = self.mailing.links.confirm_token(self.subscription)
        manage = self.mailing.links.manage_token("Founder@Example.com")
        unsubscribe = self.mailing.links.unsubscribe_token(self.subscription)

        self.assertEqual(self.mailing.links.email_for_manage_token(manage), "founder@example.com")
        with expiring_after(8), self.assertRaises(InvalidToken) as raised:
            self.mailing.confirm(confirm)
        self.assertTrue(raised.exception.expired)
        with expiring_after(91), self.assertRaises(InvalidToken) as raised:
            self.mailing.links.email_for_manage_token(manage)
        self.assertTrue(raised.exception.expired)
        with expiring_after(5 * 365):
            self.assertEqual(
                self.mailing.subscription_for_unsubscribe_token(unsubscribe), self.subscription
            )

    def test_a_token_for_a_deleted_subscription_is_invalid(self):
        unsubscribe = self.mailing.links.unsubscribe_token(self.subscription)
        confirm = self.mailing.links.confirm_token(self.subscription)
        self.subscription.delete()

        with self.assertRaises(InvalidToken) as raised:
            self.mailing.subscription_for_unsubscribe_token(unsubscribe)
        self.assertFalse(raised.exception.expired)
        with self.assertRaises(InvalidToken):
            self.mailing.confirm(confirm)


class SubscribeTests(TestCase):
    def setUp(self):
        cache.clear()
        self.mailing = Probe()

    def subscribe(self, email="founder@example.com", query="", **fields):
        return self.mailing.subscribe(
            email=email, frequency=Frequency.DAILY, same={"query": query}, **fields
        )

    def test_a_new_subscription_enqueues_its_confirmation_after_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            request = self.subscribe(email=" Founder@EXAMPLE.com ")

        self.assertTrue(request.created)
        self.assertEqual(request.subscription.email, "Founder@example.com")
        self.assertIsNone(request.subscription.confirmed_at)
        self.assertEqual(len(callbacks), 1)

    def test_the_same_address_and_subject_again_is_the_same_subscription(self):
        user = create_user(email="founder@example.com")
        first = self.subscribe(query="sme=1", fields={"user": user})
        again = self.mailing.subscribe(
            email="FOUNDER@example.com",
            frequency=Frequency.WEEKLY,
            same={"query": "sme=1"},
            fields={"user": None},
        )

        self.assertFalse(again.created)
        self.assertEqual(again.subscription.pk, first.subscription.pk)
        # Fields are for a new subscription only; an unconfirmed one takes the frequency.
        self.assertEqual(again.subscription.user, user)
        self.assertEqual(again.subscription.frequency, Frequency.WEEKLY)
        # Its confirmation was sent a moment ago: not again yet.
        self.assertFalse(again.confirmation_sent)

    def test_the_daily_limit_counts_unconfirmed_subscriptions_of_the_address(self):
        now = timezone.now()
        for number in range(self.mailing.max_unconfirmed_per_day - 1):
            self.subscribe(query=f"closing={number}")
        # Confirmed ones, and those of another day, do not count.
        create_saved_search(email="founder@example.com", query="a", confirmed_at=now)
        create_saved_search(
            email="founder@example.com", query="b", created=now - timedelta(days=2)
        )
        self.subscribe(email="FOUNDER@example.com", query="last")

        with self.assertRaises(subscriptions.TooManySubscriptions) as raised:
            self.subscribe(query="one too many")
        self.assertIn("too many alerts", raised.exception.messages[0])
        self.subscribe(email="someone.else@example.com", query="one too many")

    def test_the_confirmation_is_not_sent_for_an_unsubscribed_one(self):
        gone = create_saved_search(unsubscribed_at=timezone.now())

        self.mailing.send_confirmation(subscription_id=gone.pk)
        self.mailing.send_confirmation(subscription_id=987654)

        self.assertEqual(self.mailing.confirmations, [])


class ConfirmTests(TestCase):
    def test_confirming_starts_the_first_period_and_calls_the_hook_once(self):
        mailing = Probe()
        subscription = create_saved_search()
        token = mailing.links.confirm_token(subscription)
        now = timezone.now()

        self.assertTrue(mailing.confirm(token, now=now).changed)
        self.assertFalse(mailing.confirm(token, now=now + timedelta(hours=1)).changed)

        subscription.refresh_from_db()
        self.assertEqual((subscription.confirmed_at, subscription.last_sent_at), (now, now))
        self.assertEqual(mailing.confirmed_ones, [subscription.pk])

    def test_unsubscribing_works_once_and_is_never_undone_by_confirming(self):
        mailing = Probe()
        subscription = create_saved_search()

        self.assertTrue(
            mailing.unsubscribe_by_token(mailing.links.unsubscribe_token(subscription)).changed
        )
        self.assertFalse(mailing.unsubscribe(subscription=subscription).changed)
        self.assertFalse(mailing.confirm(mailing.links.confirm_token(subscription)).changed)
        self.assertEqual(mailing.confirmed_ones, [])


class DigestTests(TestCase):
    def setUp(self):
        self.start = timezone.now() - timedelta(days=30)
        self.first = create_opportunity(title="First")
        self.second = create_opportunity(title="Second")

    def confirmed(self, email="founder@example.com", frequency=Frequency.DAILY, **fields):
        return create_saved_search(
            email=email,
            frequency=frequency,
            confirmed_at=self.start,
            last_sent_at=self.start,
            **fields,
        )

    def test_due_by_frequency_and_only_once_confirmed_and_subscribed(self):
        mailing = Probe()
        daily = self.confirmed(email="daily@example.com")
        weekly = self.confirmed(email="weekly@example.com", frequency=Frequency.WEEKLY)
        create_saved_search(email="unconfirmed@example.com")
        self.confirmed(email="gone@example.com", unsubscribed_at=self.start)

        def due(after):
            now = self.start + after
            return set(SavedSearch.objects.filter(mailing.due(now)).values_list("pk", flat=True))

        self.assertEqual(due(timedelta(hours=22)), set())
        self.assertEqual(due(DUE_AFTER[Frequency.DAILY]), {daily.pk})
        self.assertEqual(due(timedelta(days=6)), {daily.pk})
        self.assertEqual(due(DUE_AFTER[Frequency.WEEKLY]), {daily.pk, weekly.pk})

    def test_each_item_is_sent_once_and_recorded(self):
        mailing = Probe([self.first])
        subscription = self.confirmed()
        now = self.start + timedelta(days=1)

        self.assertEqual(mailing.send_due_digests(now=now), 1)
        self.assertEqual(mailing.send_due_digests(now=now), 0)  # not due again
        mailing.items.append(self.second)
        self.assertEqual(mailing.send_due_digests(now=now + timedelta(days=1)), 1)
        self.assertEqual(mailing.send_due_digests(now=now + timedelta(days=2)), 0)  # nothing new

        self.assertEqual(
            mailing.digests,
            [("founder@example.com", ["First"]), ("founder@example.com", ["Second"])],
        )
        deliveries = AlertDelivery.objects.filter(saved_search=subscription)
        self.assertEqual(
            sorted((d.opportunity_id, d.sent_at) for d in deliveries),
            sorted([(self.first.pk, now), (self.second.pk, now + timedelta(days=1))]),
        )
        subscription.refresh_from_db()
        # Nothing new also starts the period again.
        self.assertEqual(subscription.last_sent_at, now + timedelta(days=2))

    def test_nothing_is_collected_for_an_unconfirmed_subscription(self):
        mailing = Probe([self.first])
        unconfirmed = create_saved_search()

        with mock.patch.object(Probe, "collect_digest") as collect:
            self.assertEqual(mailing.send_due_digests(now=timezone.now() + timedelta(30)), 0)
            self.assertEqual(mailing.send_digest(subscription_id=unconfirmed.pk), 0)
        collect.assert_not_called()
        self.assertFalse(AlertDelivery.objects.exists())

    def test_a_failed_email_records_nothing_and_stays_due(self):
        mailing = Probe([self.first], fail_with=ValueError("template broke"))
        subscription = self.confirmed()
        now = self.start + timedelta(days=1)

        with (
            self.captureOnCommitCallbacks() as callbacks,
            self.assertLogs("portal.lib.subscriptions", "ERROR"),
        ):
            self.assertEqual(mailing.send_due_digests(now=now), 0)

        # Not a mail server's refusal: left for the next run, not retried by task.
        self.assertEqual(callbacks, [])
        self.assertFalse(AlertDelivery.objects.exists())
        subscription.refresh_from_db()
        self.assertEqual(subscription.last_sent_at, self.start)
        mailing.fail_with = None
        self.assertEqual(mailing.send_due_digests(now=now), 1)

    def test_a_refused_email_is_handed_to_the_digest_task(self):
        mailing = Probe([self.first], fail_with=OSError("mail server said no"))
        self.confirmed()

        with (
            self.captureOnCommitCallbacks() as callbacks,
            self.assertLogs("portal.lib.subscriptions", "ERROR"),
        ):
            self.assertEqual(mailing.send_due_digests(now=self.start + timedelta(days=1)), 0)

        self.assertEqual(len(callbacks), 1)
        self.assertFalse(AlertDelivery.objects.exists())
