"""The council map page: figures per council through disclosure control, the map and
its table, and a fixed number of queries however many assessments there are."""

import datetime
import re

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from diagnostics.models import Assessment, AssessmentStatus
from diagnostics.queries import completed_by_council
from portal.places.models import Council
from tests.queries import assert_queries_do_not_grow, fetch

GATESHEAD, NEWCASTLE, SUNDERLAND = "E08000037", "E08000021", "E08000024"
MAP_URL = "/data/map/"


def add_completed(
    gss_code,
    count,
    *,
    score=50.0,
    weakest="data",
    days_ago=5,
    status=AssessmentStatus.COMPLETED,
    counts_for_peers=True,
):
    council = Council.objects.get(gss_code=gss_code)
    completed = timezone.now() - datetime.timedelta(days=days_ago)
    Assessment.objects.bulk_create(
        Assessment(
            questionnaire="digital-maturity",
            version="1.0.0",
            major_version=1,
            council=council,
            region_id=council.region_id,
            size="micro",
            sic_section="J",
            status=status,
            completed=completed,
            overall_score=score,
            overall_band="developing",
            result={"weakest": weakest},
            counts_for_peers=counts_for_peers,
        )
        for _ in range(count)
    )


def cells(response):
    return dict(re.findall(r'data-gss-code="(\w+)">([^<]*)</td>', response.content.decode()))


class MapPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        add_completed(GATESHEAD, 12, score=60.0, weakest="data")
        add_completed(GATESHEAD, 3, score=30.0, weakest="cyber")
        add_completed(NEWCASTLE, 4, score=90.0)
        add_completed(SUNDERLAND, 11, score=20.0, days_ago=200)
        # Neither counted: a retaken business's earlier assessment, and one in progress.
        add_completed(GATESHEAD, 5, counts_for_peers=False)
        add_completed(NEWCASTLE, 7, status=AssessmentStatus.STARTED, counts_for_peers=False)

    def test_the_query_tallies_businesses_by_council_in_one_query(self):
        with self.assertNumQueries(1):
            tallies = completed_by_council(weakest="data")

        self.assertEqual(tallies[GATESHEAD].businesses, 15)
        self.assertEqual(tallies[GATESHEAD].mean_overall, 54.0)
        self.assertEqual(tallies[GATESHEAD].weakest_in, 12)
        self.assertEqual(tallies[NEWCASTLE].businesses, 4)
        since = timezone.now() - datetime.timedelta(days=30)
        self.assertNotIn(SUNDERLAND, completed_by_council(since=since))

    def test_counts_are_rounded_and_small_ones_suppressed_as_fewer_than_10(self):
        response = self.client.get(MAP_URL, {"measure": "completed", "period": "all"})

        self.assertEqual(response.status_code, 200)
        found = cells(response)
        self.assertEqual(len(found), 361)
        self.assertEqual(found[GATESHEAD], "15")
        self.assertEqual(found[NEWCASTLE], "fewer than 10")
        self.assertEqual(found[SUNDERLAND], "10")
        self.assertEqual(found["E09000001"], "fewer than 10")  # City of London: none
        self.assertNotIn(">4<", response.content.decode())
        self.assertContains(response, "<polygon", count=361)

    def test_the_period_leaves_out_older_assessments(self):
        found = cells(self.client.get(MAP_URL, {"measure": "completed", "period": "3m"}))

        self.assertEqual(found[SUNDERLAND], "fewer than 10")
        self.assertEqual(found[GATESHEAD], "15")

    def test_mean_scores_only_from_10_businesses_or_more(self):
        response = self.client.get(MAP_URL, {"measure": "mean_score", "period": "all"})

        found = cells(response)
        self.assertEqual(found[GATESHEAD], "54.0")
        self.assertEqual(found[SUNDERLAND], "20.0")
        self.assertEqual(found[NEWCASTLE], "not enough data")
        self.assertContains(response, "Not enough data (hatched)")

    def test_the_gap_is_the_share_whose_weakest_dimension_it_is(self):
        response = self.client.get(
            MAP_URL, {"measure": "gap", "dimension": "data", "period": "all"}
        )

        found = cells(response)
        self.assertEqual(found[GATESHEAD], "80%")
        self.assertEqual(found[SUNDERLAND], "100%")
        self.assertEqual(found[NEWCASTLE], "not enough data")
        self.assertContains(response, "weakest area is Data")

    def test_the_counts_are_the_ones_the_council_dashboards_publish(self):
        found = cells(self.client.get(MAP_URL, {"measure": "completed", "period": "all"}))

        for code in (GATESHEAD, NEWCASTLE, SUNDERLAND):
            summary = self.client.get(f"/data/{code}/", {"period": "all"})
            headline = summary.context["dashboard"].headline["completed"]
            self.assertEqual(found[code], str(headline))

    def test_hexagons_and_table_rows_link_to_the_council_summaries(self):
        response = self.client.get(MAP_URL)

        self.assertContains(response, '<a href="/data/E08000037/" tabindex="-1">')
        self.assertContains(
            response, '<a class="govuk-link" href="/data/E08000037/">Gateshead</a>'
        )
        self.assertContains(response, '<a href="/data/', count=361)
        self.assertContains(response, '<a class="govuk-link" href="/data/', count=361)
        self.assertContains(response, 'tabindex="-1"', count=361)

    def test_unknown_choices_fall_back_to_the_defaults(self):
        response = self.client.get(
            MAP_URL, {"measure": "<x>", "dimension": "nope", "period": "5y"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["measure"], "completed")
        self.assertEqual(response.context["period"], "12m")
        self.assertContains(response, '<title id="hexmap-title">')

    def test_the_page_has_a_title_a_key_and_the_table(self):
        response = self.client.get(MAP_URL, {"measure": "completed"})

        self.assertContains(response, "Businesses that completed the diagnostic, last 12 months")
        self.assertContains(response, 'id="hexmap-legend"')
        self.assertContains(response, '<table class="govuk-table" id="council-figures">')


class MapQueryCountTests(TestCase):
    def test_the_map_runs_a_fixed_number_of_queries_at_100_and_5000_assessments(self):
        codes = list(Council.objects.values_list("gss_code", flat=True)[:60])

        def spread(total):
            for number, code in enumerate(codes):
                add_completed(code, total // len(codes) + (number < total % len(codes)))

        spread(100)
        self.assertEqual(Assessment.objects.count(), 100)
        pages = {
            measure: fetch(self.client, MAP_URL, {"measure": measure, "dimension": "data"})
            for measure in ("completed", "mean_score", "gap")
        }

        def grow():
            spread(4900)
            cache.clear()  # cold again: the counts the dashboards publish are cached

        counts = assert_queries_do_not_grow(pages, grow=grow, maximum=5)
        self.assertEqual(Assessment.objects.count(), 5000)
        self.assertEqual(counts["completed"], (counts["completed"][0],) * 2)
