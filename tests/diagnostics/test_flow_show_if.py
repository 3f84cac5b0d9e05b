"""Questions the profile rules out (I4, F4, M3, M4) are hidden, explained, and their stored
answers discarded when the profile changes to rule them out."""

from django.test import TestCase

from diagnostics.tokens import make_resume_token
from tests.diagnostics.examples import PRE_START_PRIVATE, TRADING_PUBLIC
from tests.diagnostics.flow_support import answered, best_section_answers, flow_url, section_post
from tests.factories import create_assessment, get_council


class ShowIfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        get_council(gss_code=PRE_START_PRIVATE["council"])

    def grant(self, assessment):
        self.client.get(
            flow_url("resume", assessment, token=make_resume_token(assessment.public_id))
        )

    def test_questions_ruled_out_by_the_profile_are_hidden_and_explained(self):
        assessment = create_assessment(profile=PRE_START_PRIVATE)
        self.grant(assessment)
        response = self.client.get(flow_url("section", assessment, number=8))
        self.assertNotContains(response, 'name="M3"')
        self.assertNotContains(response, 'name="M4"')
        self.assertContains(response, 'name="M5"')
        self.assertContains(response, "We have not asked these questions")
        self.assertContains(response, "What has your business done to get ready to sell")

    def test_a_section_saves_without_its_ruled_out_questions(self):
        assessment = create_assessment(profile=PRE_START_PRIVATE)
        self.grant(assessment)
        answers = best_section_answers(8, skip={"M3", "M4"})
        response = self.client.post(
            flow_url("section", assessment, number=8), section_post(8, answers)
        )
        self.assertRedirects(
            response, flow_url("check-answers", assessment), fetch_redirect_response=False
        )
        self.assertEqual(set(answered(assessment)), {"M1", "M2", "M5"})

    def test_answers_are_discarded_when_the_profile_changes_to_rule_them_out(self):
        assessment = create_assessment(profile=TRADING_PUBLIC, sections=8)
        self.assertTrue({"I4", "F4", "M3", "M4"} <= set(answered(assessment)))
        self.grant(assessment)
        response = self.client.post(
            flow_url("profile", assessment) + "?next=check", PRE_START_PRIVATE
        )
        self.assertRedirects(response, flow_url("check-answers", assessment))
        stored = answered(assessment)
        self.assertEqual(len(stored), 36)
        self.assertFalse({"I4", "F4", "M3", "M4"} & set(stored))

    def test_a_question_that_comes_back_into_scope_must_be_answered_again(self):
        assessment = create_assessment(profile=PRE_START_PRIVATE, sections=8)
        self.grant(assessment)
        self.client.post(flow_url("profile", assessment), TRADING_PUBLIC)
        response = self.client.get(flow_url("task-list", assessment))
        self.assertContains(response, "In progress", count=3)  # innovation, finance, trade
        response = self.client.post(flow_url("check-answers", assessment))
        self.assertContains(response, "Finish section 6")

    def test_with_htmx_the_questions_re_render_in_place_without_saving(self):
        assessment = create_assessment()
        self.grant(assessment)
        response = self.client.post(
            flow_url("section", assessment, number=1) + "?preview=1",
            {"S1": "ideas"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<div id="questions">')
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, "There is a problem")
        self.assertEqual(answered(assessment), {})
