from django.contrib.auth import SESSION_KEY
from django.test import TestCase
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, create_user


class SignInTests(TestCase):
    url = reverse("accounts:sign-in")

    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann@example.com", full_name="Ann Founder")

    def test_page_shows_the_form_with_a_link_to_reset_the_password(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Sign in")
        self.assertContains(response, reverse("accounts:password-reset"))

    def test_sign_in_with_email_in_any_letter_case_works(self):
        response = self.client.post(
            self.url, {"username": "ANN@Example.COM", "password": DEFAULT_PASSWORD}
        )

        self.assertRedirects(response, reverse("accounts:account"))
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.ann.pk)

    def test_wrong_password_shows_an_error_and_does_not_sign_in(self):
        response = self.client.post(self.url, {"username": "ann@example.com", "password": "no"})

        self.assertContains(response, "Enter a correct email address and password")
        self.assertContains(response, "govuk-error-summary")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_unknown_address_gets_the_same_error_as_a_wrong_password(self):
        response = self.client.post(
            self.url, {"username": "nobody@example.com", "password": DEFAULT_PASSWORD}
        )

        self.assertContains(response, "Enter a correct email address and password")

    def test_inactive_account_gets_the_same_error_as_a_wrong_password(self):
        create_user(email="left@example.com", is_active=False)

        response = self.client.post(
            self.url, {"username": "left@example.com", "password": DEFAULT_PASSWORD}
        )

        self.assertContains(response, "Enter a correct email address and password")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_sign_in_returns_to_the_page_asked_for(self):
        requests_url = reverse("accounts:membership-requests")
        response = self.client.post(
            self.url,
            {"username": "ann@example.com", "password": DEFAULT_PASSWORD, "next": requests_url},
        )
        self.assertRedirects(response, requests_url)

    def test_sign_in_ignores_a_next_address_on_another_site(self):
        response = self.client.post(
            f"{self.url}?next=https://evil.example/",
            {"username": "ann@example.com", "password": DEFAULT_PASSWORD},
        )
        self.assertRedirects(response, reverse("accounts:account"))

    def test_account_page_sends_an_anonymous_visitor_to_sign_in(self):
        account_url = reverse("accounts:account")
        response = self.client.get(account_url)
        self.assertRedirects(response, f"{self.url}?next={account_url}")


class SignOutTests(TestCase):
    url = reverse("accounts:sign-out")

    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user()

    def test_sign_out_by_post_signs_out_and_goes_home(self):
        self.client.force_login(self.ann)

        response = self.client.post(self.url)

        self.assertRedirects(response, reverse("core:home"))
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_sign_out_by_get_is_refused_and_keeps_the_session(self):
        self.client.force_login(self.ann)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 405)
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.ann.pk)
