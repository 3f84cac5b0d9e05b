"""The list and detail pages run the same number of queries at 10 and at 500
opportunities."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import Lot, Opportunity
from tests.factories import cluster_body, create_opportunity, get_council, get_region
from tests.queries import assert_queries_do_not_grow, fetch

LIST = reverse("procurement:list")
LIST_QUERIES = [
    {},
    {"closing": "14", "council": "E08000037"},
    {"q": "cloud hosting", "division": "72", "group": "724", "sort": "relevance"},
    {"region": "north-east", "value": ["under_25k", "over_2m"], "value_not_stated": "1"},
    {"sme": "1", "vcse": "1", "buyer": "public", "stage": "tender", "page": "2"},
    {"sort": "value", "page": "3"},
]


def add_opportunities(count: int) -> None:
    """``count`` more open opportunities, half of them for Gateshead or the North East."""
    now = timezone.now()
    publisher = cluster_body()
    opportunities = Opportunity.objects.bulk_create(
        Opportunity(
            title=f"Cloud hosting contract {number}",
            description="Hosting and support for council services.",
            buyer_name="Gateshead Council",
            publisher=publisher,
            status="open",
            cpv_codes=["72415000", "48000000"] if number % 2 else ["45000000"],
            value_max=Decimal(1000 * number) if number % 3 else None,
            sme_suitable=bool(number % 2),
            deadline=now + timedelta(days=1 + number % 40),
            published_at=now - timedelta(days=number % 10),
        )
        for number in range(count)
    )
    gateshead = get_council(gss_code="E08000037")
    north_east = get_region(itl_code="TLC")
    Opportunity.councils.through.objects.bulk_create(
        Opportunity.councils.through(opportunity_id=o.pk, council_id=gateshead.pk)
        for o in opportunities[::2]
    )
    Opportunity.regions.through.objects.bulk_create(
        Opportunity.regions.through(opportunity_id=o.pk, region_id=north_east.pk)
        for o in opportunities[1::4]
    )
    Lot.objects.bulk_create(
        Lot(opportunity=o, lot_id="1", title="Lot", value=Decimal("5000")) for o in opportunities
    )


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.opportunity = create_opportunity(
            title="With places and lots",
            councils=[get_council(gss_code="E08000037"), get_council(gss_code="E08000024")],
            regions=[get_region(itl_code="TLC")],
            cpv_codes=["72212000", "72415000", "30200000"],
            lots=[
                {"title": "One", "cpv_codes": ["72212000"]},
                {"title": "Two", "cpv_codes": ["30213000"]},
            ],
        )
        add_opportunities(9)

    def test_list_queries_do_not_grow_with_the_opportunities(self):
        fetch(self.client, LIST)()  # reads the CPV divisions, kept for the process
        # Each page as a new visitor's: a council chosen in the filters is kept in the
        # session, after which the bare list opens filtered for that business.
        pages = {str(params): fetch(Client(), LIST, params) for params in LIST_QUERIES}
        fragment = fetch(Client(), LIST, LIST_QUERIES[1], HTTP_HX_REQUEST="true")

        def grow_to_500():
            add_opportunities(490)
            self.assertEqual(Opportunity.objects.count(), 500)

        # The places (full page only), the council and region asked for, the groups of a
        # chosen division, the counts, the page and its regions and councils.
        assert_queries_do_not_grow(pages | {"fragment": fragment}, grow=grow_to_500, maximum=8)

    def test_detail_queries_do_not_grow_with_the_opportunities(self):
        url = reverse("procurement:detail", args=[self.opportunity.public_id])
        # The opportunity with its buyer and publisher, its regions, councils and lots,
        # and the CPV descriptions.
        assert_queries_do_not_grow(
            fetch(self.client, url), grow=lambda: add_opportunities(490), maximum=6
        )
