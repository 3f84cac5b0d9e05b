"""Save and come back later from a page that is half filled in or not valid: the page is
kept as a draft, shown again as it was, validated when the founder continues or submits,
and never scored."""

from django.test import TestCase

from diagnostics.models import AssessmentStatus
from diagnostics.tokens import make_resume_token
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import answered, best_section_answers, flow_url, section_post
from tests.factories import create_assessment, get_council

LEAVE = {"then": "leave"}
# Section 2 half answered: K1 given, K2 not, K3 ticks a practice and "None of these"
# (refused: not both), K4 and K5 not given.
HALF_SECTION_2 = {"K1": "50_to_74_percent", "K3": ["training_plan", "_none"]}


class DraftTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def grant(self, assessment, client=None):
        link = flow_url("resume", assessment, token=make_resume_token(assessment.public_id))
        return (client or self.client).get(link)


class ProfileDraftTests(DraftTestCase):
    def setUp(self):
        self.assessment = create_assessment(profile=None)
        self.grant(self.assessment)

    def leave_half_filled(self):
        return self.client.post(
            flow_url("profile", self.assessment),
            {"council": TRADING_PUBLIC["council"], "size": "small", "plans": ["hire"], **LEAVE},
        )

    def test_a_half_filled_profile_is_kept_as_a_draft_not_as_the_profile(self):
        response = self.leave_half_filled()

        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.profile, {})
        self.assertIsNone(self.assessment.council)
        self.assertEqual(
            self.assessment.drafts,
            {
                "profile": {
                    "council": [TRADING_PUBLIC["council"]],
                    "size": ["small"],
                    "plans": ["hire"],
                }
            },
        )

    def test_coming_back_by_the_link_shows_the_profile_as_it_was_left_without_errors(self):
        self.leave_half_filled()

        later = self.client_class()  # another browser, another day
        self.assertRedirects(
            self.grant(self.assessment, later), flow_url("profile", self.assessment)
        )
        response = later.get(flow_url("profile", self.assessment))
        form = response.context["form"]
        self.assertEqual(form["council"].value(), TRADING_PUBLIC["council"])
        self.assertEqual(form["size"].value(), "small")
        self.assertEqual(form["plans"].value(), ["hire"])
        self.assertIsNone(form["stage"].value())
        self.assertFalse(form.is_bound)
        self.assertNotContains(response, "There is a problem")
        self.assertContains(response, f'<option value="{TRADING_PUBLIC["council"]}" selected>')
        self.assertRegex(response.content.decode(), r'value="small"[^>]* checked')

    def test_the_task_list_shows_the_profile_in_progress(self):
        self.leave_half_filled()
        response = self.client.get(flow_url("task-list", self.assessment))
        self.assertEqual(response.context["tasks"][0]["status"], "in_progress")

    def test_continuing_validates_the_page_with_the_usual_messages(self):
        self.leave_half_filled()
        response = self.client.post(
            flow_url("profile", self.assessment),
            {"council": TRADING_PUBLIC["council"], "size": "small"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Select what stage your business is at")
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.profile, {})

    def test_saving_the_profile_valid_drops_its_draft(self):
        self.leave_half_filled()
        response = self.client.post(flow_url("profile", self.assessment), TRADING_PUBLIC)
        self.assertRedirects(response, flow_url("section", self.assessment, number=1))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.drafts, {})
        self.assertEqual(self.assessment.size, "small")

    def test_saving_a_valid_profile_to_come_back_later_stores_it(self):
        response = self.client.post(
            flow_url("profile", self.assessment), {**TRADING_PUBLIC, **LEAVE}
        )
        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.drafts, {})
        self.assertEqual(self.assessment.profile["stage"], "growing")

    def test_a_profile_saved_with_nothing_on_it_keeps_no_draft(self):
        response = self.client.post(flow_url("profile", self.assessment), LEAVE)
        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.drafts, {})

    def test_values_that_are_not_the_pages_fields_are_not_kept(self):
        self.client.post(
            flow_url("profile", self.assessment),
            {"size": "small", "S1": "ideas", "anything": "x" * 100, **LEAVE},
        )
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.drafts, {"profile": {"size": ["small"]}})


