"""Sign-in slows a guesser down: 10 failures for one account, or from one address,
within 15 minutes, and further sign-ins for it are refused with a clear page (429)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from portal.accounts.lockout import account_key, client_address
from tests.factories import DEFAULT_PASSWORD, create_user

URL = reverse("accounts:sign-in")
LIMIT = 10


class LockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann@example.com")
        cls.bob = create_user(email="bob@example.com")

    def setUp(self):
        cache.clear()

    def attempt(self, email, password, address="192.0.2.1", **headers):
        return self.client.post(
            URL, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
        )

    def test_ten_wrong_passwords_for_one_account_lock_it_even_from_other_addresses(self):
        for number in range(LIMIT - 1):
            response = self.attempt("ann@example.com", "wrong", address=f"198.51.100.{number}")
            self.assertContains(response, "Enter a correct email address and password")

        tenth = self.attempt("ann@example.com", "wrong", address="198.51.100.200")
        self.assertContains(tenth, "Sign in is paused", status_code=429)

        right = self.attempt("ann@example.com", DEFAULT_PASSWORD, address="203.0.113.9")
        self.assertContains(right, "Try again after that", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

        # The lockout is the account's: another account from the same address signs in.
        other = self.attempt("bob@example.com", DEFAULT_PASSWORD, address="203.0.113.9")
        self.assertRedirects(other, reverse("accounts:account"))

    def test_changing_the_letter_case_does_not_start_a_new_count(self):
        for number in range(LIMIT):
            email = "ANN@example.com" if number % 2 else "ann@EXAMPLE.com"
            self.attempt(email, "wrong", address=f"198.51.100.{number}")

        response = self.attempt("Ann@Example.com", DEFAULT_PASSWORD, address="203.0.113.9")
        self.assertEqual(response.status_code, 429)

    def test_ten_failures_from_one_address_lock_that_address_out(self):
        for number in range(LIMIT):
            self.attempt(f"guess{number}@example.com", "wrong", address="192.0.2.50")

        locked = self.attempt("bob@example.com", DEFAULT_PASSWORD, address="192.0.2.50")
        self.assertContains(locked, "Sign in is paused", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

        elsewhere = self.attempt("bob@example.com", DEFAULT_PASSWORD, address="192.0.2.51")
        self.assertRedirects(elsewhere, reverse("accounts:account"))

    def test_a_made_up_forwarded_address_does_not_escape_the_address_lockout(self):
        for number in range(LIMIT):
            self.attempt(
                f"guess{number}@example.com",
                "wrong",
                address="192.0.2.60",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
            )

        response = self.attempt(
            "bob@example.com",
            DEFAULT_PASSWORD,
            address="192.0.2.60",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        )
        self.assertEqual(response.status_code, 429)

    def test_nine_failures_then_the_right_password_signs_in_and_starts_the_count_again(self):
        for number in range(LIMIT - 1):
            self.attempt("ann@example.com", "wrong", address=f"198.51.100.{number}")

        response = self.attempt("ann@example.com", DEFAULT_PASSWORD, address="203.0.113.1")
        self.assertRedirects(response, reverse("accounts:account"))
        self.client.logout()

        for number in range(LIMIT - 1):
            self.attempt("ann@example.com", "wrong", address=f"198.51.100.{number + 20}")
        again = self.attempt("ann@example.com", DEFAULT_PASSWORD, address="203.0.113.2")
        self.assertRedirects(again, reverse("accounts:account"))

    def test_the_count_lives_only_in_the_cache_and_ends_with_it(self):
        for number in range(LIMIT):
            self.attempt("ann@example.com", "wrong", address=f"198.51.100.{number}")
        self.assertEqual(self.attempt("ann@example.com", DEFAULT_PASSWORD).status_code, 429)
        # Nothing about the attempts (addresses, emails) is written to the database.
        self.assertFalse(AccessAttempt.objects.exists())
        self.assertFalse(AccessLog.objects.exists())
        self.assertFalse(AccessFailureLog.objects.exists())

        cache.clear()  # what the 15 minutes' expiry of the cache entries does

        response = self.attempt("ann@example.com", DEFAULT_PASSWORD)
        self.assertRedirects(response, reverse("accounts:account"))


class AttemptKeyTests(TestCase):
    def request(self, **meta):
        from django.test import RequestFactory

        return RequestFactory().post(URL, **meta)

    def test_account_key_is_the_trimmed_lower_case_address(self):
        self.assertEqual(
            account_key(self.request(), {"username": "  Ann@Example.COM "}), "ann@example.com"
        )

    def test_without_trusted_proxies_the_connecting_address_counts(self):
        request = self.request(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
        self.assertEqual(client_address(request), "192.0.2.7")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(self):
        request = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.8")
        self.assertEqual(client_address(request), "192.0.2.8")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_with_fewer_forwarded_addresses_than_proxies_the_connecting_one_counts(self):
        request = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.8")
        self.assertEqual(client_address(request), "10.0.0.2")


class SessionOnSignInTests(TestCase):
    def test_signing_in_gives_a_new_session_key(self):
        create_user(email="ann@example.com")
        self.client.get(URL)
        session = self.client.session
        session["seen"] = True
        session.save()
        before = session.session_key

        response = self.client.post(
            URL, {"username": "ann@example.com", "password": DEFAULT_PASSWORD}
        )

        self.assertRedirects(response, reverse("accounts:account"))
        self.assertNotEqual(self.client.session.session_key, before)
