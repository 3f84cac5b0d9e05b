from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.accounts.models import Membership, MembershipRequest, RequestStatus, Role, User
from tests.factories import (
    council_a,
    create_council_a_curator,
    create_membership_request,
    create_moderator,
    create_user,
)

CHANGELIST_URL = reverse("admin:accounts_membershiprequest_changelist")


class MembershipRequestAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = create_user(email="root@example.com", is_superuser=True, is_staff=True)
        cls.applicant = create_user(email="applicant@example.com")
        cls.membership_request = create_membership_request(
            user=cls.applicant, organisation=council_a()
        )

    def run_action(self, action):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                CHANGELIST_URL,
                {"action": action, ACTION_CHECKBOX_NAME: [self.membership_request.pk]},
                follow=True,
            )

    def test_approve_action_goes_through_the_service(self):
        self.client.force_login(self.superuser)

        response = self.run_action("approve_as_manager")

        self.assertContains(response, "1 request approved.")
        self.assertEqual(
            Membership.objects.get(user=self.applicant, organisation=council_a()).role,
            Role.MANAGER,
        )
        self.membership_request.refresh_from_db()
        self.assertEqual(self.membership_request.decided_by, self.superuser)
        self.assertEqual([message.to for message in mail.outbox], [["applicant@example.com"]])

    def test_decline_action_goes_through_the_service(self):
        self.client.force_login(self.superuser)

        self.run_action("decline")

        self.membership_request.refresh_from_db()
        self.assertEqual(self.membership_request.status, RequestStatus.DECLINED)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_moderator_deciding_their_own_request_gets_a_warning_and_nothing_changes(self):
        moderator = create_moderator()
        own = create_membership_request(user=moderator, organisation=council_a())
        self.client.force_login(moderator)

        response = self.client.post(
            CHANGELIST_URL,
            {"action": "approve_as_editor", ACTION_CHECKBOX_NAME: [own.pk]},
            follow=True,
        )

        self.assertContains(response, "You cannot decide this membership request.")
        own.refresh_from_db()
        self.assertEqual(own.status, RequestStatus.PENDING)
        self.assertFalse(Membership.objects.filter(user=moderator, organisation=council_a()))

    def test_staff_who_are_not_moderators_are_refused_whatever_their_model_permissions(self):
        clerk = create_council_a_curator()
        User.objects.filter(pk=clerk.pk).update(is_staff=True)
        clerk.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_membershiprequest", "change_membershiprequest"]
            )
        )
        self.client.force_login(clerk)

        self.assertEqual(self.client.get(CHANGELIST_URL).status_code, 403)
        response = self.run_action("approve_as_editor")

        self.assertEqual(response.status_code, 403)
        self.membership_request.refresh_from_db()
        self.assertEqual(self.membership_request.status, RequestStatus.PENDING)
        self.assertFalse(Membership.objects.filter(user=self.applicant).exists())


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = create_user(email="root@example.com", is_superuser=True, is_staff=True)
        create_council_a_curator()
        create_membership_request(organisation=council_a())

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_every_accounts_admin_page_renders(self):
        organisation = council_a()
        urls = [
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_add"),
            reverse("admin:accounts_user_change", args=[self.superuser.pk]),
            reverse("admin:accounts_organisation_changelist") + "?kind=local-authority",
            reverse("admin:accounts_organisation_add"),
            reverse("admin:accounts_organisation_change", args=[organisation.pk]),
            CHANGELIST_URL + "?status=pending",
            reverse(
                "admin:accounts_membershiprequest_change",
                args=[MembershipRequest.objects.get().pk],
            ),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_adding_a_user_stores_the_email_in_lower_case(self):
        response = self.client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "New.Person@Example.com",
                "full_name": "New Person",
                "usable_password": "true",
                "password1": "heather-kettle-orbit-71",
                "password2": "heather-kettle-orbit-71",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(User.objects.filter(email="new.person@example.com").exists())