class SectionDraftTests(DraftTestCase):
    def setUp(self):
        self.assessment = create_assessment(sections=1)
        self.grant(self.assessment)

    def leave_half_filled(self):
        return self.client.post(
            flow_url("section", self.assessment, number=2), {**HALF_SECTION_2, **LEAVE}
        )

    def test_a_half_filled_section_with_a_refused_answer_is_kept_but_not_stored(self):
        response = self.leave_half_filled()

        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assessment.refresh_from_db()
        self.assertEqual(
            self.assessment.drafts,
            {"skills": {"K1": ["50_to_74_percent"], "K3": ["training_plan", "_none"]}},
        )
        self.assertFalse({"K1", "K3"} & set(answered(self.assessment)))

    def test_coming_back_opens_the_section_as_it_was_left_without_errors(self):
        self.leave_half_filled()

        later = self.client_class()
        response = self.grant(self.assessment, later)
        self.assertRedirects(response, flow_url("section", self.assessment, number=2))
        response = later.get(flow_url("section", self.assessment, number=2))
        form = response.context["form"]
        self.assertEqual(form["K1"].value(), "50_to_74_percent")
        self.assertEqual(form["K3"].value(), ["training_plan", "_none"])
        self.assertEqual(form["K2"].value(), [])
        self.assertIsNone(form["K4"].value())
        self.assertNotContains(response, "There is a problem")
        self.assertNotContains(response, "govuk-form-group--error")
        self.assertRegex(response.content.decode(), r'value="50_to_74_percent"[^>]* checked')

    def test_continuing_validates_the_section_with_the_usual_messages(self):
        self.leave_half_filled()
        response = self.client.post(flow_url("section", self.assessment, number=2), HALF_SECTION_2)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "or one of the answers after ‘or’, not both")
        self.assertContains(response, "Select an answer to: ")
        self.assertFalse({"K1", "K3"} & set(answered(self.assessment)))

    def test_answering_the_section_in_full_stores_it_and_drops_the_draft(self):
        self.leave_half_filled()
        response = self.client.post(
            flow_url("section", self.assessment, number=2),
            section_post(2, best_section_answers(2)),
        )
        self.assertRedirects(response, flow_url("section", self.assessment, number=3))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.drafts, {})
        self.assertEqual(answered(self.assessment)["K1"], "all")

    def test_a_grid_half_answered_is_kept_as_it_was(self):
        rows = {"S2-design": "invested", "S2-hr": "planned"}
        self.client.post(
            flow_url("section", self.assessment, number=1), {"S1": "ideas", **rows, **LEAVE}
        )
        self.assessment.refresh_from_db()
        # Section 1 had been answered in full: the stored answers stay as they were.
        self.assertEqual(answered(self.assessment)["S1"], "reviewed_plan")
        response = self.client.get(flow_url("section", self.assessment, number=1))
        form = response.context["form"]
        self.assertEqual(form["S1"].value(), "ideas")
        self.assertEqual(form["S2-design"].value(), "invested")
        self.assertIsNone(form["S2-operations"].value())
        self.assertFalse(form["S2-dont_know"].value())


class DraftsAreNeverScoredTests(DraftTestCase):
    def test_a_page_saved_unfinished_stops_the_check_being_submitted_until_it_is_finished(self):
        assessment = create_assessment(sections=8)
        self.grant(assessment)
        self.client.post(flow_url("section", assessment, number=2), {**HALF_SECTION_2, **LEAVE})

        response = self.client.get(flow_url("task-list", assessment))
        self.assertEqual(response.context["tasks"][2]["status"], "in_progress")
        self.assertFalse(response.context["finished"])

        response = self.client.post(flow_url("check-answers", assessment))
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Finish section 2")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.STARTED)
        self.assertEqual(assessment.result, {})

        self.client.post(
            flow_url("section", assessment, number=2) + "?next=check",
            section_post(2, best_section_answers(2)),
        )
        response = self.client.post(flow_url("check-answers", assessment))
        self.assertRedirects(
            response, flow_url("results", assessment), fetch_redirect_response=False
        )
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.COMPLETED)
        self.assertEqual(assessment.drafts, {})
        # Scored from the answers stored, all the best: nothing of the draft.
        self.assertEqual(assessment.result["items"]["K1"], 1.0)

    def test_a_draft_of_a_stored_profile_is_asked_for_before_submitting(self):
        assessment = create_assessment(sections=8)
        self.grant(assessment)
        self.client.post(flow_url("profile", assessment), {"size": "micro", **LEAVE})

        response = self.client.post(flow_url("check-answers", assessment))
        self.assertContains(response, "Answer the questions about your business")
        self.assertContains(response, flow_url("profile", assessment) + "?next=check")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.STARTED)
        self.assertEqual(assessment.size, "small")  # the stored profile is unchanged
