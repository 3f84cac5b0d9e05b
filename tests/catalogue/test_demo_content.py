"""What the matcher needs from the demo catalogue: enough real programmes for every
dimension, spread over the nations and regions, each added one with the page its facts
came from, and programmes that run in rounds dated relative to the day of loading."""

import datetime
import json
from collections import Counter
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db.models import Q
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from portal.catalogue import demo
from portal.catalogue.demo import create_demo_offers, load_demo_offers
from portal.catalogue.models import Offer
from portal.lib.vocabularies import Dimension
from portal.places.models import Region

# The programmes of the first demo file were entered before offers kept a source
# address; every programme added since has one.
OFFERS_BEFORE_SOURCE_ADDRESSES = 109
# A programme "available in" a region: UK-wide, placed in the region, or in one of its
# councils (what a business there can use).
AVAILABLE_PER_DIMENSION_AND_REGION = 8


def available_in(region):
    return Q(uk_wide=True) | Q(regions=region) | Q(councils__region=region)


class DemoCatalogueContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            call_command("seed_demo", "--assessments", "0", stdout=StringIO())
        cls.offers = list(Offer.objects.published().filter(source="demo"))

    def test_every_dimension_has_at_least_15_published_offers(self):
        counts = Counter(dimension for offer in self.offers for dimension in offer.dimensions)

        for dimension in Dimension.values:
            with self.subTest(dimension):
                self.assertGreaterEqual(counts[dimension], 15)

    def test_every_dimension_has_offers_that_are_not_uk_wide(self):
        local = Counter(
            dimension
            for offer in self.offers
            if not offer.uk_wide
            for dimension in offer.dimensions
        )

        for dimension in Dimension.values:
            with self.subTest(dimension):
                self.assertGreaterEqual(local[dimension], 5)

    def test_a_business_in_every_region_has_offers_for_every_dimension(self):
        demo_offers = Offer.objects.published().filter(source="demo")
        for region in Region.objects.all():
            available = list(demo_offers.filter(available_in(region)).distinct())
            counts = Counter(dimension for offer in available for dimension in offer.dimensions)
            for dimension in Dimension.values:
                with self.subTest(region=region.name, dimension=dimension):
                    self.assertGreaterEqual(counts[dimension], AVAILABLE_PER_DIMENSION_AND_REGION)

    def test_connectivity_and_cyber_essentials_are_funded(self):
        cyber = {offer.external_id: offer for offer in self.offers if "cyber" in offer.dimensions}

        self.assertIn("demo-funded-cyber-essentials", cyber)
        self.assertIn("demo-gigabit-broadband-voucher-scheme", cyber)
        self.assertEqual(cyber["demo-gigabit-broadband-voucher-scheme"].kind, "voucher")

    def test_rounds_are_dated_from_the_day_of_loading_and_open(self):
        today = timezone.localdate()
        dated = [offer for offer in self.offers if offer.closes or offer.opens]

        self.assertGreaterEqual(len(dated), 8)
        for offer in dated:
            with self.subTest(offer.external_id):
                self.assertFalse(offer.always_open)
                self.assertGreater(offer.closes, today)
        bridgeai = next(o for o in self.offers if o.external_id == "demo-bridgeai")
        self.assertEqual(bridgeai.opens, today - datetime.timedelta(days=10))
        self.assertEqual(bridgeai.closes, today + datetime.timedelta(days=32))
        undated = next(o for o in self.offers if o.external_id == "demo-start-up-loans")
        self.assertTrue(undated.always_open)
        self.assertIsNone(undated.closes)

    def test_a_later_day_moves_the_rounds_along(self):
        later = timezone.localdate() + datetime.timedelta(days=5)

        self.assertEqual(create_demo_offers(today=later), 0)

        bridgeai = Offer.objects.get(source="demo", external_id="demo-bridgeai")
        self.assertEqual(bridgeai.closes, later + datetime.timedelta(days=32))
        self.assertEqual(bridgeai.version, 2)
        start_up_loans = Offer.objects.get(source="demo", external_id="demo-start-up-loans")
        self.assertEqual(start_up_loans.version, 1)


class DemoOfferFileTests(SimpleTestCase):
    def test_every_added_programme_keeps_its_source_address(self):
        offers = load_demo_offers()
        sourced = [offer for offer in offers if "source_url" in offer]

        self.assertEqual(len(offers) - len(sourced), OFFERS_BEFORE_SOURCE_ADDRESSES)
        self.assertGreaterEqual(len(sourced), 30)
        for offer in sourced:
            with self.subTest(offer["external_id"]):
                self.assertRegex(offer["source_url"], r"^https?://[^\s/]+\.[^\s]+$")

    def test_a_misspelt_key_is_refused_naming_the_offer(self):
        entry = {"external_id": "demo-misspelt", "title": "A", "closes_in_day": 3}
        text = json.dumps({"offers": [entry]})
        message = "'demo-misspelt' has unknown keys: closes_in_day"
        with (
            mock.patch.object(demo.Path, "read_text", return_value=text),
            self.assertRaisesMessage(ValueError, message),
        ):
            load_demo_offers()
