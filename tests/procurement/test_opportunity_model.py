"""What an opportunity knows about itself: which are visible, open or out of date at a
moment, whether it is closed, and its public address."""

import uuid
from datetime import timedelta

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from portal.procurement.models import Opportunity, Status
from tests.factories import create_opportunity

NOW = timezone.now()
EARLIER = NOW - timedelta(hours=1)
LATER = NOW + timedelta(hours=1)


class OpportunityQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_opportunity(title="Open, no deadline", deadline=None)
        create_opportunity(title="Open, deadline now", deadline=NOW)
        create_opportunity(title="Open, deadline later", deadline=LATER)
        create_opportunity(title="Closed", status="closed", deadline=LATER)
        create_opportunity(title="Draft", status="draft", deadline=LATER)

    def test_open_on_is_open_with_the_deadline_not_passed(self):
        self.assertEqual(
            {opportunity.title for opportunity in Opportunity.objects.open_on(NOW)},
            {"Open, no deadline", "Open, deadline later"},
        )
        self.assertTrue(Opportunity.objects.open_on(EARLIER).filter(title="Open, deadline now"))

    def test_visible_is_what_the_list_shows(self):
        self.assertEqual(
            set(Opportunity.objects.visible(NOW).values_list("title", flat=True)),
            {"Open, no deadline", "Open, deadline later"},
        )

    def test_with_out_of_date_marks_open_ones_past_their_deadline(self):
        out_of_date = dict(
            Opportunity.objects.with_out_of_date(NOW).values_list("title", "out_of_date")
        )
        self.assertEqual(
            out_of_date,
            {
                "Open, no deadline": False,
                "Open, deadline now": True,
                "Open, deadline later": False,
                "Closed": False,
                "Draft": False,
            },
        )


class OpportunityMethodTests(SimpleTestCase):
    def test_open_is_closed_once_its_deadline_passes(self):
        opportunity = Opportunity(status=Status.OPEN, deadline=NOW)
        self.assertFalse(opportunity.is_closed_on(EARLIER))
        self.assertTrue(opportunity.is_closed_on(NOW))
        self.assertFalse(Opportunity(status=Status.OPEN, deadline=None).is_closed_on(LATER))

    def test_ended_statuses_are_closed_whatever_the_deadline(self):
        for status in (Status.CLOSED, Status.AWARDED, Status.CANCELLED, Status.WITHDRAWN):
            with self.subTest(status=status):
                self.assertTrue(Opportunity(status=status, deadline=LATER).is_closed_on(NOW))

    def test_drafts_and_pending_are_not_closed(self):
        for status in (Status.DRAFT, Status.PENDING):
            with self.subTest(status=status):
                self.assertFalse(Opportunity(status=status, deadline=EARLIER).is_closed_on(NOW))

    def test_absolute_url_is_its_public_page(self):
        public_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
        self.assertEqual(
            Opportunity(public_id=public_id).get_absolute_url(), f"/contracts/{public_id}/"
        )
