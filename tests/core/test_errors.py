from django.test import Client, TestCase, override_settings

from tests.factories import create_user


@override_settings(ROOT_URLCONF="tests.core.urls")
class ErrorPagesTests(TestCase):
    def test_unknown_url_gets_page_not_found_in_the_layout(self):
        response = self.client.get("/no-such-page/")

        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "errors/404.html")
        self.assertTemplateUsed(response, "base.html")
        self.assertContains(response, "<title>Page not found – Waymark</title>", status_code=404)
        self.assertContains(
            response, '<h1 class="govuk-heading-l">Page not found</h1>', status_code=404
        )
        self.assertContains(
            response, "If you typed the web address, check it is correct.", status_code=404
        )
        self.assertContains(response, "govuk-footer", status_code=404)

    def test_page_not_found_can_show_the_sign_out_form(self):
        self.client.force_login(create_user())

        response = self.client.get("/no-such-page/")

        self.assertContains(response, 'name="csrfmiddlewaretoken"', status_code=404)

    def test_bad_request_gets_400_in_the_layout(self):
        response = self.client.get("/test/suspicious/")
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Sorry, there is a problem with your request", status_code=400
        )
        self.assertContains(response, "govuk-template", status_code=400)

    def test_permission_denied_gets_403_in_the_layout(self):
        response = self.client.get("/test/forbidden/")

        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "errors/403.html")
        self.assertContains(response, "You cannot view this page", status_code=403)
        self.assertContains(response, "sign in", status_code=403)
        self.assertContains(response, "?next=/test/forbidden/", status_code=403)

    def test_server_error_gets_500_in_the_layout_without_scripts(self):
        client = Client(raise_request_exception=False)

        with self.assertNumQueries(0), self.assertLogs("django.request", "ERROR"):
            response = client.get("/test/broken/")

        self.assertEqual(response.status_code, 500)
        self.assertContains(
            response,
            "<title>Sorry, there is a problem with the service – Waymark</title>",
            status_code=500,
        )
        self.assertContains(response, "Try again later.", status_code=500)
        self.assertContains(response, 'class="govuk-template__body"', status_code=500)
        self.assertContains(response, "govuk-footer", status_code=500)
        # No request context: no nonce, so no script the policy would block.
        self.assertNotContains(response, "<script", status_code=500)

    def test_server_error_page_for_a_signed_in_user_does_not_touch_the_user(self):
        client = Client(raise_request_exception=False)
        client.force_login(create_user())

        with self.assertLogs("django.request", "ERROR"):
            response = client.get("/test/broken/")

        self.assertEqual(response.status_code, 500)
        self.assertNotContains(response, "Sign out", status_code=500)

    def test_server_error_falls_back_to_plain_html_when_its_template_is_broken(self):
        client = Client(raise_request_exception=False)
        broken_templates = [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": False,
                "OPTIONS": {
                    "loaders": [
                        (
                            "django.template.loaders.locmem.Loader",
                            {
                                "errors/500.html": "{% extends 'no-such-base.html' %}",
                            },
                        )
                    ]
                },
            }
        ]

        with self.settings(TEMPLATES=broken_templates), self.assertLogs() as logs:
            response = client.get("/test/broken/")

        self.assertEqual(response.status_code, 500)
        self.assertContains(
            response, "Sorry, there is a problem with the service", status_code=500
        )
        self.assertIn("The 500 page could not be rendered", "\n".join(logs.output))


@override_settings(ROOT_URLCONF="tests.core.urls")
class ApiErrorsTests(TestCase):
    """Under /api/ a program asked, not a person: every error is JSON, readable from
    any site, never the site's HTML page."""

    def assert_json_error(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertEqual(response.json()["status"], status)
        self.assertTrue(response.json()["message"])

    def test_unknown_api_address_is_a_json_404(self):
        self.assert_json_error(self.client.get("/api/no-such-api/"), 404)

    def test_bad_request_and_permission_denied_are_json(self):
        self.assert_json_error(self.client.get("/api/test/suspicious/"), 400)
        self.assert_json_error(self.client.get("/api/test/forbidden/"), 403)

    def test_a_post_without_a_csrf_token_is_json(self):
        client = Client(enforce_csrf_checks=True)

        with self.assertLogs("portal.core.views", "WARNING"):
            response = client.post("/api/ocds/releases")

        self.assert_json_error(response, 403)

    def test_server_error_is_json(self):
        client = Client(raise_request_exception=False)

        with self.assertLogs("django.request", "ERROR"):
            response = client.get("/api/test/broken/")

        self.assert_json_error(response, 500)
