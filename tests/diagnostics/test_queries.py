"""The peer benchmark reads (diagnostics.queries), on SQLite and PostgreSQL alike."""

from statistics import median

from django.db import connection
from django.test import TestCase

from diagnostics import queries
from diagnostics.models import DimensionScore
from diagnostics.peers import PeerGroup
from portal.lib import disclosure
from portal.lib.vocabularies import Dimension
from tests.diagnostics.peer_data import create_peers
from tests.factories import get_region


class PercentileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = get_region(itl_code="TLC")
        # The business scores 50; two others tie with it. 12 in its cell.
        scores = [50, 10, 20, 30, 40, 50, 50, 60, 70, 80, 90, 95]
        cls.business, *_ = create_peers(
            count=12, region=cls.region, sic_section="G", size="micro", overall_scores=scores
        )

    def test_percentile_with_ties_at_mid_rank(self):
        benchmark = queries.peer_benchmark(self.business)
        # 4 below, 3 equal (the business among them) of 12: 100 × (4 + 1.5) / 12.
        self.assertEqual(benchmark.size, 12)
        self.assertAlmostEqual(benchmark.percentile, 100 * 5.5 / 12)

    def test_the_group_size_is_published_as_a_controlled_count(self):
        benchmark = queries.peer_benchmark(self.business)
        self.assertEqual(benchmark.shown_size, disclosure.count(12))
        self.assertEqual(str(benchmark.shown_size), "10")

    def test_narrowest_group_is_used_when_it_has_ten(self):
        benchmark = queries.peer_benchmark(self.business)
        self.assertEqual(benchmark.group, PeerGroup(self.region, "G", "micro"))
        self.assertTrue(benchmark.enough)

    def test_two_queries_when_the_narrowest_group_is_big_enough(self):
        # Its count and its medians: the wider groups are never counted.
        with self.assertNumQueries(2):
            queries.peer_benchmark(self.business)

    def test_a_group_is_counted_from_the_peer_index_alone(self):
        # The count reads the index's columns only (an index-only scan on PostgreSQL):
        # the group's columns and the score, under the counted businesses' condition.
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "diagnostics_assessment")
        index = found["assessment_peer_scores"]
        self.assertTrue(index["index"])
        self.assertEqual(
            index["columns"],
            [
                *("questionnaire", "major_version", "region_id", "sic_section", "size"),
                "overall_score",
            ],
        )


class WideningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.north_east = get_region(itl_code="TLC")
        cls.north_west = get_region(itl_code="TLD")

    def test_fewer_than_ten_in_the_cell_widens_to_region_and_size(self):
        business, *_ = create_peers(count=9, region=self.north_east, sic_section="G", size="micro")
        create_peers(count=3, region=self.north_east, sic_section="C", size="micro")
        benchmark = queries.peer_benchmark(business)
        self.assertEqual(benchmark.group, PeerGroup(self.north_east, None, "micro"))
        self.assertEqual(benchmark.size, 12)

    def test_then_to_the_uk_section_and_size(self):
        business, *_ = create_peers(count=5, region=self.north_east, sic_section="G", size="micro")
        create_peers(count=5, region=self.north_west, sic_section="G", size="micro")
        create_peers(count=20, region=self.north_west, sic_section="C", size="small")
        benchmark = queries.peer_benchmark(business)
        self.assertEqual(benchmark.group, PeerGroup(None, "G", "micro"))
        self.assertEqual(benchmark.size, 10)

    def test_then_the_whole_uk(self):
        business, *_ = create_peers(count=4, region=self.north_east, sic_section="G", size="micro")
        create_peers(count=6, region=self.north_west, sic_section="C", size="large")
        benchmark = queries.peer_benchmark(business)
        self.assertEqual(benchmark.group, PeerGroup(None, None, None))
        self.assertEqual(benchmark.size, 10)

    def test_no_figure_when_fewer_than_ten_anywhere(self):
        business, *_ = create_peers(
            count=9, region=self.north_east, overall_scores=range(10, 100, 10)
        )
        benchmark = queries.peer_benchmark(business)
        self.assertIsNone(benchmark.group)
        self.assertFalse(benchmark.enough)
        self.assertIsNone(benchmark.percentile)
        self.assertEqual(dict(benchmark.medians), {})

    def test_exactly_ten_is_enough(self):
        business, *_ = create_peers(
            count=10, region=self.north_east, overall_scores=range(10, 101, 10)
        )
        benchmark = queries.peer_benchmark(business)
        self.assertTrue(benchmark.enough)
        self.assertEqual(benchmark.size, 10)
        self.assertAlmostEqual(benchmark.percentile, 5.0)  # lowest: (0 + 0.5) / 10
        # Medians of 10, 20 … 100: between 50 and 60.
        self.assertEqual(benchmark.medians[Dimension.DATA], 55.0)

    def test_businesses_not_counted_for_peers_are_left_out(self):
        # Earlier assessments of a chain, and another major version, do not count.
        business, *_ = create_peers(count=9, region=self.north_east)
        create_peers(count=5, region=self.north_east, counts_for_peers=False)
        create_peers(count=5, region=self.north_east, major_version=2)
        create_peers(count=5, region=self.north_east, questionnaire="other-questionnaire")
        benchmark = queries.peer_benchmark(business)
        self.assertIsNone(benchmark.group)

    def test_the_wider_groups_are_counted_together(self):
        business, *_ = create_peers(count=5, region=self.north_east, sic_section="G", size="micro")
        create_peers(count=5, region=self.north_west, sic_section="G", size="micro")
        # The narrowest group's count, the wider groups' together, and the medians.
        with self.assertNumQueries(3):
            benchmark = queries.peer_benchmark(business)
        self.assertEqual(benchmark.group, PeerGroup(None, "G", "micro"))

    def test_two_counts_when_no_group_is_big_enough(self):
        business, *_ = create_peers(count=9, region=self.north_east, sic_section="G")
        with self.assertNumQueries(2):
            benchmark = queries.peer_benchmark(business)
        self.assertIsNone(benchmark.group)

    def test_the_business_counts_in_its_own_group(self):
        business, *_ = create_peers(count=10, region=self.north_east)
        self.assertEqual(queries.peer_benchmark(business).size, 10)


