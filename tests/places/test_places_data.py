"""The nations, regions and councils that migration 0002_load_places puts in the database."""

import importlib
from collections import Counter

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TestCase

from portal.places.models import Council, Nation, Region

load_places_migration = importlib.import_module("portal.places.migrations.0002_load_places")


def historical_apps():
    """The models as migration 0002 sees them."""
    return MigrationLoader(connection).project_state(("places", "0002_load_places")).apps


def snapshot():
    return sorted(
        Council.objects.values_list(
            "gss_code",
            "local_authority_code",
            "name",
            "official_name",
            "slug",
            "kind",
            "region__ons_code",
            "active",
        )
    )


class LoadedPlacesTests(TestCase):
    def test_twelve_regions_in_itl_order(self):
        regions = list(Region.objects.values_list("itl_code", "nuts_code", "ons_code", "name"))
        self.assertEqual(
            regions,
            [
                ("TLC", "UKC", "E12000001", "North East"),
                ("TLD", "UKD", "E12000002", "North West"),
                ("TLE", "UKE", "E12000003", "Yorkshire and The Humber"),
                ("TLF", "UKF", "E12000004", "East Midlands"),
                ("TLG", "UKG", "E12000005", "West Midlands"),
                ("TLH", "UKH", "E12000006", "East of England"),
                ("TLI", "UKI", "E12000007", "London"),
                ("TLJ", "UKJ", "E12000008", "South East"),
                ("TLK", "UKK", "E12000009", "South West"),
                ("TLL", "UKL", "W92000004", "Wales"),
                ("TLM", "UKM", "S92000003", "Scotland"),
                ("TLN", "UKN", "N92000002", "Northern Ireland"),
            ],
        )

    def test_regions_belong_to_their_nations(self):
        nations = dict(Region.objects.values_list("name", "nation"))
        self.assertEqual(nations["Wales"], Nation.WALES)
        self.assertEqual(nations["Scotland"], Nation.SCOTLAND)
        self.assertEqual(nations["Northern Ireland"], Nation.NORTHERN_IRELAND)
        self.assertEqual(Counter(nations.values())[Nation.ENGLAND], 9)

    def test_361_councils_each_in_one_of_the_regions(self):
        self.assertEqual(Council.objects.count(), 361)
        self.assertEqual(Council.objects.active().count(), 361)
        self.assertEqual(Council.objects.filter(region__in=Region.objects.all()).count(), 361)

    def test_councils_per_nation(self):
        per_nation = Counter(Council.objects.values_list("region__nation", flat=True))
        self.assertEqual(
            per_nation,
            {
                Nation.ENGLAND: 296,
                Nation.SCOTLAND: 32,
                Nation.WALES: 22,
                Nation.NORTHERN_IRELAND: 11,
            },
        )

    def test_councils_per_region(self):
        per_region = Counter(Council.objects.values_list("region__name", flat=True))
        self.assertEqual(
            per_region,
            {
                "South East": 64,
                "East of England": 45,
                "East Midlands": 35,
                "North West": 35,
                "London": 33,
                "Scotland": 32,
                "West Midlands": 30,
                "South West": 27,
                "Wales": 22,
                "Yorkshire and The Humber": 15,
                "North East": 12,
                "Northern Ireland": 11,
            },
        )

    def test_spot_checks_against_the_register(self):
        # (GSS code, name, local authority code, region, type), read from the source CSV.
        expected = [
            ("E08000037", "Gateshead", "GAT", "North East", "Metropolitan district"),
            ("W06000015", "Cardiff", "CRF", "Wales", "Welsh unitary authority"),
            ("S12000033", "Aberdeen City", "ABE", "Scotland", "Scottish unitary authority"),
            ("N09000003", "Belfast", "BFS", "Northern Ireland", "NI district"),
            ("E09000001", "City of London", "LND", "London", "City corporation"),
        ]
        for gss_code, name, la_code, region, kind in expected:
            with self.subTest(gss_code=gss_code):
                council = Council.objects.select_related("region").get(gss_code=gss_code)
                self.assertEqual(council.name, name)
                self.assertEqual(council.local_authority_code, la_code)
                self.assertEqual(council.region.name, region)
                self.assertEqual(council.kind, kind)

    def test_slugs_come_from_gov_uk_or_the_name(self):
        self.assertEqual(Council.objects.get(gss_code="E08000037").slug, "gateshead")
        # The register has no gov.uk slug for Buckinghamshire: made from its name.
        self.assertEqual(Council.objects.get(gss_code="E06000060").slug, "buckinghamshire")
        self.assertFalse(Council.objects.filter(slug="").exists())

    def test_names_have_no_stray_spaces(self):
        official_names = Council.objects.values_list("official_name", flat=True)
        self.assertFalse([name for name in official_names if "  " in name or name != name.strip()])


class LoadPlacesMigrationTests(TestCase):
    def test_reverse_removes_the_places_and_forward_brings_them_back_unchanged(self):
        before = snapshot()
        apps = historical_apps()

        load_places_migration.unload_places(apps, None)
        self.assertEqual(Council.objects.count(), 0)
        self.assertEqual(Region.objects.count(), 0)

        load_places_migration.load_places(apps, None)
        load_places_migration.load_places(apps, None)

        self.assertEqual(Region.objects.count(), 12)
        self.assertEqual(snapshot(), before)

    def test_loading_again_updates_rows_in_place(self):
        gateshead = Council.objects.get(gss_code="E08000037")
        Council.objects.filter(pk=gateshead.pk).update(name="Gatesheed", slug="gatesheed")

        load_places_migration.load_places(historical_apps(), None)

        gateshead.refresh_from_db()
        self.assertEqual((gateshead.name, gateshead.slug), ("Gateshead", "gateshead"))
        self.assertEqual(Council.objects.count(), 361)

    def test_loading_again_keeps_a_council_switched_off_by_staff(self):
        Council.objects.filter(gss_code="E08000037").update(active=False)

        load_places_migration.load_places(historical_apps(), None)

        self.assertFalse(Council.objects.get(gss_code="E08000037").active)
