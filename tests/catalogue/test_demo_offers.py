"""Demo offers: 80+ real programmes over every region, kind and dimension; loaded by
seed_demo, idempotent, and every one valid Open Referral UK output."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from portal.catalogue.demo import create_demo_offers, load_demo_offers
from portal.catalogue.models import Offer, OfferStatus
from portal.lib.vocabularies import Dimension, SupportKind
from portal.places.models import Region
from tests.catalogue.oruk_schema import response_errors


class DemoOffersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            cls.output = StringIO()
            call_command("seed_demo", "--assessments", "0", stdout=cls.output)

    def test_seed_demo_publishes_at_least_80_real_programmes(self):
        demo = Offer.objects.filter(source="demo")

        self.assertGreaterEqual(demo.count(), 80)
        self.assertEqual(demo.count(), len(load_demo_offers()))
        self.assertEqual(set(demo.values_list("status", flat=True)), {OfferStatus.PUBLISHED})
        self.assertFalse(demo.filter(review_due__isnull=True).exists())
        self.assertFalse(demo.filter(curator__kind__in=["platform", "buyer"]).exists())
        self.assertIn("Demo support offers:", self.output.getvalue())

    def test_every_kind_and_dimension_has_an_offer(self):
        offers = list(Offer.objects.filter(source="demo"))

        self.assertEqual({offer.kind for offer in offers}, set(SupportKind.values))
        self.assertEqual(
            {dimension for offer in offers for dimension in offer.dimensions},
            set(Dimension.values),
        )

    def test_every_nation_and_region_has_its_own_offers(self):
        for region in Region.objects.all():
            with self.subTest(region.name):
                local = Offer.objects.filter(source="demo", uk_wide=False).filter(
                    regions=region
                ) | Offer.objects.filter(source="demo", councils__region=region)

                self.assertTrue(local.exists())

    def test_running_again_creates_nothing(self):
        before = Offer.objects.count()

        self.assertEqual(create_demo_offers(), 0)
        self.assertEqual(Offer.objects.count(), before)
        self.assertEqual(set(Offer.objects.values_list("version", flat=True)), {1})

    def test_every_demo_offer_is_valid_open_referral_uk_output(self):
        ids = set()
        page_number, last_page = 1, False
        while not last_page:
            page = self.client.get(
                reverse("openreferral:services"), {"per_page": 100, "page": page_number}
            ).json()
            self.assertEqual(response_errors("/services", page), [])
            ids |= {service["id"] for service in page["contents"]}
            last_page, page_number = page["last_page"], page_number + 1
        demo = Offer.objects.filter(source="demo")
        self.assertEqual(
            ids, {str(public_id) for public_id in demo.values_list("public_id", flat=True)}
        )

        for public_id in demo.values_list("public_id", flat=True):
            service = self.client.get(reverse("openreferral:service", args=[public_id])).json()
            self.assertEqual(response_errors("/services/{id}", service), [], service["name"])
