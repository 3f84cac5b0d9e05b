"""The word search uses each app's GIN index on PostgreSQL, over the stored document
(portal/lib/wordsearch.py), or every search silently scans the whole table. With
sequential scans switched off, the planner picks the index if, and only if, it can."""

import pytest
from django.db import connection

from portal.catalogue.models import Offer
from portal.catalogue.search import match_words as match_offer_words
from portal.procurement.models import Opportunity
from portal.procurement.queries.search import match_words as match_opportunity_words

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
    ),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_offer_search_uses_its_index():
    queryset = match_offer_words(Offer.objects.all(), "digital export")
    assert "catalogue_offer_search_document" in plan(queryset)


def test_opportunity_search_uses_its_index():
    queryset = match_opportunity_words(Opportunity.objects.all(), "cloud hosting")
    assert "procurement_opportunity_search_document" in plan(queryset)
