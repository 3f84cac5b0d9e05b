"""What the feed importer reads from a UK profile service, and what it refuses: links,
addresses, status, costs, phones, locations, areas and funding; malformed values as
errors of their service, never a traceback; what needs a curator's eye as warnings."""

import copy
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.services.curation import publish_offer
from portal.catalogue.services.feed_import import import_openreferral_feed
from portal.lib.versioning import StatusError
from tests.catalogue.oruk_schema import entity_errors
from tests.factories import (
    COUNCILS,
    council_a,
    create_council_a_curator,
    create_moderator,
    create_offer,
    create_organisation,
    get_council,
    get_region,
)

FEEDS = Path(__file__).parent / "feeds"
NORTH_EAST = [code for code, facts in COUNCILS.items() if facts[-1] == "TLC"]


def feed(name: str) -> dict:
    return json.loads((FEEDS / name).read_text(encoding="utf-8"))


def one(**fields) -> dict:
    """A minimal UK profile service, with ``fields``."""
    service = {
        "id": "5b0c9a52-0000-4000-8000-000000000001",
        "name": "Business advice line",
        "status": "active",
        "url": "https://advice.example.org/",
    }
    return service | fields


class FeedImportCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = council_a()
        cls.gateshead = get_council()

    def run_import(self, *services, page=None, **kwargs):
        pages = [page or {"contents": list(services)}]
        return import_openreferral_feed(organisation=self.organisation, pages=pages, **kwargs)

    def offer(self, external_id="5b0c9a52-0000-4000-8000-000000000001") -> Offer:
        return Offer.objects.get(curator=self.organisation, external_id=external_id)


class PublishedShapeTests(FeedImportCase):
    """feeds/uk_profile_page.json: four services as the profile publishes them."""

    def setUp(self):
        self.page = feed("uk_profile_page.json")
        self.report = self.run_import(page=self.page)
        self.assertTrue(self.report.saved)
        self.assertEqual(self.report.errors, [])

    def test_the_fixture_is_valid_against_the_profiles_schema(self):
        for service in self.page["contents"]:
            with self.subTest(service["name"]):
                self.assertEqual(entity_errors("service", service), [])

    def test_in_person_with_an_address_free_with_a_phone(self):
        offer = self.offer("062fd018-0f5e-49ab-b4e4-37e559a39a2f")

        self.assertEqual(offer.delivery, "in_person")
        # No service area: the address's town places it.
        self.assertEqual(list(offer.councils.all()), [self.gateshead])
        self.assertEqual((offer.cost, offer.cost_note), ("free", ""))
        self.assertEqual(offer.contact_phone, "0191 433 3000")
        self.assertEqual(offer.contact_email, "clinic@growth.example.org")
        self.assertEqual(offer.summary, "One-to-one advice for new businesses.")
        self.assertEqual(offer.description, "Book a 45-minute slot with an adviser.")
        self.assertEqual(offer.status, OfferStatus.DRAFT)

    def test_no_url_takes_the_organisations_website_and_inactive_is_archived(self):
        offer = self.offer("4227f085-45cc-4994-be81-6a8f25d5fa42")

        self.assertEqual(offer.application_url, "https://chamber.example.org")
        self.assertEqual(offer.status, OfferStatus.ARCHIVED)
        self.assertEqual(offer.delivery, "online")
        self.assertEqual(offer.cost, "free")  # the first option's
        self.assertEqual(offer.cost_note, "Members; Non-members £35 per webinar")
        # A region the organisation does not cover in full: its councils there.
        self.assertEqual(list(offer.councils.all()), [self.gateshead])
        self.assertEqual(list(offer.regions.all()), [])

    def test_no_link_at_all_is_imported_and_flagged_for_the_curator(self):
        offer = self.offer("269e5fa9-3938-4a50-8722-62dcec08ff7a")

        self.assertEqual(offer.application_url, "")
        [warning] = [w for w in self.report.warnings if w.column == "url"]
        self.assertEqual(warning.line, 3)
        self.assertIn("269e5fa9-3938-4a50-8722-62dcec08ff7a", warning.message)
        self.assertIn("no link", warning.message)
        # Named by the area's name alone.
        self.assertEqual(list(offer.councils.all()), [self.gateshead])

        self.client.force_login(create_council_a_curator())
        queue = self.client.get(reverse("catalogue:curation-queue"), {"group": "no-link"})
        self.assertEqual([o.title for o in queue.context["groups"][0]["offers"]], [offer.title])
        with self.assertRaises(StatusError):
            publish_offer(offer=offer, user=create_moderator())
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.DRAFT)

    def test_uk_wide_blended_with_funding_amounts(self):
        offer = self.offer("0755bfaa-a468-4f01-9ba0-758293ecc070")

        self.assertTrue(offer.uk_wide)
        self.assertEqual(offer.delivery, "blended")
        self.assertEqual(
            (offer.funding_min, offer.funding_max, offer.currency),
            (Decimal("10000"), Decimal("150000"), "GBP"),
        )

    def test_a_second_run_changes_nothing(self):
        again = self.run_import(page=self.page)

        self.assertEqual(len(again.unchanged), 4)
        self.assertEqual(set(Offer.objects.values_list("version", flat=True)), {1})


