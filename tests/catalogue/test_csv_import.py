"""The CSV import service: atomic per file, keyed by external id, limits, places."""

import io

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from portal.catalogue.csv_format import HEADERS, MAX_FILE_BYTES, MAX_ROWS
from portal.catalogue.models import Offer, OfferChange, OfferStatus
from portal.catalogue.services.imports.csv_file import import_offers_csv
from portal.catalogue.services.imports.report import RowError
from tests.catalogue.csv_files import offer_csv, offer_csv_row
from tests.factories import (
    COUNCIL_B_GSS_CODE,
    council_a,
    create_cluster_body_poster,
    create_council_a_curator,
    create_moderator,
    create_offer,
    get_council,
    get_region,
)


def run_import(content: bytes, *, user, organisation=None, dry_run=False):
    return import_offers_csv(
        file=io.BytesIO(content),
        organisation=organisation or council_a(),
        user=user,
        dry_run=dry_run,
    )


class CsvImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.gateshead = get_council()
        cls.newcastle = get_council(gss_code=COUNCIL_B_GSS_CODE)
        cls.north_east = get_region(itl_code="TLC")

    def test_good_file_creates_draft_offers_in_the_councils_given(self):
        report = run_import(offer_csv([offer_csv_row(1), offer_csv_row(2)]), user=self.curator)

        self.assertTrue(report.ok, report.errors)
        self.assertTrue(report.saved)
        self.assertEqual(len(report.to_create), 2)
        offer = Offer.objects.get(external_id="row-1")
        self.assertEqual(offer.curator, council_a())
        self.assertEqual(offer.status, OfferStatus.DRAFT)
        self.assertEqual(offer.source, "csv")
        self.assertEqual(offer.dimensions, ["skills", "adoption"])
        self.assertEqual(offer.sizes, ["micro", "small"])
        self.assertEqual(list(offer.councils.all()), [self.gateshead])
        self.assertEqual(OfferChange.objects.filter(action="imported").count(), 2)

    def test_uploading_the_same_file_twice_creates_no_duplicates(self):
        content = offer_csv([offer_csv_row(number) for number in range(1, 6)])
        run_import(content, user=self.curator)
        changes_before = OfferChange.objects.count()

        report = run_import(content, user=self.curator)

        self.assertTrue(report.ok)
        self.assertEqual(len(report.unchanged), 5)
        self.assertEqual((len(report.to_create), len(report.to_update)), (0, 0))
        self.assertEqual(Offer.objects.count(), 5)
        self.assertEqual(OfferChange.objects.count(), changes_before)
        self.assertEqual(set(Offer.objects.values_list("version", flat=True)), {1})

    def test_a_changed_row_updates_its_offer_in_place(self):
        run_import(offer_csv([offer_csv_row(1)]), user=self.curator)
        offer = Offer.objects.get(external_id="row-1")
        offer.status = OfferStatus.PUBLISHED
        offer.save(update_fields=["status"])

        report = run_import(
            offer_csv([offer_csv_row(1, title="Renamed course", closes="2030-01-31")]),
            user=self.curator,
        )

        self.assertEqual([row.changed for row in report.to_update], [("title", "closes")])
        offer.refresh_from_db()
        self.assertEqual(offer.title, "Renamed course")
        self.assertEqual(offer.closes.isoformat(), "2030-01-31")
        self.assertEqual(offer.version, 2)
        self.assertEqual(offer.status, OfferStatus.PUBLISHED, "an import keeps the status")
        change = offer.changes.first()
        self.assertEqual(change.fields["title"], ["Digital skills course 1", "Renamed course"])

    def test_1000_rows_with_one_bad_row_saves_nothing_and_names_its_line_and_column(self):
        rows = [offer_csv_row(number) for number in range(1, 1001)]
        rows[499]["closes"] = "31st of never"  # the 500th row: line 501, after the header

        report = run_import(offer_csv(rows), user=self.curator)

        self.assertFalse(report.saved)
        self.assertEqual(len(report.errors), 1)
        self.assertEqual((report.errors[0].line, report.errors[0].column), (501, "closes"))
        self.assertIn("YYYY-MM-DD", report.errors[0].message)
        self.assertEqual(Offer.objects.count(), 0)
        self.assertEqual(OfferChange.objects.count(), 0)

    def test_every_bad_row_is_reported_with_its_line_and_column(self):
        rows = [
            offer_csv_row(1, kind="party"),
            offer_csv_row(2),
            offer_csv_row(3, application_url="not a link", sizes="tiny"),
            offer_csv_row(4, title=""),
        ]

        report = run_import(offer_csv(rows), user=self.curator)

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [(2, "kind"), (4, "sizes"), (4, "application_url"), (5, "title")],
        )
        self.assertEqual(Offer.objects.count(), 0)

    def test_line_numbers_count_quoted_line_breaks_and_blank_lines(self):
        content = offer_csv(
            [offer_csv_row(1, description="Two\nlines"), offer_csv_row(2, kind="party")]
        )
        content = content.replace(b"\r\nrow-2", b"\r\n\r\nrow-2")

        report = run_import(content, user=self.curator)

        self.assertEqual(report.errors, [report.errors[0]])
        self.assertEqual((report.errors[0].line, report.errors[0].column), (5, "kind"))

    def test_an_id_used_twice_in_one_file_is_an_error(self):
        report = run_import(offer_csv([offer_csv_row(1), offer_csv_row(1)]), user=self.curator)

        self.assertEqual(report.errors[0].line, 3)
        self.assertEqual(report.errors[0].column, "external_id")
        self.assertIn("line 2", report.errors[0].message)

    def test_rules_between_columns_name_the_column_to_fix(self):
        rows = [
            offer_csv_row(1, funding_min="50000", funding_max="1000"),
            offer_csv_row(2, opens="2026-05-01", closes="2026-04-01"),
            offer_csv_row(3, councils=""),
        ]

        report = run_import(offer_csv(rows), user=self.curator)

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [(2, "funding_max"), (3, "closes"), (4, "councils")],
        )

    def test_dry_run_previews_and_saves_nothing(self):
        create_offer(external_id="row-1", title="Old title", curator=council_a())
        content = offer_csv([offer_csv_row(1), offer_csv_row(2)])

        report = run_import(content, user=self.curator, dry_run=True)

        self.assertTrue(report.ok)
        self.assertFalse(report.saved)
        self.assertEqual([row.external_id for row in report.to_create], ["row-2"])
        self.assertEqual([row.external_id for row in report.to_update], ["row-1"])
        self.assertEqual(Offer.objects.count(), 1)
        self.assertEqual(Offer.objects.get().title, "Old title")

    def test_a_file_over_5_mb_is_refused(self):
        row = offer_csv_row(1, description="x" * 10_000)
        content = offer_csv([row]) + b"\n" * (MAX_FILE_BYTES)

        report = run_import(content, user=self.curator)

        self.assertIn("smaller than 5 MB", report.problem)
        self.assertEqual(Offer.objects.count(), 0)

    def test_more_than_10000_rows_is_refused(self):
        line = ",".join(["x"] * len(HEADERS)) + "\n"
        content = (",".join(HEADERS) + "\n" + line * (MAX_ROWS + 1)).encode()

        report = run_import(content, user=self.curator)

        self.assertIn("more than 10,000 rows", report.problem)

    def test_a_file_that_is_not_utf8_is_refused_naming_the_line(self):
        content = offer_csv([offer_csv_row(1), offer_csv_row(2, title="Café")])
        content = content.replace("Café".encode(), "Café".encode("latin-1"))

        report = run_import(content, user=self.curator)

        self.assertIn("not UTF-8", report.problem)
        self.assertIn("line 3", report.problem)
        self.assertEqual(Offer.objects.count(), 0)

    def test_an_excel_workbook_is_refused_with_a_hint(self):
        report = run_import(b"PK\x03\x04rest of a zip file", user=self.curator)

        self.assertIn("CSV UTF-8", report.problem)

    def test_utf8_with_a_byte_order_mark_is_read(self):
        report = run_import(
            offer_csv([offer_csv_row(1, title="Café")], bom=True), user=self.curator
        )

        self.assertTrue(report.saved, report.problem)
        self.assertEqual(Offer.objects.get().title, "Café")

    def test_wrong_columns_are_refused_naming_them(self):
        headers = [name for name in HEADERS if name != "kind"] + ["colour"]

        report = run_import(offer_csv([offer_csv_row(1)], headers=headers), user=self.curator)

        self.assertIn("missing columns: kind", report.problem)
        self.assertIn("unknown columns: colour", report.problem)

    def test_an_empty_file_and_a_header_only_file_are_refused(self):
        self.assertIn("empty", run_import(b"", user=self.curator).problem)
        self.assertIn("no rows", run_import(offer_csv([]), user=self.curator).problem)

    def test_a_curator_cannot_import_offers_into_another_councils_area(self):
        rows = [
            offer_csv_row(1),
            offer_csv_row(2, councils=COUNCIL_B_GSS_CODE),
            offer_csv_row(3, councils="", regions=self.north_east.ons_code),
            offer_csv_row(4, councils="", uk_wide="yes"),
        ]

        report = run_import(offer_csv(rows), user=self.curator)

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [(3, "councils"), (4, "regions"), (5, "uk_wide")],
        )
        self.assertEqual(Offer.objects.count(), 0)

    def test_a_curator_cannot_move_an_existing_offer_into_another_area(self):
        run_import(offer_csv([offer_csv_row(1)]), user=self.curator)

        report = run_import(
            offer_csv([offer_csv_row(1, councils=COUNCIL_B_GSS_CODE)]), user=self.curator
        )

        self.assertEqual(report.errors, [RowError(2, "councils", report.errors[0].message)])
        self.assertEqual(list(Offer.objects.get().councils.all()), [self.gateshead])

    def test_a_moderator_may_list_an_offer_anywhere(self):
        rows = [offer_csv_row(1, councils=COUNCIL_B_GSS_CODE, uk_wide="yes")]

        report = run_import(offer_csv(rows), user=create_moderator())

        self.assertTrue(report.saved, report.errors)

    def test_unknown_place_codes_are_errors(self):
        report = run_import(offer_csv([offer_csv_row(1, councils="E99999999")]), user=self.curator)

        self.assertEqual(report.errors[0].column, "councils")
        self.assertIn("E99999999", report.errors[0].message)

    def test_someone_who_does_not_curate_for_the_organisation_is_refused(self):
        with self.assertRaises(PermissionDenied):
            run_import(offer_csv([offer_csv_row(1)]), user=create_cluster_body_poster())

    def test_a_site_offer_exported_and_imported_again_is_matched_by_its_public_id(self):
        offer = create_offer(title="Made on the site", curator=council_a())
        row = offer_csv_row(1, external_id=str(offer.public_id), title="Made on the site")

        report = run_import(offer_csv([row]), user=self.curator)

        self.assertEqual([r.external_id for r in report.to_update], [str(offer.public_id)])
        self.assertEqual(Offer.objects.count(), 1)
