"""Signed-in founders find their assessments on their account page."""

from django.test import TestCase
from django.urls import reverse

from diagnostics import services
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import flow_url
from tests.factories import create_assessment, create_user, get_council
from tests.queries import assert_queries_do_not_grow, fetch


class AccountAssessmentsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.founder = create_user()
        cls.in_progress = create_assessment(user=cls.founder, sections=2)
        cls.completed = services.submit_assessment(
            assessment=create_assessment(user=cls.founder, sections=8)
        )
        cls.someone_elses = create_assessment(user=create_user())

    def setUp(self):
        self.client.force_login(self.founder)

    def test_account_lists_the_founders_assessments_with_status_and_link(self):
        response = self.client.get(reverse("accounts:account"))
        self.assertContains(response, "Your assessments")
        self.assertContains(response, flow_url("task-list", self.in_progress))
        self.assertContains(response, flow_url("results", self.completed))
        self.assertNotContains(response, str(self.someone_elses.public_id))
        self.assertContains(response, "In progress")
        self.assertContains(response, "Completed")

    def test_account_page_queries_do_not_grow_with_the_number_of_assessments(self):
        account = fetch(self.client, reverse("accounts:account"))
        account()

        def add_assessments():
            for _ in range(5):
                create_assessment(user=self.founder, profile=None)

        small, _large = assert_queries_do_not_grow(account, grow=add_assessments)
        self.assertEqual(small, 6)
