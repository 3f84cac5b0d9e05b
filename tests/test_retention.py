"""Every retention task of the beat schedule does what the privacy notices promise, and
run a second time changes nothing: abandoned diagnostics go after 30 days, alerts never
confirmed after 7 days, referrals lose their session hash after 12 months, advice
requests closed 12 months ago lose their personal details, expired sessions go."""

import importlib
import importlib.util
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import TestCase
from django.utils import timezone

from diagnostics.models import Assessment
from portal.catalogue.models import Referral
from portal.catalogue.services.referrals import record_referral
from portal.celery import app
from portal.matching.models import MatchSubscription
from portal.procurement.models import SavedSearch
from tests.advice.factories import create_advice_request
from tests.factories import (
    create_assessment,
    create_match_subscription,
    create_offer,
    create_saved_search,
)

RETENTION_TASKS = [
    "diagnostics.tasks.delete_abandoned_assessments",
    "portal.procurement.tasks.delete_unconfirmed_alerts",
    "portal.matching.tasks.delete_unconfirmed_match_alerts",
    "portal.catalogue.tasks.anonymise_old_referrals",
    "portal.advice.tasks.erase_closed_requests",
    "portal.accounts.tasks.delete_expired_sessions",
]


def snapshot() -> dict:
    """Every row of every model, as values: what a second run must leave as it is."""
    return {
        model._meta.label: sorted(map(repr, model._default_manager.order_by("pk").values_list()))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def run_retention():
    # What autodiscovery does on a worker.
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks"):
            importlib.import_module(f"{config.name}.tasks")
    for name in RETENTION_TASKS:
        app.tasks[name].apply().get()


class RetentionTests(TestCase):
    def setUp(self):
        now = timezone.now()
        days = lambda n: now - timedelta(days=n)  # noqa: E731

        self.abandoned = create_assessment(sections=1)
        self.recent = create_assessment(sections=1)
        Assessment.objects.filter(pk=self.abandoned.pk).update(updated=days(31))

        self.old_alert = create_saved_search(email="old@example.com")
        self.new_alert = create_saved_search(email="new@example.com")
        self.confirmed_alert = create_saved_search(email="yes@example.com", confirmed_at=days(20))
        SavedSearch.objects.filter(pk__in=[self.old_alert.pk, self.confirmed_alert.pk]).update(
            created=days(8)
        )
        self.old_match = create_match_subscription(email="old@example.com")
        self.new_match = create_match_subscription(email="new@example.com")
        MatchSubscription.objects.filter(pk=self.old_match.pk).update(created=days(8))

        offer = create_offer(status="published")
        self.old_referral = record_referral(offer=offer, session_key="a" * 32, source_page="/")
        self.new_referral = record_referral(offer=offer, session_key="b" * 32, source_page="/")
        Referral.objects.filter(pk=self.old_referral.pk).update(at=days(366))

        self.closed = create_advice_request(
            status="closed", closed_at=days(370), email="fay@example.com", name="Fay Founder"
        )
        self.open = create_advice_request(email="gus@example.com", name="Gus Founder")

        expired, current = SessionStore(), SessionStore()
        expired.set_expiry(-10)
        expired["x"] = 1
        expired.create()
        current["x"] = 1
        current.create()
        self.expired_key, self.current_key = expired.session_key, current.session_key

    def test_the_tasks_are_scheduled(self):
        scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertLessEqual(set(RETENTION_TASKS), scheduled)

    def test_each_task_does_what_is_promised_and_a_second_run_changes_nothing(self):
        run_retention()

        self.assertFalse(Assessment.objects.filter(pk=self.abandoned.pk).exists())
        self.assertTrue(Assessment.objects.filter(pk=self.recent.pk).exists())
        self.assertEqual(
            set(SavedSearch.objects.values_list("pk", flat=True)),
            {self.new_alert.pk, self.confirmed_alert.pk},
        )
        self.assertEqual(
            set(MatchSubscription.objects.values_list("pk", flat=True)), {self.new_match.pk}
        )
        self.old_referral.refresh_from_db()
        self.new_referral.refresh_from_db()
        self.assertEqual(self.old_referral.session_hash, "")
        self.assertNotEqual(self.new_referral.session_hash, "")
        self.closed.refresh_from_db()
        self.open.refresh_from_db()
        self.assertIsNotNone(self.closed.erased_at)
        self.assertNotEqual(self.closed.email, "fay@example.com")
        self.assertEqual(self.open.email, "gus@example.com")
        self.assertFalse(Session.objects.filter(session_key=self.expired_key).exists())
        self.assertTrue(Session.objects.filter(session_key=self.current_key).exists())

        after_first = snapshot()
        run_retention()
        self.assertEqual(snapshot(), after_first)
