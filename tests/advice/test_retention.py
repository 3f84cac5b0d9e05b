"""The retention task: personal details erased 12 months after closing, the anonymous
outcome kept; run twice, the second run changes nothing."""

from datetime import datetime, timedelta

from django.test import TestCase
from django.utils import timezone

from portal.advice import services, tasks
from portal.advice.choices import EventKind, OutcomeKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from tests.advice.factories import create_advice_request
from tests.factories import create_offer

NOW = timezone.now()


class RetentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_offer(status="published", uk_wide=True, kind="grant")
        year_ago = NOW.replace(year=NOW.year - 1)
        cls.due = create_advice_request(
            status=RequestStatus.CLOSED,
            closed_at=year_ago - timedelta(minutes=1),
            outcome_kind=OutcomeKind.APPLIED,
            outcome_text="Applied to the growth grant with Jo",
            outcome_offer=cls.offer,
            outcome_recorded_at=year_ago - timedelta(minutes=1),
            dimension="finance",
            offer_kind="grant",
        )
        AdviceNote.objects.create(request=cls.due, text="Jo's mobile is 07700 900123")
        cls.recent = create_advice_request(
            status=RequestStatus.CLOSED, closed_at=year_ago + timedelta(days=1)
        )
        cls.open = create_advice_request(
            status=RequestStatus.IN_PROGRESS, created=NOW - timedelta(days=800)
        )

    def state(self):
        return {
            row["pk"]: row
            for row in AdviceRequest.objects.values()
            .annotate()
            .values(
                "pk",
                *AdviceRequest.ERASED_VALUES,
                "erased_at",
                "updated",
                "status",
                "outcome_kind",
                "outcome_offer",
            )
        }

    def test_personal_details_are_erased_12_months_after_closing_keeping_the_outcome(self):
        erased = services.erase_closed_requests(now=NOW)

        self.assertEqual(erased, 1)
        due = AdviceRequest.objects.get(pk=self.due.pk)
        for name, blank in AdviceRequest.ERASED_VALUES.items():
            self.assertEqual(getattr(due, name), blank, name)
        self.assertEqual(due.erased_at, NOW)
        self.assertFalse(AdviceNote.objects.filter(request=due).exists())
        # The anonymous outcome, for the dashboards and the matcher.
        self.assertEqual(
            (due.status, due.outcome_kind, due.outcome_offer, due.dimension, due.offer_kind),
            (RequestStatus.CLOSED, OutcomeKind.APPLIED, self.offer, "finance", "grant"),
        )
        self.assertEqual(
            list(due.events.values_list("kind", "details")),
            [(EventKind.ERASED, {"reason": "retention"})],
        )
        # Closed less than 12 months ago, or still open: untouched.
        for kept in (self.recent, self.open):
            kept_now = AdviceRequest.objects.get(pk=kept.pk)
            self.assertIsNone(kept_now.erased_at)
            self.assertEqual(kept_now.name, kept.name)

    def test_a_second_run_changes_nothing(self):
        services.erase_closed_requests(now=NOW)
        before = self.state()
        events = AdviceEvent.objects.count()

        self.assertEqual(services.erase_closed_requests(now=NOW + timedelta(hours=1)), 0)

        self.assertEqual(self.state(), before)
        self.assertEqual(AdviceEvent.objects.count(), events)

    def test_the_scheduled_task_runs_the_service(self):
        self.assertEqual(tasks.erase_closed_requests.delay().get(), 1)
        self.assertEqual(tasks.erase_closed_requests.delay().get(), 0)

    def test_many_due_requests_are_erased_in_batches(self):
        year_ago = NOW.replace(year=NOW.year - 1)
        for _ in range(5):
            create_advice_request(
                status=RequestStatus.CLOSED, closed_at=year_ago - timedelta(days=3)
            )
        original = services.ERASE_BATCH
        services.ERASE_BATCH = 2
        try:
            self.assertEqual(services.erase_closed_requests(now=NOW), 6)
        finally:
            services.ERASE_BATCH = original
        self.assertFalse(AdviceRequest.objects.due_for_erasure(closed_before=year_ago).exists())

    def test_twelve_months_before_the_29th_of_february_is_the_28th(self):
        leap = timezone.make_aware(datetime(2028, 2, 29, 12, 0))

        self.assertEqual(
            services.retention_cutoff(leap), timezone.make_aware(datetime(2027, 2, 28, 12, 0))
        )
