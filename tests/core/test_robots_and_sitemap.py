"""robots.txt keeps crawlers out of staff, account and diagnostic pages and points them at
sitemap.xml, which lists the main public pages, published offers and the opportunities
taking bids, in a fixed number of queries."""

import re
from datetime import timedelta

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import create_offer, create_offers, create_opportunity
from tests.queries import assert_queries_do_not_grow, fetch

LOC = re.compile(r"<loc>([^<]+)</loc>")


@override_settings(SITE_URL="https://waymark.example.org")
class RobotsTests(TestCase):
    def test_disallows_staff_account_and_diagnostic_pages(self):
        response = self.client.get("/robots.txt")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "User-agent: *")
        disallowed = [line.removeprefix("Disallow: ") for line in lines if "Disallow" in line]
        for page in [
            reverse("admin:index"),
            reverse("accounts:account"),
            reverse("accounts:membership-requests"),
            reverse("diagnostics:start"),
            reverse("catalogue:curation-queue"),
            reverse("catalogue:offer-create"),
            reverse("procurement:posting-dashboard"),
            reverse("procurement:moderation-queue"),
            reverse("procurement:import-runs"),
            reverse("procurement:saved-opportunities"),
            reverse("advice:queue-home"),
            reverse("advice:staff-request", args=[1]),
        ]:
            with self.subTest(page):
                self.assertTrue(any(page.startswith(path) for path in disallowed), page)

    def test_leaves_the_public_pages_to_crawl(self):
        lines = self.client.get("/robots.txt").content.decode().splitlines()
        disallowed = [line.removeprefix("Disallow: ") for line in lines if "Disallow" in line]
        for page in ["/", reverse("catalogue:search"), reverse("procurement:list")]:
            with self.subTest(page):
                self.assertFalse(any(page.startswith(path) for path in disallowed), page)

    def test_names_the_sitemap_by_its_absolute_address(self):
        response = self.client.get("/robots.txt")

        self.assertIn(
            "Sitemap: https://waymark.example.org/sitemap.xml", response.content.decode()
        )

    @override_settings(SITE_URL="")
    def test_without_site_url_the_sitemap_is_on_the_address_asked(self):
        response = self.client.get("/robots.txt")

        self.assertIn("Sitemap: http://testserver/sitemap.xml", response.content.decode())


@override_settings(SITE_URL="https://waymark.example.org")
class SitemapTests(TestCase):
    def sitemap_locations(self) -> list[str]:
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/xml")
        return LOC.findall(response.content.decode())

    def test_lists_the_main_public_pages(self):
        locations = self.sitemap_locations()

        for name in ["core:home", "catalogue:search", "procurement:list", "core:accessibility"]:
            with self.subTest(name):
                self.assertIn("https://waymark.example.org" + reverse(name), locations)

    def test_lists_published_offers_only(self):
        published = create_offer(status="published", uk_wide=True)
        draft = create_offer(status="draft", uk_wide=True)
        archived = create_offer(status="archived", uk_wide=True)
        closed = create_offer(
            status="published", uk_wide=True, closes=timezone.localdate() - timedelta(days=1)
        )

        locations = self.sitemap_locations()

        self.assertIn("https://waymark.example.org" + published.get_absolute_url(), locations)
        for offer in (draft, archived, closed):
            with self.subTest(offer.status):
                self.assertNotIn(
                    "https://waymark.example.org" + offer.get_absolute_url(), locations
                )

    def test_lists_opportunities_taking_bids_only(self):
        taking_bids = create_opportunity(status="open")
        past_deadline = create_opportunity(
            status="open", deadline=timezone.now() - timedelta(hours=1)
        )
        others = [
            create_opportunity(status=status)
            for status in ("draft", "pending", "closed", "awarded", "withdrawn")
        ]

        locations = self.sitemap_locations()

        self.assertIn("https://waymark.example.org" + taking_bids.get_absolute_url(), locations)
        for opportunity in [past_deadline, *others]:
            with self.subTest(opportunity.status):
                self.assertNotIn(
                    "https://waymark.example.org" + opportunity.get_absolute_url(), locations
                )

    def test_gives_each_offer_its_last_change(self):
        create_offer(status="published", uk_wide=True)

        response = self.client.get("/sitemap.xml")

        self.assertContains(response, "<lastmod>")

    def test_queries_do_not_grow_with_the_offers_and_opportunities(self):
        def grow():
            create_offers(count=30, status="published", uk_wide=True)
            for _ in range(30):
                create_opportunity(status="open")

        create_offer(status="published", uk_wide=True)
        create_opportunity(status="open")
        assert_queries_do_not_grow(fetch(self.client, "/sitemap.xml"), grow=grow, maximum=8)
        # Each in English and in Welsh.
        self.assertEqual(len(self.sitemap_locations()), 2 * (6 + 31 + 31))

    def test_lists_each_page_in_both_languages_with_hreflang_alternates(self):
        offer = create_offer(status="published", uk_wide=True)
        english = "https://waymark.example.org" + offer.get_absolute_url()
        welsh = "https://waymark.example.org/cy" + offer.get_absolute_url()

        response = self.client.get("/sitemap.xml")

        locations = LOC.findall(response.content.decode())
        self.assertIn(english, locations)
        self.assertIn(welsh, locations)
        self.assertIn("https://waymark.example.org/cy/support/", locations)
        for language, href in [("en-gb", english), ("cy", welsh), ("x-default", english)]:
            self.assertContains(
                response,
                f'<xhtml:link rel="alternate" hreflang="{language}" href="{href}"/>',
                count=2,
            )
