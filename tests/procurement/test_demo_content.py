"""What the matcher needs from the demo contract portal: enough open opportunities in
every nation and region, over every kind of work, with a range of deadlines, values and
suitability flags, and every CPV code they use in the full CPV 2008 table."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.db.models import Q
from django.test import TestCase, override_settings
from django.utils import timezone

from portal.places.models import Region
from portal.procurement.cpv import group_choices
from portal.procurement.demo import demo_public_id, load_demo_opportunities
from portal.procurement.models import CpvCode, Opportunity, Status

# The kinds of work the demo spreads over, by the leading digits of their CPV codes.
KINDS_OF_WORK = {
    "IT and digital": ("30", "32", "48", "50312", "64", "72"),
    "marketing": ("7934", "7941", "7982", "7996", "92111"),
    "training": ("80",),
    "facilities": ("5070", "5071", "5075", "5552", "7971", "7999", "909"),
    "construction": ("45",),
    "consultancy": ("7130", "7131", "7140", "7320", "7321", "793", "7941", "7111"),
}


def open_in(region):
    """Open demo opportunities available to a business in the region: UK-wide, placed
    in the region, or in one of its councils."""
    return Q(uk_wide=True) | Q(regions=region) | Q(councils__region=region)


class DemoOpportunityContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            call_command("seed_demo", "--assessments", "0", stdout=StringIO())
        cls.now = timezone.now()
        demo = Opportunity.objects.filter(
            public_id__in=[demo_public_id(entry["key"]) for entry in load_demo_opportunities()]
        )
        cls.demo = demo
        cls.open = demo.filter(status=Status.OPEN, deadline__gt=cls.now)

    def test_at_least_150_are_open(self):
        self.assertGreaterEqual(self.open.count(), 150)

    def test_at_least_6_open_in_every_nation_and_region(self):
        for region in Region.objects.all():
            with self.subTest(region.name):
                available = self.open.filter(open_in(region)).distinct()
                placed_there = (
                    self.open.filter(Q(regions=region) | Q(councils__region=region))
                    .exclude(uk_wide=True)
                    .distinct()
                )
                self.assertGreaterEqual(available.count(), 6)
                # Not only thanks to the UK-wide ones.
                self.assertGreaterEqual(placed_there.count(), 6)

    def test_some_are_uk_wide(self):
        self.assertGreaterEqual(self.open.filter(uk_wide=True).count(), 5)

    def test_open_ones_spread_over_every_kind_of_work(self):
        codes = [opportunity.cpv_codes for opportunity in self.open]
        for kind, prefixes in KINDS_OF_WORK.items():
            with self.subTest(kind):
                matching = [c for c in codes if any(code.startswith(prefixes) for code in c)]
                self.assertGreaterEqual(len(matching), 8)

    def test_deadlines_from_days_away_to_weeks_away(self):
        soon = self.now + datetime.timedelta(days=3)

        closing_within_days = self.open.filter(deadline__lte=soon).count()
        later = self.open.filter(deadline__gt=soon).count()

        self.assertGreaterEqual(closing_within_days, 5)
        self.assertGreaterEqual(later, 140)
        self.assertTrue(self.open.filter(deadline__gt=self.now + datetime.timedelta(days=40)))

    def test_a_range_of_values_and_suitability(self):
        self.assertGreaterEqual(self.open.filter(value_max__isnull=True).count(), 10)
        self.assertTrue(self.open.filter(value_max__lte=25000).exists())
        self.assertTrue(self.open.filter(value_max__gte=1000000).exists())
        self.assertGreaterEqual(self.open.filter(sme_suitable=True).count(), 100)
        self.assertGreaterEqual(self.open.filter(vcse_suitable=True).count(), 20)
        self.assertTrue(self.open.filter(sme_suitable=False).exists())
        self.assertGreaterEqual(self.open.filter(lots__isnull=False).distinct().count(), 8)
        self.assertTrue(self.open.filter(buyer_type="private").exists())

    def test_every_cpv_code_they_use_is_in_the_table(self):
        used = {code for opportunity in self.demo for code in opportunity.cpv_codes}
        used |= {
            code
            for opportunity in self.demo.prefetch_related("lots")
            for lot in opportunity.lots.all()
            for code in lot.cpv_codes
        }

        known = set(CpvCode.objects.filter(code__in=used).values_list("code", flat=True))
        self.assertEqual(used - known, set())


class FullCpvVocabularyTests(TestCase):
    def test_all_9454_codes_are_loaded_by_the_migrations(self):
        self.assertEqual(CpvCode.objects.count(), 9454)

    def test_every_code_has_its_division_and_every_division_its_groups(self):
        codes = set(CpvCode.objects.values_list("code", flat=True))
        divisions = {code for code in codes if code.endswith("000000")}

        self.assertEqual(len(divisions), 45)
        self.assertEqual({code for code in codes if f"{code[:2]}000000" not in codes}, set())
        for division in divisions:
            with self.subTest(division):
                self.assertTrue(group_choices(division[:2]))
        self.assertIn(("451", "Site preparation work"), group_choices("45"))
