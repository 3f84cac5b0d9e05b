"""The OCDS import runs pages: moderators only, bounded queries."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import ImportRun
from tests.factories import create_cluster_body_poster, create_import_run, create_moderator
from tests.queries import assert_queries_do_not_grow, fetch


class ImportRunsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = create_moderator()
        cls.poster = create_cluster_body_poster()
        cls.import_run = create_import_run(
            feed="contracts-finder",
            releases_read=12,
            created_count=7,
            updated_count=2,
            unchanged_count=1,
            rejected_count=2,
            rejections=[
                {"where": "feed.json release 3", "reason": "Rejected: it has no ocid."},
                {"where": "feed.json release 9", "reason": "Rejected: its date is not a date."},
            ],
            warnings=["feed.json is not valid UTF-8: it was read as Windows-1252."],
            started_by=cls.moderator,
        )
        cls.failed = create_import_run(
            source="/data/broken.json",
            outcome=ImportRun.Outcome.FAILED,
            error="/data/broken.json is not valid JSON: parse error",
        )

    def test_moderator_sees_the_runs(self):
        self.client.force_login(self.moderator)

        response = self.client.get(reverse("procurement:import-runs"))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "contracts-finder")
        self.assertContains(
            response, reverse("procurement:import-run", kwargs={"pk": self.import_run.pk})
        )
        self.assertContains(response, "Failed")

    def test_moderator_sees_a_runs_counts_warnings_and_rejections(self):
        self.client.force_login(self.moderator)

        response = self.client.get(
            reverse("procurement:import-run", kwargs={"pk": self.import_run.pk})
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "feed.json release 9")
        self.assertContains(response, "Rejected: it has no ocid.")
        self.assertContains(response, "read as Windows-1252")
        self.assertContains(response, "Mo Moderator")

    def test_a_failed_run_shows_its_error(self):
        self.client.force_login(self.moderator)

        response = self.client.get(
            reverse("procurement:import-run", kwargs={"pk": self.failed.pk})
        )

        self.assertContains(response, "is not valid JSON: parse error")
        self.assertContains(response, "Nothing was imported")

    def test_a_poster_gets_404(self):
        self.client.force_login(self.poster)

        for url in (
            reverse("procurement:import-runs"),
            reverse("procurement:import-run", kwargs={"pk": self.import_run.pk}),
        ):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(reverse("procurement:import-runs"))

        self.assertEqual(response.status_code, 302)
        self.assertIn("next=", response["Location"])

    def test_an_unknown_run_is_404(self):
        self.client.force_login(self.moderator)

        response = self.client.get(reverse("procurement:import-run", kwargs={"pk": 999999}))

        self.assertEqual(response.status_code, 404)

    def test_a_runs_conflicting_releases_are_listed(self):
        run = create_import_run(
            conflict_count=1,
            conflicts=[
                {
                    "where": "b.json release 4",
                    "reason": "Release r-1 of ocds-x has the same id as another release of it.",
                }
            ],
        )
        self.client.force_login(self.moderator)

        response = self.client.get(reverse("procurement:import-run", kwargs={"pk": run.pk}))

        self.assertContains(response, 'href="#conflicts"')
        self.assertContains(response, "b.json release 4")
        self.assertContains(response, "Release r-1 of ocds-x has the same id")

    def test_a_running_run_says_when_it_was_last_heard_from(self):
        run = create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            heartbeat=timezone.make_aware(timezone.datetime(2030, 1, 2, 3, 4, 5)),
        )
        self.client.force_login(self.moderator)

        response = self.client.get(reverse("procurement:import-run", kwargs={"pk": run.pk}))

        self.assertContains(response, "Still running (last heard from 2 January 2030 03:04:05)")

    def test_rejections_are_paginated(self):
        run = create_import_run(
            rejected_count=120,
            rejections=[
                {"where": f"f.json release {n}", "reason": "Rejected."} for n in range(120)
            ],
        )
        self.client.force_login(self.moderator)

        response = self.client.get(
            reverse("procurement:import-run", kwargs={"pk": run.pk}), {"page": 3}
        )

        self.assertContains(response, "f.json release 119")
        self.assertNotContains(response, "f.json release 49<")


class ImportRunsQueryCountTests(TestCase):
    def create_runs(self, count: int):
        ImportRun.objects.bulk_create(
            ImportRun(source=f"file-{n}.json", finished=timezone.now()) for n in range(count)
        )

    def test_the_list_runs_the_same_queries_at_10_and_200_runs(self):
        self.client.force_login(create_moderator())
        self.create_runs(10)

        assert_queries_do_not_grow(
            fetch(self.client, reverse("procurement:import-runs")),
            grow=lambda: self.create_runs(190),
        )
