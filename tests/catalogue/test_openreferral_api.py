"""The Open Referral UK read API: paging, filters, schema validity, bounded queries."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.catalogue.models import Offer
from portal.catalogue.openreferral import TAXONOMIES, TERMS_BY_ID
from tests.catalogue.oruk_schema import errors
from tests.factories import council_a, create_offer, get_region
from tests.queries import assert_queries_do_not_grow, fetch

SERVICES_URL = reverse("openreferral:services")


def term_id(offer_field: str, value: str) -> str:
    taxonomy = next(t for t in TAXONOMIES if t.offer_field == offer_field)
    return taxonomy.term_id(value)


class ServicesListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.grant = create_offer(
            title="Digital adoption grant",
            status="published",
            kind="grant",
            dimensions=["adoption", "finance"],
            sizes=["micro", "small"],
            sic_sections=["J"],
            contact_email="grants@example.org",
            contact_phone="0191 433 3000",
            cost_note="Match funding of 50% needed",
            eligibility_note="Trading for a year or more.",
        )
        cls.course = create_offer(
            title="Cyber essentials course",
            status="published",
            kind="training_course",
            dimensions=["cyber"],
            uk_wide=True,
            description="Half a day, online.",
        )
        cls.course.regions.set([get_region()])
        cls.draft = create_offer(title="Draft grant", status="draft")
        cls.closed = create_offer(
            title="Closed grant",
            status="published",
            closes=timezone.localdate() - datetime.timedelta(days=1),
        )

    def get(self, url=SERVICES_URL, **params):
        response = self.client.get(url, params)
        self.assertEqual(response["Content-Type"], "application/json")
        return response

    def test_lists_only_published_open_offers_paged_like_oruk(self):
        page = self.get().json()

        self.assertEqual(errors("service_list", page), [])
        self.assertEqual(
            [service["name"] for service in page["contents"]],
            ["Cyber essentials course", "Digital adoption grant"],
        )
        self.assertEqual(page["total_items"], 2)
        self.assertEqual(page["total_pages"], 1)
        self.assertEqual((page["page_number"], page["page"]), (1, 1))
        self.assertTrue(page["first_page"] and page["last_page"])
        self.assertFalse(page["empty"])
        self.assertEqual(page["number_of_elements"], 2)

    def test_a_service_maps_the_offer_fields(self):
        service = self.get(reverse("openreferral:service", args=[self.grant.public_id])).json()

        self.assertEqual(errors("service", service), [])
        self.assertEqual(service["id"], str(self.grant.public_id))
        self.assertEqual(service["url"], self.grant.application_url)
        self.assertEqual(service["email"], "grants@example.org")
        self.assertEqual(service["status"], "active")
        self.assertEqual(service["organization"]["name"], "Business Growth Hub")
        self.assertIn("Match funding of 50% needed", service["fees_description"])
        self.assertIn("Micro (0 to 9 staff)", service["eligibility_description"])
        self.assertIn("Trading for a year or more.", service["eligibility_description"])
        self.assertEqual(service["phones"][0]["number"], "0191 433 3000")
        self.assertEqual([area["description"] for area in service["service_areas"]], ["E08000037"])
        codes = {
            (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
            for a in service["attributes"]
        }
        self.assertEqual(
            codes,
            {
                ("Kind of support", "grant"),
                ("Digital maturity dimension", "adoption"),
                ("Digital maturity dimension", "finance"),
                ("Business size", "micro"),
                ("Business size", "small"),
                ("SIC 2007 section", "J"),
            },
        )

    def test_uk_wide_offers_name_the_united_kingdom_as_an_area(self):
        service = self.get(reverse("openreferral:service", args=[self.course.public_id])).json()

        self.assertEqual(
            [area["name"] for area in service["service_areas"]], ["United Kingdom", "North East"]
        )

    def test_unknown_draft_and_malformed_ids_are_404_json(self):
        for service_id in (self.draft.public_id, self.closed.public_id, "not-a-uuid"):
            with self.subTest(service_id):
                response = self.get(reverse("openreferral:service", args=[service_id]))

                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["status"], 404)

    def test_text_searches_title_summary_description_and_provider(self):
        self.assertEqual(
            [s["name"] for s in self.get(text="half online").json()["contents"]],
            ["Cyber essentials course"],
        )

    def test_taxonomy_term_filters(self):
        page = self.get(taxonomy_term_id=term_id("dimensions", "adoption")).json()
        self.assertEqual([s["name"] for s in page["contents"]], ["Digital adoption grant"])

        page = self.get(taxonomy_term_id=term_id("kind", "training_course")).json()
        self.assertEqual([s["name"] for s in page["contents"]], ["Cyber essentials course"])

        sizes = next(t for t in TAXONOMIES if t.offer_field == "sizes")
        page = self.get(taxonomy_id=sizes.id).json()
        self.assertEqual([s["name"] for s in page["contents"]], ["Digital adoption grant"])

        self.assertEqual(self.get(taxonomy_term_id="unknown").json()["total_items"], 0)

    def test_modified_after(self):
        Offer.objects.filter(pk=self.course.pk).update(
            updated=timezone.now() - datetime.timedelta(days=10)
        )
        since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

        page = self.get(modified_after=since).json()

        self.assertEqual([s["name"] for s in page["contents"]], ["Digital adoption grant"])
        self.assertEqual(self.get(modified_after="2000-01-01").json()["total_items"], 2)

    def test_paging_and_its_bounds(self):
        second = self.get(per_page=1, page=2).json()
        self.assertEqual(errors("service_list", second), [])
        self.assertEqual([s["name"] for s in second["contents"]], ["Digital adoption grant"])
        self.assertEqual((second["total_pages"], second["first_page"]), (2, False))
        self.assertTrue(second["last_page"])

        beyond = self.get(per_page=1, page=9).json()
        self.assertTrue(beyond["empty"])
        self.assertEqual(beyond["contents"], [])
        # Far past the end (an offset PostgreSQL could not hold): still an empty page.
        far = self.get(per_page=100, page="99999999999999999999")
        self.assertEqual(far.status_code, 200)
        self.assertEqual(far.json()["contents"], [])

        self.assertEqual(self.get(per_page=5000).json()["size"], 100)

    def test_bad_parameters_are_400_json(self):
        for params in ({"page": "0"}, {"per_page": "many"}, {"modified_after": "yesterday"}):
            with self.subTest(params):
                response = self.get(**params)

                self.assertEqual(response.status_code, 400)
                self.assertIn("message", response.json())


class TaxonomyTests(TestCase):
    def test_taxonomies_are_our_vocabularies(self):
        page = self.client.get(reverse("openreferral:taxonomies")).json()

        self.assertEqual(errors("taxonomy_list", page), [])
        self.assertEqual(page["total_items"], len(TAXONOMIES))

    def test_taxonomy_terms_list_every_choice_and_filter_by_taxonomy(self):
        page = self.client.get(reverse("openreferral:taxonomy-terms"), {"per_page": 100}).json()

        self.assertEqual(errors("taxonomy_term_list", page), [])
        self.assertEqual(page["total_items"], len(TERMS_BY_ID))
        kinds = TAXONOMIES[0]
        page = self.client.get(
            reverse("openreferral:taxonomy-terms"), {"taxonomy_id": kinds.id}
        ).json()
        self.assertEqual({term["code"] for term in page["contents"]}, set(kinds.choices.values))

    def test_the_schema_checks_formats(self):
        """Guards the other tests: a bad uri or uuid must fail validation."""
        service = {"id": "not-a-uuid", "name": "x", "status": "active", "url": "no uri"}

        self.assertEqual(len(errors("service", service)), 2)


class ServicesQueryCountTests(TestCase):
    """The list runs the same queries whatever the size of the catalogue."""

    def add_offers(self, count: int):
        region = get_region()
        for number in range(Offer.objects.count(), Offer.objects.count() + count):
            offer = create_offer(
                title=f"Offer {number:04d}",
                status="published",
                dimensions=["skills", "data"],
                sizes=["micro"],
                curator=council_a(),
            )
            offer.regions.add(region)

    def test_same_queries_at_10_and_200_offers(self):
        services = fetch(self.client, SERVICES_URL, {"per_page": 100})
        self.add_offers(10)
        self.assertEqual(services().json()["number_of_elements"], 10)

        assert_queries_do_not_grow(services, grow=lambda: self.add_offers(190), maximum=5)
        self.assertEqual(services().json()["number_of_elements"], 100)
