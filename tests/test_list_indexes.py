"""The indexes the busiest reads were given (the load benchmark's pages): each exists
with its columns, and on PostgreSQL the read it was made for can be answered from it (the
planner told not to scan or sort the table: with a handful of test rows it would)."""

import unittest

from django.db import connection
from django.test import TestCase

from diagnostics import queries
from portal.catalogue.models import Offer
from portal.procurement.ocds.writing import exportable_opportunities
from tests.diagnostics.peer_data import create_peers
from tests.factories import create_offer, create_opportunity, get_region


def index_columns(table: str, name: str) -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    assert found[name]["index"], name
    return found[name]["columns"]


def plan(queryset) -> str:
    """The plan of ``queryset`` on PostgreSQL, scans and sorts of the table refused."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")


on_postgresql = unittest.skipUnless(
    connection.vendor == "postgresql", "the plan is PostgreSQL's (SQLite plans differently)"
)


class OcdsExportOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for number in range(3):
            create_opportunity(title=f"Posted {number}")

    def test_the_index_exists(self):
        # An expression (the export's Coalesce) has no column name.
        self.assertEqual(
            len(index_columns("procurement_opportunity", "opportunity_export_order")), 2
        )

    @on_postgresql
    def test_a_page_of_the_export_is_read_in_order_from_the_index(self):
        self.assertIn("opportunity_export_order", plan(exportable_opportunities()[:101]))


class OpenReferralOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for number in range(3):
            create_offer(title=f"Offer {number}", status="published")

    def test_the_index_exists(self):
        self.assertEqual(
            index_columns("catalogue_offer", "offer_published_by_title"), ["title", "id"]
        )

    @on_postgresql
    def test_a_page_of_services_is_read_in_order_from_the_index(self):
        offers = Offer.objects.published().filter(closes__isnull=True).order_by("title", "pk")
        self.assertIn("offer_published_by_title", plan(offers[400:450]))


class PeerGroupCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.business, *_ = create_peers(
            count=12, region=get_region(itl_code="TLC"), sic_section="G", size="micro"
        )

    @on_postgresql
    def test_a_peer_group_is_counted_from_the_index_alone(self):
        group = queries.peers.peer_groups_for(
            self.business.region, self.business.sic_section, self.business.size
        )[0]
        counted = queries.peers_of(self.business).filter(queries.group_filter(group))
        scores = counted.order_by().values("overall_score")
        self.assertIn("Index Only Scan using assessment_peer_scores", plan(scores))
