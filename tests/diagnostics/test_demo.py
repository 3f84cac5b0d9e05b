"""Demo assessments for peer benchmarks on a fresh site."""

import datetime
import time

from django.test import TestCase
from django.utils import timezone

from diagnostics.demo import BUSY_COUNCILS, HISTORY_DAYS, create_demo_assessments
from diagnostics.models import Answer, Assessment, DimensionScore
from diagnostics.queries import completed_by_council
from portal.places.models import Region


class DemoAssessmentTests(TestCase):
    def test_creates_600_completed_scored_assessments_spread_over_regions_sectors_and_sizes(self):
        started = time.monotonic()
        self.assertEqual(create_demo_assessments(count=600, seed=1), 600)
        self.assertLess(time.monotonic() - started, 30)
        demo = Assessment.objects.completed()
        self.assertEqual(demo.count(), 600)
        self.assertEqual(demo.filter(counts_for_peers=True).count(), 600)
        self.assertEqual(
            set(demo.values_list("region", flat=True)),
            set(Region.objects.active().values_list("pk", flat=True)),
        )
        self.assertGreaterEqual(demo.values("sic_section").distinct().count(), 15)
        self.assertEqual(demo.values("size").distinct().count(), 4)
        self.assertEqual(DimensionScore.objects.count(), 600 * 8)
        self.assertGreater(Answer.objects.count(), 600 * 30)
        scores = list(demo.values_list("overall_score", flat=True))
        self.assertGreater(max(scores) - min(scores), 30)

    def test_running_again_does_not_duplicate(self):
        create_demo_assessments(count=50, seed=1)
        first = list(
            Assessment.objects.order_by("public_id").values_list("public_id", "overall_score")
        )
        self.assertEqual(create_demo_assessments(count=50, seed=1), 0)
        self.assertEqual(create_demo_assessments(count=60, seed=1), 10)
        again = Assessment.objects.order_by("public_id").values_list("public_id", "overall_score")
        self.assertEqual(Assessment.objects.count(), 60)
        self.assertTrue(set(first) <= set(again))

    def test_the_default_600_give_the_dashboards_councils_above_and_below_the_threshold(self):
        create_demo_assessments(count=600)
        now = timezone.now()
        year = completed_by_council(since=now - datetime.timedelta(days=365))

        above = {code for code, tally in year.items() if tally.businesses >= 10}
        below = {code for code, tally in year.items() if 1 <= tally.businesses < 10}
        self.assertTrue(8 <= len(above) <= 14, sorted(above))
        self.assertLessEqual(above, set(BUSY_COUNCILS))
        self.assertGreaterEqual(len(above & {"E08000037", "E08000021"}), 2)
        self.assertGreater(len(below), 100)
        # Spread over 18 months, more of them recent: the monthly trend rises.
        ages = [
            (now - completed).days
            for completed in Assessment.objects.values_list("completed", flat=True)
        ]
        self.assertLessEqual(max(ages), HISTORY_DAYS)
        self.assertGreater(sum(age > 365 for age in ages), 20)
        self.assertGreater(
            sum(age < 90 for age in ages), 2 * sum(365 <= age < 455 for age in ages)
        )
