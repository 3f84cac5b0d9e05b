"""The founder's rules, and the admin of advice teams."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.advice import demo, rules
from portal.advice.models import AdviceTeam
from tests.advice.factories import create_advice_request
from tests.base import PersonasTestCase
from tests.factories import council_a, create_organisation


class FounderRulesTests(TestCase):
    def test_a_request_opens_and_is_withdrawn_only_with_its_link(self):
        advice_request = create_advice_request()

        self.assertTrue(rules.can_open_request_by_link(advice_request, link_opens=True))
        self.assertFalse(rules.can_open_request_by_link(advice_request, link_opens=False))
        self.assertTrue(rules.can_withdraw_request(advice_request, link_opens=True))
        self.assertFalse(rules.can_withdraw_request(advice_request, link_opens=False))

    def test_a_withdrawn_or_erased_request_cannot_be_withdrawn_again(self):
        erased = create_advice_request(erased_at=timezone.now())

        self.assertTrue(rules.can_open_request_by_link(erased, link_opens=True))
        self.assertFalse(rules.can_withdraw_request(erased, link_opens=True))


class AdviceTeamAdminTests(PersonasTestCase):
    url = reverse("admin:advice_adviceteam_changelist")

    def test_moderators_only_manage_advice_teams(self):
        expected = {
            "superuser": True,
            "moderator": True,  # the rule decides: no Django model permission needed
            "council_a_manager": False,
            "founder": False,
            "anonymous": False,
        }
        for name, allowed in expected.items():
            with self.subTest(persona=name):
                self.assertEqual(
                    rules.can_manage_advice_teams(self.personas[name]),
                    name in {"superuser", "moderator"},
                )
                if name != "anonymous":
                    self.client.force_login(self.personas[name])
                response = self.client.get(self.url)
                self.assertEqual(response.status_code == 200, allowed, response.status_code)
                self.client.logout()

    def test_a_superuser_sets_an_organisation_to_receive_requests(self):
        self.client.force_login(self.superuser)

        response = self.client.post(
            reverse("admin:advice_adviceteam_add"),
            {
                "organisation": council_a().pk,
                "receives_requests": "on",
                "team_email": "business@gateshead.example",
            },
        )

        self.assertEqual(response.status_code, 302)
        team = AdviceTeam.objects.get()
        self.assertTrue(team.receives_requests)

    def test_receiving_needs_a_team_address(self):
        self.client.force_login(self.superuser)

        response = self.client.post(
            reverse("admin:advice_adviceteam_add"),
            {"organisation": council_a().pk, "receives_requests": "on", "team_email": ""},
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter the team’s email address")
        self.assertFalse(AdviceTeam.objects.exists())


class DemoTests(TestCase):
    def test_the_demo_teams_are_set_up_once(self):
        for slug in ("gateshead-council", "north-east-combined-authority", "glasgow-city-council"):
            create_organisation(slug=slug)

        first = demo.seed_demo({})
        demo.seed_demo({})

        teams = {team.organisation.slug for team in AdviceTeam.objects.receiving()}
        self.assertEqual(teams, {"gateshead-council", "north-east-combined-authority"})
        self.assertEqual(AdviceTeam.objects.count(), 2)
        self.assertIn("Demo advice teams taking requests", first)
