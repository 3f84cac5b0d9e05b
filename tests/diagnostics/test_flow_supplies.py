"""Questionnaire 1.1.0's optional "What do you supply?" on the profile page: the CPV picker
(a text box without JavaScript), codes checked against the CPV vocabulary, what is stored,
and "Check your answers". Assessments on 1.0.0 go on without it."""

from django.test import TestCase

from diagnostics import applicability, services
from diagnostics.definitions import load_definition
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import flow_url, profile_post
from tests.diagnostics.test_flow import grant_to
from tests.factories import create_assessment, get_council

IT_SERVICES = "IT services: consulting, software development, Internet and support"


class SuppliesQuestionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def setUp(self):
        self.assessment = create_assessment(profile=None)
        grant_to(self.client, self.assessment)
        self.url = flow_url("profile", self.assessment)

    def post(self, supplies):
        return self.client.post(self.url, {**profile_post(TRADING_PUBLIC), "supplies": supplies})

    def test_new_assessments_ask_it_with_the_cpv_picker_and_its_script(self):
        # 1.1.0 added it; 1.2.0 (Welsh twins) keeps it.
        self.assertEqual(self.assessment.version, "1.2.0")
        response = self.client.get(self.url)
        self.assertContains(response, "What do you supply? (optional)")
        self.assertContains(response, '<textarea name="supplies"', html=False)
        self.assertContains(response, 'data-module="cpv-picker"')
        self.assertContains(response, "Find CPV codes (opens in new tab)")
        self.assertContains(response, "js/pickers.js")
        # A text box has a label, not a fieldset legend.
        self.assertContains(
            response,
            '<label class="govuk-label govuk-label--m" for="id_supplies">'
            "What do you supply? (optional)</label>",
            html=True,
        )

    def test_divisions_and_groups_are_stored_as_codes_with_the_profile(self):
        response = self.post("72000000\r\n722, 72212000-4")
        self.assertRedirects(response, flow_url("section", self.assessment, number=1))
        self.assessment.refresh_from_db()
        self.assertEqual(
            self.assessment.profile,
            {**TRADING_PUBLIC, "supplies": ["72000000", "72200000", "72212000"]},
        )

    def test_an_unknown_code_is_named_and_nothing_is_saved(self):
        response = self.post("72000000, 99999999")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(
            response,
            "99999999 is not a CPV code we know. Choose codes from the list, like 72000000 "
            "for IT services.",
            count=2,  # the error summary and the field
        )
        self.assertContains(response, 'href="#id_supplies"')
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.profile, {})

    def test_text_that_is_not_a_code_is_named(self):
        response = self.post("software")
        self.assertContains(response, "“software” is not a CPV code")

    def test_it_is_optional_and_left_out_when_empty(self):
        response = self.post("  ")
        self.assertRedirects(response, flow_url("section", self.assessment, number=1))
        self.assessment.refresh_from_db()
        self.assertNotIn("supplies", self.assessment.profile)
        definition = services.definition_of(self.assessment)
        self.assertTrue(applicability.profile_complete(definition, self.assessment.profile))

    def test_the_page_shows_the_codes_chosen_with_their_names(self):
        self.post("72")
        response = self.client.get(self.url)
        self.assertContains(response, f"72000000 {IT_SERVICES}")
        self.assertContains(response, "72000000</textarea>", html=False)

    def test_check_your_answers_names_the_codes_or_says_not_answered(self):
        check = flow_url("check-answers", self.assessment)
        self.post("")
        row = '<dt class="govuk-summary-list__key">What do you supply? (optional)</dt>'
        response = self.client.get(check)
        self.assertContains(response, row, html=True)
        self.assertContains(response, "Not answered")
        self.post("72000000 722")
        response = self.client.get(check)
        self.assertContains(response, f"72000000 {IT_SERVICES}<br>72200000 Software", html=False)


class EarlierVersionTests(TestCase):
    """An assessment started on 1.0.0 goes on without answering anything again."""

    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_a_1_0_0_assessment_in_progress_moves_on_and_may_skip_the_supplies_question(self):
        # In progress, it follows the newest version of major version 1 (minor versions
        # change wording only, or add an optional unscored field such as this one).
        assessment = create_assessment(profile=None)
        assessment.version = "1.0.0"
        assessment.save(update_fields=["version"])
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("profile", assessment))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "What do you supply? (optional)")
        response = self.client.post(flow_url("profile", assessment), profile_post(TRADING_PUBLIC))
        self.assertRedirects(response, flow_url("section", assessment, number=1))
        assessment.refresh_from_db()
        self.assertEqual(assessment.version, "1.2.0")

    def test_a_completed_1_0_0_assessment_keeps_its_version(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        assessment.version = "1.0.0"
        assessment.save(update_fields=["version"])
        self.assertEqual(services.definition_of(assessment).version, "1.0.0")

    def test_a_1_0_0_profile_is_complete_in_1_1_0(self):
        """A retake copies the profile to the latest version: no need to answer again."""
        later = load_definition("digital-maturity", "1.1.0")
        self.assertTrue(applicability.profile_complete(later, TRADING_PUBLIC))
        self.assertFalse(applicability.profile_complete(later, {**TRADING_PUBLIC, "stage": None}))
