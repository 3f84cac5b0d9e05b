"""manage.py recommend: the pages' code path for a file of cases, and its errors."""

import json
from io import StringIO
from unittest.mock import patch

from django.core.management import CommandError, call_command
from django.test import TestCase

from portal.matching.recommendations import recommend
from tests.factories import create_offer, get_council

GATESHEAD = "E08000037"
SCORES = {
    "dimensions": {
        "strategy": 60,
        "skills": 60,
        "adoption": 60,
        "data": 20,
        "cyber": 70,
        "innovation": 60,
        "finance": 60,
        "trade": 60,
    },
    "flags": [],
}


def case(**fields):
    return {
        "id": "gateshead",
        "profile": {
            "council": GATESHEAD,
            "size": "micro",
            "stage": "growing",
            "sic_section": "J",
            "customer_types": ["businesses"],
            "plans": [],
        },
        "scores": SCORES,
        **fields,
    }


class RecommendCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        gateshead = get_council(gss_code=GATESHEAD)
        cls.data = create_offer(
            title="Data basics", dimensions=["data"], status="published", uk_wide=True
        )
        cls.strategy = create_offer(
            title="Digital plan", dimensions=["strategy"], status="published", uk_wide=True
        )
        cls.local = create_offer(
            title="Gateshead data clinic",
            dimensions=["data"],
            status="published",
            councils=[gateshead],
        )
        cls.draft = create_offer(title="Draft", dimensions=["data"], uk_wide=True)

    def run_command(self, cases) -> dict:
        out = StringIO()
        with patch("sys.stdin", StringIO(json.dumps(cases))):
            call_command("recommend", "-", stdout=out)
        return json.loads(out.getvalue())

    def error(self, text: str) -> CommandError:
        with self.assertRaises(CommandError) as raised, patch("sys.stdin", StringIO(text)):
            call_command("recommend", "-", stdout=StringIO())
        self.assertEqual(raised.exception.returncode, 2)
        return raised.exception

    def test_prints_support_and_opportunities_per_case(self):
        output = self.run_command([case()])
        support = output["gateshead"]["support"]
        self.assertEqual(
            [item["slug"] for item in support],
            [self.local.slug, self.data.slug, self.strategy.slug],
        )
        self.assertEqual(set(support[0]), {"external_id", "slug", "title", "score", "reasons"})
        self.assertIn(
            {"code": "builds_weakest", "dimension": "data", "score": 20}, support[0]["reasons"]
        )
        self.assertEqual(output["gateshead"]["opportunities"], [])

    def test_gives_the_same_ranking_as_the_code_path_the_pages_use(self):
        from portal.matching.cases import read_cases

        (read,) = read_cases([case()])
        output = self.run_command([case()])
        pages = recommend(read.business).as_json()
        self.assertEqual(output["gateshead"], json.loads(json.dumps(pages)))

    def test_answers_are_scored_with_the_latest_questionnaire(self):
        answers = case(answers={"C4": ["offsite_backup"]})
        del answers["scores"]
        output = self.run_command([answers])
        self.assertTrue(output["gateshead"]["support"])

    def test_today_moves_the_rules(self):
        self.data.closes = "2026-01-31"
        self.data.save(update_fields=["closes"])
        before = self.run_command([case(today="2026-01-30")])["gateshead"]["support"]
        after = self.run_command([case(today="2026-02-01")])["gateshead"]["support"]
        self.assertIn(self.data.slug, [item["slug"] for item in before])
        self.assertNotIn(self.data.slug, [item["slug"] for item in after])

    def test_malformed_json_and_nan_are_refused(self):
        self.assertIn("not valid JSON", str(self.error("[{")))
        self.assertIn("NaN is not allowed", str(self.error('[{"id": NaN}]')))

    def test_an_unknown_council_names_the_case_and_field(self):
        bad = case(profile={"council": "E99999999"})
        message = str(self.error(json.dumps([bad])))
        self.assertIn("case 'gateshead'", message)
        self.assertIn("profile.council", message)

    def test_an_unknown_option_names_the_field(self):
        bad = case(profile={"council": GATESHEAD, "size": "gigantic"})
        self.assertIn(
            "profile.size: unknown option 'gigantic'", str(self.error(json.dumps([bad])))
        )

    def test_a_score_out_of_range_names_the_dimension(self):
        bad = case(scores={"dimensions": {"data": 140}})
        self.assertIn("scores.dimensions.data", str(self.error(json.dumps([bad]))))

    def test_an_unknown_cpv_code_and_answer_are_refused(self):
        bad = case(profile={"council": GATESHEAD, "supplies": ["99999999"]})
        self.assertIn("profile.supplies", str(self.error(json.dumps([bad]))))
        answers = case(answers={"C1": "nonsense"})
        del answers["scores"]
        self.assertIn("answers.C1", str(self.error(json.dumps([answers]))))

    def test_both_answers_and_scores_or_neither_is_refused(self):
        self.assertIn("answers", str(self.error(json.dumps([case(answers={})]))))
        neither = case()
        del neither["scores"]
        self.assertIn("answers", str(self.error(json.dumps([neither]))))

    def test_a_bad_date_and_a_duplicate_id_are_refused(self):
        self.assertIn("today", str(self.error(json.dumps([case(today="2026-02-30")]))))
        self.assertIn("another case", str(self.error(json.dumps([case(), case()]))))
