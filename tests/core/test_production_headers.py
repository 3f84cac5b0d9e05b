"""With the production values of the security settings (see tests/test_settings.py for
how the environment sets them), responses carry the headers and cookie flags."""

from django.test import TestCase, override_settings

from tests.factories import create_user

PRODUCTION_SECURITY = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION_SECURITY)
class ProductionHeaderTests(TestCase):
    def test_plain_http_is_redirected_to_https(self):
        response = self.client.get("/account/sign-in/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/account/sign-in/")

    def test_health_checks_answer_plain_http(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_https_responses_carry_hsts_csp_nosniff_and_referrer_policy(self):
        response = self.client.get("/account/sign-in/", secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Strict-Transport-Security"],
            "max-age=31536000; includeSubDomains; preload",
        )
        self.assertIn("'nonce-", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")

    def test_csrf_cookie_is_secure_and_http_only(self):
        response = self.client.get("/account/sign-in/", secure=True)
        cookie = response.cookies["csrftoken"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_session_cookie_is_secure_and_http_only(self):
        create_user(email="founder@example.org", password="correct horse battery staple")
        response = self.client.post(
            "/account/sign-in/",
            {"username": "founder@example.org", "password": "correct horse battery staple"},
            secure=True,
        )
        self.assertEqual(response.status_code, 302)
        cookie = response.cookies["sessionid"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])
