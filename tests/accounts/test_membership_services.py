from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from portal.accounts import services
from portal.accounts.models import Membership, MembershipRequest, RequestStatus, Role
from tests.factories import (
    cluster_body,
    council_a,
    council_b,
    create_council_a_curator,
    create_council_a_manager,
    create_membership_request,
    create_moderator,
    create_user,
    platform_team,
)


class RequestMembershipTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()
        cls.moderator = create_moderator()
        cls.superuser = create_user(email="root@example.com", is_superuser=True)
        cls.founder = create_user(email="founder@example.com", full_name="Fay Founder")

    def test_request_is_saved_and_the_organisations_managers_are_emailed(self):
        with self.captureOnCommitCallbacks(execute=True):
            membership_request = services.request_membership(
                user=self.founder, organisation=council_a(), message="  I run business rates.  "
            )

        membership_request.refresh_from_db()
        self.assertEqual(membership_request.status, RequestStatus.PENDING)
        self.assertEqual(membership_request.message, "I run business rates.")
        [notification] = mail.outbox
        self.assertEqual(notification.to, [self.manager.email])
        self.assertEqual(notification.subject, "Fay Founder asked to join Gateshead Council")
        self.assertIn("I run business rates.", notification.body)
        self.assertIn("http://127.0.0.1:8000/account/requests/", notification.body)
        self.assertEqual(notification.alternatives[0][1], "text/html")

    def test_organisation_without_managers_emails_each_moderator_separately(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.request_membership(user=self.founder, organisation=cluster_body())

        self.assertEqual(
            sorted(address for message in mail.outbox for address in message.to),
            [self.moderator.email, self.superuser.email],
        )
        self.assertTrue(all(len(message.to) == 1 for message in mail.outbox))

    def test_nothing_is_sent_before_the_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            services.request_membership(user=self.founder, organisation=council_a())
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)

    def test_a_member_cannot_ask_again(self):
        with self.assertRaisesMessage(
            ValidationError, "You are already a member of Gateshead Council."
        ):
            services.request_membership(user=self.curator, organisation=council_a())

    def test_a_second_request_while_one_waits_is_refused(self):
        services.request_membership(user=self.founder, organisation=council_b())
        with self.assertRaisesMessage(ValidationError, "You have already asked to join"):
            services.request_membership(user=self.founder, organisation=council_b())
        self.assertEqual(MembershipRequest.objects.filter(user=self.founder).count(), 1)

    def test_asking_again_after_a_decline_is_allowed(self):
        create_membership_request(
            user=self.founder, organisation=council_b(), status=RequestStatus.DECLINED
        )
        services.request_membership(user=self.founder, organisation=council_b())
        self.assertEqual(MembershipRequest.objects.pending().filter(user=self.founder).count(), 1)

    def test_the_platform_team_cannot_be_joined_by_request(self):
        with self.assertRaisesMessage(ValidationError, "cannot be joined by request"):
            services.request_membership(user=self.founder, organisation=platform_team())


class DecideMembershipRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()
        cls.moderator = create_moderator()
        cls.founder = create_user(email="founder@example.com")
        cls.request_to_a = create_membership_request(user=cls.founder, organisation=council_a())
        cls.request_to_b = create_membership_request(user=cls.founder, organisation=council_b())

    def approve(self, membership_request, decided_by, **options):
        with self.captureOnCommitCallbacks(execute=True):
            return services.approve_membership_request(
                request=membership_request, decided_by=decided_by, **options
            )

    def decline(self, membership_request, decided_by):
        with self.captureOnCommitCallbacks(execute=True):
            return services.decline_membership_request(
                request=membership_request, decided_by=decided_by
            )

    def test_manager_approval_creates_the_membership_and_emails_the_requester(self):
        self.approve(self.request_to_a, self.manager)

        membership = Membership.objects.get(user=self.founder, organisation=council_a())
        self.assertEqual(membership.role, Role.EDITOR)
        self.request_to_a.refresh_from_db()
        self.assertEqual(self.request_to_a.status, RequestStatus.APPROVED)
        self.assertEqual(self.request_to_a.decided_by, self.manager)
        self.assertIsNotNone(self.request_to_a.decided_at)
        [message] = mail.outbox
        self.assertEqual(message.to, [self.founder.email])
        self.assertEqual(message.subject, "You are now a member of Gateshead Council")

    def test_approval_can_make_a_manager(self):
        self.approve(self.request_to_b, self.moderator, role=Role.MANAGER)
        self.assertEqual(
            Membership.objects.get(user=self.founder, organisation=council_b()).role,
            Role.MANAGER,
        )

    def test_approving_twice_creates_one_membership_and_one_email(self):
        self.approve(self.request_to_a, self.manager)
        self.approve(self.request_to_a, self.manager)

        self.assertEqual(Membership.objects.filter(user=self.founder).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_manager_of_another_organisation_is_refused(self):
        with self.assertRaises(PermissionDenied):
            self.approve(self.request_to_b, self.manager)
        self.request_to_b.refresh_from_db()
        self.assertEqual(self.request_to_b.status, RequestStatus.PENDING)

    def test_editor_is_refused_even_for_their_own_organisation(self):
        with self.assertRaises(PermissionDenied):
            self.approve(self.request_to_a, self.curator)
        with self.assertRaises(PermissionDenied):
            self.decline(self.request_to_a, self.curator)
        self.assertFalse(Membership.objects.filter(user=self.founder).exists())

    def test_decline_marks_the_request_and_emails_the_requester(self):
        self.decline(self.request_to_b, self.moderator)

        self.request_to_b.refresh_from_db()
        self.assertEqual(self.request_to_b.status, RequestStatus.DECLINED)
        self.assertFalse(Membership.objects.filter(user=self.founder).exists())
        [message] = mail.outbox
        self.assertEqual(
            message.subject, "Your request to join Newcastle City Council was declined"
        )

    def test_declining_twice_sends_one_email(self):
        self.decline(self.request_to_b, self.moderator)
        self.decline(self.request_to_b, self.moderator)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_declined_request_cannot_then_be_approved(self):
        self.decline(self.request_to_a, self.manager)
        with self.assertRaisesMessage(ValidationError, "already been declined"):
            self.approve(self.request_to_a, self.manager)
        self.assertFalse(Membership.objects.filter(user=self.founder).exists())

    def test_an_approved_request_cannot_then_be_declined(self):
        self.approve(self.request_to_a, self.manager)
        with self.assertRaisesMessage(ValidationError, "already been approved"):
            self.decline(self.request_to_a, self.manager)

    def test_approval_keeps_a_membership_added_meanwhile(self):
        Membership.objects.create(user=self.founder, organisation=council_a(), role=Role.MANAGER)
        self.approve(self.request_to_a, self.manager)
        self.assertEqual(
            Membership.objects.get(user=self.founder, organisation=council_a()).role,
            Role.MANAGER,
        )
