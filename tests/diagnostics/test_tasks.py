"""The scheduled clean-up of abandoned assessments, and the email tasks."""

import datetime

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from diagnostics import services, tasks
from diagnostics.models import Answer, Assessment
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.factories import create_assessment, get_council


def last_saved(assessment, days_ago):
    Assessment.objects.filter(pk=assessment.pk).update(
        updated=timezone.now() - datetime.timedelta(days=days_ago)
    )


class DeleteAbandonedAssessmentsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.abandoned = create_assessment(sections=3)
        last_saved(cls.abandoned, 31)
        cls.recent = create_assessment(sections=3)
        last_saved(cls.recent, 29)
        cls.old_but_completed = services.submit_assessment(
            assessment=create_assessment(sections=8)
        )
        last_saved(cls.old_but_completed, 400)

    def test_deletes_only_never_completed_assessments_not_saved_for_30_days(self):
        self.assertEqual(tasks.delete_abandoned_assessments.delay().get(), 1)
        self.assertEqual(
            set(Assessment.objects.values_list("pk", flat=True)),
            {self.recent.pk, self.old_but_completed.pk},
        )
        self.assertFalse(Answer.objects.filter(assessment_id=self.abandoned.pk).exists())

    def test_running_twice_deletes_nothing_more(self):
        tasks.delete_abandoned_assessments()
        self.assertEqual(tasks.delete_abandoned_assessments(), 0)
        self.assertEqual(Assessment.objects.count(), 2)

    def test_it_is_scheduled_daily(self):
        entries = [
            entry
            for entry in settings.CELERY_BEAT_SCHEDULE.values()
            if entry["task"] == "diagnostics.tasks.delete_abandoned_assessments"
        ]
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["schedule"], 60 * 60 * 24)


class EmailTaskTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_resume_link_email_needs_an_address_and_an_assessment(self):
        assessment = create_assessment()
        tasks.send_resume_link_email(assessment.pk)
        self.assertEqual(mail.outbox, [])
        Assessment.objects.filter(pk=assessment.pk).update(email="a@example.com")
        tasks.send_resume_link_email(assessment.pk)
        self.assertEqual(len(mail.outbox), 1)
        assessment.delete()
        tasks.send_resume_link_email(assessment.pk)
        self.assertEqual(len(mail.outbox), 1)

    def test_results_link_email_is_only_for_completed_assessments(self):
        assessment = create_assessment(sections=8)
        Assessment.objects.filter(pk=assessment.pk).update(email="a@example.com")
        tasks.send_results_link_email(assessment.pk)
        self.assertEqual(mail.outbox, [])
        services.submit_assessment(assessment=assessment)
        tasks.send_results_link_email(assessment.pk)
        self.assertEqual(len(mail.outbox), 1)
