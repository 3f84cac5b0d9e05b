"""The CSV upload page: check (dry run), preview, confirm; errors; CSRF; the template."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from portal.catalogue.csv_format import HEADERS, MAX_FILE_BYTES
from portal.catalogue.models import Offer
from tests.catalogue.csv_files import offer_csv, offer_csv_row
from tests.factories import (
    COUNCIL_B_GSS_CODE,
    create_cluster_body_poster,
    create_council_a_curator,
)

IMPORT_URL = reverse("catalogue:offer-import")


def upload(content: bytes, name: str = "offers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


class CsvImportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def setUp(self):
        self.client.force_login(self.curator)

    def test_the_page_shows_the_upload_form_and_the_columns(self):
        response = self.client.get(IMPORT_URL)

        self.assertContains(response, 'type="file"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, reverse("catalogue:offer-import-template"))
        self.assertContains(response, "<code>external_id</code>", html=True)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        self.client.logout()

        response = self.client.get(IMPORT_URL)

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:sign-in"), response["Location"])

    def test_people_who_do_not_curate_get_403(self):
        self.client.force_login(create_cluster_body_poster())

        self.assertEqual(self.client.get(IMPORT_URL).status_code, 403)

    def test_checking_a_file_previews_it_saves_nothing_then_confirming_imports(self):
        content = offer_csv([offer_csv_row(1), offer_csv_row(2)])

        preview = self.client.post(IMPORT_URL, {"file": upload(content)})

        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "2 new offers")
        self.assertContains(preview, "Digital skills course 2")
        self.assertEqual(Offer.objects.count(), 0)
        token = preview.context["token"]

        done = self.client.post(IMPORT_URL, {"token": token})

        self.assertRedirects(done, IMPORT_URL)
        self.assertEqual(Offer.objects.count(), 2)
        again = self.client.post(IMPORT_URL, {"token": token}, follow=True)
        self.assertContains(again, "expired")
        self.assertEqual(Offer.objects.count(), 2)

    def test_a_file_already_imported_has_nothing_to_confirm(self):
        content = offer_csv([offer_csv_row(1)])
        token = self.client.post(IMPORT_URL, {"file": upload(content)}).context["token"]
        self.client.post(IMPORT_URL, {"token": token})

        response = self.client.post(IMPORT_URL, {"file": upload(content)})

        self.assertContains(response, "1 unchanged")
        self.assertEqual(response.context["token"], "")
        self.assertNotContains(response, "Import these offers")

    def test_bad_rows_are_listed_by_line_column_and_problem(self):
        content = offer_csv(
            [offer_csv_row(1), offer_csv_row(2, councils=COUNCIL_B_GSS_CODE, kind="party")]
        )

        response = self.client.post(IMPORT_URL, {"file": upload(content)})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Error:")
        errors = [(e.line, e.column) for e in response.context["report"].errors]
        self.assertEqual(errors, [(3, "kind"), (3, "councils")])
        self.assertContains(response, "<code>councils</code>", html=True)
        self.assertContains(response, "List only councils your organisation covers")
        self.assertContains(response, "2 problems were found in the file")
        self.assertContains(response, "2 problems. Nothing has been saved.")
        self.assertEqual(Offer.objects.count(), 0)

    def test_one_bad_row_is_one_problem(self):
        content = offer_csv([offer_csv_row(1, kind="party")])

        response = self.client.post(IMPORT_URL, {"file": upload(content)})

        self.assertContains(response, "1 problem was found in the file")
        self.assertContains(response, "Fix it and upload the file again.")
        self.assertContains(response, "1 problem. Nothing has been saved.")
        self.assertNotContains(response, "1 problems")

    def test_refused_files_show_a_message_never_a_500(self):
        cases = {
            "smaller than 5 MB": offer_csv([offer_csv_row(1)]) + b" " * MAX_FILE_BYTES,
            "not UTF-8": offer_csv([offer_csv_row(1, title="Caf\u00e9")]).replace(
                "é".encode(), b"\xe9"
            ),
            "missing columns": b"title,colour\nA,red\n",
            "spreadsheet workbook": b"PK\x03\x04...",
            "UTF-16 text": "title,kind\nA,grant\n".encode("utf-16"),
            "binary data": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "The selected file is empty": b"",
        }
        for message, content in cases.items():
            with self.subTest(message):
                response = self.client.post(IMPORT_URL, {"file": upload(content)})

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "govuk-error-summary")
                self.assertContains(response, message)
        self.assertEqual(Offer.objects.count(), 0)

    def test_a_file_not_named_like_a_csv_file_is_refused(self):
        for name in ("offers.xlsx", "offers.exe", "offers"):
            with self.subTest(name):
                response = self.client.post(
                    IMPORT_URL, {"file": upload(offer_csv([offer_csv_row(1)]), name=name)}
                )
                self.assertContains(response, "must be a CSV file")
        self.assertEqual(Offer.objects.count(), 0)

    def test_a_path_in_the_name_is_dropped_and_the_file_read_as_any_other(self):
        response = self.client.post(
            IMPORT_URL, {"file": upload(b"title,colour\nA,red\n", name="../../etc/offers.csv")}
        )
        self.assertContains(response, "missing columns")
        self.assertEqual(Offer.objects.count(), 0)

    def test_no_file_selected_is_a_form_error(self):
        response = self.client.post(IMPORT_URL, {})

        self.assertContains(response, "Select a CSV file")

    def test_the_template_has_one_column_per_field(self):
        response = self.client.get(reverse("catalogue:offer-import-template"))

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(tuple(header), HEADERS)


class CsvImportCsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def test_an_upload_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.curator)

        response = client.post(IMPORT_URL, {"file": upload(offer_csv([offer_csv_row(1)]))})

        self.assertEqual(response.status_code, 403)
        self.assertEqual(Offer.objects.count(), 0)

    def test_an_upload_and_confirmation_with_the_token_are_accepted(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.curator)
        page = client.get(IMPORT_URL)
        token = page.context["csrf_token"]

        preview = client.post(
            IMPORT_URL,
            {"file": upload(offer_csv([offer_csv_row(1)])), "csrfmiddlewaretoken": str(token)},
        )
        self.assertEqual(preview.status_code, 200)
        refused = client.post(IMPORT_URL, {"token": preview.context["token"]})
        self.assertEqual(refused.status_code, 403)
        done = client.post(
            IMPORT_URL,
            {"token": preview.context["token"], "csrfmiddlewaretoken": str(token)},
        )

        self.assertEqual(done.status_code, 302)
        self.assertEqual(Offer.objects.count(), 1)
