"""A run never half-fails: one release that breaks the importer is rejected and the rest
imported; a run that must stop records what was saved; a run whose process died is
marked failed once its heartbeat has been silent for ten minutes."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from portal.procurement.importing import chunks, saving
from portal.procurement.importing.recording import RunRecorder
from portal.procurement.importing.runs import STALLED_ERROR, fail_stalled_runs, import_sources
from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.tasks import fail_stalled_import_runs
from tests.factories import create_import_run

FILES = Path(__file__).parent / "ocds_files"
FIVE_RELEASES = str(FILES / "run_overflow_date.json")  # ocds-run-1 … ocds-run-5


def ocids() -> set[str]:
    return set(Opportunity.objects.values_list("ocid", flat=True))


def failing_for(ocid: str, original, error: Exception):
    """``original`` (a function of releases or of pending opportunities), raising
    ``error`` when what it is given concerns ``ocid``."""

    def wrapper(*args, **kwargs):
        if ocid in repr(args) or ocid in repr(kwargs):
            raise error
        return original(*args, **kwargs)

    return wrapper


@mock.patch.object(chunks, "CHUNK_SIZE", 2)
class OneBadReleaseTests(TestCase):
    """Chunks of two: the bad release comes after a chunk was saved."""

    def test_a_date_out_of_range_rejects_that_release_and_the_run_goes_on(self):
        # 9999-12-31T23:59:59-05:00 is past the last datetime once in UTC.
        run = import_sources([FIVE_RELEASES])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (5, 4, 1))
        self.assertEqual(run.rejections[0]["where"], f"{FIVE_RELEASES} release 3")
        self.assertEqual(ocids(), {"ocds-run-1", "ocds-run-2", "ocds-run-4", "ocds-run-5"})

    def test_any_unexpected_error_mapping_a_release_rejects_only_that_release(self):
        mapping = failing_for("ocds-run-4", chunks.map_release, RuntimeError("a bug"))

        with mock.patch.object(chunks, "map_release", mapping):
            run = import_sources([FIVE_RELEASES])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertIn(
            {
                "where": f"{FIVE_RELEASES} release 4",
                "reason": "Rejected: it could not be read (an unexpected RuntimeError: a bug).",
            },
            run.rejections,
        )
        self.assertNotIn("ocds-run-4", ocids())
        self.assertIn("ocds-run-5", ocids())

    def test_an_unexpected_error_merging_rejects_that_opportunitys_releases(self):
        merge = failing_for("ocds-run-2", chunks.merge_releases, TypeError("cannot merge"))

        with mock.patch.object(chunks, "merge_releases", merge):
            run = import_sources([FIVE_RELEASES])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertIn(
            "Rejected: it could not be merged (an unexpected TypeError: cannot merge).",
            [rejection["reason"] for rejection in run.rejections],
        )
        self.assertEqual(ocids(), {"ocds-run-1", "ocds-run-4", "ocds-run-5"})

    def test_an_unexpected_error_saving_rejects_that_opportunity_and_saves_the_others(self):
        write = failing_for("ocds-run-5", saving.save_opportunities, ValueError("no"))

        with mock.patch.object(saving, "save_opportunities", write):
            run = import_sources([FIVE_RELEASES])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertIn(
            {
                "where": f"{FIVE_RELEASES} release 5",
                "reason": "Rejected: it could not be saved (an unexpected ValueError: no).",
            },
            run.rejections,
        )
        self.assertEqual(ocids(), {"ocds-run-1", "ocds-run-2", "ocds-run-4"})
        run.refresh_from_db()
        self.assertEqual((run.created_count, run.rejected_count), (3, 2))

    def test_a_run_that_must_stop_records_exactly_what_was_saved(self):
        # The database goes away while the second chunk is written.
        write = failing_for("ocds-run-4", saving.save_opportunities, OSError("gone"))

        with (
            mock.patch.object(saving, "save_opportunities", write),
            mock.patch.object(connection, "is_usable", return_value=False),
            self.assertRaises(OSError),
        ):
            import_sources([FIVE_RELEASES])

        run = ImportRun.objects.get()
        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIsNotNone(run.finished)
        self.assertEqual(
            run.error,
            "Unexpected error: OSError: gone (what the 2 releases read before it brought "
            "was saved; import the source again to finish).",
        )
        # The first chunk, saved; nothing of the second, counted or not.
        self.assertEqual(ocids(), {"ocds-run-1", "ocds-run-2"})
        self.assertEqual(
            (run.releases_read, run.created_count, run.rejected_count, run.rejections),
            (2, 2, 0, []),
        )


class HeartbeatTests(TestCase):
    def test_a_run_silent_for_ten_minutes_is_marked_failed(self):
        now = timezone.now()
        dead = create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            releases_read=1000,
            heartbeat=now - timedelta(minutes=10, seconds=1),
        )
        alive = create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            heartbeat=now - timedelta(minutes=9),
        )
        finished = create_import_run(heartbeat=now - timedelta(days=1))

        self.assertEqual(fail_stalled_runs(), 1)

        dead.refresh_from_db()
        self.assertEqual(dead.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(dead.error, STALLED_ERROR)
        self.assertIsNotNone(dead.finished)
        self.assertEqual(dead.releases_read, 1000)
        alive.refresh_from_db()
        finished.refresh_from_db()
        self.assertEqual(alive.outcome, ImportRun.Outcome.RUNNING)
        self.assertEqual(finished.outcome, ImportRun.Outcome.SUCCEEDED)

    def test_the_next_run_marks_a_dead_run_failed(self):
        dead = create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            heartbeat=timezone.now() - timedelta(hours=2),
        )

        import_sources([str(FILES / "bare_release.json")])

        dead.refresh_from_db()
        self.assertEqual(dead.outcome, ImportRun.Outcome.FAILED)

    def test_the_periodic_task_marks_dead_runs_failed(self):
        create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            heartbeat=timezone.now() - timedelta(minutes=30),
        )

        self.assertEqual(fail_stalled_import_runs.delay().get(), 1)
        self.assertEqual(fail_stalled_import_runs.delay().get(), 0)

    @mock.patch.object(chunks, "CHUNK_SIZE", 2)
    def test_every_chunk_saved_is_a_heartbeat(self):
        beats = []

        def record(run):
            beats.append(ImportRun.objects.values_list("heartbeat", flat=True).get(pk=run.pk))

        run = import_sources(
            [str(FILES / "release_package.json"), FIVE_RELEASES], on_progress=record
        )

        self.assertEqual(len(beats), 4)  # 7 releases, 2 a chunk
        self.assertEqual(beats, sorted(beats))
        self.assertGreater(beats[0], run.started)
        self.assertGreaterEqual(run.heartbeat, beats[-1])

    def test_a_heartbeat_is_written_at_most_every_30_seconds(self):
        run = create_import_run(
            outcome=ImportRun.Outcome.RUNNING,
            finished=None,
            heartbeat=timezone.now() - timedelta(minutes=1),
        )
        importer = RunRecorder(run)

        with self.assertNumQueries(1):
            importer.beat()
            importer.beat()

        run.refresh_from_db()
        self.assertGreater(run.heartbeat, timezone.now() - timedelta(seconds=5))

    def test_downloading_and_checking_sources_beat(self):
        # A directory of three files: each one checked is a sign of life.
        calls = []
        with mock.patch.object(RunRecorder, "beat", lambda self: calls.append(1)):
            import_sources([str(FILES / "directory")])

        self.assertGreaterEqual(len(calls), 2)
