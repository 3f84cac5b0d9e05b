import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from portal.catalogue.govuk import business_support_facets, offer_facets
from portal.places.models import Council, Region
from tests.factories import create_offer


class GovukFacetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gateshead = Council.objects.get(gss_code="E08000037")
        cls.wales = Region.objects.get(name="Wales")
        cls.loan = create_offer(
            title="Start up loan",
            kind="loan",
            sizes=["micro"],
            stages=["pre_start", "start_up"],
            sic_sections=["J", "M"],
            councils=[cls.gateshead],
            regions=[cls.wales],
            status="published",
        )
        cls.course = create_offer(
            title="Cyber course", kind="training_course", uk_wide=True, status="published"
        )

    def test_an_offer_maps_onto_the_five_govuk_facets(self):
        self.assertEqual(
            offer_facets(self.loan),
            {
                "types_of_support": ["finance", "loan"],
                "business_sizes": ["under-10"],
                "business_stages": ["pre-startup", "start-up"],
                "industries": ["information-communication-and-media", "science-and-technology"],
                "regions": ["england", "north-east", "wales"],
            },
        )

    def test_empty_sets_mean_every_value_and_uk_wide_every_region(self):
        facets = offer_facets(self.course)
        self.assertEqual(facets["types_of_support"], ["expertise-and-advice"])
        self.assertEqual(len(facets["business_sizes"]), 5)
        self.assertEqual(
            facets["business_stages"], ["grow-and-sustain", "pre-startup", "start-up"]
        )
        self.assertIn("agriculture", facets["industries"])
        self.assertEqual(len(facets["regions"]), 13)  # the 12 regions and England

    def test_every_kind_size_stage_and_sector_has_slugs(self):
        from portal.lib.vocabularies import BusinessSize, SicSection, Stage, SupportKind

        for kind in SupportKind.values:
            facets = business_support_facets(
                kind=kind,
                sizes=BusinessSize.values,
                stages=Stage.values,
                sic_sections=SicSection.values,
                uk_wide=False,
                regions=[],
            )
            self.assertTrue(all(facets[name] for name in facets if name != "regions"))

    def test_export_command_prints_the_visible_offers(self):
        out = StringIO()
        call_command("export_business_support", stdout=out)
        listing = json.loads(out.getvalue())
        self.assertEqual({entry["title"] for entry in listing}, {"Start up loan", "Cyber course"})
        self.assertTrue(all("types_of_support" in entry for entry in listing))
