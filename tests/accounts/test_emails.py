"""Accounts' emails go out by task after commit (password reset links too): none for a
rolled-back sign-up, and a refused one is sent on retry."""

from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import User
from tests.factories import council_a, create_council_a_manager, create_user
from tests.mail_backends import FAIL_ONCE, FailOnceBackend


class Rollback(Exception):
    pass


def sign_up():
    return services.sign_up(
        email="new.founder@example.com", password="a long enough passphrase", full_name="Nia"
    )


class AccountEmailTests(TestCase):
    def test_a_sign_up_rolled_back_sends_no_welcome(self):
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(Rollback),
            transaction.atomic(),
        ):
            sign_up()
            raise Rollback
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        self.assertFalse(User.objects.filter(email="new.founder@example.com").exists())

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_welcome_is_sent_on_retry(self):
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            sign_up()
        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["new.founder@example.com"]), ("sent", ["new.founder@example.com"])],
        )
        [message] = mail.outbox
        self.assertIn("Welcome", message.subject)

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_membership_request_email_is_sent_on_retry(self):
        manager = create_council_a_manager()
        founder = create_user(email="founder@example.com", full_name="Fay Founder")
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            services.request_membership(user=founder, organisation=council_a())
        self.assertEqual(
            FailOnceBackend.attempts, [("refused", [manager.email]), ("sent", [manager.email])]
        )
        self.assertEqual([message.to for message in mail.outbox], [[manager.email]])

    def test_the_password_reset_link_goes_by_task_after_the_request(self):
        create_user(email="ann@example.com")
        with self.captureOnCommitCallbacks() as callbacks:
            self.client.post(reverse("accounts:password-reset"), {"email": "ann@example.com"})
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_password_reset_link_is_sent_on_retry(self):
        create_user(email="ann@example.com")
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("accounts:password-reset"), {"email": "ann@example.com"})
        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["ann@example.com"]), ("sent", ["ann@example.com"])],
        )
        [message] = mail.outbox
        # The subject comes from emails/password_reset_subject.txt.
        self.assertEqual(message.subject, "Reset your Waymark password")
