"""Exporting an organisation's offers as CSV, in the import's format."""

import csv
import io
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.csv_format import HEADERS
from portal.catalogue.services.imports.csv_file import import_offers_csv
from tests.factories import (
    council_a,
    council_b,
    create_council_a_curator,
    create_moderator,
    create_offer,
    get_council,
)

EXPORT_URL = reverse("catalogue:offer-export")


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


class CsvExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.offer = create_offer(
            title="=Formula grant",
            curator=council_a(),
            dimensions=["finance", "innovation"],
            sizes=["micro"],
            funding_min=Decimal("1000.00"),
            funding_max=Decimal("25000.00"),
            contact_phone="+44 191 433 3000",
        )
        cls.imported = create_offer(
            title="From a file", curator=council_a(), external_id="g-7", dimensions=["skills"]
        )
        cls.other = create_offer(title="Newcastle only", curator=council_b())

    def setUp(self):
        self.client.force_login(self.curator)

    def test_export_lists_the_organisations_offers_in_the_import_columns(self):
        response = self.client.get(EXPORT_URL)

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = read_csv(response)
        self.assertEqual(list(rows[0]), list(HEADERS))
        by_title = {row["title"].lstrip("'"): row for row in rows}
        self.assertEqual(set(by_title), {"=Formula grant", "From a file"})
        row = by_title["=Formula grant"]
        self.assertEqual(row["external_id"], str(self.offer.public_id))
        self.assertEqual(row["dimensions"], "innovation;finance")
        self.assertEqual(row["councils"], get_council().gss_code)
        self.assertEqual((row["funding_min"], row["funding_max"]), ("1000", "25000"))
        self.assertEqual(by_title["From a file"]["external_id"], "g-7")

    def test_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(self):
        rows = read_csv(self.client.get(EXPORT_URL))

        titles = {row["title"] for row in rows}
        self.assertIn("'=Formula grant", titles)
        phones = {row["contact_phone"] for row in rows}
        self.assertIn("'+44 191 433 3000", phones)

    def test_an_exported_file_imports_back_changing_nothing(self):
        content = self.client.get(EXPORT_URL).content

        report = import_offers_csv(
            file=io.BytesIO(content), organisation=council_a(), user=self.curator, dry_run=False
        )

        self.assertTrue(report.ok, (report.problem, report.errors))
        self.assertEqual(len(report.unchanged), 2, report.to_update)
        self.assertEqual((len(report.to_create), len(report.to_update)), (0, 0))

    def test_another_organisations_offers_cannot_be_exported(self):
        response = self.client.get(EXPORT_URL, {"organisation": council_b().slug})

        self.assertRedirects(response, reverse("catalogue:offer-import"))

    def test_a_moderator_chooses_the_organisation(self):
        self.client.force_login(create_moderator())

        response = self.client.get(EXPORT_URL, {"organisation": council_b().slug})

        self.assertEqual([row["title"] for row in read_csv(response)], ["Newcastle only"])