class MalformedValuesTests(FeedImportCase):
    def test_each_malformed_value_is_its_services_error_and_the_good_one_is_imported(self):
        report = self.run_import(page=feed("malformed_page.json"))

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [
                (1, "attributes"),
                (2, "attributes[0].taxonomy_term"),
                (3, "service_areas"),
                (4, "cost_options"),
                (5, "contacts[0].phones"),
                (6, "service_at_locations[0].location"),
                (7, "funding"),
                (8, "cost_options[0].amount"),
            ],
        )
        self.assertIn("must be a list", report.errors[0].message)
        self.assertIn("must be a JSON object", report.errors[1].message)
        self.assertEqual(list(Offer.objects.values_list("title", flat=True)), ["A good service"])

    def test_whole_services_of_the_wrong_shape(self):
        report = self.run_import(5, "text", None, [1], one(id=True), one(id=""), one(name=7))

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [(n, "(service)") for n in range(1, 5)] + [(5, "id"), (6, "id"), (7, "name")],
        )
        self.assertFalse(Offer.objects.exists())

    def test_pages_of_the_wrong_shape_are_errors(self):
        report = import_openreferral_feed(
            organisation=self.organisation, pages=[{"contents": 5}, "x", {"contents": [one()]}]
        )

        self.assertEqual([error.column for error in report.errors], ["contents", "contents"])
        self.assertEqual(Offer.objects.count(), 1)

    def test_a_nul_character_is_refused(self):
        report = self.run_import(one(name="Advice\x00line"), one(id="a\x00b"))

        self.assertEqual([error.column for error in report.errors], ["name", "id"])

    def test_json_nested_too_deeply_is_a_problem_not_a_crash(self):
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "deep.json"
        path.write_text("[" * 200_000)

        report = import_openreferral_feed(organisation=self.organisation, source=str(path))

        self.assertIn("nested too deeply", report.problem)


class AddressTests(FeedImportCase):
    def test_a_bad_url_or_email_is_refused(self):
        report = self.run_import(
            one(id="a", url="javascript:alert(1)"),
            one(id="b", url="www.example.org"),
            one(id="c", email="not an address"),
            one(id="d", email="a@b@example.org"),
            one(id="e", url="https://example.org/" + "x" * 500),
        )

        self.assertEqual(
            [(error.line, error.column) for error in report.errors],
            [(1, "url"), (2, "url"), (3, "email"), (4, "email"), (5, "url")],
        )

    def test_an_international_address_is_stored_as_the_schema_wants_it(self):
        self.run_import(one(url="https://bücher.example/café?q=ü"))

        self.assertEqual(
            self.offer().application_url, "https://xn--bcher-kva.example/caf%C3%A9?q=%C3%BC"
        )

    def test_a_missing_url_never_clears_a_link_a_curator_added(self):
        self.run_import(one(url=None))
        offer = self.offer()
        Offer.objects.filter(pk=offer.pk).update(application_url="https://added.example.org")

        report = self.run_import(one(url=None))

        self.assertEqual(len(report.unchanged), 1)
        self.assertEqual(report.warnings, [])
        offer.refresh_from_db()
        self.assertEqual(offer.application_url, "https://added.example.org")


