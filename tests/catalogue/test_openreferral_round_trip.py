"""Export → import into another organisation → export: every mapped field comes back the
same, and another trip changes nothing (no "Free. Free. Free")."""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.services.feed_import import import_openreferral_feed
from tests.catalogue.oruk_schema import response_errors
from tests.factories import (
    COUNCILS,
    council_a,
    create_offer,
    create_organisation,
    get_council,
    get_region,
)

# Every offer field the UK profile carries (see portal/catalogue/openreferral/__init__.py).
MAPPED_FIELDS = (
    "title",
    "application_url",
    "summary",
    "description",
    "eligibility_note",
    "provider_name",
    "cost",
    "cost_note",
    "delivery",
    "uk_wide",
    "contact_phone",
    "contact_email",
    "funding_min",
    "funding_max",
    "currency",
    "kind",
    "dimensions",
    "sizes",
    "stages",
    "sic_sections",
    "maturity_levels",
)
# Ids, and the dates an import sets afresh: what may differ between two exports.
NOT_COMPARED = {
    "id",
    "service_id",
    "link_id",
    "location_id",
    "contact_id",
    "last_modified",
    "assured_date",
}


def mapped(offer: Offer) -> dict:
    fields = {name: getattr(offer, name) for name in MAPPED_FIELDS}
    fields["regions"] = sorted(region.ons_code for region in offer.regions.all())
    fields["councils"] = sorted(council.gss_code for council in offer.councils.all())
    return fields


def comparable(value):
    """An exported service without its ids and dates."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in NOT_COMPARED}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


class RoundTripTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        north_east = [
            get_council(gss_code=c) for c, facts in COUNCILS.items() if facts[-1] == "TLC"
        ]
        region = get_region()
        everywhere_in_the_north_east = list(region.councils.all())
        cls.source = council_a()
        cls.first = create_organisation(name="First", councils=everywhere_in_the_north_east)
        cls.second = create_organisation(name="Second", councils=everywhere_in_the_north_east)
        everything = create_offer(
            title="Scale-up programme",
            curator=cls.source,
            status="published",
            summary="Twelve weeks of coaching for firms ready to grow.",
            description="Weekly sessions.\n\nA mentor for a year.\nCohorts of ten.",
            eligibility_note="Trading for two years or more. Free. Free.",
            provider_name="Growth Works Ltd",
            cost="subsidised",
            cost_note="Free. Half paid by the council.",
            delivery="blended",
            uk_wide=True,
            contact_phone="+44 191 000 0000",
            contact_email="scale@growth.example.org",
            funding_min=Decimal("1000.50"),
            funding_max=Decimal("25000"),
            kind="accelerator",
            dimensions=["strategy", "finance"],
            sizes=["small", "medium"],
            stages=["growing", "scaling"],
            sic_sections=["C", "J"],
            maturity_levels=["developing", "established"],
            application_url="https://growth.example.org/scale-up?cohort=2026",
            regions=[region],
            councils=[north_east[0]],
        )
        sparse = create_offer(
            title="Cyber basics webinar",
            curator=cls.source,
            status="published",
            summary="An hour on the basics.",
            cost="free",
            delivery="online",
            funding_max=Decimal("900"),
            currency="EUR",
        )
        in_person = create_offer(
            title="Patent clinic",
            curator=cls.source,
            status="published",
            summary="Half an hour with a patent attorney.",
            cost="paid",
            delivery="in_person",
            funding_min=Decimal("0"),
            regions=[region],
        )
        cls.offers = [everything, sparse, in_person]

    def export(self, offers) -> list[dict]:
        services = []
        for offer in offers:
            response = self.client.get(reverse("openreferral:service", args=[offer.public_id]))
            self.assertEqual(response.status_code, 200)
            service = response.json()
            self.assertEqual(response_errors("/services/{id}", service), [])
            services.append(service)
        return services

    def trip(self, offers, organisation):
        """Export ``offers``, import them into ``organisation``, publish what came in;
        the import's report, and the offers it made, in the same order."""
        report = import_openreferral_feed(
            organisation=organisation, pages=[{"contents": self.export(offers)}]
        )
        self.assertEqual((report.errors, report.warnings), ([], []))
        Offer.objects.filter(curator=organisation).update(status=OfferStatus.PUBLISHED)
        by_external_id = {o.external_id: o for o in Offer.objects.filter(curator=organisation)}
        return report, [by_external_id[str(offer.public_id)] for offer in offers]

    def test_every_mapped_field_survives_two_trips(self):
        _report, copies = self.trip(self.offers, self.first)
        _report, copies_of_copies = self.trip(copies, self.second)

        for original, copy, copy_of_copy in zip(
            self.offers, copies, copies_of_copies, strict=True
        ):
            with self.subTest(original.title):
                self.assertEqual(mapped(copy), mapped(original))
                self.assertEqual(mapped(copy_of_copy), mapped(original))
        self.assertEqual(
            comparable(self.export(copies_of_copies)), comparable(self.export(self.offers))
        )

    def test_a_second_trip_changes_nothing(self):
        first, copies = self.trip(self.offers, self.first)
        before = [mapped(copy) for copy in copies]

        second, copies = self.trip(self.offers, self.first)

        self.assertEqual(len(first.to_create), 3)
        self.assertEqual((len(second.unchanged), len(second.to_update)), (3, 0))
        self.assertEqual([mapped(copy) for copy in copies], before)
        self.assertEqual({copy.version for copy in copies}, {1})
        self.assertEqual(copies[0].cost_note, "Free. Half paid by the council.")
