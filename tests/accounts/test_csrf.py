"""Every state-changing POST needs the CSRF token: without it, 403 and nothing changes."""

from django.contrib.auth import SESSION_KEY
from django.test import Client, TestCase
from django.urls import reverse

from portal.accounts.models import RequestStatus, User
from tests.factories import (
    DEFAULT_PASSWORD,
    council_a,
    create_council_a_manager,
    create_membership_request,
    create_user,
)


class CsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann@example.com")
        cls.manager = create_council_a_manager()
        cls.membership_request = create_membership_request(organisation=council_a())

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def test_sign_in_without_the_token_is_refused(self):
        response = self.client.post(
            reverse("accounts:sign-in"),
            {"username": "ann@example.com", "password": DEFAULT_PASSWORD},
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_sign_in_with_the_token_works(self):
        self.client.get(reverse("accounts:sign-in"))
        response = self.client.post(
            reverse("accounts:sign-in"),
            {
                "username": "ann@example.com",
                "password": DEFAULT_PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies["csrftoken"].value,
            },
        )
        self.assertRedirects(response, reverse("accounts:account"), fetch_redirect_response=False)

    def test_sign_up_without_the_token_is_refused(self):
        response = self.client.post(
            reverse("accounts:sign-up"),
            {
                "full_name": "Nia",
                "email": "nia@example.com",
                "password": "heather-kettle-orbit-71",
                "password_again": "heather-kettle-orbit-71",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(email="nia@example.com").exists())

    def test_approving_without_the_token_is_refused(self):
        self.client.force_login(self.manager)
        response = self.client.post(
            reverse(
                "accounts:membership-request-decide", kwargs={"pk": self.membership_request.pk}
            ),
            {"decision": "approve", "role": "editor"},
        )
        self.assertEqual(response.status_code, 403)
        self.membership_request.refresh_from_db()
        self.assertEqual(self.membership_request.status, RequestStatus.PENDING)

    def test_signing_out_without_the_token_is_refused(self):
        self.client.force_login(self.ann)
        response = self.client.post(reverse("accounts:sign-out"))
        self.assertEqual(response.status_code, 403)
        self.assertIn(SESSION_KEY, self.client.session)
