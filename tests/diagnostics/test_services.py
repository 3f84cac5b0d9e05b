"""The diagnostic's services: submit, retake, delete, and who counts in peer groups."""

from datetime import timedelta

from django.core import mail
from django.test import TestCase

from diagnostics import services
from diagnostics.models import Answer, Assessment, AssessmentStatus, DimensionScore
from tests.diagnostics.examples import PRE_START_PRIVATE, TRADING_PUBLIC
from tests.diagnostics.flow_support import best_section_answers
from tests.factories import create_assessment, create_user, get_council


class SubmitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        get_council(gss_code=PRE_START_PRIVATE["council"])

    def test_submit_stores_the_result_scores_and_bands_with_the_version(self):
        assessment = services.submit_assessment(
            assessment=create_assessment(profile=PRE_START_PRIVATE, sections=8)
        )
        self.assertEqual(assessment.status, AssessmentStatus.COMPLETED)
        self.assertIsNotNone(assessment.completed)
        self.assertEqual(assessment.result["version"], "1.2.0")
        self.assertEqual(assessment.result["items"]["I4"], None)
        self.assertEqual(
            dict(assessment.dimension_scores.values_list("dimension", "band")),
            dict.fromkeys(assessment.result["dimensions"], "advanced"),
        )

    def test_submitting_twice_scores_once(self):
        assessment = create_assessment(sections=8)
        first = services.submit_assessment(assessment=assessment)
        second = services.submit_assessment(assessment=assessment)
        self.assertEqual(first.completed, second.completed)
        self.assertEqual(DimensionScore.objects.count(), 8)

    def test_an_incomplete_assessment_cannot_be_submitted(self):
        assessment = create_assessment(sections=7)
        with self.assertRaises(services.AssessmentIncomplete) as raised:
            services.submit_assessment(assessment=assessment)
        self.assertEqual(raised.exception.missing, ["trade"])
        self.assertFalse(DimensionScore.objects.exists())

    def test_a_completed_assessment_refuses_new_answers(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        with self.assertRaises(services.AssessmentCompleted):
            services.save_section(assessment=assessment, number=1, answers={"S1": "none"})
        self.assertEqual(Answer.objects.get(question="S1").value, "reviewed_plan")


class RetakeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_retake_starts_a_new_assessment_in_the_chain_with_the_profile_copied(self):
        owner = create_user()
        first = services.submit_assessment(assessment=create_assessment(sections=8, user=owner))
        retake = services.retake_assessment(assessment=first, user=owner)
        self.assertNotEqual(retake.pk, first.pk)
        self.assertEqual(retake.chain, first.chain)
        self.assertEqual(retake.previous, first)
        self.assertEqual(retake.profile, first.profile)
        self.assertEqual(
            (retake.council, retake.region, retake.size), (first.council, first.region, first.size)
        )
        self.assertEqual(retake.status, AssessmentStatus.STARTED)
        self.assertEqual(retake.user, owner)
        self.assertEqual(retake.answers.count(), 0)

    def test_retaking_twice_returns_the_retake_in_progress(self):
        first = services.submit_assessment(assessment=create_assessment(sections=8))
        retake = services.retake_assessment(assessment=first, user=None)
        self.assertEqual(services.retake_assessment(assessment=first, user=None), retake)
        self.assertEqual(Assessment.objects.count(), 2)

    def test_a_retake_made_at_the_same_moment_elsewhere_is_returned(self):
        # Another request's retake, committed while this one read the chain: it does not
        # look like the newest, so only the database's one-in-progress rule catches it.
        first = services.submit_assessment(assessment=create_assessment(sections=8))
        other = Assessment.objects.create(
            chain=first.chain,
            questionnaire=first.questionnaire,
            version=first.version,
            major_version=first.major_version,
            started=first.started - timedelta(days=1),
        )
        self.assertEqual(services.retake_assessment(assessment=first, user=None), other)
        self.assertEqual(Assessment.objects.filter(chain=first.chain).count(), 2)

    def test_only_the_latest_completed_assessment_of_a_chain_counts_for_peers(self):
        first = services.submit_assessment(assessment=create_assessment(sections=8))
        retake = services.retake_assessment(assessment=first, user=None)
        for number in range(1, 9):
            services.save_section(
                assessment=retake, number=number, answers=best_section_answers(number)
            )
        services.submit_assessment(assessment=retake)
        first.refresh_from_db()
        retake.refresh_from_db()
        self.assertFalse(first.counts_for_peers)
        self.assertTrue(retake.counts_for_peers)

        services.delete_assessment(assessment=retake)
        first.refresh_from_db()
        self.assertTrue(first.counts_for_peers)


class DeleteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_delete_removes_the_assessment_its_answers_and_scores(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        services.delete_assessment(assessment=assessment)
        self.assertFalse(Assessment.objects.exists())
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(DimensionScore.objects.exists())

    def test_deleting_twice_is_harmless(self):
        assessment = create_assessment()
        services.delete_assessment(assessment=assessment)
        services.delete_assessment(assessment=assessment)
        self.assertFalse(Assessment.objects.exists())


class EmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_results_link_is_emailed_after_commit(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            services.send_results_link(assessment=assessment, email="founder@example.com")
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(str(assessment.public_id), mail.outbox[0].body)
        self.assertEqual(mail.outbox[0].subject, "Your digital maturity check results")


class DraftTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_a_draft_is_kept_per_page_without_touching_the_stored_answers(self):
        assessment = create_assessment(sections=2)
        before = assessment.updated
        stored = dict(
            Answer.objects.filter(assessment=assessment).values_list("question", "value")
        )

        assessment = services.save_draft(
            assessment=assessment, part="skills", values={"K1": ["all"], "K2": []}
        )
        assessment = services.save_draft(
            assessment=assessment, part=services.PROFILE, values={"size": ["micro"]}
        )

        assessment.refresh_from_db()
        self.assertEqual(
            assessment.drafts, {"skills": {"K1": ["all"]}, "profile": {"size": ["micro"]}}
        )
        self.assertGreater(assessment.updated, before)
        self.assertEqual(assessment.size, "small")
        after = dict(Answer.objects.filter(assessment=assessment).values_list("question", "value"))
        self.assertEqual(after, stored)
        self.assertEqual(services.progress(assessment, after)["skills"], "in_progress")
        self.assertEqual(services.progress(assessment, after)[services.PROFILE], "in_progress")
        self.assertEqual(services.missing_parts(assessment, after)[:2], ["profile", "skills"])

    def test_a_draft_with_nothing_in_it_drops_the_pages_draft(self):
        assessment = create_assessment()
        services.save_draft(assessment=assessment, part="strategy", values={"S1": ["ideas"]})
        assessment = services.save_draft(
            assessment=assessment, part="strategy", values={"S1": [""], "S3": []}
        )
        self.assertEqual(assessment.drafts, {})

    def test_a_draft_is_bounded(self):
        assessment = services.save_draft(
            assessment=create_assessment(),
            part="strategy",
            values={"S3": ["x" * 5000] * 500},
        )
        [kept] = assessment.drafts["strategy"].values()
        self.assertEqual(len(kept), services.DRAFT_MOST_VALUES)
        self.assertEqual({len(value) for value in kept}, {services.DRAFT_LONGEST_VALUE})

    def test_only_the_questionnaires_own_pages_have_drafts(self):
        with self.assertRaises(ValueError):
            services.save_draft(assessment=create_assessment(), part="nonsense", values={})

    def test_a_completed_assessment_takes_no_draft(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        with self.assertRaises(services.AssessmentCompleted):
            services.save_draft(assessment=assessment, part="skills", values={"K1": ["all"]})
