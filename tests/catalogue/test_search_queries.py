"""The search and offer pages run the same number of queries at 10 and at 500 offers."""

from django.test import Client, TestCase
from django.urls import reverse

from portal.catalogue.models import Offer
from tests.catalogue.search_data import create_listed_offer, create_listed_offers
from tests.factories import get_council, get_region
from tests.queries import assert_queries_do_not_grow, fetch

SEARCH_QUERIES = [
    {},
    {"q": "support offer", "kind": "advice_and_mentoring", "size": "micro", "place": "E08000024"},
    {"q": "offer", "page": "2", "sort": "closing", "open": "1", "place": "E12000001"},
]


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        council = get_council(gss_code="E08000024")
        region = get_region(itl_code="TLC")
        cls.offer = create_listed_offer(
            title="Support offer with places", regions=[region], councils=[council]
        )
        create_listed_offers(count=9)

    def grow_to_500(self):
        offers = create_listed_offers(count=490)
        council_link = Offer.councils.through
        council = get_council(gss_code="E08000024")
        council_link.objects.bulk_create(
            council_link(offer_id=offer.pk, council_id=council.pk) for offer in offers[:200]
        )

    def test_search_page_queries_do_not_grow_with_the_catalogue(self):
        search = reverse("catalogue:search")
        # Each page as a new visitor's: a council chosen in the filters is kept in the
        # session, after which the bare list opens filtered for that business.
        pages = {str(params): fetch(Client(), search, params) for params in SEARCH_QUERIES}
        fragment = fetch(Client(), search, SEARCH_QUERIES[1], HTTP_HX_REQUEST="true")
        # The places, the counts (one query of conditional aggregates) and the page.
        assert_queries_do_not_grow(
            pages | {"fragment": fragment}, grow=self.grow_to_500, maximum=3
        )

    def test_offer_page_queries_do_not_grow_with_the_catalogue(self):
        url = reverse("catalogue:offer", args=[self.offer.slug])
        profile = {"council": "E08000024", "size": "micro"}
        pages = {
            "alone": fetch(self.client, url),
            "for a profile": fetch(self.client, url, profile),
        }
        assert_queries_do_not_grow(pages, grow=self.grow_to_500, maximum=4)
