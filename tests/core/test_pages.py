import html
import json
import re

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests.factories import create_user

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE_IN_HEADER = re.compile(r"'nonce-([^']+)'")


class PublicPagesTests(TestCase):
    def test_each_page_renders_in_the_govuk_layout(self):
        for name, title, heading in [
            ("core:home", "Find support and opportunities for your business", None),
            (
                "core:accessibility",
                "Accessibility statement",
                "Accessibility statement for Waymark",
            ),
            ("core:privacy", "Privacy notice", None),
            ("core:cookies", "Cookies", None),
        ]:
            with self.subTest(name):
                response = self.client.get(reverse(name))

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<html lang="en-gb" class="govuk-template">')
                self.assertContains(response, 'class="govuk-template__body"')
                self.assertContains(response, 'href="#main-content" class="govuk-skip-link"')
                self.assertContains(response, '<main class="govuk-main-wrapper')
                self.assertContains(response, 'id="main-content"')
                self.assertContains(response, "govuk-generic-header")
                self.assertContains(response, "govuk-service-navigation")
                self.assertContains(response, "govuk-phase-banner")
                self.assertContains(response, "govuk-footer")
                self.assertContains(
                    response, f'<h1 class="govuk-heading-xl">{heading or title}</h1>'
                )
                self.assertContains(response, f"<title>{title} – Waymark</title>")

    def test_header_has_no_crown(self):
        response = self.client.get(reverse("core:home"))

        self.assertNotContains(response, "govuk-header__logotype")
        self.assertNotContains(response, "govuk-footer__crown")
        self.assertNotContains(response, "Crown copyright")

    def test_footer_links_to_the_accessibility_privacy_and_cookies_pages(self):
        response = self.client.get(reverse("core:home"))

        for name in ("core:accessibility", "core:privacy", "core:cookies"):
            self.assertContains(response, f'class="govuk-footer__link" href="{reverse(name)}"')
        self.assertContains(response, "Open Government Licence v3.0")

    def test_phase_banner_asks_for_feedback(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, "govuk-phase-banner__content__tag")
        self.assertContains(response, "Beta")
        self.assertContains(response, "Help us improve it")

    def test_home_page_offers_the_three_ways_in(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, "Start the check")
        for name in ("diagnostics:start", "catalogue:search", "procurement:list"):
            with self.subTest(name=name):
                self.assertContains(response, f'href="{reverse(name)}"')
        # The diagnostic is one click away: a link styled as a start button, not a form.
        self.assertContains(response, f'<a href="{reverse("diagnostics:start")}" role="button"')

    def test_home_is_the_current_navigation_item(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, 'aria-current="page"', count=1)
        self.assertContains(response, "govuk-service-navigation__item--active", count=1)

    def test_cookies_page_lists_the_essential_cookies(self):
        response = self.client.get(reverse("core:cookies"))

        self.assertContains(response, '<th scope="row" class="govuk-table__header">sessionid</th>')
        self.assertContains(response, '<th scope="row" class="govuk-table__header">csrftoken</th>')
        self.assertContains(response, "14 days")
        self.assertContains(response, "52 weeks")
        self.assertContains(
            response, '<th scope="row" class="govuk-table__header">django_language</th>'
        )
        self.assertContains(response, "365 days")

    @override_settings(DEPLOYMENT_NAME="North East")
    def test_header_shows_the_deployment_name(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, "Waymark — North East")

    def test_header_shows_no_deployment_name_when_unset(self):
        with self.settings(DEPLOYMENT_NAME=""):
            response = self.client.get(reverse("core:home"))

        self.assertNotContains(response, "Waymark —")


class AccountLinksTests(TestCase):
    def test_signed_out_visitor_sees_sign_in(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, f'href="{reverse("accounts:sign-in")}"')
        self.assertNotContains(response, "Sign out")

    def test_signed_in_user_sees_their_account_and_a_sign_out_form(self):
        self.client.force_login(create_user())

        response = self.client.get(reverse("core:home"))

        self.assertContains(response, f'href="{reverse("accounts:account")}"')
        self.assertNotContains(response, f'href="{reverse("accounts:sign-in")}"')
        sign_out = re.search(
            r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', response.text, re.DOTALL
        )
        self.assertIsNotNone(sign_out)
        self.assertEqual(sign_out[1], reverse("accounts:sign-out"))
        self.assertIn('name="csrfmiddlewaretoken"', sign_out[2])
        self.assertIn("Sign out", sign_out[2])


class SecurityHeadersTests(TestCase):
    def test_every_script_is_a_file_carrying_the_policy_nonce(self):
        # htmx and GOV.UK start-up on every page; the council picker on the second.
        for name, least in (("core:home", 2), ("places:council-choose", 3)):
            response = self.client.get(reverse(name))

            policy = response.headers["Content-Security-Policy"]
            self.assertIn("'nonce-", policy)
            nonce = NONCE_IN_HEADER.search(policy)[1]
            scripts = SCRIPT_TAG.findall(response.text)
            self.assertGreaterEqual(len(scripts), least)
            for script in scripts:
                with self.subTest(script):
                    self.assertIn(f'nonce="{nonce}"', script)
                    self.assertIn(" src=", script)
            self.assertNotIn("unsafe-inline", policy)

    def test_pages_have_no_inline_styles(self):
        for name in ("core:home", "core:accessibility", "core:privacy", "core:cookies"):
            with self.subTest(name):
                response = self.client.get(reverse(name))

                self.assertNotRegex(response.text, r"\sstyle=")
                self.assertNotIn("<style", response.text)

    def test_scripts_and_styles_come_from_our_static_files(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, '<link rel="stylesheet" href="/static/build/app.css">')
        self.assertContains(response, 'src="/static/build/htmx.min.js"')
        self.assertContains(response, 'src="/static/js/init.js"')
        self.assertContains(
            response, 'data-govuk-frontend="/static/build/govuk/govuk-frontend.min.js"'
        )
        self.assertContains(
            response, "<meta name=\"htmx-config\" content='includeIndicatorCSS:false'>"
        )

    def test_htmx_requests_carry_a_csrf_token_that_passes_the_check(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(create_user())
        response = client.get(reverse("core:home"))
        match = re.search(r"hx-headers:inherited='([^']+)'", response.text)
        headers = json.loads(html.unescape(match[1]))

        refused = client.post(reverse("accounts:sign-out"))
        accepted = client.post(reverse("accounts:sign-out"), headers=headers)

        self.assertEqual(refused.status_code, 403)
        self.assertRedirects(accepted, reverse("core:home"), fetch_redirect_response=False)

    def test_security_headers(self):
        response = self.client.get(reverse("core:home"))

        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response.headers["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")


@override_settings(ROOT_URLCONF="tests.core.urls")
class MessagesTests(TestCase):
    def test_messages_show_as_notification_banners(self):
        response = self.client.get("/test/messages/")

        self.assertContains(
            response,
            'class="govuk-notification-banner govuk-notification-banner--success" role="alert"',
        )
        self.assertContains(response, "Your offer has been published")
        self.assertContains(response, 'class="govuk-notification-banner" role="region"')
        self.assertContains(response, "Offers are reviewed every 6 months")
        self.assertContains(response, 'id="notification-banner-title-1"')
        self.assertContains(response, 'id="notification-banner-title-2"')
