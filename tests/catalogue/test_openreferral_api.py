"""The Open Referral UK read API: every endpoint's answer valid against the profile's own
schemas and OpenAPI description, only the profile's fields, paging, filters, errors as
JSON, CORS, bounded queries."""

import datetime
from decimal import Decimal

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from portal.catalogue.api import PARAMETERS
from portal.catalogue.models import Offer
from portal.catalogue.openreferral.openapi import PROFILE_OPENAPI
from portal.catalogue.openreferral.taxonomies import TAXONOMIES, TAXONOMIES_BY_FIELD, TERMS_BY_ID
from portal.catalogue.openreferral.writing import organization_id
from tests.catalogue.oruk_schema import (
    PROFILE,
    entity_errors,
    profile_openapi,
    response_errors,
    served_response_errors,
    unresolvable_references,
)
from tests.factories import council_a, create_offer, get_region
from tests.queries import assert_queries_do_not_grow, fetch

ROOT_URL = reverse("openreferral:root")
SERVICES_URL = reverse("openreferral:services")
SAL_URL = reverse("openreferral:service-at-locations")
LIST_URLS = {
    "/services": SERVICES_URL,
    "/service_at_locations": SAL_URL,
    "/taxonomies": reverse("openreferral:taxonomies"),
    "/taxonomy_terms": reverse("openreferral:taxonomy-terms"),
}
# Fields HSDS 3.0 has and the UK profile removes (or never had): none may be written.
REMOVED = {"eligibility_description", "fees_description", "fees", "phones"}


def term_id(offer_field: str, value: str) -> str:
    return TAXONOMIES_BY_FIELD[offer_field].term_id(value)


class ApiTestCase(TestCase):
    def get(self, url, status=200, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return response.json()

    def served(self) -> dict:
        return self.get(reverse("openreferral:openapi"))

    def assert_error(self, url, status, params=None, method="get"):
        response = getattr(self.client, method)(url, params or {})
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        body = response.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["message"])
        return body


class ServicesTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.grant = create_offer(
            title="Digital adoption grant",
            status="published",
            kind="grant",
            dimensions=["adoption", "finance"],
            sizes=["micro", "small"],
            sic_sections=["J"],
            summary="Up to half the cost of new software.",
            description="Apply online.\n\nDecisions within a month.",
            contact_email="grants@example.org",
            contact_phone="0191 433 3000",
            cost="subsidised",
            cost_note="Match funding of 50% needed",
            eligibility_note="Trading for a year or more.",
            funding_min=Decimal("1000"),
            funding_max=Decimal("25000"),
            delivery="blended",
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

    def names(self, page):
        return [service["name"] for service in page["contents"]]

    def test_lists_only_published_open_offers_paged_like_the_profile(self):
        page = self.get(SERVICES_URL)

        self.assertEqual(response_errors("/services", page), [])
        self.assertEqual(self.names(page), ["Cyber essentials course", "Digital adoption grant"])
        self.assertEqual(
            {key: value for key, value in page.items() if key != "contents"},
            {
                "total_items": 2,
                "total_pages": 1,
                "page_number": 1,
                "size": 2,
                "first_page": True,
                "last_page": True,
                "empty": False,
            },
        )
        for service in page["contents"]:
            self.assertEqual(response_errors("/services/{id}", service), [])

    def test_a_service_maps_the_offer_fields_onto_the_profiles(self):
        service = self.get(reverse("openreferral:service", args=[self.grant.public_id]))

        self.assertEqual(response_errors("/services/{id}", service), [])
        self.assertEqual(REMOVED & set(service), set())
        self.assertEqual(service["id"], str(self.grant.public_id))
        self.assertEqual(service["url"], self.grant.application_url)
        self.assertEqual(service["email"], "grants@example.org")
        self.assertEqual(service["status"], "active")
        self.assertEqual(service["organization"]["name"], "Business Growth Hub")
        self.assertEqual(
            service["description"],
            "Up to half the cost of new software.\n\nApply online.\n\nDecisions within a "
            "month.\n\nWho can apply: Trading for a year or more.",
        )
        [cost] = service["cost_options"]
        self.assertEqual(
            (cost["option"], cost["amount_description"]),
            ("Subsidised", "Match funding of 50% needed"),
        )
        self.assertNotIn("amount", cost)
        self.assertEqual(
            [f["source"] for f in service["funding"]], ["Amounts from £1,000 to £25,000"]
        )
        [contact] = service["contacts"]
        [phone] = contact["phones"]
        self.assertEqual(phone["number"], "0191 433 3000")
        self.assertEqual(phone["contact_id"], contact["id"])
        self.assertEqual(entity_errors("phone", phone), [])
        self.assertEqual(
            [area["uri"].rsplit("/", 1)[-1] for area in service["service_areas"]], ["E08000037"]
        )
        self.assertEqual(
            [a.get("description") for a in service["service_areas"]], [None]
        )  # the profile has no description on an area
        [place] = service["service_at_locations"]
        self.assertEqual(place["location"]["location_type"], "physical")
        terms = {
            (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["term"])
            for a in service["attributes"]
        }
        self.assertEqual(
            terms,
            {
                ("Kind of support", "Grant"),
                ("Digital maturity dimension", "Digital adoption"),
                ("Digital maturity dimension", "Finance and investment readiness"),
                ("Business size", "Micro (0 to 9 staff)"),
                ("Business size", "Small (10 to 49 staff)"),
                ("SIC 2007 section", "Information and communication"),
                ("Delivery", "Online and in person"),
            },
        )
        for attribute in service["attributes"]:
            self.assertNotIn("link_entity", attribute)
            self.assertNotIn("code", attribute["taxonomy_term"])

    def test_a_free_offer_costs_0_and_an_online_one_has_no_location(self):
        service = self.get(reverse("openreferral:service", args=[self.course.public_id]))

        self.assertEqual(response_errors("/services/{id}", service), [])
        self.assertEqual(
            [(c["option"], c["amount"]) for c in service["cost_options"]], [("Free", 0)]
        )
        self.assertEqual(service["service_at_locations"], [])
        self.assertEqual((service["funding"], service["contacts"]), ([], []))
        self.assertEqual(service["description"], self.course.summary + "\n\nHalf a day, online.")

    def test_uk_wide_offers_name_the_united_kingdom_as_an_area(self):
        service = self.get(reverse("openreferral:service", args=[self.course.public_id]))

        self.assertEqual(
            [area["name"] for area in service["service_areas"]], ["United Kingdom", "North East"]
        )

    def test_unknown_draft_and_malformed_ids_are_404_json(self):
        for service_id in (self.draft.public_id, self.closed.public_id, "not-a-uuid"):
            with self.subTest(service_id):
                body = self.assert_error(reverse("openreferral:service", args=[service_id]), 404)
                self.assertEqual(
                    served_response_errors(self.served(), "/services/{id}", 404, body), []
                )

    def test_search_and_text_search_names_descriptions_and_providers(self):
        for name in ("search", "text"):
            with self.subTest(name):
                page = self.get(SERVICES_URL, **{name: "half  DAY"})
                self.assertEqual(self.names(page), ["Cyber essentials course"])

    def test_taxonomy_term_filters_and_an_empty_one_is_ignored(self):
        page = self.get(SERVICES_URL, taxonomy_term_id=term_id("dimensions", "adoption"))
        self.assertEqual(self.names(page), ["Digital adoption grant"])

        page = self.get(SERVICES_URL, taxonomy_term_id=term_id("kind", "training_course"))
        self.assertEqual(self.names(page), ["Cyber essentials course"])

        page = self.get(SERVICES_URL, taxonomy_term_id=term_id("delivery", "blended"))
        self.assertEqual(self.names(page), ["Digital adoption grant"])

        page = self.get(SERVICES_URL, taxonomy_id=TAXONOMIES_BY_FIELD["sizes"].id)
        self.assertEqual(self.names(page), ["Digital adoption grant"])

        self.assertEqual(self.get(SERVICES_URL, taxonomy_term_id="unknown")["total_items"], 0)
        self.assertEqual(self.get(SERVICES_URL, taxonomy_term_id="")["total_items"], 2)
        self.assertEqual(self.get(SERVICES_URL, taxonomy_term_id=" ")["total_items"], 2)

    def test_modified_after_is_on_or_after(self):
        moment = timezone.now() - datetime.timedelta(days=10)
        Offer.objects.filter(pk=self.course.pk).update(updated=moment)

        page = self.get(SERVICES_URL, modified_after=moment.isoformat())
        self.assertEqual(self.names(page), ["Cyber essentials course", "Digital adoption grant"])

        later = (moment + datetime.timedelta(microseconds=1)).isoformat()
        self.assertEqual(
            self.names(self.get(SERVICES_URL, modified_after=later)), ["Digital adoption grant"]
        )
        self.assertEqual(self.get(SERVICES_URL, modified_after="2000-01-01")["total_items"], 2)

    def test_impossible_dates_are_400_json(self):
        for moment in (
            "2026-13-45",
            "2026-02-30T25:00:00Z",
            "2026-01-01T00:00:00+99:00",
            "9999-12-31T23:59:59-05:00",
            "yesterday",
        ):
            with self.subTest(moment):
                body = self.assert_error(SERVICES_URL, 400, {"modified_after": moment})
                self.assertIn("modified_after", body["message"])

    def test_organization_id_filters_and_a_malformed_one_is_refused(self):
        create_offer(title="Another provider's", status="published", provider_name="Other Ltd")
        wanted = organization_id("Business Growth Hub")

        page = self.get(SERVICES_URL, organization_id=wanted)

        self.assertEqual(self.names(page), ["Cyber essentials course", "Digital adoption grant"])
        self.assertEqual({s["organization_id"] for s in page["contents"]}, {wanted})
        unknown = "00000000-0000-4000-8000-000000000000"
        self.assertEqual(self.get(SERVICES_URL, organization_id=unknown)["total_items"], 0)
        body = self.assert_error(SERVICES_URL, 400, {"organization_id": "Other Ltd"})
        self.assertIn("organization_id", body["message"])

    def test_paging_and_its_bounds(self):
        second = self.get(SERVICES_URL, per_page=1, page=2)
        self.assertEqual(response_errors("/services", second), [])
        self.assertEqual(self.names(second), ["Digital adoption grant"])
        self.assertEqual(
            (second["total_pages"], second["first_page"], second["size"]), (2, False, 1)
        )
        self.assertTrue(second["last_page"])

        beyond = self.get(SERVICES_URL, per_page=1, page=9)
        self.assertTrue(beyond["empty"])
        self.assertEqual((beyond["contents"], beyond["size"]), ([], 0))
        # Far past the end (an offset PostgreSQL could not hold): still an empty page.
        far = self.get(SERVICES_URL, per_page=100, page="9" * 40)
        self.assertEqual(far["contents"], [])

        self.assertEqual(self.get(SERVICES_URL, per_page=5000)["size"], 2)

    def test_bad_paging_is_400_json_on_every_list(self):
        for path, url in LIST_URLS.items():
            for params in ({"page": "²"}, {"page": "0"}, {"per_page": "many"}, {"page": "-1"}):
                with self.subTest(path, **params):
                    body = self.assert_error(url, 400, params)
                    self.assertEqual(served_response_errors(self.served(), path, 400, body), [])

    def test_other_methods_are_405_json(self):
        for method in ("post", "put", "delete", "patch"):
            with self.subTest(method):
                response = getattr(self.client, method)(SERVICES_URL)
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn("GET", response["Allow"])
                self.assertEqual(
                    served_response_errors(self.served(), "/services", 405, response.json()), []
                )
        strict = Client(enforce_csrf_checks=True)  # as a program posting would be
        self.assertEqual(strict.post(SERVICES_URL).status_code, 405)
        self.assertEqual(strict.post(ROOT_URL + "nothing").status_code, 404)
        self.assertEqual(self.client.head(SERVICES_URL).status_code, 200)
        preflight = self.client.options(SERVICES_URL)
        self.assertEqual(preflight["Access-Control-Allow-Origin"], "*")
        self.assertIn("GET", preflight["Access-Control-Allow-Methods"])

    def test_unknown_paths_and_a_nul_character_answer_json(self):
        for url in (
            ROOT_URL + "organizations",
            ROOT_URL + "services/",
            ROOT_URL + "services/a/b",
            "/api/nothing-here",
        ):
            with self.subTest(url):
                self.assert_error(url, 404)
        self.assert_error(SERVICES_URL, 400, {"search": "digital\x00"})
        self.assert_error(ROOT_URL + "services/%00", 400)


class RootAndDescriptionTests(ApiTestCase):
    def test_the_root_says_hsds_3_0_with_the_uk_profile(self):
        root = self.get(ROOT_URL)

        self.assertEqual(response_errors("/", root), [])
        self.assertEqual(root["version"], "3.0")
        self.assertIn("uk-profile", root["profile"])
        self.assertTrue(root["openapi_url"].endswith(reverse("openreferral:openapi")))

    def test_the_description_is_the_profiles_narrowed_to_what_is_implemented(self):
        served = self.served()
        profile = profile_openapi()

        self.assertEqual(unresolvable_references(served), [])
        self.assertEqual(served["openapi"], profile["openapi"])
        self.assertEqual(served["info"]["license"], profile["info"]["license"])
        self.assertEqual(set(served["paths"]), set(profile["paths"]))
        self.assertTrue(served["servers"][0]["url"].endswith("/api/openreferral"))
        for path, item in served["paths"].items():
            operation = item["get"]
            with self.subTest(path):
                self.assertEqual(set(item) - {"parameters"}, {"get"})
                self.assertEqual({"404", "405"} - set(operation["responses"]), set())
                given = [p["$ref"].rsplit("/", 1)[-1] for p in operation.get("parameters", [])]
                self.assertEqual(given, list(PARAMETERS.get(path, given)))
                offered = [
                    p["$ref"].rsplit("/", 1)[-1]
                    for p in profile["paths"][path]["get"].get("parameters", [])
                ]
                self.assertEqual(
                    operation.get("x-not-implemented", []),
                    [name for name in offered if name not in given],
                )
        services = served["paths"]["/services"]["get"]
        self.assertIn("minimum_age", services["x-not-implemented"])
        self.assertIn("minimum_age", services["description"])
        self.assertIn("postcode", served["x-not-implemented"])

    def test_the_served_profile_description_is_the_tests_copy(self):
        self.assertEqual(PROFILE_OPENAPI.read_bytes(), (PROFILE / "openapi30.json").read_bytes())


class ServiceAtLocationTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.in_person = create_offer(title="Workshop", status="published", delivery="in_person")
        cls.blended = create_offer(title="Bootcamp", status="published", delivery="blended")
        cls.online = create_offer(title="Webinar", status="published", delivery="online")
        cls.draft = create_offer(title="Draft workshop", status="draft", delivery="in_person")

    def test_lists_the_offers_delivered_at_a_place(self):
        page = self.get(SAL_URL)

        self.assertEqual(response_errors("/service_at_locations", page), [])
        self.assertEqual(
            [entry["service"]["name"] for entry in page["contents"]], ["Bootcamp", "Workshop"]
        )
        for entry in page["contents"]:
            self.assertEqual(entry["service_id"], entry["service"]["id"])
            self.assertEqual(entry["location_id"], entry["location"]["id"])

    def test_one_is_fully_nested_and_matches_its_services_entry(self):
        service = self.get(reverse("openreferral:service", args=[self.in_person.public_id]))
        [listed] = service["service_at_locations"]

        entry = self.get(reverse("openreferral:service-at-location", args=[listed["id"]]))

        self.assertEqual(response_errors("/service_at_locations/{id}", entry), [])
        self.assertEqual(entry["id"], listed["id"])
        self.assertEqual(entry["location"], listed["location"])
        self.assertEqual(entry["service"]["id"], str(self.in_person.public_id))
        self.assertEqual(entry["service"]["attributes"], service["attributes"])

    def test_no_offer_at_a_place_is_an_empty_list(self):
        Offer.objects.filter(delivery__in=["in_person", "blended"]).update(delivery="online")

        page = self.get(SAL_URL)

        self.assertEqual(response_errors("/service_at_locations", page), [])
        self.assertTrue(page["empty"])
        self.assertEqual((page["total_items"], page["size"], page["contents"]), (0, 0, []))

    def test_unknown_ids_are_404_json(self):
        for unknown in (str(self.online.public_id), str(self.in_person.public_id), "x"):
            with self.subTest(unknown):
                self.assert_error(reverse("openreferral:service-at-location", args=[unknown]), 404)


class TaxonomyTests(ApiTestCase):
    def test_taxonomies_are_our_vocabularies(self):
        page = self.get(reverse("openreferral:taxonomies"))

        self.assertEqual(response_errors("/taxonomies", page), [])
        self.assertEqual(page["total_items"], len(TAXONOMIES))
        self.assertEqual(page["size"], len(TAXONOMIES))

    def test_one_taxonomy_by_id(self):
        for taxonomy in TAXONOMIES:
            with self.subTest(taxonomy.key):
                found = self.get(reverse("openreferral:taxonomy", args=[taxonomy.id]))
                self.assertEqual(response_errors("/taxonomies/{id}", found), [])
                self.assertEqual(found["name"], str(taxonomy.name))
        self.assert_error(reverse("openreferral:taxonomy", args=["nope"]), 404)

    def test_taxonomy_terms_list_every_choice_and_filter_by_taxonomy(self):
        page = self.get(reverse("openreferral:taxonomy-terms"), per_page=100)

        self.assertEqual(response_errors("/taxonomy_terms", page), [])
        self.assertEqual(page["total_items"], len(TERMS_BY_ID))
        kinds = TAXONOMIES_BY_FIELD["kind"]
        page = self.get(reverse("openreferral:taxonomy-terms"), taxonomy_id=kinds.id)
        self.assertEqual(
            {term["term"] for term in page["contents"]}, {str(c.label) for c in kinds.choices}
        )

    def test_every_term_an_attribute_names_answers_by_its_id(self):
        offer = create_offer(
            status="published",
            dimensions=["data"],
            stages=["growing"],
            maturity_levels=["advanced"],
        )
        service = self.get(reverse("openreferral:service", args=[offer.public_id]))

        for attribute in service["attributes"]:
            with self.subTest(attribute["taxonomy_term_id"]):
                url = reverse("openreferral:taxonomy-term", args=[attribute["taxonomy_term_id"]])
                term = self.get(url)
                self.assertEqual(response_errors("/taxonomy_terms/{id}", term), [])
                self.assertEqual(term, attribute["taxonomy_term"])
                taxonomy = self.get(reverse("openreferral:taxonomy", args=[term["taxonomy_id"]]))
                self.assertEqual(taxonomy["name"], term["taxonomy"])
        self.assert_error(reverse("openreferral:taxonomy-term", args=["nope"]), 404)

    def test_the_schema_checks_formats(self):
        """Guards the other tests: a bad uri or uuid must fail validation."""
        service = {"id": "not-a-uuid", "name": "x", "status": "active", "url": "no uri"}

        self.assertEqual(len(response_errors("/services/{id}", service)), 2)


class QueryCountTests(TestCase):
    """The lists run the same queries whatever the size of the catalogue."""

    def add_offers(self, count: int):
        region = get_region()
        for number in range(Offer.objects.count(), Offer.objects.count() + count):
            offer = create_offer(
                title=f"Offer {number:04d}",
                status="published",
                dimensions=["skills", "data"],
                sizes=["micro"],
                delivery="in_person",
                contact_phone="0191 000 0000",
                curator=council_a(),
            )
            offer.regions.add(region)

    def test_same_queries_at_10_and_200_offers(self):
        pages = {
            "services": fetch(self.client, SERVICES_URL, {"per_page": 100}),
            "service_at_locations": fetch(self.client, SAL_URL, {"per_page": 100}),
            "by organization": fetch(
                self.client,
                SERVICES_URL,
                {"per_page": 100, "organization_id": organization_id("Business Growth Hub")},
            ),
        }
        self.add_offers(10)
        self.assertEqual(pages["services"]().json()["size"], 10)

        assert_queries_do_not_grow(pages, grow=lambda: self.add_offers(190), maximum=6)
        self.assertEqual(pages["service_at_locations"]().json()["size"], 100)
