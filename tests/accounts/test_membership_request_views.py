from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.accounts.models import Membership, MembershipRequest, RequestStatus, Role
from tests.factories import (
    council_a,
    council_b,
    create_council_a_curator,
    create_council_a_manager,
    create_council_b_curator,
    create_membership_request,
    create_moderator,
    create_user,
)
from tests.queries import assert_queries_do_not_grow, fetch

QUEUE_URL = reverse("accounts:membership-requests")


def decide_url(membership_request):
    return reverse("accounts:membership-request-decide", kwargs={"pk": membership_request.pk})


class MembershipRequestQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()
        cls.moderator = create_moderator()
        cls.request_to_a = create_membership_request(
            user=create_user(full_name="Amir Applicant"), organisation=council_a()
        )
        cls.request_to_b = create_membership_request(
            user=create_user(full_name="Bea Applicant"), organisation=council_b()
        )

    def test_manager_sees_only_their_organisations_requests(self):
        self.client.force_login(self.manager)
        response = self.client.get(QUEUE_URL)
        self.assertContains(response, "Amir Applicant asks to join Gateshead Council")
        self.assertNotContains(response, "Bea Applicant")

    def test_moderator_sees_every_waiting_request(self):
        self.client.force_login(self.moderator)
        response = self.client.get(QUEUE_URL)
        self.assertContains(response, "Amir Applicant")
        self.assertContains(response, "Bea Applicant")

    def test_editor_sees_an_empty_queue(self):
        self.client.force_login(self.curator)
        response = self.client.get(QUEUE_URL)
        self.assertContains(response, "There are no requests waiting for your decision.")
        self.assertNotContains(response, "Amir Applicant")

    def test_decided_requests_leave_the_queue(self):
        MembershipRequest.objects.filter(pk=self.request_to_a.pk).update(
            status=RequestStatus.DECLINED
        )
        self.client.force_login(self.manager)
        self.assertNotContains(self.client.get(QUEUE_URL), "Amir Applicant")

    def test_queue_needs_a_signed_in_user(self):
        response = self.client.get(QUEUE_URL)
        self.assertRedirects(response, f"{reverse('accounts:sign-in')}?next={QUEUE_URL}")

    def test_queue_runs_the_same_queries_for_10_and_200_requests(self):
        def add_requests(count):
            for _ in range(count):
                create_membership_request(organisation=council_a())

        MembershipRequest.objects.all().delete()
        add_requests(10)
        self.client.force_login(self.moderator)
        assert_queries_do_not_grow(fetch(self.client, QUEUE_URL), grow=lambda: add_requests(190))


class DecideMembershipRequestViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()
        cls.curator_b = create_council_b_curator()
        cls.moderator = create_moderator()
        cls.applicant = create_user(email="applicant@example.com", full_name="Amir Applicant")
        cls.request_to_a = create_membership_request(user=cls.applicant, organisation=council_a())
        cls.request_to_b = create_membership_request(user=cls.applicant, organisation=council_b())

    def decide(self, user, membership_request, decision="approve", role=Role.EDITOR):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                decide_url(membership_request), {"decision": decision, "role": role}
            )

    def test_manager_of_a_approves_and_the_requester_is_emailed(self):
        response = self.decide(self.manager, self.request_to_a)

        self.assertRedirects(response, QUEUE_URL, fetch_redirect_response=False)
        membership = Membership.objects.get(user=self.applicant, organisation=council_a())
        self.assertEqual(membership.role, Role.EDITOR)
        self.request_to_a.refresh_from_db()
        self.assertEqual(self.request_to_a.status, RequestStatus.APPROVED)
        [message] = mail.outbox
        self.assertEqual(message.to, ["applicant@example.com"])
        follow = self.client.get(QUEUE_URL)
        self.assertContains(follow, "Amir Applicant is now a member of Gateshead Council")

    def test_manager_of_a_cannot_approve_a_request_to_b(self):
        response = self.decide(self.manager, self.request_to_b)

        self.assertEqual(response.status_code, 404)
        self.request_to_b.refresh_from_db()
        self.assertEqual(self.request_to_b.status, RequestStatus.PENDING)
        self.assertFalse(Membership.objects.filter(user=self.applicant).exists())
        self.assertEqual(mail.outbox, [])

    def test_editor_who_is_not_a_manager_cannot_approve(self):
        response = self.decide(self.curator, self.request_to_a)

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Membership.objects.filter(user=self.applicant).exists())

    def test_curator_of_another_council_cannot_decline(self):
        response = self.decide(self.curator_b, self.request_to_a, decision="decline")

        self.assertEqual(response.status_code, 404)
        self.request_to_a.refresh_from_db()
        self.assertEqual(self.request_to_a.status, RequestStatus.PENDING)

    def test_moderator_can_approve_any_request_as_manager(self):
        response = self.decide(self.moderator, self.request_to_b, role=Role.MANAGER)

        self.assertRedirects(response, QUEUE_URL)
        self.assertEqual(
            Membership.objects.get(user=self.applicant, organisation=council_b()).role,
            Role.MANAGER,
        )

    def test_double_approval_creates_one_membership(self):
        self.decide(self.manager, self.request_to_a)
        second = self.decide(self.manager, self.request_to_a)

        self.assertRedirects(second, QUEUE_URL)
        self.assertEqual(Membership.objects.filter(user=self.applicant).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_decline_marks_the_request_declined(self):
        response = self.decide(self.manager, self.request_to_a, decision="decline")

        self.assertRedirects(response, QUEUE_URL)
        self.request_to_a.refresh_from_db()
        self.assertEqual(self.request_to_a.status, RequestStatus.DECLINED)
        self.assertIn("declined", mail.outbox[0].subject)

    def test_approving_a_declined_request_shows_a_message_and_changes_nothing(self):
        self.decide(self.manager, self.request_to_a, decision="decline")

        response = self.decide(self.manager, self.request_to_a)

        self.assertRedirects(response, QUEUE_URL, fetch_redirect_response=False)
        self.assertContains(self.client.get(QUEUE_URL), "This request has already been declined.")
        self.assertFalse(Membership.objects.filter(user=self.applicant).exists())

    def test_an_unknown_decision_redisplays_the_queue_with_an_error(self):
        response = self.decide(self.manager, self.request_to_a, decision="maybe")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.request_to_a.refresh_from_db()
        self.assertEqual(self.request_to_a.status, RequestStatus.PENDING)

    def test_an_unknown_role_redisplays_the_queue_with_an_error(self):
        response = self.decide(self.manager, self.request_to_a, role="owner")

        self.assertContains(response, "govuk-error-summary")
        self.assertFalse(Membership.objects.filter(user=self.applicant).exists())

    def test_deciding_needs_a_post(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(decide_url(self.request_to_a)).status_code, 405)

    def test_an_unknown_request_is_404(self):
        self.client.force_login(self.moderator)
        response = self.client.post(
            reverse("accounts:membership-request-decide", kwargs={"pk": 999999}),
            {"decision": "approve"},
        )
        self.assertEqual(response.status_code, 404)
