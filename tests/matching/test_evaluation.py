"""The matcher against business cases an adviser would judge (tests/matching/cases/),
on the demo catalogue, through ``manage.py recommend``'s code path.

Fails if an ineligible or "never" offer appears, if mean precision@5 falls below 0.6,
or if it does not beat by 0.2 a baseline that ranks the eligible offers by how many of
the business's 3 weakest dimensions they cover. The figures are printed at the end of
the run (tests/matching/conftest.py).
"""

import json
import math
from io import StringIO
from pathlib import Path

import numpy as np
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from portal.matching import candidates
from portal.matching.cases import read_cases
from portal.matching.ranking.offers import failing_rule, offer_rule_masks
from portal.matching.recommendations import recommend
from portal.matching.records import DIMENSIONS

CASES = Path(__file__).parent / "cases" / "adviser_cases.json"
FIGURES: dict = {}
MIN_PRECISION = 0.6
MIN_LEAD_OVER_BASELINE = 0.2


def precision_at_5(ranked: list[str], good: set[str]) -> float:
    return sum(1 for key in ranked[:5] if key in good) / 5


def ndcg_at_10(ranked: list[str], good: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, key in enumerate(ranked[:10]) if key in good)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(good))))
    return dcg / ideal if ideal else 0.0


def baseline(business, today) -> list[str]:
    """Eligible offers by how many of the 3 weakest dimensions they cover (ties by id)."""
    offers = candidates.offer_candidates()
    masks = offer_rule_masks(offers, business, today)
    weakest = sorted(DIMENSIONS, key=lambda d: (business.scores.get(d, 100.0), d))[:3]
    columns = [DIMENSIONS.index(d) for d in weakest]
    covered = offers.dims[:, columns].sum(axis=1)
    eligible = np.ones(len(offers), dtype=bool)
    for mask in masks.values():
        eligible &= mask
    order = sorted(np.flatnonzero(eligible), key=lambda i: (-covered[i], offers.ids[i]))
    return [offers.rows[i].external_id for i in order]


class AdviserCasesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            call_command("seed_demo", "--assessments", "0", stdout=StringIO())
        document = json.loads(CASES.read_text(encoding="utf-8"))
        cls.judged = {case["id"]: case.pop("adviser") for case in document["cases"]}
        cls.cases = read_cases(document["cases"])

    def setUp(self):
        candidates.forget()

    def test_there_are_at_least_30_cases_each_with_a_top_5_and_nevers(self):
        self.assertGreaterEqual(len(self.cases), 30)
        known = {row.external_id for row in candidates.offer_candidates().rows}
        for case_id, judged in self.judged.items():
            with self.subTest(case_id):
                self.assertGreaterEqual(len(judged["top_5"]), 4)
                self.assertTrue(judged["never"])
                self.assertLessEqual(set(judged["top_5"]) | set(judged["never"]), known)

    def test_the_matcher_passes_the_adviser_cases_and_beats_the_baseline(self):
        today = timezone.localdate()
        offers = candidates.offer_candidates()
        position = {row.id: i for i, row in enumerate(offers.rows)}
        precisions, ndcgs, baseline_precisions, baseline_ndcgs = [], [], [], []
        per_case = {}
        for case in self.cases:
            judged = self.judged[case.id]
            good, never = set(judged["top_5"]), set(judged["never"])
            found = recommend(case.business, today=today, limit=20)
            ranked = [row.external_id for _item, row in found.support()]
            masks = offer_rule_masks(offers, case.business, today)
            with self.subTest(case.id):
                for _item, row in found.support():
                    self.assertIsNone(
                        failing_rule(masks, position[row.id]), f"{row.external_id} ineligible"
                    )
                self.assertFalse(never & set(ranked), f"never: {sorted(never & set(ranked))}")
            precisions.append(precision_at_5(ranked, good))
            ndcgs.append(ndcg_at_10(ranked, good))
            base = baseline(case.business, today)
            baseline_precisions.append(precision_at_5(base, good))
            baseline_ndcgs.append(ndcg_at_10(base, good))
            per_case[case.id] = (precisions[-1], baseline_precisions[-1], ranked[:5])
        FIGURES.update(
            cases=len(self.cases),
            precision_at_5=round(sum(precisions) / len(precisions), 3),
            ndcg_at_10=round(sum(ndcgs) / len(ndcgs), 3),
            baseline_precision_at_5=round(sum(baseline_precisions) / len(precisions), 3),
            baseline_ndcg_at_10=round(sum(baseline_ndcgs) / len(ndcgs), 3),
            weakest_cases=dict(sorted(per_case.items(), key=lambda kv: kv[1][0])[:5]),
        )
        self.assertGreaterEqual(FIGURES["precision_at_5"], MIN_PRECISION, FIGURES)
        self.assertGreaterEqual(
            FIGURES["precision_at_5"] - FIGURES["baseline_precision_at_5"],
            MIN_LEAD_OVER_BASELINE,
            FIGURES,
        )