class StatusTests(FeedImportCase):
    def test_any_status_but_active_is_imported_archived(self):
        statuses = ["active", "inactive", "defunct", "temporarily closed", "ACTIVE", None]
        self.run_import(*(one(id=str(n), status=s) for n, s in enumerate(statuses)))

        self.assertEqual(
            [self.offer(str(n)).status for n in range(len(statuses))],
            ["draft", "archived", "archived", "archived", "draft", "draft"],
        )

    def test_a_service_that_stops_being_active_archives_its_offer(self):
        self.run_import(one())
        offer = self.offer()
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.PUBLISHED)

        report = self.run_import(one(status="defunct"))

        self.assertEqual([row.changed for row in report.to_update], [("status",)])
        offer.refresh_from_db()
        self.assertEqual((offer.status, offer.version), (OfferStatus.ARCHIVED, 2))
        imported = offer.changes.order_by("-at", "-pk").first()
        self.assertEqual(imported.fields["status"], ["published", "archived"])

        self.run_import(one(status="active"))  # never published again by an import
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.ARCHIVED)


class CostTests(FeedImportCase):
    def cost(self, **fields):
        Offer.objects.all().delete()
        report = self.run_import(one(**fields))
        self.assertEqual(report.errors, [])
        offer = self.offer()
        return offer.cost, offer.cost_note

    def test_cost_options(self):
        cases = [
            ([{"id": "1", "option": "Free", "amount": 0}], ("free", "")),
            ([{"id": "1", "amount": 0}], ("free", "")),
            ([{"id": "1", "option": "Per session", "amount": 35}], ("paid", "Per session £35")),
            (
                [{"id": "1", "option": "Subsidised", "amount_description": "Half paid by us"}],
                ("subsidised", "Half paid by us"),
            ),
            ([{"id": "1", "option": "Adults", "amount": "12.50"}], ("paid", "Adults £12.50")),
            ([{"id": "1", "option": "free for members"}], ("free", "free for members")),
        ]
        for options, expected in cases:
            with self.subTest(options):
                self.assertEqual(self.cost(cost_options=options), expected)

    def test_older_feeds_fees_text(self):
        self.assertEqual(self.cost(fees="Free"), ("free", ""))
        self.assertEqual(self.cost(fees_description="£20 a month"), ("paid", "£20 a month"))
        self.assertEqual(self.cost(fees="Free. Lunch £5"), ("free", "Free. Lunch £5"))

    def test_a_long_note_is_cut_with_a_warning(self):
        report = self.run_import(one(cost_options=[{"id": "1", "amount_description": "x " * 400}]))

        note = self.offer().cost_note
        self.assertLessEqual(len(note), 300)
        self.assertTrue(note.endswith("x …") or note.endswith("x…"), note[-10:])
        self.assertEqual([w.column for w in report.warnings], ["cost_options"])

    def test_no_cost_in_the_feed_leaves_the_offers(self):
        self.run_import(one())
        Offer.objects.update(cost="paid", cost_note="£10")

        self.run_import(one())

        self.assertEqual((self.offer().cost, self.offer().cost_note), ("paid", "£10"))


class PhoneTests(FeedImportCase):
    def test_the_first_phone_of_the_service_or_of_a_contact(self):
        self.run_import(
            one(id="hsds", phones=[{"id": "1", "number": "0191 000 0001"}]),
            one(
                id="uk",
                contacts=[
                    {"id": "c1", "name": "No phone"},
                    {"id": "c2", "phones": [{"id": "2", "number": " 0191 000 0002 "}]},
                ],
            ),
            one(id="none", contacts=[]),
        )

        self.assertEqual(self.offer("hsds").contact_phone, "0191 000 0001")
        self.assertEqual(self.offer("uk").contact_phone, "0191 000 0002")
        self.assertEqual(self.offer("none").contact_phone, "")

    def test_a_number_too_long_to_keep_is_left_out_with_a_warning(self):
        long_number = "0191 000 0000 (Monday to Friday, 9am to 5pm only)"
        phones = [{"id": "1", "number": long_number}, {"id": "2", "number": "0191 000 0003"}]

        report = self.run_import(one(phones=phones))

        self.assertEqual(self.offer().contact_phone, "0191 000 0003")
        self.assertEqual([w.column for w in report.warnings], ["phones[0].number"])


