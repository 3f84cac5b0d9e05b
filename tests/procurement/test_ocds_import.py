"""The OCDS importer's mapping: each quirk of real feeds on a small file of its own
(tests/procurement/ocds_files/), and invalid releases rejected one by one."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import TestCase

from portal.procurement.importing.runs import import_sources
from portal.procurement.models import ImportRun, NoticeStage, Opportunity, Source, Status
from portal.procurement.ocds.mapping import map_release
from portal.procurement.ocds.places import PlaceLookup

FILES = Path(__file__).parent / "ocds_files"


def import_file(*names: str) -> ImportRun:
    return import_sources([str(FILES / name) for name in names])


def region_names(opportunity: Opportunity) -> set[str]:
    return {region.name for region in opportunity.regions.all()}


class ReleasePackageTests(TestCase):
    def test_a_release_package_creates_imported_opportunities(self):
        run = import_file("release_package.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (2, 2, 0))
        self.assertIsNotNone(run.finished)
        opportunity = Opportunity.objects.get(ocid="ocds-test-0001")
        self.assertEqual(opportunity.title, "Website redesign for the council")
        self.assertEqual(opportunity.source, Source.IMPORTED)
        self.assertIsNone(opportunity.publisher)
        self.assertEqual(opportunity.status, Status.OPEN)
        self.assertEqual(opportunity.stage, NoticeStage.TENDER)
        self.assertEqual(opportunity.buyer_name, "Gateshead Council")
        self.assertEqual(opportunity.contact_email, "procurement@example.gov.uk")
        self.assertEqual(opportunity.cpv_codes, ["72413000"])
        self.assertEqual(opportunity.value_max, Decimal("80000.00"))
        self.assertEqual(opportunity.currency, "GBP")
        self.assertEqual(opportunity.main_category, "services")
        self.assertEqual(opportunity.procedure, "open")
        self.assertEqual(opportunity.deadline, datetime(2030, 3, 1, 12, tzinfo=UTC))
        self.assertEqual(opportunity.source_uri, "https://example.org/ocds/package.json")
        self.assertEqual(opportunity.release_id, "ocds-test-0001-tender-1")
        self.assertEqual(region_names(opportunity), {"North East"})
        second = Opportunity.objects.get(ocid="ocds-test-0002")
        self.assertEqual(second.value_max, Decimal("12000.50"))
        self.assertEqual(second.cpv_codes, ["80533100"])

    def test_the_buyer_is_linked_to_our_organisation_of_that_name(self):
        from tests.factories import council_a

        gateshead = council_a()  # "Gateshead Council"

        import_file("release_package.json")

        opportunity = Opportunity.objects.get(ocid="ocds-test-0001")
        self.assertEqual(opportunity.buyer, gateshead)
        self.assertIsNone(opportunity.publisher)


class QuirkTests(TestCase):
    def test_amounts_of_zero_are_not_stated(self):
        import_file("zero_values.json")

        opportunity = Opportunity.objects.get(ocid="ocds-zero-1")
        self.assertIsNone(opportunity.value_max)
        self.assertIsNone(opportunity.value_min)
        self.assertIsNone(opportunity.lots.get().value)

    def test_html_entities_are_unescaped_and_line_ends_normalised(self):
        import_file("html_entities.json")

        opportunity = Opportunity.objects.get(ocid="ocds-html-1")
        self.assertEqual(opportunity.title, "Cyber & data: the council's review")
        self.assertEqual(
            opportunity.description,
            "Budget up to £50,000.\nTwo phases:\n1. discovery\n2. build",
        )

    def test_sme_suitability_from_the_suitability_extension(self):
        import_file("sme_tender_suitability.json")

        opportunity = Opportunity.objects.get(ocid="ocds-sme-1")
        self.assertIs(opportunity.sme_suitable, True)
        self.assertIs(opportunity.vcse_suitable, False)

    def test_sme_suitability_from_a_lot(self):
        import_file("sme_lot_suitability.json")

        opportunity = Opportunity.objects.get(ocid="ocds-sme-2")
        self.assertIs(opportunity.sme_suitable, True)
        self.assertIs(opportunity.vcse_suitable, True)
        lots = {lot.lot_id: lot for lot in opportunity.lots.all()}
        self.assertIs(lots["L1"].sme_suitable, False)
        self.assertIs(lots["L2"].sme_suitable, True)

    def test_sme_suitability_from_older_uk_flags(self):
        import_file("sme_old_flags.json")

        opportunity = Opportunity.objects.get(ocid="ocds-sme-3")
        self.assertIs(opportunity.sme_suitable, True)
        self.assertIs(opportunity.vcse_suitable, False)

    def test_sme_suitability_from_classification_entries(self):
        import_file("sme_xclassifications.json")

        opportunity = Opportunity.objects.get(ocid="ocds-sme-4")
        self.assertIs(opportunity.sme_suitable, True)
        self.assertIs(opportunity.vcse_suitable, False)
        self.assertEqual(opportunity.cpv_codes, ["72000000", "72413000"])

    def test_suitability_not_stated_stays_unknown(self):
        import_file("release_package.json")

        opportunity = Opportunity.objects.get(ocid="ocds-test-0001")
        self.assertIsNone(opportunity.sme_suitable)
        self.assertIsNone(opportunity.vcse_suitable)

    def test_region_given_by_name_in_any_case_and_spelling(self):
        import_file("region_name.json")

        self.assertEqual(
            region_names(Opportunity.objects.get(ocid="ocds-region-1")), {"North East"}
        )
        self.assertEqual(
            region_names(Opportunity.objects.get(ocid="ocds-region-2")),
            {"Yorkshire and The Humber"},
        )

    def test_region_given_as_a_nuts_code(self):
        import_file("region_nuts.json")

        self.assertEqual(region_names(Opportunity.objects.get(ocid="ocds-nuts-1")), {"North East"})

    def test_region_given_as_an_itl_code_in_an_items_delivery_location(self):
        import_file("region_itl.json")

        opportunity = Opportunity.objects.get(ocid="ocds-itl-1")
        self.assertEqual(region_names(opportunity), {"North East"})
        self.assertEqual(opportunity.delivery_location, "Tyneside")

    def test_region_from_the_postcode_of_the_buyers_address_only(self):
        import_file("region_postcode.json")

        opportunity = Opportunity.objects.get(ocid="ocds-postcode-1")
        self.assertEqual(region_names(opportunity), {"North East"})
        self.assertFalse(opportunity.uk_wide)

    def test_only_the_country_means_anywhere_in_the_uk(self):
        import_file("uk_wide.json")

        opportunity = Opportunity.objects.get(ocid="ocds-uk-1")
        self.assertTrue(opportunity.uk_wide)
        self.assertEqual(region_names(opportunity), set())

    def test_releases_with_no_id_get_a_stable_derived_one(self):
        run = import_file("no_release_id.json")

        self.assertEqual(run.created_count, 2)
        first = Opportunity.objects.get(ocid="ocds-noid-1")
        self.assertTrue(first.release_id.startswith("derived-"))
        self.assertTrue(any("had no id" in warning for warning in run.warnings))
        again = import_file("no_release_id.json")
        self.assertEqual(again.unchanged_count, 2)
        first.refresh_from_db()
        self.assertEqual(first.release_id, Opportunity.objects.get(ocid="ocds-noid-1").release_id)

    def test_missing_published_date_uses_the_release_date(self):
        run = import_file("no_published_date.json")

        self.assertEqual(run.created_count, 1)
        opportunity = Opportunity.objects.get(ocid="ocds-nopub-1")
        self.assertEqual(opportunity.published_at, datetime(2030, 1, 12, 8, 30, tzinfo=UTC))

    def test_lots_with_values_and_their_items_cpv_codes(self):
        import_file("lots.json")

        opportunity = Opportunity.objects.get(ocid="ocds-lots-1")
        lots = list(opportunity.lots.order_by("lot_id"))
        self.assertEqual([lot.lot_id for lot in lots], ["LOT-1", "LOT-2"])
        self.assertEqual(lots[0].value, Decimal("30000.00"))
        self.assertEqual(lots[0].cpv_codes, ["72415000"])
        self.assertEqual(lots[1].title, "Lot 2: support & maintenance")
        self.assertEqual(lots[1].cpv_codes, ["50324100", "72267000"])
        self.assertEqual(opportunity.cpv_codes, ["50324100", "72267000", "72413000", "72415000"])

    def test_one_invalid_release_is_rejected_with_its_reason_and_the_others_imported(self):
        run = import_file("one_invalid_release.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (6, 2, 4))
        self.assertEqual(
            set(Opportunity.objects.values_list("ocid", flat=True)),
            {"ocds-good-1", "ocds-good-2"},
        )
        reasons = {rejection["where"]: rejection["reason"] for rejection in run.rejections}
        self.assertIn("has no ocid", reasons[f"{FILES / 'one_invalid_release.json'} release 2"])
        self.assertIn("JSON object", reasons[f"{FILES / 'one_invalid_release.json'} release 3"])
        self.assertIn("not a date", reasons[f"{FILES / 'one_invalid_release.json'} release 4"])
        self.assertIn("no title", reasons[f"{FILES / 'one_invalid_release.json'} release 5"])


class StatusTests(TestCase):
    def test_contract_dates_and_planning_stage(self):
        import_file("ocid_releases_in_order.json")

        opportunity = Opportunity.objects.get(ocid="ocds-merge-1")
        # The tender release is later than the planning one: its stage wins.
        self.assertEqual(opportunity.stage, NoticeStage.TENDER)
        self.assertEqual(opportunity.status, Status.OPEN)
        self.assertIsNone(opportunity.contract_start)
        self.assertEqual(opportunity.tender_start.date(), date(2030, 1, 10))


class InvalidFieldTests(TestCase):
    """Releases written on the fly: a field of the wrong type rejects that release only."""

    def import_releases(self, *releases) -> ImportRun:
        import json
        import tempfile

        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "package.json"
            path.write_text(
                json.dumps({"uri": "https://example.org/p.json", "releases": releases})
            )
            return import_sources([str(path)])

    def release(self, ocid: str, **tender) -> dict:
        return {
            "ocid": ocid,
            "id": f"{ocid}-1",
            "date": "2030-01-10T09:00:00Z",
            "tag": ["tender"],
            "tender": {"title": "Servers", **tender},
        }

    def test_a_value_that_is_not_a_number_is_rejected_with_the_field_named(self):
        run = self.import_releases(
            self.release("ocds-type-1", value={"amount": "lots", "currency": "GBP"}),
            self.release("ocds-type-2", value={"amount": "2,500", "currency": "GBP"}),
        )

        self.assertEqual((run.created_count, run.rejected_count), (1, 1))
        self.assertIn("tender.value.amount is not a number", run.rejections[0]["reason"])
        self.assertEqual(Opportunity.objects.get(ocid="ocds-type-2").value_max, Decimal("2500.00"))

    def test_a_bad_deadline_is_rejected_with_the_field_named(self):
        run = self.import_releases(
            self.release("ocds-type-3", tenderPeriod={"endDate": "next Tuesday"})
        )

        self.assertEqual(run.rejected_count, 1)
        self.assertIn("tenderPeriod.endDate is not a date", run.rejections[0]["reason"])

    def test_a_tender_that_is_not_an_object_is_rejected(self):
        release = self.release("ocds-type-4")
        release["tender"] = ["not", "an", "object"]

        run = self.import_releases(release)

        self.assertIn("tender is not a JSON object", run.rejections[0]["reason"])

    def test_nul_characters_are_dropped_from_text(self):
        self.import_releases(self.release("ocds-type-5", description="Before\u0000after"))

        self.assertEqual(Opportunity.objects.get(ocid="ocds-type-5").description, "Beforeafter")

    def test_an_opportunity_the_database_refuses_is_rejected_and_the_others_saved(self):
        from unittest import mock

        from django.db import DataError

        real_bulk_create = Opportunity.objects.bulk_create

        def refuse_one(objects, *args, **kwargs):
            if any(opportunity.ocid == "ocds-refused" for opportunity in objects):
                raise DataError("value too long")
            return real_bulk_create(objects, *args, **kwargs)

        with mock.patch.object(Opportunity.objects, "bulk_create", side_effect=refuse_one):
            run = self.import_releases(
                self.release("ocds-saved-1"),
                self.release("ocds-refused"),
                self.release("ocds-saved-2"),
            )

        self.assertEqual((run.created_count, run.rejected_count), (2, 1))
        self.assertIn("could not be saved", run.rejections[0]["reason"])
        self.assertEqual(
            set(Opportunity.objects.values_list("ocid", flat=True)),
            {"ocds-saved-1", "ocds-saved-2"},
        )


NO_PLACES = PlaceLookup(regions_by_name={}, regions_by_code={}, councils_by_name={})


@pytest.mark.parametrize(
    ("tag", "tender_status", "awards", "status", "stage"),
    [
        ("tender", "active", [], Status.OPEN, NoticeStage.TENDER),
        ("award", "complete", [{"id": "1"}], Status.AWARDED, NoticeStage.AWARD),
        ("tenderUpdate", "complete", [], Status.CLOSED, NoticeStage.TENDER),
        ("tenderCancellation", "cancelled", [], Status.CANCELLED, NoticeStage.TENDER),
        ("tender", "withdrawn", [], Status.WITHDRAWN, NoticeStage.TENDER),
        ("tender", "unsuccessful", [], Status.CLOSED, NoticeStage.TENDER),
        ("planning", "planned", [], Status.OPEN, NoticeStage.PLANNING),
        ("planning", "planning", [], Status.OPEN, NoticeStage.PLANNING),
        ("award", None, [{"id": "1"}], Status.AWARDED, NoticeStage.AWARD),
        ("compiled", "complete", [{"id": "1"}], Status.AWARDED, NoticeStage.AWARD),
    ],
)
def test_status_and_stage_from_the_tender_status_and_the_tag(
    tag, tender_status, awards, status, stage
):
    release = {
        "ocid": "ocds-status-1",
        "id": "1",
        "date": "2030-01-01T00:00:00Z",
        "tag": [tag],
        "tender": {"title": "Printers"},
        "awards": awards,
    }
    if tender_status:
        release["tender"]["status"] = tender_status

    mapped = map_release(release, places=NO_PLACES)

    assert mapped.fields["status"] == status
    assert mapped.fields["stage"] == stage


def test_no_tender_status_and_no_award_leaves_the_status_unstated():
    release = {"ocid": "o", "id": "1", "date": "2030-01-01", "tag": ["tender"], "tender": {}}

    mapped = map_release(release, places=NO_PLACES)

    assert "status" not in mapped.fields
    assert mapped.date == "2030-01-01T00:00:00.000000Z"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"suitableForSME": True}, True),
        ({"isSuitableForSme": "Yes"}, True),
        ({"suitableForSmes": "false"}, False),
        ({"smeSuitable": "no"}, False),
        ({"xClassifications": [{"scheme": "SME", "id": "true"}]}, True),
        (
            {"additionalClassifications": [{"scheme": "x", "id": "SME", "description": "no"}]},
            False,
        ),
        ({}, None),
    ],
)
def test_older_sme_flag_spellings(flags, expected):
    release = {
        "ocid": "o",
        "id": "1",
        "date": "2030-01-01T00:00:00Z",
        "tag": ["tender"],
        "tender": {"title": "Printers", **flags},
    }

    mapped = map_release(release, places=NO_PLACES)

    assert mapped.fields.get("sme_suitable") is expected
