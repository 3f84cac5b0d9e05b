"""The place choices every list filters by: found by code, which listings a place sees,
and the place selects rendered from them."""

from django.template.loader import render_to_string
from django.test import TestCase

from portal.catalogue.models import Offer
from portal.lib import facets
from portal.places.apps import places_migrated
from portal.places.choices import SeenFrom, council_place, place_choices, place_q, region_place
from portal.places.models import Council, Region
from portal.procurement.models import Opportunity
from tests.factories import create_offer, create_opportunity, get_council, get_region

GATESHEAD = "E08000037"
SUNDERLAND = "E08000024"
NORTH_EAST = "E12000001"


class PlaceChoicesTests(TestCase):
    def test_every_active_region_with_its_councils_in_one_query(self):
        with self.assertNumQueries(1):
            choices = place_choices()
        regions = [group.region for group in choices]
        self.assertEqual(len(regions), Region.objects.active().count())
        self.assertEqual(regions[0].code, NORTH_EAST)  # ITL order: TLC first
        councils = sum(len(group.councils) for group in choices)
        self.assertEqual(councils, Council.objects.active().count())

    def test_find_by_council_or_region_code(self):
        choices = place_choices()
        gateshead = choices.find(GATESHEAD)
        self.assertEqual((gateshead.name, gateshead.is_council), ("Gateshead", True))
        self.assertEqual(gateshead.region_slug, "north-east")
        north_east = choices.find(NORTH_EAST)
        self.assertEqual((north_east.name, north_east.is_council), ("North East", False))
        self.assertIsNone(choices.find("E99999999"))

    def test_an_inactive_council_is_not_a_choice(self):
        Council.objects.filter(gss_code=GATESHEAD).update(active=False)
        self.assertIsNone(place_choices().find(GATESHEAD))

    def test_the_fingerprint_changes_with_a_name(self):
        before = place_choices().fingerprint
        self.assertEqual(place_choices().fingerprint, before)
        council = Council.objects.get(gss_code=GATESHEAD)
        council.name = "Gateshead Borough"
        council.save()
        self.assertNotEqual(place_choices().fingerprint, before)

    def test_the_places_are_kept_by_the_process_until_they_change(self):
        place_choices()
        with self.assertNumQueries(0):
            place_choices()
        council = Council.objects.get(gss_code=GATESHEAD)
        council.name = "Gateshead Borough"
        council.save()
        with self.assertNumQueries(1):
            self.assertEqual(place_choices().find(GATESHEAD).name, "Gateshead Borough")

    def test_a_migration_reads_the_places_again(self):
        """A data migration writes in bulk, without signals: every migrate counts."""
        before = place_choices().fingerprint
        Council.objects.filter(gss_code=GATESHEAD).update(name="Gateshead Borough")
        places_migrated(sender=None)
        self.assertNotEqual(place_choices().fingerprint, before)

    def test_a_place_from_a_council_or_region_matches_the_choices(self):
        choices = place_choices()
        self.assertEqual(council_place(get_council(gss_code=GATESHEAD)), choices.find(GATESHEAD))
        self.assertEqual(region_place(get_region(itl_code="TLC")), choices.find(NORTH_EAST))


class PlaceQTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        gateshead, sunderland = get_council(gss_code=GATESHEAD), get_council(gss_code=SUNDERLAND)
        north_east, london = get_region(itl_code="TLC"), Region.objects.get(itl_code="TLI")
        for create in (create_offer, create_opportunity):
            create(title="Gateshead", councils=[gateshead], regions=[])
            create(title="Sunderland", councils=[sunderland], regions=[])
            create(title="North East", councils=[], regions=[north_east])
            create(title="London", councils=[], regions=[london])
            create(title="UK-wide", councils=[], regions=[], uk_wide=True)

    def titles(self, model, code) -> set[str]:
        place = place_choices().find(code)
        return set(model.objects.filter(place_q(model, place)).values_list("title", flat=True))

    def test_a_council_sees_itself_its_region_and_uk_wide(self):
        for model in (Offer, Opportunity):
            with self.subTest(model=model.__name__):
                self.assertEqual(
                    self.titles(model, GATESHEAD), {"Gateshead", "North East", "UK-wide"}
                )

    def test_a_region_sees_itself_its_councils_and_uk_wide(self):
        for model in (Offer, Opportunity):
            with self.subTest(model=model.__name__):
                self.assertEqual(
                    self.titles(model, NORTH_EAST),
                    {"Gateshead", "Sunderland", "North East", "UK-wide"},
                )

    def test_no_place_is_no_condition(self):
        self.assertEqual(Offer.objects.filter(place_q(Offer, None)).count(), 5)

    def test_as_a_written_out_condition_a_place_sees_the_same_listings(self):
        for model in (Offer, Opportunity):
            for code in (GATESHEAD, NORTH_EAST):
                with self.subTest(model=model.__name__, place=code):
                    rows = facets.Rows(model, SeenFrom(model, place_choices().find(code)))
                    listed = facets.select(rows, {}).values_list("title", flat=True)
                    self.assertEqual(set(listed), self.titles(model, code))


class PlaceOptionsTemplateTests(TestCase):
    def render(self, partial, **context) -> str:
        return render_to_string(
            f"places/options.html#{partial}", {"places": place_choices(), **context}
        )

    def test_councils_by_region_with_the_choice_selected(self):
        html = self.render("councils", selected=GATESHEAD, everywhere=True)
        self.assertIn('<optgroup label="North East">', html)
        self.assertIn(f'<option value="{NORTH_EAST}">All of North East</option>', html)
        self.assertIn(f'<option value="{GATESHEAD}" selected>Gateshead</option>', html)
        self.assertIn(f'<option value="{SUNDERLAND}">Sunderland</option>', html)
        self.assertNotIn(NORTH_EAST, self.render("councils", selected="", everywhere=False))

    def test_regions_by_slug(self):
        html = self.render("regions", selected="north-east")
        self.assertIn('<option value="north-east" selected>North East</option>', html)

    def test_a_renamed_council_is_shown_by_its_new_name(self):
        self.assertIn(">Gateshead<", self.render("councils", selected=""))
        council = Council.objects.get(gss_code=GATESHEAD)
        council.name = "Gateshead Borough"
        council.save()
        self.assertIn(">Gateshead Borough<", self.render("councils", selected=""))
