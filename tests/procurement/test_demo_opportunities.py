"""Demo contract opportunities: 170, loaded by seed_demo, idempotent, spread over the
regions, statuses and kinds of work, and every one valid OCDS 1.1 through the export."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import OrganisationKind
from portal.accounts.permissions import POSTING_KINDS
from portal.places.models import Region
from portal.procurement.demo import (
    create_demo_opportunities,
    demo_public_id,
    load_demo_opportunities,
)
from portal.procurement.models import PUBLIC_STATUSES, Opportunity, Source, Status
from tests.procurement.schemas import errors

DIGITAL_DIVISIONS = {"30", "32", "48", "50", "64", "72", "73", "79", "80"}


def seed(**options):
    output = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--assessments", "0", stdout=output, **options)
    return output.getvalue()


class DemoOpportunitiesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def demo(self):
        return Opportunity.objects.filter(
            public_id__in=[demo_public_id(entry["key"]) for entry in load_demo_opportunities()]
        )

    def test_seed_demo_posts_170_opportunities(self):
        self.assertEqual(len(load_demo_opportunities()), 170)
        self.assertEqual(self.demo().count(), 170)
        self.assertIn("Demo contract opportunities: 170 posted", self.output)

    def test_posted_by_cluster_bodies_and_buyers_with_our_ocid(self):
        demo = self.demo().select_related("publisher")
        kinds = {opportunity.publisher.kind for opportunity in demo}

        self.assertEqual(kinds, set(POSTING_KINDS))
        self.assertIn(OrganisationKind.CLUSTER_BODY, kinds)
        for opportunity in demo:
            self.assertEqual(opportunity.source, Source.POSTED)
            self.assertEqual(opportunity.ocid, f"ocds-wymrk1-{opportunity.public_id}")

    def test_mix_of_statuses_values_suitability_lots_and_places(self):
        demo = list(self.demo().prefetch_related("lots", "regions", "councils"))
        statuses = {opportunity.status for opportunity in demo}

        self.assertTrue({Status.OPEN, Status.CLOSED, Status.AWARDED} <= statuses)
        self.assertGreaterEqual(sum(o.status == Status.OPEN for o in demo), 30)
        self.assertTrue(any(o.value_max is None for o in demo))
        self.assertTrue(any(o.value_min and o.value_max for o in demo))
        self.assertFalse(any(o.value_max == 0 or o.value_min == 0 for o in demo))
        self.assertTrue(any(o.sme_suitable for o in demo))
        self.assertTrue(any(o.vcse_suitable for o in demo))
        self.assertGreaterEqual(sum(bool(o.lots.all()) for o in demo), 3)
        self.assertTrue(any(o.uk_wide for o in demo))
        self.assertTrue(any(o.councils.all() for o in demo))
        self.assertTrue(any(o.buyer_type == "private" for o in demo))
        self.assertTrue(any(o.stage == "planning" for o in demo))
        self.assertEqual({o.main_category for o in demo}, {"goods", "works", "services"})
        divisions = {code[:2] for o in demo for code in o.cpv_codes}
        self.assertTrue(divisions >= DIGITAL_DIVISIONS, divisions)
        self.assertIn("45", divisions)

    def test_every_nation_and_region_has_opportunities(self):
        demo = self.demo()
        for region in Region.objects.all():
            with self.subTest(region.name):
                local = demo.filter(regions=region) | demo.filter(councils__region=region)
                self.assertTrue(local.exists())

    def test_open_ones_close_in_the_future_and_closed_ones_in_the_past(self):
        now = timezone.now()
        for opportunity in self.demo():
            with self.subTest(opportunity.title):
                if opportunity.status == Status.OPEN:
                    self.assertGreater(opportunity.deadline, now)
                    self.assertLess(opportunity.published_at, now)
                elif opportunity.status in (Status.CLOSED, Status.AWARDED):
                    self.assertLess(opportunity.deadline, now)
        self.assertGreater(Opportunity.objects.visible(timezone.now()).count(), 25)

    def test_seeding_again_creates_and_changes_nothing(self):
        before = {o.pk: (o.version, o.last_changed) for o in self.demo()}

        output = seed()

        self.assertIn("Demo contract opportunities: 0 posted", output)
        self.assertEqual(self.demo().count(), 170)
        self.assertEqual({o.pk: (o.version, o.last_changed) for o in self.demo()}, before)

    def test_a_later_day_moves_the_dates_along(self):
        opportunity = self.demo().get(public_id=demo_public_id("gateshead-website-rebuild"))
        later = timezone.localdate() + datetime.timedelta(days=3)

        self.assertEqual(create_demo_opportunities(today=later), 0)

        opportunity.refresh_from_db()
        self.assertEqual(
            timezone.localtime(opportunity.deadline).date(), later + datetime.timedelta(days=24)
        )
        self.assertEqual(opportunity.version, 2)
        self.assertEqual(self.demo().count(), 170)

    def test_every_public_demo_opportunity_exports_as_valid_ocds(self):
        public = self.demo().filter(status__in=PUBLIC_STATUSES)

        package = self.client.get(reverse("ocds:releases"), {"per_page": "500"}).json()

        self.assertEqual(errors(package), [])
        exported = {release["ocid"] for release in package["releases"]}
        self.assertTrue({o.ocid for o in public} <= exported)
        self.assertEqual(public.count(), 170)
        for opportunity in public:
            with self.subTest(opportunity.ocid):
                one = self.client.get(reverse("ocds:release", args=[opportunity.ocid])).json()
                self.assertEqual(errors(one), [])
