"""The admin: questionnaire versions with counts, assessments read-only."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics import services
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.factories import create_assessment, create_user, get_council


class QuestionnaireVersionAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.superuser = create_user(is_superuser=True, is_staff=True)
        for _ in range(3):
            create_assessment()
        for _ in range(2):
            services.submit_assessment(assessment=create_assessment(sections=8))

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_versions_are_listed_with_started_and_completed_counts_in_one_query(self):
        url = reverse("admin:diagnostics_questionnaireversion_changelist")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        # New assessments are on the latest version; the earlier one is listed too.
        *earlier, version = response.context["versions"]
        self.assertEqual([row["definition"].version for row in earlier], ["1.0.0", "1.1.0"])
        self.assertEqual([(row["started"], row["completed"]) for row in earlier], [(0, 0)] * 2)
        self.assertEqual(version["definition"].version, "1.2.0")
        self.assertTrue(all(row["published"] for row in [*earlier, version]))
        self.assertEqual((version["started"], version["completed"]), (5, 2))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        assessment_queries = [q for q in queries if "diagnostics_assessment" in q["sql"]]
        self.assertEqual(len(assessment_queries), 1)

    def test_nobody_can_add_change_or_delete_versions_or_assessments(self):
        for name in ("questionnaireversion", "assessment"):
            with self.subTest(name=name):
                self.assertEqual(
                    self.client.get(reverse(f"admin:diagnostics_{name}_add")).status_code, 403
                )

    def test_assessment_pages_are_read_only_and_show_no_answers_or_email(self):
        assessment = create_assessment(sections=1)
        url = reverse("admin:diagnostics_assessment_change", args=[assessment.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="status"')
        self.assertNotContains(response, "reviewed_plan")
        response = self.client.post(url, {"status": "completed"})
        self.assertEqual(response.status_code, 403)

    def test_staff_without_permission_cannot_see_versions(self):
        self.client.force_login(create_user(is_staff=True))
        url = reverse("admin:diagnostics_questionnaireversion_changelist")
        self.assertEqual(self.client.get(url).status_code, 403)
