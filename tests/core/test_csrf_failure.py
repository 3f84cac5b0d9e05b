from django.test import Client, TestCase


class CsrfFailureTests(TestCase):
    def test_a_form_without_its_token_gets_the_styled_explanation(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/account/sign-in/", {"username": "a@example.org"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Sorry, your form could not be sent", status_code=403)
        self.assertContains(response, "govuk-template", status_code=403)
        self.assertNotContains(response, "CSRF token missing", status_code=403)
