"""Taking the diagnostic page by page: each page saves, back/next, check answers, submit."""

from django.test import TestCase
from django.urls import reverse

from diagnostics.access import SESSION_KEY
from diagnostics.definitions import DONT_KNOW
from diagnostics.models import Answer, Assessment, AssessmentStatus, DimensionScore
from tests.diagnostics.examples import PRE_START_PRIVATE, TRADING_PUBLIC, digital_maturity
from tests.diagnostics.flow_support import (
    answered,
    best_section_answers,
    flow_url,
    profile_post,
    section_post,
)
from tests.factories import create_assessment, create_user, get_council


def grant_to(client, assessment):
    session = client.session
    session[SESSION_KEY] = [str(assessment.public_id)]
    session.save()


class StartTests(TestCase):
    def test_start_page_says_how_long_and_what_is_kept(self):
        response = self.client.get(reverse("diagnostics:start"))
        self.assertContains(response, "Start now")
        self.assertContains(response, "15 minutes")
        self.assertContains(response, "30 days")
        self.assertContains(response, "until you delete them")
        self.assertContains(response, "pick out your business")

    def test_starting_creates_an_assessment_on_the_latest_version_and_grants_it(self):
        response = self.client.post(reverse("diagnostics:start"))
        assessment = Assessment.objects.get()
        self.assertRedirects(response, flow_url("profile", assessment))
        self.assertEqual(assessment.questionnaire, "digital-maturity")
        self.assertEqual(assessment.version, "1.2.0")
        self.assertEqual(assessment.major_version, 1)
        self.assertIsNone(assessment.user)
        self.assertEqual(self.client.get(flow_url("profile", assessment)).status_code, 200)

    def test_signed_in_founder_owns_the_assessment_they_start(self):
        founder = create_user()
        self.client.force_login(founder)
        self.client.post(reverse("diagnostics:start"))
        self.assertEqual(Assessment.objects.get().user, founder)


class ProfilePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        get_council(gss_code=PRE_START_PRIVATE["council"])

    def setUp(self):
        self.assessment = create_assessment(profile=None)
        grant_to(self.client, self.assessment)

    def test_profile_is_saved_with_the_council_and_region_and_goes_to_section_1(self):
        response = self.client.post(
            flow_url("profile", self.assessment), profile_post(TRADING_PUBLIC)
        )
        self.assertRedirects(response, flow_url("section", self.assessment, number=1))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.profile, TRADING_PUBLIC)
        self.assertEqual(self.assessment.council.gss_code, TRADING_PUBLIC["council"])
        self.assertEqual(self.assessment.region, self.assessment.council.region)
        self.assertEqual(
            (self.assessment.size, self.assessment.stage, self.assessment.sic_section),
            ("small", "growing", "J"),
        )

    def test_missing_profile_answers_show_the_error_summary_and_save_nothing(self):
        response = self.client.post(flow_url("profile", self.assessment), {"size": "micro"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Select the council area your business is in")
        self.assertContains(response, "Select what stage your business is at")
        self.assertContains(response, "<title>Error:", html=False)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.profile, {})

    def test_sections_wait_for_the_profile(self):
        response = self.client.get(flow_url("section", self.assessment, number=1))
        self.assertRedirects(response, flow_url("profile", self.assessment))


class SectionPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        get_council(gss_code=PRE_START_PRIVATE["council"])

    def setUp(self):
        self.assessment = create_assessment()
        grant_to(self.client, self.assessment)

    def test_section_page_shows_its_number_title_and_every_kind_of_question(self):
        response = self.client.get(flow_url("section", self.assessment, number=1))
        self.assertContains(response, "Section 1 of 8")
        self.assertContains(response, "Digital strategy and leadership")
        # ladder: radios with "don't know" after the divider
        self.assertContains(response, 'type="radio" name="S1" value="dont_know"')
        self.assertContains(response, "govuk-radios__divider")
        # tick-list: checkboxes with an exclusive "None of these"
        self.assertContains(response, 'data-behaviour="exclusive"')
        self.assertContains(response, 'name="S3" value="_none"')
        # grid: a radios group per row
        self.assertContains(response, 'name="S2-design"')
        self.assertContains(response, 'name="S2-purchasing"')

    def test_each_section_saves_as_it_is_submitted_and_goes_to_the_next(self):
        definition = digital_maturity()
        for number in range(1, 9):
            answers = best_section_answers(number)
            response = self.client.post(
                flow_url("section", self.assessment, number=number),
                section_post(number, answers),
            )
            expected = (
                flow_url("section", self.assessment, number=number + 1)
                if number < 8
                else flow_url("check-answers", self.assessment)
            )
            self.assertRedirects(response, expected, fetch_redirect_response=False)
            stored = answered(self.assessment)
            for question in definition.dimensions[number - 1].questions:
                self.assertEqual(stored[question.key], answers[question.key])
        self.assertEqual(Answer.objects.filter(assessment=self.assessment).count(), 40)

    def test_resubmitting_a_section_replaces_its_answers(self):
        url = flow_url("section", self.assessment, number=1)
        self.client.post(url, section_post(1, best_section_answers(1)))
        changed = {**best_section_answers(1), "S1": "none", "S3": [], "S2": DONT_KNOW}
        self.client.post(url, section_post(1, changed))
        stored = answered(self.assessment)
        self.assertEqual(stored["S1"], "none")
        self.assertEqual(stored["S3"], [])
        self.assertEqual(stored["S2"], DONT_KNOW)
        self.assertEqual(Answer.objects.filter(assessment=self.assessment).count(), 5)

    def test_validation_errors_show_the_error_summary_and_save_nothing_for_the_page(self):
        url = flow_url("section", self.assessment, number=1)
        incomplete = best_section_answers(1)
        del incomplete["S4"]
        incomplete["S2"] = {"design": "invested"}
        response = self.client.post(url, section_post(1, incomplete))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Select an answer to: How do you track how your business")
        self.assertContains(response, "Select an answer for Purchasing")
        self.assertContains(response, 'href="#id_S4_0"')
        self.assertEqual(answered(self.assessment), {})

    def test_none_of_these_cannot_be_ticked_with_an_option(self):
        url = flow_url("section", self.assessment, number=1)
        post = section_post(1, best_section_answers(1))
        post["S3"] = ["leaders_ready", "_none"]
        response = self.client.post(url, post)
        self.assertContains(response, "not both")
        self.assertEqual(answered(self.assessment), {})

    def test_a_saved_section_shows_its_answers_again(self):
        url = flow_url("section", self.assessment, number=1)
        self.client.post(url, section_post(1, {**best_section_answers(1), "S3": []}))
        response = self.client.get(url)
        self.assertContains(
            response,
            '<input type="radio" name="S1" value="reviewed_plan" id="id_S1_4" required '
            'class="govuk-radios__input" checked>',
            html=True,
        )
        self.assertContains(
            response,
            '<input type="checkbox" name="S3" value="_none" id="id_S3_6" '
            'class="govuk-checkboxes__input" data-behaviour="exclusive" checked>',
            html=True,
        )

    def test_save_and_come_back_later_saves_then_shows_the_link(self):
        post = {**section_post(1, best_section_answers(1)), "then": "leave"}
        response = self.client.post(flow_url("section", self.assessment, number=1), post)
        self.assertRedirects(response, flow_url("save-and-leave", self.assessment))
        self.assertEqual(len(answered(self.assessment)), 5)

    def test_section_outside_1_to_8_is_not_found(self):
        self.assertEqual(
            self.client.get(flow_url("section", self.assessment, number=9)).status_code, 404
        )
        self.assertEqual(
            self.client.get(flow_url("section", self.assessment, number=0)).status_code, 404
        )

    def test_back_link_goes_to_the_previous_section_or_to_check_answers(self):
        response = self.client.get(flow_url("section", self.assessment, number=3))
        self.assertContains(response, f'href="{flow_url("section", self.assessment, number=2)}"')
        response = self.client.get(flow_url("section", self.assessment, number=3) + "?next=check")
        self.assertContains(
            response,
            f'href="{flow_url("check-answers", self.assessment)}" class="govuk-back-link"',
        )

    def test_section_page_runs_a_bounded_number_of_queries(self):
        url = flow_url("section", self.assessment, number=2)
        self.client.get(url)
        with self.assertNumQueries(3):  # session, assessment, answers
            self.client.get(url)


class CheckAnswersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        get_council(gss_code=PRE_START_PRIVATE["council"])

    def test_check_answers_lists_every_section_with_change_links_back_to_check(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("check-answers", assessment))
        self.assertContains(response, '<dl class="govuk-summary-list', count=9)
        self.assertContains(response, flow_url("section", assessment, number=3) + "?next=check")
        self.assertContains(response, flow_url("profile", assessment) + "?next=check")

    def test_a_change_from_check_answers_returns_to_check_answers(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)
        response = self.client.post(
            flow_url("section", assessment, number=3) + "?next=check",
            section_post(3, best_section_answers(3)),
        )
        self.assertRedirects(response, flow_url("check-answers", assessment))

    def test_not_applicable_questions_show_as_such(self):
        assessment = create_assessment(profile=PRE_START_PRIVATE, sections=8)
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("check-answers", assessment))
        self.assertContains(response, "Does not apply to my business", count=4)

    def test_submitting_scores_and_completes_the_assessment(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)
        response = self.client.post(flow_url("check-answers", assessment))
        self.assertRedirects(
            response, flow_url("results", assessment), fetch_redirect_response=False
        )
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.COMPLETED)
        self.assertEqual(assessment.overall_score, 100.0)
        self.assertEqual(assessment.overall_band, "advanced")
        self.assertTrue(assessment.counts_for_peers)
        self.assertEqual(assessment.result["dimensions"]["data"], 100.0)
        self.assertEqual(DimensionScore.objects.filter(assessment=assessment).count(), 8)

    def test_double_submitting_creates_one_completed_assessment(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)
        url = flow_url("check-answers", assessment)
        self.client.post(url)
        response = self.client.post(url)
        self.assertRedirects(
            response, flow_url("results", assessment), fetch_redirect_response=False
        )
        self.assertEqual(Assessment.objects.completed().count(), 1)
        self.assertEqual(DimensionScore.objects.count(), 8)

    def test_submitting_with_sections_unfinished_lists_them_and_completes_nothing(self):
        assessment = create_assessment(sections=3)
        grant_to(self.client, assessment)
        response = self.client.post(flow_url("check-answers", assessment))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Finish section 4: Data")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.STARTED)

    def test_a_completed_assessment_is_read_only(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)
        self.client.post(flow_url("check-answers", assessment))
        results = flow_url("results", assessment)
        for url in (
            flow_url("task-list", assessment),
            flow_url("profile", assessment),
            flow_url("section", assessment, number=2),
            flow_url("check-answers", assessment),
            flow_url("save-and-leave", assessment),
        ):
            with self.subTest(url=url):
                self.assertRedirects(self.client.get(url), results, fetch_redirect_response=False)
        response = self.client.post(
            flow_url("section", assessment, number=1),
            section_post(1, {**best_section_answers(1), "S1": "none"}),
        )
        self.assertRedirects(response, results, fetch_redirect_response=False)
        self.assertEqual(answered(assessment)["S1"], "reviewed_plan")


class TaskListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_task_list_shows_the_status_of_each_part(self):
        assessment = create_assessment(sections=3)
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("task-list", assessment))
        self.assertContains(response, '<li class="govuk-task-list__item', count=9)
        self.assertContains(response, ">Completed<", count=4)
        self.assertContains(response, "Not yet started", count=5)
        self.assertContains(response, "You have completed 4 of 9 parts.")

    def test_one_completed_part_is_still_one_of_nine_parts(self):
        assessment = create_assessment(sections=0)
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("task-list", assessment))
        self.assertContains(response, "You have completed 1 of 9 parts.")

    def test_before_the_profile_sections_cannot_start_yet(self):
        assessment = create_assessment(profile=None)
        grant_to(self.client, assessment)
        response = self.client.get(flow_url("task-list", assessment))
        self.assertContains(response, "Cannot start yet", count=8)
