"""The matcher's pages run a fixed number of queries, with 100 offers and with 5,000,
with the candidates built cold (this process had none) and warm (kept)."""

from django.test import TestCase
from django.urls import reverse

from diagnostics.access import SESSION_KEY
from portal.catalogue.synthetic import create_offers
from portal.matching import candidates
from tests.diagnostics.peer_data import complete_assessment
from tests.queries import assert_queries_do_not_grow, count_queries, fetch

# Building the candidates: offers, their regions and councils; opportunities, theirs;
# the region order for each.
BUILD_QUERIES = 8


class RecommendationPagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment()
        create_offers(100)

    def setUp(self):
        session = self.client.session
        session[SESSION_KEY] = [str(self.assessment.public_id)]
        session.save()

    def pages(self, *, cold: bool):
        pages = {
            "results": fetch(
                self.client, reverse("diagnostics:results", args=[self.assessment.public_id])
            ),
            "recommended": fetch(self.client, reverse("matching:recommended")),
            "recommended, filtered": fetch(
                self.client, reverse("matching:recommended"), {"dimension": "data"}
            ),
        }
        if not cold:
            return pages

        def cold_page(page):
            def run():
                candidates.forget()
                return page()

            return run

        return {name: cold_page(page) for name, page in pages.items()}

    def warm(self, pages):
        for page in pages.values():
            page()

    def test_warm_pages_run_the_same_queries_at_100_and_5000_offers(self):
        pages = self.pages(cold=False)
        self.warm(pages)

        def grow():
            create_offers(4_900, seed=2)
            self.warm(pages)

        counts = assert_queries_do_not_grow(pages, grow=grow, maximum=8)
        # The session, the visitor's latest assessment, the offers shown.
        self.assertLessEqual(counts["recommended"][1], 3)

    def test_cold_pages_run_the_same_queries_at_100_and_5000_offers(self):
        warm = self.pages(cold=False)
        self.warm(warm)
        warm_counts = {name: count_queries(page) for name, page in warm.items()}
        cold = assert_queries_do_not_grow(
            self.pages(cold=True), grow=lambda: create_offers(4_900, seed=2)
        )
        for name, (count, _large) in cold.items():
            self.assertEqual(count, warm_counts[name] + BUILD_QUERIES, name)
