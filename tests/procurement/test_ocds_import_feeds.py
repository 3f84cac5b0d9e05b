"""The shapes real UK feeds take (Contracts Finder, Find a Tender, Public Contracts
Scotland, Sell2Wales) and the standard's own (linked releases, versioned releases), each
on a small file of tests/procurement/ocds_files/ written from the published formats:
what the importer keeps, what it reports, and what the pages then show."""

import json
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.procurement.display import delivery_text, value_text
from portal.procurement.importing.runs import import_sources
from portal.procurement.models import CPV_CODES_KEPT, ImportRun, Opportunity
from portal.procurement.ocds.mapping import MAX_DESCRIPTION, map_release
from portal.procurement.ocds.places import PlaceLookup
from portal.procurement.ocds.sources import is_linked_release
from portal.procurement.ocds.values import InvalidRelease
from tests.factories import create_opportunity

FILES = Path(__file__).parent / "ocds_files"
ENGLISH_REGIONS = {
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
}
NO_PLACES = PlaceLookup(regions_by_name={}, regions_by_code={}, councils_by_name={})


def import_file(*names: str) -> ImportRun:
    return import_sources([str(FILES / name) for name in names])


def import_package(*releases) -> ImportRun:
    """A release package of these releases, written to a temporary file and imported."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "package.json"
        path.write_text(json.dumps({"uri": "https://example.org/p.json", "releases": releases}))
        return import_sources([str(path)])


def release(ocid: str, **tender) -> dict:
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2030-01-10T09:00:00Z",
        "tag": ["tender"],
        "tender": {"title": "Servers", **tender},
    }


def reasons(run: ImportRun) -> dict[str, str]:
    return {rejection["where"]: rejection["reason"] for rejection in run.rejections}


def get(ocid: str) -> Opportunity:
    return Opportunity.objects.get(ocid=ocid)


class RecordPackageTests(TestCase):
    def test_linked_releases_are_told_from_embedded_ones(self):
        # As the standard shows a linked release: url, date and tag, no ocid or id.
        linked = {"url": "https://example.org/r.json#1", "date": "2030-01-10", "tag": ["tender"]}
        embedded = {"ocid": "ocds-1", "id": "1", "date": "2030-01-10", "tag": ["tender"]}

        self.assertTrue(is_linked_release(linked))
        self.assertTrue(is_linked_release({"url": "https://example.org/r.json#1"}))
        self.assertFalse(is_linked_release(embedded))
        self.assertFalse(is_linked_release({**embedded, "url": "https://example.org"}))

    def test_a_record_of_linked_releases_imports_its_compiled_release(self):
        run = import_file("record_package_linked.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (1, 1, 0))
        opportunity = get("ocds-b5fd17-link-1")
        self.assertEqual(opportunity.title, "Cloud hosting for the council")
        self.assertEqual(opportunity.value_max, Decimal("60000.00"))
        self.assertEqual(opportunity.release_id, "ocds-b5fd17-link-1-2")

    def test_a_record_with_neither_embedded_releases_nor_a_compiled_release_is_skipped(self):
        run = import_file("record_package_linked.json")

        self.assertFalse(Opportunity.objects.filter(ocid="ocds-b5fd17-link-2").exists())
        skipped = [warning for warning in run.warnings if "ocds-b5fd17-link-2" in warning]
        self.assertEqual(len(skipped), 1)
        self.assertIn("record 2", skipped[0])
        self.assertIn("1 linked release", skipped[0])
        self.assertIn("no compiledRelease", skipped[0])

    def test_the_compiled_release_wins_over_embedded_ones_when_some_are_linked(self):
        # The compiled release holds what the linked releases said; the embedded alone
        # would miss it.
        embedded = release("ocds-mixed-1", value={"amount": 1000, "currency": "GBP"})
        compiled = {
            **release("ocds-mixed-1", value={"amount": 5000, "currency": "GBP"}),
            "id": "ocds-mixed-1-compiled",
            "date": "2030-01-20T09:00:00Z",
            "tag": ["compiled"],
        }
        linked = {"url": "https://example.org/r.json#2", "date": "2030-01-20T09:00:00Z"}
        record = {"ocid": "ocds-mixed-1", "releases": [embedded, linked]}
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "records.json"
            path.write_text(
                json.dumps(
                    {
                        "uri": "https://example.org/records.json",
                        "records": [
                            {**record, "compiledRelease": compiled},
                            {"ocid": "ocds-mixed-2", "releases": []},
                        ],
                    }
                )
            )
            run = import_sources([str(path)])

        self.assertEqual((run.created_count, run.rejected_count), (1, 0))
        self.assertEqual(get("ocds-mixed-1").value_max, Decimal("5000.00"))
        self.assertTrue(
            any("ocds-mixed-2" in w and "no releases" in w for w in run.warnings), run.warnings
        )

    def test_a_record_with_only_a_versioned_release_is_refused_saying_so(self):
        run = import_file("versioned_release.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.created_count, run.rejected_count), (1, 1))
        self.assertTrue(Opportunity.objects.filter(ocid="ocds-versioned-2").exists())
        (reason,) = reasons(run).values()
        self.assertIn("versionedRelease", reason)
        self.assertIn("ocds-versioned-1", run.rejections[0]["where"])

    def test_a_versioned_release_in_a_release_package_is_refused_saying_so(self):
        run = import_file("versioned_release_package.json")

        self.assertEqual((run.created_count, run.rejected_count), (1, 1))
        self.assertTrue(Opportunity.objects.filter(ocid="ocds-versioned-3").exists())
        self.assertIn("versioned release", run.rejections[0]["reason"])
        self.assertTrue(run.rejections[0]["where"].endswith("release 1"))


class SuitabilityTests(TestCase):
    def test_contracts_finder_xclassifications_object_gives_sme_and_vcse(self):
        import_file("contracts_finder_suitability.json")

        suitable, unsuitable = get("ocds-b5fd17-cf-1"), get("ocds-b5fd17-cf-2")
        self.assertIs(suitable.sme_suitable, True)
        self.assertIs(suitable.vcse_suitable, True)
        self.assertIs(unsuitable.sme_suitable, False)
        self.assertIs(unsuitable.vcse_suitable, False)


@pytest.mark.parametrize(
    ("holder", "flags", "expected"),
    [
        ("tender", {"xClassifications": {"isSuitableForVco": True}}, True),
        ("tender", {"xClassifications": {"IsSuitableForVco": "false"}}, False),
        ("release", {"xClassifications": {"isSuitableForVco": True}}, True),
        ("tender", {"suitableForVco": "yes"}, True),
        ("tender", {"xClassifications": [{"scheme": "VCO", "id": "true"}]}, True),
        ("tender", {"xClassifications": {"isSuitableForSme": True}}, None),
    ],
)
def test_vco_is_read_as_vcse(holder, flags, expected):
    one = release("ocds-vco-1")
    if holder == "tender":
        one["tender"].update(flags)
    else:
        one.update(flags)

    mapped = map_release(one, places=NO_PLACES)

    assert mapped.fields.get("vcse_suitable") is expected


class DateTests(TestCase):
    def test_contract_dates_are_the_days_the_publisher_wrote(self):
        import_file("date_offsets.json")

        opportunity = get("ocds-offset-1")
        self.assertEqual(opportunity.contract_start, date(2030, 4, 1))
        self.assertEqual(opportunity.contract_end, date(2031, 3, 31))
        # A moment is still a moment: kept in UTC.
        self.assertEqual(opportunity.deadline, datetime(2030, 4, 15, 11, tzinfo=UTC))

    def test_dates_out_of_range_reject_their_release_and_the_run_goes_on(self):
        run = import_file("out_of_range_dates.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (4, 2, 2))
        self.assertEqual(
            set(Opportunity.objects.values_list("ocid", flat=True)),
            {"ocds-range-1", "ocds-range-4"},
        )
        where = f"{FILES / 'out_of_range_dates.json'} release"
        self.assertIn("its date is out of range", reasons(run)[f"{where} 2"])
        self.assertIn("9999-12-31T23:59:59-05:00", reasons(run)[f"{where} 2"])
        self.assertIn("tenderPeriod.endDate is out of range", reasons(run)[f"{where} 3"])
        # A date-only field is the day as written: 31 December 9999 is a day.
        self.assertEqual(get("ocds-range-4").contract_end, date(9999, 12, 31))

    def test_the_page_of_an_opportunity_with_far_dates_opens(self):
        import_file("out_of_range_dates.json")

        response = self.client.get(get("ocds-range-4").get_absolute_url())

        self.assertContains(response, "31 December 9999")


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T12:00:00Z",
    ],
)
def test_a_moment_at_the_ends_of_the_calendar_is_refused(moment):
    with pytest.raises(InvalidRelease, match="out of range"):
        map_release(release("ocds-far-1", tenderPeriod={"endDate": moment}), places=NO_PLACES)


def test_a_moment_a_little_way_from_the_ends_is_kept():
    mapped = map_release(
        release("ocds-far-2", tenderPeriod={"endDate": "0001-01-03T00:00:00+01:00"}),
        places=NO_PLACES,
    )

    assert mapped.fields["deadline"] == datetime(1, 1, 2, 23, tzinfo=UTC)


class ScotlandWalesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.import_run = import_file("scotland_wales.json")

    def test_every_release_is_imported(self):
        self.assertEqual((self.import_run.created_count, self.import_run.rejected_count), (3, 0))

    def test_the_contract_notice_is_the_notice_where_there_is_no_tender_notice(self):
        self.assertEqual(
            get("ocds-r6ebe6-pcs-1").notice_url,
            "https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=JAN999001",
        )
        self.assertEqual(
            get("ocds-kuma6s-s2w-1").notice_url,
            "https://www.sell2wales.gov.wales/search/show/search_view.aspx?ID=JAN999002",
        )
        self.assertEqual(
            get("ocds-kuma6s-s2w-2").notice_url,
            "https://www.sell2wales.gov.wales/tender/JAN999003",
        )

    def test_contract_dates_come_from_the_lots_when_the_tender_has_none(self):
        scotland = get("ocds-r6ebe6-pcs-1")
        self.assertEqual(scotland.contract_start, date(2030, 4, 1))
        self.assertEqual(scotland.contract_end, date(2033, 3, 31))
        # The tender's own start date stands; only the missing end comes from the lot.
        wales = get("ocds-kuma6s-s2w-1")
        self.assertEqual(wales.contract_start, date(2030, 6, 1))
        self.assertEqual(wales.contract_end, date(2031, 5, 31))


class PlaceTests(TestCase):
    def test_a_region_naming_a_nation_places_the_opportunity_in_that_nation(self):
        import_file("region_nation.json")

        for ocid, regions in (
            ("ocds-nation-1", ENGLISH_REGIONS),
            ("ocds-nation-2", {"Wales"}),
            ("ocds-nation-3", {"Scotland"}),
            ("ocds-nation-4", {"Northern Ireland"}),
            ("ocds-nation-5", ENGLISH_REGIONS),
        ):
            with self.subTest(ocid=ocid):
                opportunity = get(ocid)
                self.assertEqual({r.name for r in opportunity.regions.all()}, regions)
                # Not the buyer's council (Gateshead).
                self.assertFalse(opportunity.councils.exists())

    def test_the_page_names_england_once_for_its_nine_regions(self):
        import_file("region_nation.json")

        response = self.client.get(get("ocds-nation-1").get_absolute_url())

        self.assertEqual(response.context["places"], ["England"])

    def test_nuts_codes_are_kept_out_of_where_the_work_is(self):
        import_file("region_codes.json")

        coded, extra_regio = get("ocds-h6vhtk-code-1"), get("ocds-h6vhtk-code-2")
        self.assertEqual({r.name for r in coded.regions.all()}, {"North East"})
        self.assertEqual(coded.delivery_location, "")
        self.assertEqual(extra_regio.delivery_location, "Quayside")

    def test_the_where_line_shows_names_never_nuts_codes(self):
        import_file("region_codes.json")
        create_opportunity(
            title="Stored before codes were kept out",
            source="imported",
            publisher=None,
            delivery_location="UKC1, Newcastle upon Tyne",
        )

        pages = [
            self.client.get(get("ocds-h6vhtk-code-1").get_absolute_url()),
            self.client.get(get("ocds-h6vhtk-code-2").get_absolute_url()),
            self.client.get(reverse("procurement:list")),
        ]

        for response in pages:
            with self.subTest(url=response.request["PATH_INFO"]):
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "UKC1")
                self.assertNotContains(response, "UKZZZ")
        self.assertContains(pages[0], "North East")
        self.assertContains(pages[2], "Newcastle upon Tyne")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("UKC1", ""),
        ("UKC1, Newcastle upon Tyne", "Newcastle upon Tyne"),
        ("tlm, Glasgow, UKZZZ", "Glasgow"),
        ("Civic Centre, Gateshead, NE8 1HH", "Civic Centre, Gateshead, NE8 1HH"),
        ("UK", "UK"),
        ("UKAEA Culham", "UKAEA Culham"),
        ("UKAEA", "UKAEA"),
        ("", ""),
    ],
)
def test_delivery_text_drops_nuts_and_itl_codes(text, shown):
    assert delivery_text(text) == shown


class ValueTests(TestCase):
    def test_a_value_of_zero_with_a_minimum_is_kept_as_a_minimum(self):
        import_file("min_value.json")

        lowest_only, both = get("ocds-min-1"), get("ocds-min-2")
        self.assertEqual((lowest_only.value_min, lowest_only.value_max), (Decimal("25000"), None))
        self.assertEqual((both.value_min, both.value_max), (Decimal("10000"), Decimal("50000")))

    def test_the_pages_show_from_a_minimum(self):
        import_file("min_value.json")

        detail = self.client.get(get("ocds-min-1").get_absolute_url())
        listed = self.client.get(reverse("procurement:list"))

        self.assertEqual(detail.context["value_label"], "From £25,000")
        self.assertContains(listed, "From £25,000")
        self.assertContains(listed, "£10,000 to £50,000")


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (Decimal("25000"), None, "From £25,000"),
        (None, Decimal("25000"), "£25,000"),
        (Decimal("0"), Decimal("25000"), "£25,000"),
        (Decimal("25000"), Decimal("0"), "From £25,000"),
        (Decimal("10000"), Decimal("50000"), "£10,000 to £50,000"),
        (Decimal("5"), Decimal("5"), "£5"),
        (None, None, "Value not stated"),
    ],
)
def test_value_text_keeps_the_minimum_and_the_maximum_apart(low, high, shown):
    assert value_text(low, high, "GBP") == shown


class NoSilentLossTests(TestCase):
    def test_more_than_fifty_cpv_codes_are_all_kept(self):
        run = import_file("many_cpv_codes.json")

        # The tender's classification and its 60 items' codes.
        self.assertEqual(len(get("ocds-cpv-60").cpv_codes), 61)
        self.assertEqual(run.warnings, [])

    def test_cpv_codes_beyond_what_is_kept_are_reported(self):
        codes = [f"{30000000 + n:08d}" for n in range(CPV_CODES_KEPT + 5)]
        items = [{"id": code, "classification": {"scheme": "CPV", "id": code}} for code in codes]
        many = release("ocds-cpv-many", items=items)

        run = import_package(many)

        self.assertEqual(get("ocds-cpv-many").cpv_codes, codes[:CPV_CODES_KEPT])
        (warning,) = run.warnings
        self.assertIn("ocds-cpv-many has 1,005 CPV codes", warning)
        self.assertIn("only the first 1,000", warning)

    def test_a_description_over_the_limit_is_cut_and_the_cut_reported(self):
        words = "The service covers every school in the county. " * 600
        run = import_package(release("ocds-long-1", description=words))

        description = get("ocds-long-1").description
        self.assertEqual(len(description), MAX_DESCRIPTION)
        self.assertTrue(description.endswith("…"))
        self.assertTrue(words.startswith(description[:-1]))
        (warning,) = run.warnings
        self.assertIn(
            f"tender.description of ocds-long-1 has {len(words.strip()):,} characters", warning
        )
        self.assertIn("only the first 20,000 were kept", warning)

    def test_a_long_lot_description_is_cut_too(self):
        mapped = map_release(
            release("ocds-long-2", lots=[{"id": "L1", "description": "x" * 30_000}]),
            places=NO_PLACES,
        )

        self.assertEqual(len(mapped.fields["lots"][0][2]), MAX_DESCRIPTION)
        self.assertIn("lot L1 of ocds-long-2", mapped.notes[0])


class ReimportTests(TestCase):
    """Every new shape re-imports unchanged."""

    def test_each_file_imported_again_changes_nothing(self):
        for name in (
            "record_package_linked.json",
            "contracts_finder_suitability.json",
            "date_offsets.json",
            "out_of_range_dates.json",
            "scotland_wales.json",
            "region_nation.json",
            "region_codes.json",
            "min_value.json",
            "many_cpv_codes.json",
            "versioned_release.json",
        ):
            with self.subTest(name=name):
                first = import_file(name)
                versions = dict(Opportunity.objects.values_list("ocid", "version"))

                again = import_file(name)

                self.assertEqual((again.created_count, again.updated_count), (0, 0))
                self.assertEqual(again.rejected_count, first.rejected_count)
                self.assertEqual(again.unchanged_count, first.created_count + first.updated_count)
                self.assertEqual(
                    dict(Opportunity.objects.values_list("ocid", "version")), versions
                )


# Arbitrary JSON where the mapping reads it: a release is mapped or rejected with a
# reason, never an exception that would stop the run.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
TENDER_KEYS = (
    "title",
    "description",
    "status",
    "mainProcurementCategory",
    "procurementMethod",
    "value",
    "minValue",
    "contractPeriod",
    "tenderPeriod",
    "lots",
    "items",
    "documents",
    "deliveryAddresses",
    "xClassifications",
    "suitability",
    "classification",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tender=st.fixed_dictionaries({}, optional=dict.fromkeys(TENDER_KEYS, JSON)),
    top=st.fixed_dictionaries(
        {}, optional={"buyer": JSON, "parties": JSON, "tag": JSON, "awards": JSON}
    ),
)
def test_any_values_map_or_are_rejected_with_a_reason(tender, top):
    one = {**release("ocds-any-1"), **top}
    one["tender"] = {**one["tender"], **tender}

    try:
        map_release(one, places=NO_PLACES)
    except InvalidRelease as error:
        assert str(error)
