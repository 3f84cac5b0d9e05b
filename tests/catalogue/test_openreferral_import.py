"""Importing an Open Referral UK services feed into draft offers, idempotently: the
feed's services as the UK profile publishes them (feeds/*.json, written from the
profile's schemas), each bad one reported and the rest imported."""

import json
import tempfile
import uuid
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import Cost, Offer, OfferChange, OfferStatus
from portal.catalogue.openreferral.feeds import _with_page, read_feed
from portal.catalogue.services.feed_import import import_openreferral_feed
from portal.catalogue.tasks import import_openreferral_feed as import_feed_task
from tests.factories import (
    COUNCIL_A_GSS_CODE,
    COUNCIL_B_GSS_CODE,
    council_a,
    council_b,
    create_council_a_curator,
    create_offer,
    get_council,
)


def service(number: int, **fields) -> dict:
    service = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://feed.example/{number}")),
        "name": f"Business advice service {number}",
        "description": f"Free advice for local businesses, number {number}.\nMore detail.",
        "url": f"https://feed.example/services/{number}",
        "status": "active",
        "organization": {"id": str(uuid.uuid4()), "name": "Feed Provider Ltd"},
        "service_areas": [
            {
                "id": str(uuid.uuid4()),
                "name": "Gateshead",
                "uri": f"https://x/{COUNCIL_A_GSS_CODE}",
            }
        ],
    }
    service.update(fields)
    return service


def feed_pages(services: list[dict], per_page: int) -> list[dict]:
    chunks = [services[i : i + per_page] for i in range(0, len(services), per_page)]
    return [
        {
            "total_items": len(services),
            "total_pages": len(chunks),
            "page_number": number,
            "size": per_page,
            "first_page": number == 1,
            "last_page": number == len(chunks),
            "empty": False,
            "contents": chunk,
        }
        for number, chunk in enumerate(chunks, start=1)
    ]


class FeedImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = council_a()
        cls.gateshead = get_council()
        get_council(gss_code=COUNCIL_B_GSS_CODE)

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.feed_dir = Path(directory.name)
        self.services = [service(number) for number in range(1, 8)]
        self.write_feed(self.services)

    def write_feed(self, services, per_page=3):
        for old in self.feed_dir.glob("*.json"):
            old.unlink()
        # Named so that a plain sort would put page 10 before page 2.
        for number, page in enumerate(feed_pages(services, per_page), start=1):
            (self.feed_dir / f"services-page-{number}.json").write_text(json.dumps(page))

    def run_import(self, **kwargs):
        return import_openreferral_feed(
            organisation=self.organisation, source=str(self.feed_dir), **kwargs
        )

    def test_a_three_page_feed_becomes_draft_offers_and_a_second_run_changes_nothing(self):
        self.assertEqual(len(read_feed(str(self.feed_dir))), 3)

        first = self.run_import()

        self.assertTrue(first.saved, (first.problem, first.errors))
        self.assertEqual(len(first.to_create), 7)
        offers = Offer.objects.filter(curator=self.organisation)
        self.assertEqual(offers.count(), 7)
        self.assertEqual(set(offers.values_list("status", flat=True)), {OfferStatus.DRAFT})
        self.assertEqual(set(offers.values_list("source", flat=True)), {"openreferral"})
        offer = offers.get(external_id=self.services[0]["id"])
        self.assertEqual(offer.title, "Business advice service 1")
        # One paragraph short enough to be the summary: all of it.
        self.assertEqual(
            offer.summary, "Free advice for local businesses, number 1.\nMore detail."
        )
        self.assertEqual(offer.description, "")
        self.assertEqual(offer.provider_name, "Feed Provider Ltd")
        self.assertEqual(list(offer.councils.all()), [self.gateshead])
        changes = OfferChange.objects.count()

        second = self.run_import()

        self.assertTrue(second.saved)
        self.assertEqual(len(second.unchanged), 7)
        self.assertEqual((len(second.to_create), len(second.to_update)), (0, 0))
        self.assertEqual(Offer.objects.count(), 7)
        self.assertEqual(OfferChange.objects.count(), changes)
        self.assertEqual(set(offers.values_list("version", flat=True)), {1})

    def test_a_changed_service_updates_only_what_the_feed_gives(self):
        self.run_import()
        offer = Offer.objects.get(external_id=self.services[1]["id"])
        Offer.objects.filter(pk=offer.pk).update(cost=Cost.PAID, cost_note="")
        self.services[1]["name"] = "Renamed service"
        self.write_feed(self.services)

        report = self.run_import()

        self.assertEqual([row.changed for row in report.to_update], [("title",)])
        offer.refresh_from_db()
        self.assertEqual((offer.title, offer.cost, offer.version), ("Renamed service", "paid", 2))

    def test_councils_outside_the_organisations_area_are_not_taken(self):
        self.write_feed(
            [service(1, service_areas=[{"id": "a", "uri": f"https://x/{COUNCIL_B_GSS_CODE}"}])]
        )

        self.run_import()

        offer = Offer.objects.get()
        self.assertFalse(offer.uk_wide)
        self.assertEqual(list(offer.councils.all()), [self.gateshead])

    def test_the_uk_is_kept_by_staff_and_is_the_organisations_councils_for_a_curator(self):
        uk = [{"id": "b", "name": "United Kingdom", "uri": "https://x/K02000001"}]
        self.write_feed([service(1, service_areas=uk)])

        self.run_import(user=create_council_a_curator())
        offer = Offer.objects.get()
        self.assertFalse(offer.uk_wide)
        self.assertEqual(list(offer.councils.all()), [self.gateshead])

        self.run_import()  # the command or a scheduled task: platform staff
        offer.refresh_from_db()
        self.assertTrue(offer.uk_wide)
        self.assertEqual(list(offer.councils.all()), [])

    def test_a_bad_service_is_named_and_left_out_and_the_rest_are_imported(self):
        self.services[4]["url"] = "not a link"
        del self.services[5]["name"]
        self.write_feed(self.services)

        report = self.run_import()

        self.assertTrue(report.saved)
        self.assertEqual([(e.line, e.column) for e in report.errors], [(5, "url"), (6, "name")])
        self.assertIn("page 2", report.errors[0].message)
        self.assertIn(self.services[4]["id"], report.errors[0].message)
        self.assertEqual(len(report.to_create), 5)
        self.assertEqual(
            set(Offer.objects.values_list("external_id", flat=True)),
            {s["id"] for n, s in enumerate(self.services) if n not in (4, 5)},
        )

    def test_the_same_id_twice_is_an_error_and_the_first_is_imported(self):
        self.write_feed([service(1), service(1, name="Again")])

        report = self.run_import()

        self.assertEqual([(e.line, e.column) for e in report.errors], [(2, "id")])
        self.assertEqual(list(Offer.objects.values_list("title", flat=True)), [service(1)["name"]])

    def test_a_missing_source_is_a_problem_not_a_crash(self):
        report = import_openreferral_feed(organisation=self.organisation, source="/nowhere")

        self.assertIn("not a URL, a file or a directory", report.problem)

    def test_a_single_file_and_a_bare_list_are_read(self):
        path = self.feed_dir / "all.json"
        path.write_text(json.dumps([service(1), service(2)]))

        report = import_openreferral_feed(organisation=self.organisation, source=str(path))

        self.assertEqual(len(report.to_create), 2)

    def test_our_own_api_output_imports_with_its_taxonomy(self):
        published = create_offer(
            title="Cyber course",
            curator=council_b(),
            status="published",
            kind="training_course",
            dimensions=["cyber", "skills"],
            sizes=["micro"],
        )
        page = self.client.get(reverse("openreferral:services")).json()
        path = self.feed_dir / "ours.json"
        for old in self.feed_dir.glob("services-*.json"):
            old.unlink()
        path.write_text(json.dumps(page))

        report = self.run_import()

        self.assertTrue(report.saved, report.errors)
        offer = Offer.objects.get(curator=self.organisation)
        self.assertEqual(offer.external_id, str(published.public_id))
        self.assertEqual(offer.kind, "training_course")
        self.assertEqual(offer.dimensions, ["skills", "cyber"])
        self.assertEqual(offer.sizes, ["micro"])

    def test_the_command_and_the_task_import_and_can_run_twice(self):
        out = StringIO()
        call_command(
            "import_openreferral",
            str(self.feed_dir),
            organisation=self.organisation.slug,
            stdout=out,
        )
        self.assertIn("7 new offers", out.getvalue())

        result = import_feed_task.delay(str(self.feed_dir), self.organisation.pk).get()

        self.assertEqual(result["unchanged"], 7)
        self.assertEqual(result["created"], 0)
        self.assertEqual(Offer.objects.count(), 7)

    def test_the_command_refuses_an_unknown_organisation(self):
        with self.assertRaises(CommandError):
            call_command("import_openreferral", str(self.feed_dir), organisation="nobody")


def test_page_numbers_replace_any_in_the_url():
    assert (
        _with_page("https://feed.example/services?per_page=50&page=9", 2)
        == "https://feed.example/services?per_page=50&page=2"
    )
