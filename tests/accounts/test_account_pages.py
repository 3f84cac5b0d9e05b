from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.accounts.models import MembershipRequest, Organisation, RequestStatus
from tests.factories import (
    cluster_body,
    council_a,
    council_b,
    create_council_a_curator,
    create_council_a_manager,
    create_membership_request,
    create_moderator,
    create_organisation,
    create_user,
    get_council,
    platform_team,
)
from tests.queries import assert_queries_do_not_grow, fetch

ACCOUNT_URL = reverse("accounts:account")
ORGANISATIONS_URL = reverse("accounts:organisations")


class AccountPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.manager = create_council_a_manager()
        cls.moderator = create_moderator()
        create_membership_request(user=cls.curator, organisation=council_b())
        create_membership_request(organisation=council_a())

    def test_shows_name_email_memberships_with_role_and_pending_requests(self):
        self.client.force_login(self.curator)
        response = self.client.get(ACCOUNT_URL)
        self.assertContains(response, "Alice Curator")
        self.assertContains(response, "curator.a@example.com")
        self.assertContains(response, "Gateshead Council")
        self.assertContains(response, "Editor")
        self.assertContains(response, "Newcastle City Council (asked on")

    def test_editor_gets_no_link_to_decide_requests(self):
        self.client.force_login(self.curator)
        response = self.client.get(ACCOUNT_URL)
        self.assertNotContains(response, reverse("accounts:membership-requests"))

    def test_manager_gets_a_link_with_the_number_waiting(self):
        self.client.force_login(self.manager)
        response = self.client.get(ACCOUNT_URL)
        self.assertContains(response, reverse("accounts:membership-requests"))
        self.assertContains(response, "1 request to join an organisation is waiting")

    def test_moderator_gets_a_link_counting_every_request(self):
        self.client.force_login(self.moderator)
        response = self.client.get(ACCOUNT_URL)
        self.assertContains(response, "2 requests to join an organisation are waiting")


class OrganisationsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()
        cls.founder = create_user(email="founder@example.com", full_name="Fay Founder")
        platform_team()
        cluster_body()
        council_b()

    def setUp(self):
        self.client.force_login(self.founder)

    def test_lists_organisations_with_their_areas_but_not_the_platform_team(self):
        response = self.client.get(ORGANISATIONS_URL)
        self.assertContains(response, "Gateshead Council")
        self.assertContains(response, "Gateshead</td>")
        self.assertContains(response, "North East Tech Cluster")
        self.assertNotContains(response, "Waymark platform team")

    def test_asking_to_join_creates_a_request_and_emails_the_managers(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                ORGANISATIONS_URL,
                {"organisation": council_a().pk, "message": "Economic development officer"},
            )

        self.assertRedirects(response, ACCOUNT_URL, fetch_redirect_response=False)
        request = MembershipRequest.objects.get(user=self.founder)
        self.assertEqual(request.status, RequestStatus.PENDING)
        self.assertEqual(request.message, "Economic development officer")
        self.assertEqual([message.to for message in mail.outbox], [[self.manager.email]])
        self.assertContains(
            self.client.get(ACCOUNT_URL), "You have asked to join Gateshead Council"
        )

    def test_choosing_nothing_shows_an_error(self):
        response = self.client.post(ORGANISATIONS_URL, {"organisation": ""})
        self.assertContains(response, "Choose the organisation you want to join")
        self.assertContains(response, "govuk-error-summary")
        self.assertFalse(MembershipRequest.objects.exists())

    def test_an_organisation_you_belong_to_is_not_offered(self):
        self.client.force_login(self.curator)
        response = self.client.post(ORGANISATIONS_URL, {"organisation": council_a().pk})
        self.assertContains(response, "Choose an organisation from the list")
        self.assertFalse(MembershipRequest.objects.exists())

    def test_the_platform_team_cannot_be_chosen(self):
        response = self.client.post(ORGANISATIONS_URL, {"organisation": platform_team().pk})
        self.assertContains(response, "Choose an organisation from the list")

    def test_a_message_over_1000_characters_is_refused(self):
        response = self.client.post(
            ORGANISATIONS_URL, {"organisation": council_a().pk, "message": "x" * 1001}
        )
        self.assertContains(response, "govuk-error-summary")
        self.assertFalse(MembershipRequest.objects.exists())

    def test_page_runs_the_same_queries_for_10_and_200_organisations(self):
        councils = [get_council(gss_code="E08000022"), get_council(gss_code="E08000023")]

        def add_organisations(count):
            for _ in range(count):
                create_organisation(councils=councils)

        Organisation.objects.exclude(slug__in=["council-a"]).delete()
        add_organisations(10)
        assert_queries_do_not_grow(
            fetch(self.client, ORGANISATIONS_URL), grow=lambda: add_organisations(190)
        )