class PlaceTests(FeedImportCase):
    def place(self, organisation, **fields):
        Offer.objects.all().delete()
        import_openreferral_feed(organisation=organisation, pages=[{"contents": [one(**fields)]}])
        offer = Offer.objects.get()
        return (
            offer.uk_wide,
            [r.ons_code for r in offer.regions.all()],
            sorted(c.gss_code for c in offer.councils.all()),
        )

    def test_a_region_covered_in_full_is_kept_else_the_councils_in_it(self):
        for code in NORTH_EAST:
            get_council(gss_code=code)
        north_east = create_organisation(councils=list(get_region().councils.all()))
        area = [{"id": "1", "name": "North East", "uri": "https://x/E12000001"}]
        self.assertEqual(self.place(north_east, service_areas=area), (False, ["E12000001"], []))
        self.assertEqual(
            self.place(self.organisation, service_areas=area), (False, [], ["E08000037"])
        )

    def test_names_and_codes_of_councils(self):
        get_region()
        areas = [{"id": "1", "name": "gateshead"}, {"id": "2", "service_area": "E08000021"}]
        both = create_organisation(councils=[get_council(), get_council(gss_code="E08000021")])

        self.assertEqual(
            self.place(both, service_areas=areas), (False, [], ["E08000021", "E08000037"])
        )

    def test_none_named_is_every_council_of_the_organisation(self):
        self.assertEqual(self.place(self.organisation), (False, [], ["E08000037"]))


class FundingTests(FeedImportCase):
    def funding(self, entries):
        Offer.objects.all().delete()
        report = self.run_import(one(funding=entries))
        offer = Offer.objects.filter().first()
        return report, offer and (offer.funding_min, offer.funding_max, offer.currency)

    def test_the_exports_words_give_the_amounts(self):
        cases = {
            "Amounts from £1,000 to £25,000": (Decimal("1000"), Decimal("25000"), "GBP"),
            "Amounts from £500": (Decimal("500"), None, "GBP"),
            "Amounts up to EUR 2,500.50": (None, Decimal("2500.50"), "EUR"),
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(self.funding([{"id": "1", "source": text}])[1], expected)

    def test_other_sources_give_no_amounts_and_bad_amounts_are_refused(self):
        _report, amounts = self.funding([{"id": "1", "source": "UK Shared Prosperity Fund"}])
        self.assertEqual(amounts, (None, None, "GBP"))

        report, amounts = self.funding([{"id": "1", "source": "Amounts from £5 to £1"}])
        self.assertEqual([e.column for e in report.errors], ["funding"])
        self.assertIsNone(amounts)

    def test_an_empty_funding_list_clears_the_amounts(self):
        self.run_import(one(funding=[{"id": "1", "source": "Amounts up to £900"}]))
        self.run_import(one(funding=[]))

        self.assertEqual((self.offer().funding_min, self.offer().funding_max), (None, None))


class TermTests(FeedImportCase):
    def test_terms_by_taxonomy_and_text_when_the_id_is_not_ours(self):
        published = create_offer(status="published", kind="loan", delivery="in_person")
        service = self.client.get(reverse("openreferral:service", args=[published.public_id]))
        attributes = copy.deepcopy(service.json()["attributes"])
        for attribute in attributes:  # as another directory might copy them
            attribute["taxonomy_term_id"] = attribute["taxonomy_term"]["id"] = "other"

        self.run_import(one(attributes=attributes))

        self.assertEqual((self.offer().kind, self.offer().delivery), ("loan", "in_person"))
