from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import User
from tests.factories import create_user

STRONG_PASSWORD = "heather-kettle-orbit-71"


class SignUpPageTests(TestCase):
    url = reverse("accounts:sign-up")

    def sign_up(self, **changes):
        data = {
            "full_name": "Nia Founder",
            "email": "Nia.Founder@Example.com",
            "password": STRONG_PASSWORD,
            "password_again": STRONG_PASSWORD,
        } | changes
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, data)

    def test_page_shows_the_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Create an account")
        self.assertContains(response, 'name="password_again"')

    def test_sign_up_creates_the_user_signs_them_in_and_sends_the_welcome_email(self):
        response = self.sign_up()

        self.assertRedirects(response, reverse("accounts:account"))
        user = User.objects.get()
        self.assertEqual(user.email, "nia.founder@example.com")
        self.assertEqual(user.full_name, "Nia Founder")
        self.assertTrue(user.check_password(STRONG_PASSWORD))
        self.assertEqual(int(self.client.session[SESSION_KEY]), user.pk)

        self.assertEqual(len(mail.outbox), 1)
        welcome = mail.outbox[0]
        self.assertEqual(welcome.subject, "Welcome to Waymark")
        self.assertEqual(welcome.to, ["nia.founder@example.com"])
        self.assertIn("Hello Nia,", welcome.body)
        self.assertIn("http://127.0.0.1:8000/account/organisations/", welcome.body)
        [(html, mimetype)] = welcome.alternatives
        self.assertEqual(mimetype, "text/html")
        self.assertIn('<a href="http://127.0.0.1:8000/account/">', html)

    def test_duplicate_email_in_any_letter_case_is_refused_with_a_message(self):
        create_user(email="nia.founder@example.com")

        response = self.sign_up(email="NIA.FOUNDER@example.com")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "An account with this email address already exists")
        self.assertContains(response, "<title>Error:")
        self.assertEqual(User.objects.count(), 1)
        self.assertEqual(mail.outbox, [])

    def test_password_too_short_is_refused(self):
        response = self.sign_up(password="k3ttle", password_again="k3ttle")

        self.assertContains(response, "This password is too short")
        self.assertContains(response, "govuk-error-summary")
        self.assertFalse(User.objects.exists())

    def test_passwords_that_differ_are_refused(self):
        response = self.sign_up(password_again=STRONG_PASSWORD + "x")

        self.assertContains(response, "The passwords do not match")
        self.assertFalse(User.objects.exists())

    def test_empty_form_names_every_missing_answer(self):
        response = self.client.post(self.url, {})

        self.assertEqual(response.status_code, 200)
        for message in ("Enter your full name", "Enter your email address", "Enter a password"):
            self.assertContains(response, message)

    def test_badly_formed_email_is_refused(self):
        response = self.sign_up(email="not an address")

        self.assertContains(response, "Enter an email address in the correct format")

    def test_signed_in_person_is_sent_to_their_account(self):
        self.client.force_login(create_user())

        response = self.client.get(self.url)

        self.assertRedirects(response, reverse("accounts:account"))


class SignUpServiceTests(TestCase):
    def test_welcome_email_waits_for_the_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            services.sign_up(email="a@example.com", password=STRONG_PASSWORD, full_name="A")
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)

    def test_weak_password_is_refused_even_without_the_form(self):
        with self.assertRaises(ValidationError) as raised:
            services.sign_up(email="a@example.com", password="password", full_name="A")
        self.assertIn("password", raised.exception.message_dict)
        self.assertFalse(User.objects.exists())

    def test_duplicate_email_is_refused_naming_the_email_field(self):
        create_user(email="a@example.com")
        with self.assertRaises(ValidationError) as raised:
            services.sign_up(email="A@EXAMPLE.COM", password=STRONG_PASSWORD, full_name="A")
        self.assertIn("email", raised.exception.message_dict)


class PasswordRuleTests(TestCase):
    """At least 12 characters, common passwords refused, no upper limit and any script."""

    url = reverse("accounts:sign-up")

    def sign_up(self, password):
        return self.client.post(
            self.url,
            {
                "full_name": "Nia Founder",
                "email": "nia@example.com",
                "password": password,
                "password_again": password,
            },
        )

    def test_eleven_characters_are_too_few(self):
        response = self.sign_up("kettle-orb1")
        self.assertContains(response, "at least 12 characters")
        self.assertFalse(User.objects.exists())

    def test_twelve_characters_are_enough(self):
        response = self.sign_up("kettle-orb1t")
        self.assertRedirects(response, reverse("accounts:account"))

    def test_a_common_password_is_refused_even_when_long_enough(self):
        response = self.sign_up("password1234")
        self.assertContains(response, "too common")
        self.assertFalse(User.objects.exists())

    def test_a_long_passphrase_in_any_script_is_accepted(self):
        passphrase = "Mae'r ddraig goch yn ddraig ddu 🐉 — 龍は空を飛ぶ — Дракон летит " * 2
        self.assertGreater(len(passphrase), 64)

        response = self.sign_up(passphrase)

        self.assertRedirects(response, reverse("accounts:account"))
        self.assertTrue(User.objects.get().check_password(passphrase))
