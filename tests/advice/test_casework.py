"""The staff's writes (portal/advice/casework.py): each change is checked against what
the request allows now and recorded in its history in the same transaction."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from portal.advice import casework
from portal.advice.choices import EventKind, OutcomeKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from portal.advice.services import withdraw_request
from tests.advice.factories import create_advice_request, create_advice_team
from tests.factories import (
    create_council_a_curator,
    create_council_a_manager,
    create_council_b_curator,
    create_offer,
)


class CaseworkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_advice_team()
        cls.curator = create_council_a_curator()
        cls.manager = create_council_a_manager()
        cls.outsider = create_council_b_curator()
        cls.offer = create_offer(title="Export voucher", status="published", uk_wide=True)

    def setUp(self):
        self.advice_request = create_advice_request(
            recommendations=[
                {"offer_id": self.offer.pk, "slug": self.offer.slug, "title": "Export voucher"}
            ]
        )

    def history(self):
        return list(
            AdviceEvent.objects.filter(request=self.advice_request)
            .order_by("pk")
            .values_list("kind", "details")
        )

    def fresh(self):
        self.advice_request.refresh_from_db()
        return self.advice_request

    def test_every_change_is_recorded_in_the_history_with_who_made_it(self):
        now = timezone.now()
        casework.assign_request(
            advice_request=self.advice_request, assignee=self.manager, by=self.curator, now=now
        )
        note = casework.add_note(advice_request=self.advice_request, text="Rang.", by=self.manager)
        casework.change_status(
            advice_request=self.advice_request, status=RequestStatus.CONTACTED, by=self.manager
        )
        casework.change_status(
            advice_request=self.advice_request, status=RequestStatus.IN_PROGRESS, by=self.manager
        )
        casework.close_request(
            advice_request=self.advice_request,
            outcome_kind=OutcomeKind.REFERRED,
            outcome_text="Growth Hub export adviser",
            by=self.manager,
        )
        casework.change_status(
            advice_request=self.advice_request, status=RequestStatus.IN_PROGRESS, by=self.curator
        )

        self.assertEqual(
            self.history(),
            [
                (
                    EventKind.ASSIGNED,
                    {"assignee_id": self.manager.pk, "assignee": "Carol Manager"},
                ),
                (EventKind.NOTE_ADDED, {"note_id": note.pk}),
                (EventKind.STATUS_CHANGED, {"from": "new", "to": "contacted"}),
                (EventKind.STATUS_CHANGED, {"from": "contacted", "to": "in_progress"}),
                (EventKind.STATUS_CHANGED, {"from": "in_progress", "to": "closed"}),
                (EventKind.OUTCOME_RECORDED, {"kind": "referred", "offer_id": None}),
                (EventKind.STATUS_CHANGED, {"from": "closed", "to": "in_progress"}),
            ],
        )
        actors = list(
            AdviceEvent.objects.filter(request=self.advice_request)
            .order_by("pk")
            .values_list("actor", flat=True)
        )
        self.assertEqual(actors, [self.curator.pk] + [self.manager.pk] * 5 + [self.curator.pk])
        # Reopened: the outcome is cleared, the first contact stays.
        request = self.fresh()
        self.assertEqual(request.status, RequestStatus.IN_PROGRESS)
        self.assertEqual((request.outcome_kind, request.outcome_text), ("", ""))
        self.assertIsNone(request.closed_at)
        self.assertIsNone(request.outcome_recorded_at)
        self.assertIsNotNone(request.first_contacted_at)
        self.assertGreaterEqual(request.updated, now)

    def test_the_first_contact_is_the_first_move_out_of_new_and_stays(self):
        first = timezone.now() - timedelta(days=2)
        casework.change_status(
            advice_request=self.advice_request,
            status=RequestStatus.IN_PROGRESS,
            by=self.curator,
            now=first,
        )
        casework.change_status(
            advice_request=self.advice_request, status=RequestStatus.CONTACTED, by=self.curator
        )

        self.assertEqual(self.fresh().first_contacted_at, first)

    def test_statuses_move_only_along_the_transitions(self):
        with self.assertRaisesMessage(casework.CaseError, "is new already"):
            casework.change_status(
                advice_request=self.advice_request, status=RequestStatus.NEW, by=self.curator
            )
        casework.change_status(
            advice_request=self.advice_request, status=RequestStatus.CONTACTED, by=self.curator
        )
        with self.assertRaisesMessage(
            casework.CaseError, "A request that is contacted cannot become new."
        ):
            casework.change_status(
                advice_request=self.advice_request, status=RequestStatus.NEW, by=self.curator
            )
        with self.assertRaisesMessage(casework.CaseError, "Record what came of the request"):
            casework.change_status(
                advice_request=self.advice_request, status=RequestStatus.CLOSED, by=self.curator
            )
        self.assertEqual(self.fresh().status, RequestStatus.CONTACTED)
        self.assertEqual(len(self.history()), 1)

    def test_a_recorded_outcome_is_stored_with_the_recommendation_it_concerns(self):
        casework.close_request(
            advice_request=self.advice_request,
            outcome_kind=OutcomeKind.APPLIED,
            outcome_offer_id=self.offer.pk,
            by=self.curator,
        )

        request = self.fresh()
        self.assertEqual(request.outcome_offer, self.offer)
        self.assertEqual(request.outcome_kind, OutcomeKind.APPLIED)
        self.assertEqual(request.status, RequestStatus.CLOSED)
        self.assertIsNotNone(request.outcome_recorded_at)
        self.assertEqual(request.closed_at, request.outcome_recorded_at)
        # Closed straight from new: that was the contact.
        self.assertEqual(request.first_contacted_at, request.closed_at)
        # The matcher's evaluation reads it.
        from portal.advice.queries import outcomes_by_offer

        self.assertEqual(outcomes_by_offer(), {self.offer.pk: {"applied": 1}})

    def test_an_outcome_about_an_offer_deleted_meanwhile_saves_nothing(self):
        offer_id = self.offer.pk
        self.offer.delete()

        with self.assertRaisesMessage(casework.CaseError, "no longer listed"):
            casework.close_request(
                advice_request=self.advice_request,
                outcome_kind=OutcomeKind.APPLIED,
                outcome_offer_id=offer_id,
                by=self.curator,
            )

        self.assertEqual(self.fresh().status, RequestStatus.NEW)
        self.assertEqual(self.history(), [])

    def test_a_closed_request_is_not_closed_again(self):
        casework.close_request(
            advice_request=self.advice_request,
            outcome_kind=OutcomeKind.NO_FURTHER_HELP,
            by=self.curator,
        )

        with self.assertRaisesMessage(casework.CaseError, "is closed already"):
            casework.close_request(
                advice_request=self.advice_request,
                outcome_kind=OutcomeKind.OTHER,
                outcome_text="Changed our mind",
                by=self.curator,
            )
        self.assertEqual(self.fresh().outcome_kind, OutcomeKind.NO_FURTHER_HELP)

    def test_only_members_of_the_organisation_may_be_assigned(self):
        with self.assertRaisesMessage(casework.CaseError, "is not a member of Gateshead Council"):
            casework.assign_request(
                advice_request=self.advice_request, assignee=self.outsider, by=self.curator
            )

        self.assertIsNone(self.fresh().assigned_to)
        self.assertEqual(self.history(), [])

    def test_assigning_to_the_same_person_again_records_nothing(self):
        for _ in range(2):
            casework.assign_request(
                advice_request=self.advice_request, assignee=self.curator, by=self.curator
            )

        self.assertEqual(len(self.history()), 1)

    def test_a_withdrawn_request_can_no_longer_change(self):
        withdraw_request(advice_request=self.advice_request)
        before = self.history()
        attempts = [
            lambda: casework.add_note(
                advice_request=self.advice_request, text="x", by=self.curator
            ),
            lambda: casework.assign_request(
                advice_request=self.advice_request, assignee=self.curator, by=self.curator
            ),
            lambda: casework.change_status(
                advice_request=self.advice_request,
                status=RequestStatus.IN_PROGRESS,
                by=self.curator,
            ),
            lambda: casework.close_request(
                advice_request=self.advice_request,
                outcome_kind=OutcomeKind.OTHER,
                by=self.curator,
            ),
        ]
        for attempt in attempts:
            with self.assertRaisesMessage(casework.CaseError, "withdrawn"):
                attempt()

        self.assertEqual(self.history(), before)
        self.assertFalse(AdviceNote.objects.exists())
        self.assertEqual(self.fresh().outcome_kind, "")

    def test_an_erased_request_can_no_longer_change(self):
        AdviceRequest.objects.filter(pk=self.advice_request.pk).update(
            status=RequestStatus.CLOSED, closed_at=timezone.now(), erased_at=timezone.now()
        )

        with self.assertRaisesMessage(casework.CaseError, "erased"):
            casework.change_status(
                advice_request=self.advice_request,
                status=RequestStatus.IN_PROGRESS,
                by=self.curator,
            )
