"""The "Is this for me?" form on an offer's page (BusinessCheckForm): the four selects as
GOV.UK renders them, filled from the answers or the session, and values that are not
choices refused with a message on their field, never a 500."""

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.check_forms import BusinessCheckForm
from tests.catalogue.search_data import create_listed_offer
from tests.factories import get_council

GATESHEAD = "E08000037"


class BusinessCheckFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gateshead = get_council(gss_code=GATESHEAD)
        cls.offer = create_listed_offer(
            title="Gateshead digital grant",
            sizes=["micro"],
            stages=["established"],
            councils=[cls.gateshead],
        )

    def get(self, **params):
        return self.client.get(reverse("catalogue:offer", args=[self.offer.slug]), params)

    def test_the_four_selects_are_govuk_form_groups_with_their_labels(self):
        response = self.get()

        for name, label in (
            ("council", "Council"),
            ("size", "Business size"),
            ("stage", "Business stage"),
            ("sector", "Sector"),
        ):
            with self.subTest(name=name):
                self.assertContains(response, f'<label class="govuk-label" for="check-{name}">')
                self.assertContains(response, label)
                self.assertContains(response, f'name="{name}"')
        self.assertContains(response, 'class="govuk-select"', count=4)
        self.assertContains(response, '<option value="" selected>Choose a council</option>')
        self.assertNotContains(response, "govuk-error-summary")
        self.assertNotContains(response, "council-picker")

    def test_the_answers_stay_chosen(self):
        response = self.get(council=GATESHEAD, size="micro", stage="established", sector="J")

        self.assertContains(response, f'<option value="{GATESHEAD}" selected>')
        self.assertContains(response, '<option value="micro" selected>')
        self.assertContains(response, '<option value="established" selected>')
        self.assertContains(response, '<option value="J" selected>')
        self.assertContains(response, "Yes: open to micro businesses in Gateshead")

    def test_a_council_code_in_small_letters_is_the_council(self):
        response = self.get(council=GATESHEAD.lower(), size="micro", stage="established")

        self.assertContains(response, "Yes: open to micro businesses in Gateshead")
        self.assertContains(response, f'<option value="{GATESHEAD}" selected>')
        self.assertEqual(response.context["council_code"], GATESHEAD)

    def test_values_that_are_not_choices_get_a_clear_message_on_their_field(self):
        response = self.get(council="nowhere", size="giant", stage="x" * 500, sector="ZZ")

        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["verdict"])
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "<title>Error: ", count=1)
        for field, message in (
            ("council", "Choose a council from the list"),
            ("size", "Choose a business size from the list"),
            ("stage", "Choose a business stage from the list"),
            ("sector", "Choose a sector from the list"),
        ):
            with self.subTest(field=field):
                self.assertContains(response, f'<a href="#check-{field}">{message}</a>')
                self.assertContains(response, f'id="check-{field}_error"')
        # The box is open, so the messages are seen.
        self.assertContains(response, '<details class="govuk-details" open>')
        # Not put back in the form (the language switcher's and hreflang's addresses of
        # this page carry its query, as asked, escaped).
        main = response.content.decode().split('<main class="govuk-main-wrapper', 1)[1]
        self.assertNotIn("x" * 500, main)

    def test_a_refused_value_leaves_the_others_to_answer(self):
        response = self.get(council="S99999999", size="micro", stage="established")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a council from the list")
        self.assertContains(response, "Open to micro businesses")
        self.assertIsNone(response.context["business"].council_id)

    def test_a_region_code_is_not_a_council(self):
        region_code = self.gateshead.region.ons_code

        response = self.get(council=region_code)

        self.assertContains(response, "Choose a council from the list")

    def test_repeated_and_odd_parameters_never_fail(self):
        for query in (
            "size=micro&size=giant",
            "council=%20",
            "sector=j",
            "stage=&size=",
            "council[]=x",
            "size=%E2%80%AE",
        ):
            with self.subTest(query=query):
                url = reverse("catalogue:offer", args=[self.offer.slug]) + "?" + query
                self.assertEqual(self.client.get(url).status_code, 200)


def test_the_form_profiles_only_the_values_it_accepts(db):
    form = BusinessCheckForm({"size": "small", "stage": "nonsense", "sector": "C"})

    assert not form.is_valid()
    assert list(form.errors) == ["stage"]
    profile = form.profile()
    assert (profile.size, profile.stage, profile.sector, profile.council_id) == (
        "small",
        "",
        "C",
        None,
    )


def test_an_empty_form_is_valid_and_knows_nothing(db):
    form = BusinessCheckForm({})

    assert form.is_valid()
    assert not form.profile().is_known
    assert form.council_code == ""
