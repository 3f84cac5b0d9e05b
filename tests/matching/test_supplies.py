"""What a business supplies ranks its opportunities: from the diagnostic's profile
(questionnaire 1.1.0), from a profile alone, and in ``manage.py recommend``, checked
the one way the profile form checks it."""

import json
from datetime import timedelta
from io import StringIO
from unittest.mock import patch

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from diagnostics.access import SESSION_KEY
from portal.matching.recommendations import business_from_assessment, recommend
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.peer_data import complete_assessment
from tests.factories import create_opportunity, get_council

GATESHEAD = "E08000037"
# Professional services: its sector usually supplies CPV divisions 71, 72, 73 and 79, so
# every opportunity below is open to it whatever it says it supplies.
CONSULTANCY = {**TRADING_PUBLIC, "council": GATESHEAD, "sic_section": "M"}
IT_SERVICES = ["72000000", "72200000"]


def titles(ranking_rows) -> list[str]:
    return [row.title for _item, row in ranking_rows]


class SuppliesRankOpportunitiesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)
        now = timezone.now()
        # Without what the business supplies, the one closing soonest comes first.
        cls.architecture = create_opportunity(
            title="Library extension design",
            cpv_codes=["71200000"],
            uk_wide=True,
            deadline=now + timedelta(days=8),
        )
        cls.software = create_opportunity(
            title="Booking system development",
            cpv_codes=["72212000"],
            uk_wide=True,
            deadline=now + timedelta(days=30),
        )
        cls.research = create_opportunity(
            title="Research on town centres",
            cpv_codes=["73000000"],
            uk_wide=True,
            deadline=now + timedelta(days=9),
        )

    def test_the_assessment_profile_supplies_become_prefixes(self):
        assessment = complete_assessment(profile={**CONSULTANCY, "supplies": IT_SERVICES})
        self.assertEqual(assessment.version, "1.2.0")
        self.assertEqual(business_from_assessment(assessment).supplies, ("72", "722"))

    def test_an_it_supplier_sees_it_opportunities_first(self):
        without = complete_assessment(profile=CONSULTANCY)
        supplier = complete_assessment(profile={**CONSULTANCY, "supplies": IT_SERVICES})

        before = recommend(business_from_assessment(without))
        after = recommend(business_from_assessment(supplier))

        self.assertNotEqual(titles(before.contracts())[0], "Booking system development")
        self.assertEqual(titles(after.contracts())[0], "Booking system development")
        item, _row = after.contracts()[0]
        self.assertEqual(item.reasons[0]["code"], "supplies")
        self.assertGreater(item.score, before.contracts()[0][0].score)

    def test_the_results_page_shows_them_and_links_to_the_contracts_for_them(self):
        assessment = complete_assessment(profile={**CONSULTANCY, "supplies": IT_SERVICES})
        session = self.client.session
        session[SESSION_KEY] = [str(assessment.public_id)]
        session.save()

        response = self.client.get(f"/diagnostic/{assessment.public_id}/results/")

        self.assertContains(response, "Contract opportunities for you")
        html = response.content.decode()
        self.assertLess(
            html.index("Booking system development"), html.index("Library extension design")
        )
        self.assertContains(
            response,
            f'href="/contracts/?division=72&amp;group=722&amp;council={GATESHEAD}"',
        )
        self.assertContains(response, "Find more contracts for what you supply")

    def test_a_profile_alone_may_say_what_it_supplies(self):
        profile = {
            "council": GATESHEAD,
            "size": "micro",
            "stage": "growing",
            "sic_section": "M",
            "supplies": "72",
        }
        response = self.client.get("/recommended/", profile)
        html = response.content.decode()
        self.assertLess(
            html.index("Booking system development"), html.index("Library extension design")
        )
        self.assertContains(response, "division=72&amp;council=")

    def test_the_profile_alone_form_names_an_unknown_code(self):
        response = self.client.get(
            "/recommended/",
            {
                "council": GATESHEAD,
                "size": "micro",
                "stage": "growing",
                "sic_section": "M",
                "supplies": "99999999",
            },
        )
        self.assertContains(response, "What do you supply? (optional)")
        self.assertContains(response, "99999999 is not a CPV code we know", count=2)
        self.assertContains(response, "js/pickers.js")


class RecommendCommandSuppliesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)
        cls.software = create_opportunity(
            title="Booking system development", cpv_codes=["72212000"], uk_wide=True
        )
        cls.building = create_opportunity(
            title="Roof repairs", cpv_codes=["45261000"], uk_wide=True
        )

    def case(self, supplies, **fields):
        return {
            "id": "it-firm",
            "profile": {
                "council": GATESHEAD,
                "size": "micro",
                "stage": "growing",
                "customer_types": ["public_sector"],
                "plans": [],
                "supplies": supplies,
            },
            "scores": {"dimensions": {"trade": 50}, "flags": []},
            **fields,
        }

    def run_command(self, cases) -> dict:
        out = StringIO()
        with patch("sys.stdin", StringIO(json.dumps(cases))):
            call_command("recommend", "-", stdout=out)
        return json.loads(out.getvalue())

    def error(self, cases) -> str:
        with (
            self.assertRaises(CommandError) as raised,
            patch("sys.stdin", StringIO(json.dumps(cases))),
        ):
            call_command("recommend", "-", stdout=StringIO())
        self.assertEqual(raised.exception.returncode, 2)
        return str(raised.exception)

    def test_divisions_groups_and_codes_rank_what_the_business_supplies(self):
        for supplies in (["72"], ["722"], ["72000000"], ["72200000-5"], ["72212000"]):
            with self.subTest(supplies=supplies):
                output = self.run_command([self.case(supplies)])["it-firm"]
                self.assertEqual(
                    [item["title"] for item in output["opportunities"]],
                    ["Booking system development"],
                )

    def test_an_unknown_code_names_the_case_the_field_and_the_code(self):
        message = self.error([self.case(["72000000", "99999999"])])
        self.assertIn("case 'it-firm': profile.supplies:", message)
        self.assertIn("99999999 is not a CPV code we know", message)

    def test_what_is_not_a_code_or_too_many_codes_is_refused_as_the_form_refuses_it(self):
        self.assertIn("“software” is not a CPV code", self.error([self.case(["software"])]))
        self.assertIn("profile.supplies", self.error([self.case("72000000")]))
        divisions = "03 09 14 15 16 18 19 22 24 30 31 32 33 34 35 37 38 39 41 42 43"
        many = [f"{division}000000" for division in divisions.split()]
        self.assertIn("Enter no more than 20 CPV codes", self.error([self.case(many)]))

    def test_supplies_go_with_answers_scored_by_the_latest_questionnaire(self):
        case = self.case(["72"], answers={"M1": "local"})
        del case["scores"]
        output = self.run_command([case])["it-firm"]
        self.assertEqual(
            [item["title"] for item in output["opportunities"]], ["Booking system development"]
        )
