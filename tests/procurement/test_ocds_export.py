"""The OCDS export: /api/ocds/releases and /api/ocds/releases/{ocid}.

What is published (posted here and public only), the mapping onto OCDS 1.1 and its
extensions, validity against the release package schema, cursor paging on
publishedDate, and the same number of queries at 10 and 200 opportunities.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import CpvCode, Opportunity
from portal.procurement.ocds import EXTENSIONS
from portal.procurement.ocds.writing import rfc3339
from tests.factories import (
    cluster_body,
    cluster_body_y,
    create_opportunity,
    get_council,
    get_region,
)
from tests.procurement.schemas import errors
from tests.queries import assert_queries_do_not_grow, fetch

RELEASES_URL = reverse("ocds:releases")
SITE_URL = "https://waymark.example"


def release_url(ocid: str) -> str:
    return reverse("ocds:release", args=[ocid])


@override_settings(SITE_URL=SITE_URL, OCDS_OCID_PREFIX="ocds-test01")
class ReleasePackageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # update_or_create: the CPV data migration may hold these codes already.
        for code, description in (
            ("72000000", "IT services: consulting, software"),
            ("72212000", "Programming services of application"),
            ("48000000", "Software package and information systems"),
        ):
            CpvCode.objects.update_or_create(code=code, defaults={"description": description})
        CpvCode.objects.filter(code="79341000").delete()
        now = timezone.now()
        cls.gateshead = get_council(gss_code="E08000037")
        cls.north_east = get_region(itl_code="TLC")
        cls.website = create_opportunity(
            title="New website for the cluster",
            description="Design and build &amp; host a website.\nAccessible to WCAG 2.2 AA.",
            ocid="ocds-test01-website",
            buyer=cluster_body(),
            cpv_codes=["72212000", "48000000", "79341000"],
            value_min=Decimal("20000"),
            value_max=Decimal("45000.50"),
            published_at=now - datetime.timedelta(days=3),
            tender_start=now - datetime.timedelta(days=3),
            deadline=now + datetime.timedelta(days=12),
            contract_start=datetime.date(2027, 2, 1),
            contract_end=datetime.date(2028, 1, 31),
            councils=[cls.gateshead],
            regions=[cls.north_east],
            delivery_location="Gateshead Quays",
            sme_suitable=True,
            vcse_suitable=False,
            procedure="open",
            procedure_details="Below threshold, open competition",
            notice_url="https://waymark.example/notices/website.pdf",
            documents=[
                {"title": "Specification", "url": "https://waymark.example/spec.pdf"},
            ],
            contact_name="Priya Poster",
            contact_email="tenders@netc.example",
            lots=[
                {
                    "title": "Design",
                    "value": Decimal("15000"),
                    "cpv_codes": ["79822500"],
                    "sme_suitable": True,
                },
                {"title": "Hosting", "value": None, "cpv_codes": []},
            ],
        )
        cls.unstated = create_opportunity(
            title="Cyber security review",
            ocid="ocds-test01-cyber",
            value_max=Decimal("0"),
            uk_wide=True,
            published_at=now - datetime.timedelta(days=2),
        )
        cls.closed = create_opportunity(
            title="Closed: data dashboard",
            ocid="ocds-test01-closed",
            status="closed",
            published_at=now - datetime.timedelta(days=40),
            deadline=now - datetime.timedelta(days=5),
        )
        cls.no_ocid = create_opportunity(
            title="Marketing support", published_at=now - datetime.timedelta(days=1)
        )
        cls.draft = create_opportunity(title="Draft", ocid="ocds-test01-draft", status="draft")
        cls.pending = create_opportunity(
            title="Pending", ocid="ocds-test01-pending", status="pending"
        )
        cls.withdrawn = create_opportunity(
            title="Withdrawn", ocid="ocds-test01-withdrawn", status="withdrawn"
        )
        cls.imported = create_opportunity(
            title="Imported tender",
            ocid="ocds-b5fd17-imported",
            source="imported",
            publisher=None,
        )

    def get(self, url=RELEASES_URL, **params):
        response = self.client.get(url, params)
        self.assertEqual(response["Content-Type"], "application/json")
        return response

    def release_for(self, package, ocid):
        return next(release for release in package["releases"] if release["ocid"] == ocid)

    def test_package_lists_public_posted_opportunities_oldest_published_first(self):
        package = self.get().json()

        self.assertEqual(
            [release["tender"]["title"] for release in package["releases"]],
            [
                "Closed: data dashboard",
                "New website for the cluster",
                "Cyber security review",
                "Marketing support",
            ],
        )

    def test_package_is_valid_ocds_1_1(self):
        package = self.get().json()

        self.assertEqual(errors(package), [])

    def test_package_metadata(self):
        package = self.get(per_page="2").json()

        self.assertEqual(package["version"], "1.1")
        self.assertEqual(package["uri"], f"{SITE_URL}{RELEASES_URL}?per_page=2")
        self.assertEqual(package["publisher"], {"name": "Waymark", "uri": f"{SITE_URL}/"})
        self.assertIn("open-government-licence/version/3", package["license"])
        for url in EXTENSIONS.values():
            self.assertIn(url, package["extensions"])
        self.assertEqual(
            package["publishedDate"], max(release["date"] for release in package["releases"])
        )

    @override_settings(DEPLOYMENT_NAME="Digital North East")
    def test_publisher_is_the_deployment(self):
        package = self.get().json()

        self.assertEqual(package["publisher"]["name"], "Digital North East")

    def test_release_maps_the_opportunity(self):
        release = self.release_for(self.get().json(), "ocds-test01-website")
        tender = release["tender"]

        self.assertEqual(release["initiationType"], "tender")
        self.assertEqual(release["tag"], ["tender"])
        self.assertEqual(release["date"], rfc3339(self.website.last_changed))
        self.assertTrue(release["id"].startswith("ocds-test01-website-"))
        self.assertEqual(release["buyer"]["name"], "North East Tech Cluster")
        party = release["parties"][0]
        self.assertEqual(party["id"], release["buyer"]["id"])
        self.assertEqual(party["roles"], ["buyer"])
        self.assertEqual(
            party["contactPoint"], {"name": "Priya Poster", "email": "tenders@netc.example"}
        )
        self.assertEqual(party["details"], {"buyerType": "public"})
        self.assertEqual(tender["status"], "active")
        self.assertEqual(tender["mainProcurementCategory"], "services")
        self.assertEqual(tender["procurementMethod"], "open")
        self.assertEqual(tender["procurementMethodDetails"], "Below threshold, open competition")
        self.assertIn("\n", tender["description"])
        # Codes are kept in order: the first is the classification, the rest additional.
        self.assertEqual(
            tender["classification"],
            {
                "scheme": "CPV",
                "id": "48000000",
                "description": "Software package and information systems",
            },
        )
        self.assertEqual(
            tender["additionalClassifications"],
            [
                {
                    "scheme": "CPV",
                    "id": "72212000",
                    "description": "Programming services of application",
                },
                {"scheme": "CPV", "id": "79341000"},
            ],
        )
        self.assertEqual(tender["value"], {"amount": 45000.5, "currency": "GBP"})
        self.assertEqual(tender["minValue"], {"amount": 20000, "currency": "GBP"})
        self.assertEqual(tender["tenderPeriod"]["endDate"], rfc3339(self.website.deadline))
        self.assertEqual(
            tender["contractPeriod"],
            {"startDate": "2027-02-01T00:00:00Z", "endDate": "2028-01-31T00:00:00Z"},
        )
        self.assertEqual(tender["datePublished"], rfc3339(self.website.published_at))
        self.assertEqual(tender["suitability"], {"sme": True, "vcse": False})
        notice, specification = tender["documents"]
        self.assertEqual(notice["documentType"], "tenderNotice")
        self.assertEqual(notice["url"], "https://waymark.example/notices/website.pdf")
        self.assertEqual(specification["url"], "https://waymark.example/spec.pdf")

    def test_lots_become_lots_and_items_with_their_own_codes(self):
        tender = self.release_for(self.get().json(), "ocds-test01-website")["tender"]

        self.assertEqual(
            tender["lots"],
            [
                {
                    "id": "1",
                    "status": "active",
                    "title": "Design",
                    "value": {"amount": 15000, "currency": "GBP"},
                    "suitability": {"sme": True},
                },
                {"id": "2", "status": "active", "title": "Hosting"},
            ],
        )
        lot_items = [item for item in tender["items"] if "relatedLot" in item]
        self.assertEqual(len(lot_items), 1)
        self.assertEqual(lot_items[0]["relatedLot"], "1")
        self.assertEqual(lot_items[0]["classification"]["id"], "79822500")

    def test_places_become_delivery_addresses_and_locations(self):
        website = self.release_for(self.get().json(), "ocds-test01-website")
        item = website["tender"]["items"][0]

        self.assertEqual(
            item["deliveryAddresses"],
            [
                {"region": "North East", "countryName": "United Kingdom"},
                {
                    "locality": "Gateshead",
                    "region": "North East",
                    "countryName": "United Kingdom",
                },
            ],
        )
        self.assertEqual(item["deliveryLocations"], [{"description": "Gateshead Quays"}])

    def test_uk_wide_is_the_country(self):
        item = self.release_for(self.get().json(), "ocds-test01-cyber")["tender"]["items"][0]

        self.assertEqual(item["deliveryAddresses"], [{"countryName": "United Kingdom"}])
        self.assertNotIn("deliveryLocations", item)

    def test_value_not_stated_is_left_out_never_zero(self):
        tender = self.release_for(self.get().json(), "ocds-test01-cyber")["tender"]

        self.assertNotIn("value", tender)
        self.assertNotIn("minValue", tender)

    def test_closed_opportunity_is_complete(self):
        tender = self.release_for(self.get().json(), "ocds-test01-closed")["tender"]

        self.assertEqual(tender["status"], "complete")
        self.assertNotIn("awards", self.release_for(self.get().json(), "ocds-test01-closed"))

    def test_awarded_opportunity_is_complete_with_an_award(self):
        create_opportunity(
            title="Awarded: help desk",
            ocid="ocds-test01-awarded",
            status="awarded",
            deadline=timezone.now() - datetime.timedelta(days=30),
        )

        package = self.get().json()

        self.assertEqual(errors(package), [])
        release = self.release_for(package, "ocds-test01-awarded")
        self.assertEqual(release["tag"], ["award"])
        self.assertEqual(release["tender"]["status"], "complete")
        self.assertEqual(
            release["awards"], [{"id": "ocds-test01-awarded-award", "status": "active"}]
        )

    def test_opportunity_without_ocid_gets_one_from_our_prefix(self):
        package = self.get().json()

        self.assertIn(
            f"ocds-test01-{self.no_ocid.public_id}", {r["ocid"] for r in package["releases"]}
        )

    def test_never_lists_drafts_pending_withdrawn_or_imported(self):
        ocids = {release["ocid"] for release in self.get().json()["releases"]}

        for hidden in (self.draft, self.pending, self.withdrawn, self.imported):
            self.assertNotIn(hidden.ocid, ocids)

    def test_release_id_changes_with_each_version(self):
        before = self.release_for(self.get().json(), "ocds-test01-cyber")
        Opportunity.objects.filter(pk=self.unstated.pk).update(
            version=2, last_changed=timezone.now() + datetime.timedelta(minutes=5)
        )

        after = self.release_for(self.get().json(), "ocds-test01-cyber")

        self.assertNotEqual(before["id"], after["id"])
        self.assertEqual(after["tag"], ["tenderUpdate"])
        self.assertGreater(after["date"], before["date"])

    def test_cursor_pages_follow_links_next_to_the_end(self):
        seen, url, pages = [], RELEASES_URL + "?per_page=1", 0
        while url:
            package = self.client.get(url).json()
            self.assertEqual(errors(package), [])
            self.assertLessEqual(len(package["releases"]), 1)
            seen += [release["ocid"] for release in package["releases"]]
            next_url = package.get("links", {}).get("next")
            if next_url:
                self.assertTrue(next_url.startswith(SITE_URL + RELEASES_URL + "?"))
                parts = urlsplit(next_url)
                url = f"{parts.path}?{parts.query}"
            else:
                url = None
            pages += 1

        self.assertEqual(pages, 4)
        self.assertEqual(seen, [r["ocid"] for r in self.get().json()["releases"]])

    def test_last_page_has_no_next_link(self):
        package = self.get().json()

        self.assertNotIn("links", package)

    def test_a_page_published_later_does_not_shift_earlier_pages(self):
        first = self.get(per_page="2").json()
        create_opportunity(
            title="Published first of all",
            published_at=timezone.now() - datetime.timedelta(days=400),
        )
        parts = urlsplit(first["links"]["next"])

        second = self.client.get(f"{parts.path}?{parts.query}").json()

        self.assertEqual(
            [release["tender"]["title"] for release in second["releases"]],
            ["Cyber security review", "Marketing support"],
        )

    def test_bad_parameters_are_400_with_a_message(self):
        for params in ({"per_page": "0"}, {"per_page": "501"}, {"per_page": "ten"}):
            with self.subTest(params):
                response = self.get(**params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("per_page", response.json()["message"])
        for cursor in ("nonsense", "bm9ucGlwZQ", "MjAyNi0wMS0wMXxhYmM"):
            with self.subTest(cursor):
                response = self.get(cursor=cursor)
                self.assertEqual(response.status_code, 400)
                self.assertIn("cursor", response.json()["message"])

    def test_only_get(self):
        self.assertEqual(self.client.post(RELEASES_URL).status_code, 405)

    def test_one_release_by_ocid(self):
        response = self.get(release_url("ocds-test01-website"))

        package = response.json()
        self.assertEqual(errors(package), [])
        self.assertEqual([r["ocid"] for r in package["releases"]], ["ocds-test01-website"])
        self.assertEqual(package["uri"], SITE_URL + release_url("ocds-test01-website"))
        self.assertNotIn("links", package)

    def test_one_release_by_derived_ocid(self):
        ocid = f"ocds-test01-{self.no_ocid.public_id}"

        package = self.get(release_url(ocid)).json()

        self.assertEqual([r["ocid"] for r in package["releases"]], [ocid])

    def test_unknown_or_hidden_release_is_404_json(self):
        for ocid in (
            "ocds-test01-nothing",
            "ocds-test01-not-a-uuid",
            self.draft.ocid,
            self.pending.ocid,
            self.withdrawn.ocid,
            self.imported.ocid,
        ):
            with self.subTest(ocid):
                response = self.get(release_url(ocid))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["status"], 404)


@override_settings(SITE_URL=SITE_URL)
class PrivateBuyerTests(TestCase):
    def test_private_buyer_without_organisation(self):
        create_opportunity(
            title="Office fit-out",
            publisher=cluster_body_y(),
            buyer_name="Tyneside Logistics Ltd",
            buyer_type="private",
            main_category="works",
            cpv_codes=["45000000"],
            stage="planning",
        )

        package = self.client.get(RELEASES_URL).json()

        self.assertEqual(errors(package), [])
        release = package["releases"][0]
        self.assertEqual(release["buyer"]["name"], "Tyneside Logistics Ltd")
        self.assertEqual(release["parties"][0]["details"], {"buyerType": "private"})
        self.assertEqual(release["tag"], ["planning"])
        self.assertEqual(release["tender"]["status"], "planning")
        self.assertEqual(release["tender"]["mainProcurementCategory"], "works")


class ValidatorTests(TestCase):
    """The checks themselves catch what breaks OCDS, so a pass above means something."""

    def test_broken_packages_are_reported(self):
        release = {
            "ocid": "ocds-test01-x",
            "id": "1",
            "date": "2026-01-01",
            "tag": ["offer"],
            "initiationType": "tender",
            "parties": [{"id": "b", "roles": ["owner"]}],
            "tender": {
                "id": "t",
                "status": "open",
                "procurementMethod": "auction",
                "value": {"amount": "100", "currency": "GBP"},
                "documents": [{"id": "d", "documentType": "flyer"}],
            },
        }
        package = {"version": "1.1", "releases": [release, {"id": "2"}]}

        found = "\n".join(errors(package))

        for expected in (
            "'offer' is not one of",
            "'open' is not one of",
            "'auction' is not one of",
            "'100' is not of type",
            "'2026-01-01' is not an RFC 3339 date-time",
            "'owner' is not in partyRole",
            "'flyer' is not in documentType",
            "'ocid' is a required property",
        ):
            self.assertIn(expected, found)


class QueryCountTests(TestCase):
    """A page of releases runs the same queries at 10 opportunities as at 200."""

    @classmethod
    def setUpTestData(cls):
        cls.councils = [get_council(gss_code="E08000037"), get_council(gss_code="E08000021")]
        cls.region = get_region(itl_code="TLC")

    def make(self, count: int):
        for number in range(count):
            create_opportunity(
                title=f"Opportunity {number}",
                councils=self.councils,
                regions=[self.region],
                cpv_codes=["72000000", f"{30000000 + number:08d}"],
                lots=[{"title": "Lot", "cpv_codes": ["48000000"]}],
                buyer=cluster_body(),
            )

    def test_same_queries_at_10_and_200(self):
        page = fetch(self.client, RELEASES_URL, {"per_page": "500"})
        self.make(10)
        assert_queries_do_not_grow(page, grow=lambda: self.make(190), maximum=8)
        self.assertEqual(len(page().json()["releases"]), 200)
