import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.lib.links import site_url
from tests.factories import DEFAULT_PASSWORD, create_user

NEW_PASSWORD = "lantern-breeze-quarry-58"


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann@example.com", full_name="Ann Founder")

    def ask_for_a_link(self, email="ann@example.com"):
        # The email goes by task once the request's work commits.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("accounts:password-reset"), {"email": email})

    def link_in_email(self) -> str:
        [message] = mail.outbox
        [link] = re.findall(r"https?://\S+/password-reset/\S+/\S+/", message.body)
        return link

    def test_asking_for_a_link_emails_one_to_the_account(self):
        response = self.ask_for_a_link(email="ANN@example.com")

        self.assertRedirects(response, reverse("accounts:password-reset-done"))
        [message] = mail.outbox
        self.assertEqual(message.to, ["ann@example.com"])
        self.assertEqual(message.subject, "Reset your Waymark password")
        self.assertTrue(self.link_in_email().startswith(site_url() + "/account/"))
        [(html, mimetype)] = message.alternatives
        self.assertEqual(mimetype, "text/html")
        self.assertIn(self.link_in_email(), html)

    def test_unknown_address_sees_the_same_page_and_no_email_is_sent(self):
        response = self.ask_for_a_link(email="nobody@example.com")

        self.assertRedirects(response, reverse("accounts:password-reset-done"))
        self.assertEqual(mail.outbox, [])

    def test_badly_formed_address_is_refused_with_a_message(self):
        response = self.ask_for_a_link(email="ann")

        self.assertContains(response, "Enter an email address in the correct format")

    def test_following_the_link_and_setting_a_password_lets_you_sign_in_with_it(self):
        self.ask_for_a_link()
        link = self.link_in_email().removeprefix(site_url())

        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, "Set a new password")
        set_password_url = form_page.redirect_chain[-1][0]
        response = self.client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, reverse("accounts:password-reset-complete"))

        self.ann.refresh_from_db()
        self.assertTrue(self.ann.check_password(NEW_PASSWORD))
        self.client.post(
            reverse("accounts:sign-in"),
            {"username": "ann@example.com", "password": NEW_PASSWORD},
        )
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.ann.pk)

    def test_weak_new_password_is_refused_with_a_message(self):
        self.ask_for_a_link()
        form_page = self.client.get(self.link_in_email().removeprefix(site_url()), follow=True)

        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "12345678", "new_password2": "12345678"},
        )

        self.assertContains(response, "govuk-error-summary")
        self.ann.refresh_from_db()
        self.assertTrue(self.ann.check_password(DEFAULT_PASSWORD))

    def test_a_link_works_only_once(self):
        self.ask_for_a_link()
        link = self.link_in_email().removeprefix(site_url())
        form_page = self.client.get(link, follow=True)
        self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

        response = self.client.get(link, follow=True)

        self.assertContains(response, "This link does not work")
