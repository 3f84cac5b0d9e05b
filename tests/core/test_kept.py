from django.template import engines
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from tests.factories import create_council_a_curator

ACTIVE = "govuk-service-navigation__item--active"


def kept_template():
    return engines["django"].from_string(
        "{% load kept %}{% kept page %}{{ page }} {{ visitor }}{% endkept %}"
    )


class KeptTagTests(SimpleTestCase):
    def test_a_fragment_is_rendered_once_for_each_key(self):
        template = kept_template()

        first = template.render({"page": "support", "visitor": "Ann"})
        again = template.render({"page": "support", "visitor": "Bob"})
        other = template.render({"page": "contracts", "visitor": "Bob"})

        self.assertEqual(first, "support Ann")
        self.assertEqual(again, "support Ann")
        self.assertEqual(other, "contracts Bob")

    def test_each_language_has_its_own_fragment(self):
        template = kept_template()

        with translation.override("en-gb"):
            template.render({"page": "support", "visitor": "Ann"})
        with translation.override("cy"):
            rendered = template.render({"page": "support", "visitor": "Bob"})

        self.assertEqual(rendered, "support Bob")


class KeptFrameTests(TestCase):
    def test_the_header_marks_each_page_as_current_in_turn(self):
        support = self.client.get(reverse("catalogue:search") + "?all=1")
        contracts = self.client.get(reverse("procurement:list"))

        self.assertContains(
            support, f'{ACTIVE}">\n  <a class="govuk-service-navigation__link" href="/support/"'
        )
        self.assertContains(
            contracts,
            f'{ACTIVE}">\n  <a class="govuk-service-navigation__link" href="/contracts/"',
        )
        self.assertContains(support, ACTIVE, count=1)
        self.assertContains(contracts, ACTIVE, count=1)

    def test_a_signed_in_visitor_never_gets_the_signed_out_header(self):
        self.client.get(reverse("core:home"))  # the signed-out header, kept
        self.client.force_login(create_council_a_curator())

        response = self.client.get(reverse("core:home"))

        self.assertContains(response, "Sign out")
        self.assertContains(response, "Curate support")
        self.assertNotContains(response, "Sign in")

    @override_settings(SERVICE_NAME="Cymorth Busnes", FEEDBACK_URL="https://example.com/say")
    def test_the_frame_follows_the_service_settings(self):
        response = self.client.get(reverse("core:home"))

        self.assertContains(response, "Cymorth Busnes")
        self.assertContains(response, 'href="https://example.com/say"')
