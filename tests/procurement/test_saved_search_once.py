"""One saved search per address, search and frequency while subscribed: the database
refuses a second (a conditional unique constraint), and the form says the address
already gets these alerts instead of making one."""

from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.lib.subscriptions import unsubscribe_duplicates
from portal.procurement.models import SavedSearch
from portal.procurement.services import alerts
from tests.factories import create_saved_search


class ConstraintTests(TestCase):
    def test_the_database_refuses_the_same_address_search_and_frequency_twice(self):
        create_saved_search(email="founder@example.com", query="sme=1", frequency="daily")

        with self.assertRaises(IntegrityError), transaction.atomic():
            create_saved_search(email="Founder@Example.COM", query="sme=1", frequency="daily")

    def test_another_frequency_search_or_address_is_another_saved_search(self):
        create_saved_search(email="founder@example.com", query="sme=1", frequency="daily")

        create_saved_search(email="founder@example.com", query="sme=1", frequency="weekly")
        create_saved_search(email="founder@example.com", query="vcse=1", frequency="daily")
        create_saved_search(email="other@example.com", query="sme=1", frequency="daily")

        self.assertEqual(SavedSearch.objects.count(), 4)

    def test_after_unsubscribing_the_same_search_can_be_saved_again(self):
        create_saved_search(
            email="founder@example.com", query="sme=1", unsubscribed_at=timezone.now()
        )

        create_saved_search(email="founder@example.com", query="sme=1")

        self.assertEqual(SavedSearch.objects.count(), 2)


class AlreadySubscribedTests(TestCase):
    def setUp(self):
        cache.clear()

    def post(self, query="sme=1", **data):
        url = reverse("procurement:alert-create") + f"?{query}"
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"email": "founder@example.com", **data})

    def test_the_form_says_the_address_already_gets_these_alerts(self):
        create_saved_search(query="sme=1", frequency="daily", confirmed_at=timezone.now())

        response = self.post(frequency="daily")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Error:", html=False)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(
            response, "You already get emails about this search at this email address"
        )
        self.assertEqual(SavedSearch.objects.count(), 1)
        self.assertEqual(mail.outbox, [])

    def test_a_search_not_yet_confirmed_gets_its_confirmation_again(self):
        create_saved_search(query="sme=1", frequency="daily")

        response = self.post(frequency="daily")

        self.assertRedirects(response, reverse("procurement:alert-sent"))
        self.assertEqual(SavedSearch.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_request_that_loses_the_race_is_told_the_same(self):
        # Another request saved the same search between the lookup and the insert: the
        # constraint refuses the insert, and the service says so.
        create_saved_search(query="sme=1", frequency="daily")
        with (
            self.assertRaisesMessage(alerts.AlreadySubscribed, "You already get emails"),
            mock.patch("django.db.models.query.QuerySet.first", return_value=None),
        ):
            alerts.create_saved_search(
                email="founder@example.com", query="sme=1", frequency="daily"
            )
        self.assertEqual(SavedSearch.objects.count(), 1)


class UnsubscribeDuplicatesTests(TestCase):
    """What the data migration before the constraint does, tried over fewer fields (the
    constraint itself allows no duplicate of the real ones)."""

    def test_keeps_the_one_confirmed_first_and_unsubscribes_the_rest(self):
        now = timezone.now()
        unconfirmed = create_saved_search(email="Founder@example.com", query="a")
        confirmed = create_saved_search(email="founder@example.com", query="b", confirmed_at=now)
        weekly = create_saved_search(email="founder@example.com", query="c", frequency="weekly")

        self.assertEqual(unsubscribe_duplicates(SavedSearch, now=now), 1)

        unconfirmed.refresh_from_db()
        confirmed.refresh_from_db()
        weekly.refresh_from_db()
        self.assertEqual(unconfirmed.unsubscribed_at, now)
        self.assertIsNone(confirmed.unsubscribed_at)
        self.assertIsNone(weekly.unsubscribed_at)
