"""One match alert per address, business and frequency while subscribed: the database
refuses a second (a conditional unique constraint), and the form says the address
already gets these alerts instead of making one."""

from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.matching import candidates
from portal.matching.models import MatchSubscription
from tests.factories import create_match_subscription, get_council

GATESHEAD = "E08000037"
QUERY = "council=E08000037&size=micro&stage=growing&sic_section=J"


class ConstraintTests(TestCase):
    def test_the_database_refuses_the_same_address_business_and_frequency_twice(self):
        create_match_subscription(email="founder@example.com", profile_key="abc")

        with self.assertRaises(IntegrityError), transaction.atomic():
            create_match_subscription(email="FOUNDER@example.com", profile_key="abc")

    def test_another_business_or_an_unsubscribed_alert_is_no_duplicate(self):
        create_match_subscription(profile_key="abc", unsubscribed_at=timezone.now())

        create_match_subscription(profile_key="abc")
        create_match_subscription(profile_key="def")
        create_match_subscription(profile_key="abc", frequency="daily")

        self.assertEqual(MatchSubscription.objects.count(), 4)


class AlreadySubscribedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)

    def setUp(self):
        cache.clear()
        candidates.forget()

    def ask(self):
        url = reverse("matching:alert-create") + f"?{QUERY}"
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"alert-email": "founder@example.com"})

    def test_the_form_says_the_address_already_gets_these_alerts(self):
        self.ask()
        MatchSubscription.objects.update(confirmed_at=timezone.now())
        mail.outbox.clear()

        response = self.ask()

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Error:", html=False)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(
            response,
            "You already get emails about new matches for this business at this email address",
        )
        self.assertEqual(MatchSubscription.objects.count(), 1)
        self.assertEqual(mail.outbox, [])
