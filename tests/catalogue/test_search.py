"""Public search: words, facets with counts, sort, pagination, htmx and bad input."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.catalogue.models import OfferStatus
from tests.catalogue.search_data import create_listed_offer, create_listed_offers
from tests.factories import get_council, get_region

SEARCH = reverse("catalogue:search")
SUNDERLAND = "E08000024"
MANCHESTER = "E08000003"
NORTH_EAST = "E12000001"


def titles(response):
    return [offer.title for offer in response.context["offers"]]


def counts(response, param):
    group = next(facet for facet in response.context["facets"] if facet.param == param)
    return {option.value: option.count for option in group.options}


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        sunderland = get_council(gss_code=SUNDERLAND)
        manchester = get_council(gss_code=MANCHESTER)
        cls.sunderland_grant = create_listed_offer(
            title="Sunderland digital grant",
            kind="grant",
            sizes=["micro"],
            councils=[sunderland],
            dimensions=["adoption"],
            cost="free",
            delivery="online",
            closes=today + timedelta(days=10),
        )
        cls.north_east_loan = create_listed_offer(
            title="Export loan fund",
            summary="Loans for firms that trade abroad.",
            kind="loan",
            sizes=["small"],
            regions=[get_region(itl_code="TLC")],
            dimensions=["finance", "trade"],
            cost="paid",
            delivery="in_person",
            closes=today + timedelta(days=40),
        )
        cls.uk_training = create_listed_offer(
            title="Cyber security training",
            summary="Short courses on keeping your systems safe.",
            description="Covers cloud backups and export controls.",
            kind="training_course",
            dimensions=["cyber"],
            stages=["start_up"],
            sic_sections=["J"],
            cost="subsidised",
            delivery="blended",
            always_open=True,
        )
        cls.manchester_grant = create_listed_offer(
            title="Manchester innovation grant",
            kind="grant",
            sizes=["micro", "small"],
            councils=[manchester],
            dimensions=["innovation"],
            opens=today + timedelta(days=10),
            closes=today + timedelta(days=60),
        )
        cls.overdue = create_listed_offer(
            title="Old advice clinic",
            kind="advice_and_mentoring",
            review_due=today - timedelta(days=1),
        )
        create_listed_offer(title="Closed grant", kind="grant", closes=today - timedelta(days=1))
        create_listed_offer(title="Draft grant", kind="grant", status=OfferStatus.DRAFT)
        create_listed_offer(title="Archived grant", kind="grant", status=OfferStatus.ARCHIVED)

    def search(self, **params):
        response = self.client.get(SEARCH, params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_lists_published_open_offers_only(self):
        response = self.search()

        self.assertCountEqual(
            titles(response),
            [
                "Sunderland digital grant",
                "Export loan fund",
                "Cyber security training",
                "Manchester innovation grant",
                "Old advice clinic",
            ],
        )
        self.assertContains(response, "5 support offers found")
        self.assertContains(response, '<form method="get" action="/support/"')
        self.assertContains(response, "Apply filters")

    def test_overdue_offer_stays_searchable_with_a_warning(self):
        response = self.search(q="clinic")

        self.assertEqual(titles(response), ["Old advice clinic"])
        self.assertContains(response, "This information may be out of date")

    def test_every_word_must_match(self):
        self.assertEqual(titles(self.search(q="cyber training")), ["Cyber security training"])
        self.assertEqual(titles(self.search(q="cyber loan")), [])

    def test_words_match_summary_provider_and_description(self):
        self.assertEqual(titles(self.search(q="abroad")), ["Export loan fund"])
        self.assertEqual(titles(self.search(q="backups")), ["Cyber security training"])
        self.assertEqual(len(titles(self.search(q="Growth Hub"))), 5)

    def test_title_matches_rank_first(self):
        response = self.search(q="export")

        self.assertEqual(titles(response), ["Export loan fund", "Cyber security training"])
        self.assertEqual(response.context["criteria"].sort, "relevance")

    def test_kind_facet(self):
        self.assertCountEqual(
            titles(self.search(kind="grant")),
            ["Sunderland digital grant", "Manchester innovation grant"],
        )
        self.assertCountEqual(
            titles(self.search(kind=["grant", "loan"])),
            ["Sunderland digital grant", "Manchester innovation grant", "Export loan fund"],
        )

    def test_dimension_facet(self):
        self.assertEqual(titles(self.search(dimension="cyber")), ["Cyber security training"])
        self.assertCountEqual(
            titles(self.search(dimension=["trade", "innovation"])),
            ["Export loan fund", "Manchester innovation grant"],
        )

    def test_size_facet_includes_offers_open_to_every_size(self):
        self.assertCountEqual(
            titles(self.search(size="micro")),
            [
                "Sunderland digital grant",
                "Manchester innovation grant",
                "Cyber security training",
                "Old advice clinic",
            ],
        )

    def test_stage_and_sector_facets(self):
        self.assertNotIn("Cyber security training", titles(self.search(stage="growing")))
        self.assertIn("Cyber security training", titles(self.search(stage="start_up")))
        self.assertNotIn("Cyber security training", titles(self.search(sector="C")))
        self.assertIn("Cyber security training", titles(self.search(sector="J")))

    def test_cost_and_delivery_facets(self):
        self.assertEqual(titles(self.search(cost="paid")), ["Export loan fund"])
        self.assertEqual(titles(self.search(delivery="blended")), ["Cyber security training"])

    def test_open_now(self):
        self.assertNotIn("Manchester innovation grant", titles(self.search(open="1")))
        self.assertEqual(len(titles(self.search(open="1"))), 4)

    def test_council_shows_its_own_its_region_and_uk_wide_offers(self):
        self.assertCountEqual(
            titles(self.search(place=SUNDERLAND)),
            [
                "Sunderland digital grant",
                "Export loan fund",
                "Cyber security training",
                "Old advice clinic",
            ],
        )

    def test_region_shows_its_own_its_councils_and_uk_wide_offers(self):
        response = self.search(place=NORTH_EAST)

        self.assertIn("Sunderland digital grant", titles(response))
        self.assertIn("Export loan fund", titles(response))
        self.assertNotIn("Manchester innovation grant", titles(response))

    def test_facet_counts_apply_the_other_facets(self):
        response = self.search(place=SUNDERLAND, kind="grant")

        self.assertEqual(titles(response), ["Sunderland digital grant"])
        kinds = counts(response, "kind")
        # Within kind, each option counts as if chosen: grants and loans in Sunderland.
        self.assertEqual(kinds["grant"], 1)
        self.assertEqual(kinds["loan"], 1)
        self.assertEqual(kinds["training_course"], 1)
        self.assertEqual(kinds["accelerator"], 0)
        self.assertEqual(counts(response, "size")["micro"], 1)
        self.assertEqual(counts(response, "size")["large"], 0)
        self.assertEqual(response.context["open_now_count"], 1)
        self.assertContains(response, 'Grant <span id="count-kind-grant">(1)</span>')

    def test_sort_closing_soon_and_newest(self):
        closing = titles(self.search(sort="closing", kind=["grant", "loan"]))
        self.assertEqual(
            closing,
            ["Sunderland digital grant", "Export loan fund", "Manchester innovation grant"],
        )
        newest = titles(self.search(sort="newest"))
        # build_offer publishes each offer a day before the one made before it.
        self.assertEqual(newest[0], "Sunderland digital grant")
        self.assertEqual(newest[-1], "Old advice clinic")

    def test_links_to_offers_carry_the_business_profile(self):
        response = self.search(place=SUNDERLAND, size="micro", kind="grant")

        self.assertContains(
            response,
            f"/support/{self.sunderland_grant.slug}/?council=E08000024&amp;size=micro",
        )

    def test_htmx_request_returns_only_the_results_fragment(self):
        plain = self.client.get(SEARCH, {"kind": "grant"})
        fragment = self.client.get(SEARCH, {"kind": "grant"}, HTTP_HX_REQUEST="true")

        self.assertEqual(fragment.status_code, 200)
        self.assertEqual(titles(fragment), titles(plain))
        body = fragment.content.decode()
        self.assertNotIn("<html", body)
        self.assertNotIn("<form", body)
        self.assertIn('<div id="search-results">', body)
        self.assertIn("Sunderland digital grant", body)
        self.assertIn('id="results-count" hx-swap-oob="innerHTML"', body)
        self.assertIn("2 support offers found", body)
        self.assertIn("<html", plain.content.decode())
        self.assertIn("HX-Request", fragment["Vary"])
        self.assertIn("HX-Request", plain["Vary"])

    def test_history_restore_gets_the_whole_page(self):
        response = self.client.get(
            SEARCH, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
        )

        self.assertContains(response, "<html")
        self.assertNotContains(response, "hx-swap-oob")

    def test_form_keeps_the_state_of_the_search(self):
        response = self.search(q="grant", kind="grant", place=SUNDERLAND, open="1")

        self.assertContains(response, 'name="q" type="search" value="grant"')
        self.assertContains(response, 'value="grant" checked')
        self.assertContains(response, f'value="{SUNDERLAND}" selected')
        self.assertContains(response, 'name="open" type="checkbox" value="1" checked')

    def test_bad_parameters_are_ignored(self):
        for params in (
            {"kind": "spaceship"},
            {"size": ["micro", "<script>"]},
            {"place": "E99999999"},
            {"place": "not a place"},
            {"sort": "cheapest"},
            {"sort": "relevance"},
            {"open": "yes"},
            {"page": "abc"},
            {"page": "-3"},
            {"q": "x" * 5000},
            {"q": "\"unbalanced ' quotes & | ! :*"},
        ):
            with self.subTest(params=params):
                self.search(**params)
        self.assertEqual(len(titles(self.search(kind="spaceship"))), 5)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_listed_offers(count=45)

    def test_twenty_a_page(self):
        response = self.client.get(SEARCH)

        self.assertEqual(len(response.context["offers"]), 20)
        self.assertContains(response, "45 support offers found")
        self.assertContains(response, 'href="?page=2"')

    def test_pages_do_not_overlap(self):
        pages = [titles(self.client.get(SEARCH, {"page": n})) for n in (1, 2, 3)]

        self.assertEqual([len(page) for page in pages], [20, 20, 5])
        self.assertEqual(len({title for page in pages for title in page}), 45)

    def test_page_beyond_the_end_shows_the_last_page(self):
        response = self.client.get(SEARCH, {"page": "99", "kind": "advice_and_mentoring"})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page_obj"].number, 3)
        self.assertContains(response, 'href="?page=2&amp;kind=advice_and_mentoring"')
