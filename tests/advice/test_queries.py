"""The counts the dashboards read: requests and outcomes by dimension and by kind of
support, for a set of councils and a period; and outcomes by offer for the matcher."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from portal.advice.choices import OutcomeKind, RequestStatus
from portal.advice.queries import advice_counts, outcomes_by_offer
from tests.advice.factories import create_advice_request
from tests.factories import COUNCIL_B_GSS_CODE, council_b, create_offer, get_council
from tests.queries import assert_queries_do_not_grow, count_queries

NOW = timezone.now()


def closed(**fields):
    return create_advice_request(
        status=RequestStatus.CLOSED, outcome_recorded_at=fields.pop("recorded", NOW), **fields
    )


class AdviceCountsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gateshead = get_council()
        cls.newcastle = get_council(gss_code=COUNCIL_B_GSS_CODE)
        cls.loan = create_offer(status="published", uk_wide=True, kind="loan")
        create_advice_request(dimension="data")
        create_advice_request(dimension="data", offer_kind="grant")
        closed(dimension="finance", offer_kind="grant", outcome_kind=OutcomeKind.APPLIED)
        # The outcome concerns another offer than the one asked about: its kind counts.
        cls.applied_loan = closed(
            dimension="finance",
            offer_kind="grant",
            outcome_kind=OutcomeKind.APPLIED,
            outcome_offer=cls.loan,
        )
        closed(dimension="", outcome_kind=OutcomeKind.NO_FURTHER_HELP)
        # Withdrawn: a request, with no outcome.
        create_advice_request(
            dimension="data",
            status=RequestStatus.CLOSED,
            withdrawn_at=NOW,
            erased_at=NOW,
            name="",
            email="",
        )
        # Elsewhere, and long ago.
        create_advice_request(organisation=council_b(), council=cls.newcastle, dimension="cyber")
        closed(
            dimension="skills",
            outcome_kind=OutcomeKind.REFERRED,
            created=NOW - timedelta(days=400),
            recorded=NOW - timedelta(days=390),
        )

    def test_counts_by_dimension_and_kind_of_support_for_councils_and_a_period(self):
        counts = advice_counts(council_ids=[self.gateshead.pk], since=NOW - timedelta(days=90))

        self.assertEqual(counts.requests, 6)
        self.assertEqual(counts.requests_by_dimension, {"data": 3, "finance": 2, "": 1})
        self.assertEqual(counts.requests_by_offer_kind, {"": 3, "grant": 3})
        self.assertEqual(counts.outcomes, 3)
        self.assertEqual(
            counts.outcomes_by_kind, {OutcomeKind.APPLIED: 2, OutcomeKind.NO_FURTHER_HELP: 1}
        )
        self.assertEqual(
            counts.outcomes_by_dimension,
            {"finance": {OutcomeKind.APPLIED: 2}, "": {OutcomeKind.NO_FURTHER_HELP: 1}},
        )
        self.assertEqual(
            counts.outcomes_by_offer_kind,
            {
                "grant": {OutcomeKind.APPLIED: 1},
                "loan": {OutcomeKind.APPLIED: 1},
                "": {OutcomeKind.NO_FURTHER_HELP: 1},
            },
        )

    def test_everywhere_and_all_time(self):
        counts = advice_counts()

        self.assertEqual(counts.requests, 8)
        self.assertEqual(counts.requests_by_dimension["cyber"], 1)
        self.assertEqual(counts.outcomes_by_dimension["skills"], {OutcomeKind.REFERRED: 1})

    def test_the_period_excludes_its_end(self):
        counts = advice_counts(until=NOW - timedelta(days=395))

        self.assertEqual(counts.requests, 1)
        self.assertEqual(counts.outcomes, 0)

    def test_outcomes_by_offer(self):
        self.assertEqual(outcomes_by_offer(), {self.loan.pk: {OutcomeKind.APPLIED: 1}})

    def test_two_queries_whatever_the_number_of_requests(self):
        self.assertEqual(count_queries(lambda: advice_counts(council_ids=[self.gateshead.pk])), 2)

        def grow():
            for number in range(60):
                closed(dimension=("data", "finance")[number % 2], outcome_kind=OutcomeKind.OTHER)

        assert_queries_do_not_grow(lambda: advice_counts(), grow=grow, maximum=2)
