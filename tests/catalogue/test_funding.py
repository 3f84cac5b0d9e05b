"""Funding amounts and currency: one rule (portal/catalogue/funding.py) refused alike by
the offer form, the curation services and the CSV import, with GOV.UK messages."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from portal.catalogue.csv_format import HEADERS
from portal.catalogue.funding import funding_errors
from portal.catalogue.models import Offer
from portal.catalogue.services import curation
from portal.catalogue.services.imports.csv_file import import_offers_csv
from portal.lib.currencies import CURRENCY_CODES, normalise_currency
from tests.catalogue.csv_files import offer_csv, offer_csv_row
from tests.catalogue.test_curation_views import csrf_client, post
from tests.catalogue.test_offer_permissions import offer_form_data
from tests.factories import council_a, create_council_a_curator, create_offer

NEGATIVE_MIN = "The smallest amount must be 0 or more"
NEGATIVE_MAX = "The largest amount must be 0 or more"
INVERTED = "The largest amount must be the same as or more than the smallest"
NOT_THREE_LETTERS = "Enter a currency as a three-letter code, like GBP"
NOT_A_CURRENCY = "Enter a real currency code, like GBP or EUR"


# The rule


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"funding_min": Decimal(0), "funding_max": Decimal(0), "currency": "GBP"}, {}),
        ({"funding_min": Decimal(1000), "funding_max": Decimal(25000), "currency": "EUR"}, {}),
        ({"funding_min": None, "funding_max": None, "currency": "USD"}, {}),
        ({"funding_min": Decimal("-1")}, {"funding_min": NEGATIVE_MIN}),
        ({"funding_max": Decimal("-0.01")}, {"funding_max": NEGATIVE_MAX}),
        ({"funding_min": Decimal(5000), "funding_max": Decimal(100)}, {"funding_max": INVERTED}),
        (
            {"funding_min": Decimal("1e12")},
            {"funding_min": "The smallest amount must be 999,999,999,999 or less"},
        ),
        ({"currency": "GB"}, {"currency": NOT_THREE_LETTERS}),
        ({"currency": "£"}, {"currency": NOT_THREE_LETTERS}),
        ({"currency": "G1P"}, {"currency": NOT_THREE_LETTERS}),
        ({"currency": ""}, {"currency": NOT_THREE_LETTERS}),
        ({"currency": "ABC"}, {"currency": NOT_A_CURRENCY}),
        ({"currency": "XAU"}, {"currency": NOT_A_CURRENCY}),  # gold is not a currency here
        ({"currency": "gbp"}, {"currency": NOT_A_CURRENCY}),  # normalise before asking
    ],
)
def test_funding_rule(values, expected):
    assert funding_errors(values) == expected


def test_a_negative_amount_is_reported_before_the_order_of_the_two():
    errors = funding_errors({"funding_min": Decimal(10), "funding_max": Decimal(-5)})
    assert errors == {"funding_max": NEGATIVE_MAX}


@pytest.mark.parametrize(
    ("typed", "stored"), [("", "GBP"), (None, "GBP"), (" eur ", "EUR"), ("Gbp", "GBP")]
)
def test_currency_is_stored_in_capitals_and_gbp_by_default(typed, stored):
    assert normalise_currency(typed) == stored


def test_the_currency_list_holds_only_three_letter_codes():
    assert {"GBP", "EUR", "USD", "JPY", "CHF"} <= CURRENCY_CODES
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in CURRENCY_CODES)
    assert not {"XAU", "XTS", "XXX", "BOV", "HRK"} & CURRENCY_CODES


# The offer form


class OfferFormFundingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.offer = create_offer(title="Growth grant", funding_min=Decimal(1000))

    def setUp(self):
        self.client = csrf_client(self.curator)
        self.url = reverse("catalogue:offer-edit", kwargs={"public_id": self.offer.public_id})

    def test_bad_amounts_and_currencies_are_refused_with_a_message_on_the_field(self):
        cases = {
            NEGATIVE_MIN: ("funding_min", {"funding_min": "-1"}),
            NEGATIVE_MAX: ("funding_max", {"funding_max": "-500"}),
            INVERTED: ("funding_max", {"funding_min": "5000", "funding_max": "100"}),
            NOT_THREE_LETTERS: ("currency", {"currency": "pounds"}),
            NOT_A_CURRENCY: ("currency", {"currency": "ABC"}),
            "Enter the smallest amount as a number, like 5000": (
                "funding_min",
                {"funding_min": "lots"},
            ),
            "Enter the largest amount with no more than 2 decimal places": (
                "funding_max",
                {"funding_max": "10.005"},
            ),
            "The largest amount must be 999,999,999,999 or less": (
                "funding_max",
                {"funding_max": "10000000000000"},
            ),
        }
        for message, (field, overrides) in cases.items():
            with self.subTest(message=message):
                response = post(self.client, self.url, offer_form_data(self.offer, **overrides))

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "govuk-error-summary")
                self.assertContains(response, f'href="#id_{field}"')
                self.assertEqual(response.context["form"].errors[field], [message])
                self.assertContains(response, "govuk-error-message", count=1)
        self.offer.refresh_from_db()
        self.assertEqual((self.offer.version, self.offer.currency), (1, "GBP"))

    def test_a_currency_is_saved_in_capitals_and_an_empty_one_as_gbp(self):
        response = post(self.client, self.url, offer_form_data(self.offer, currency=" eur "))
        self.assertEqual(response.status_code, 302)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.currency, "EUR")

        response = post(self.client, self.url, offer_form_data(self.offer, currency=""))
        self.assertEqual(response.status_code, 302)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.currency, "GBP")

    def test_the_currency_input_does_not_cut_what_is_typed(self):
        self.client.force_login(self.curator)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="GBP"')
        self.assertNotContains(response, 'maxlength="3"')


# The services, whatever called them


class CurationServiceFundingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.offer = create_offer(funding_min=Decimal(1000), funding_max=Decimal(5000))

    def test_update_refuses_a_negative_amount_and_a_made_up_currency(self):
        with self.assertRaises(ValidationError) as refused:
            curation.update_offer(
                offer=self.offer,
                user=self.curator,
                changes={"funding_min": Decimal(-1), "currency": "XYZ"},
                expected_version=self.offer.version,
            )
        self.assertEqual(
            refused.exception.message_dict,
            {"funding_min": [NEGATIVE_MIN], "currency": [NOT_A_CURRENCY]},
        )
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.funding_min, Decimal(1000))

    def test_update_checks_one_amount_against_the_other_as_saved(self):
        with self.assertRaises(ValidationError) as refused:
            curation.update_offer(
                offer=self.offer,
                user=self.curator,
                changes={"funding_max": Decimal(10)},
                expected_version=self.offer.version,
            )
        self.assertEqual(refused.exception.message_dict, {"funding_max": [INVERTED]})

    def test_create_refuses_a_currency_that_is_not_three_letters(self):
        fields = {
            "title": "Export grant",
            "summary": "Money for exporters.",
            "provider_name": "Gateshead Council",
            "kind": "grant",
            "application_url": "https://example.com/export",
            "councils": list(council_a().councils.all()),
            "currency": "EURO",
        }
        with self.assertRaises(ValidationError) as refused:
            curation.create_offer(curator=council_a(), user=self.curator, fields=fields)
        self.assertEqual(refused.exception.message_dict, {"currency": [NOT_THREE_LETTERS]})
        self.assertFalse(Offer.objects.filter(title="Export grant").exists())


# The CSV import


class CsvImportFundingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def run_import(self, content: bytes):
        return import_offers_csv(
            file=io.BytesIO(content), organisation=council_a(), user=self.curator, dry_run=False
        )

    def test_bad_amounts_and_currencies_are_reported_on_their_row_and_nothing_is_saved(self):
        rows = [
            offer_csv_row(1, funding_min="-100"),
            offer_csv_row(2, funding_max="-1"),
            offer_csv_row(3, funding_min="50000", funding_max="1000"),
            offer_csv_row(4, currency="pounds"),
            offer_csv_row(5, currency="QQQ"),
            offer_csv_row(6, funding_min="1000", funding_max="5000", currency="eur"),
        ]

        report = self.run_import(offer_csv(rows))

        self.assertEqual(
            [(error.line, error.column, error.message) for error in report.errors],
            [
                (2, "funding_min", NEGATIVE_MIN),
                (3, "funding_max", NEGATIVE_MAX),
                (4, "funding_max", INVERTED),
                (5, "currency", NOT_THREE_LETTERS),
                (6, "currency", NOT_A_CURRENCY),
            ],
        )
        self.assertFalse(report.saved)
        self.assertFalse(Offer.objects.exists())

    def test_a_good_currency_is_saved_in_capitals_and_an_empty_one_as_gbp(self):
        rows = [offer_csv_row(1, currency="eur", funding_max="5000"), offer_csv_row(2)]

        report = self.run_import(offer_csv(rows))

        self.assertTrue(report.saved, report.errors)
        currencies = dict(Offer.objects.values_list("external_id", "currency"))
        self.assertEqual(currencies, {"row-1": "EUR", "row-2": "GBP"})

    def test_a_file_from_the_older_template_without_currency_keeps_the_offers_currency(self):
        create_offer(external_id="row-1", curator=council_a(), currency="EUR")
        headers = [name for name in HEADERS if name != "currency"]
        rows = [offer_csv_row(1, title="Renamed"), offer_csv_row(2)]

        report = self.run_import(offer_csv(rows, headers=headers))

        self.assertTrue(report.saved, report.problem or report.errors)
        currencies = dict(Offer.objects.values_list("external_id", "currency"))
        self.assertEqual(currencies, {"row-1": "EUR", "row-2": "GBP"})
        self.assertEqual(Offer.objects.get(external_id="row-1").title, "Renamed")