class AcrossMinorVersionsTests(TestCase):
    """1.0.0 and 1.1.0 differ only in an unscored question: one major version, one set of
    peers; another major version is never mixed in."""

    @classmethod
    def setUpTestData(cls):
        cls.region = get_region(itl_code="TLC")
        cell = {"region": cls.region, "sic_section": "G", "size": "micro"}
        cls.business, *_ = create_peers(count=4, version="1.1.0", overall_scores=60, **cell)
        create_peers(count=6, version="1.0.0", overall_scores=40, **cell)
        create_peers(count=5, major_version=2, overall_scores=90, **cell)

    def test_the_peer_group_counts_both_minor_versions_and_no_other_major(self):
        benchmark = queries.peer_benchmark(self.business)
        self.assertEqual(benchmark.group, PeerGroup(self.region, "G", "micro"))
        self.assertEqual(benchmark.size, 10)
        # 6 below, 4 equal (the business among them): 100 × (6 + 2) / 10.
        self.assertAlmostEqual(benchmark.percentile, 80.0)
        self.assertEqual(benchmark.medians[Dimension.DATA], 40.0)

    def test_a_1_0_0_business_is_benchmarked_against_the_same_peers(self):
        earlier = queries.peers_of(self.business).filter(version="1.0.0").first()
        benchmark = queries.peer_benchmark(earlier)
        self.assertEqual(benchmark.size, 10)
        self.assertAlmostEqual(benchmark.percentile, 30.0)


class MedianTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.region = get_region(itl_code="TLC")
        cls.scores = [3.5, 90, 12, 47.25, 47.25, 60, 71, 88, 20, 33, 99.5]  # 11
        cls.business, *_ = create_peers(
            count=11, region=cls.region, overall_scores=cls.scores, dimension_scores=cls.scores
        )
        cls.group = PeerGroup(cls.region, "J", "small")

    def test_median_of_an_odd_count(self):
        medians = queries.dimension_medians(self.business, self.group)
        self.assertEqual(medians[Dimension.STRATEGY], median(self.scores))

    def test_median_of_an_even_count_interpolates(self):
        create_peers(count=1, region=self.region, overall_scores=100)
        medians = queries.dimension_medians(self.business, self.group)
        self.assertEqual(medians[Dimension.SKILLS], median([*self.scores, 100]))

    def test_unscored_dimensions_do_not_count_and_need_ten_scores(self):
        # Two businesses not scored in trade: 9 trade scores left.
        DimensionScore.objects.filter(dimension=Dimension.TRADE, score__in=[3.5, 90]).update(
            score=None
        )
        medians = queries.dimension_medians(self.business, self.group)
        self.assertIsNone(medians[Dimension.TRADE])
        self.assertEqual(medians[Dimension.DATA], median(self.scores))

    def test_every_dimension_in_one_query(self):
        with self.assertNumQueries(1):
            medians = queries.dimension_medians(self.business, self.group)
        self.assertEqual(set(medians), set(Dimension.values))

    def test_portable_and_postgresql_medians_agree(self):
        scores = DimensionScore.objects.filter(assessment__region=self.region)
        portable = queries._medians_by_row_number(scores)
        self.assertEqual(portable[Dimension.DATA], (median(self.scores), 11))
        if connection.vendor == "postgresql":
            self.assertEqual(queries._medians_by_percentile_cont(scores), portable)


class PreviousCompletedTests(TestCase):
    def test_none_for_a_first_assessment(self):
        business, *_ = create_peers(count=1)
        business.completed = business.started
        self.assertIsNone(queries.previous_completed(business))
