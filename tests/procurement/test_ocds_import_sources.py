"""What the OCDS importer reads: packages, records, bare releases and records, arrays,
JSON Lines, directories, http(s) URLs (a real local server), the encodings, and the
sources it cannot read. And the command and the Celery task that run it."""

import functools
import http.server
import json
import shutil
import tempfile
import threading
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from portal.procurement.importing.runs import UnknownFeed, import_feed, import_sources
from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.ocds.files import Document
from portal.procurement.ocds.sources import SourceReader
from portal.procurement.tasks import import_ocds, import_ocds_feed

FILES = Path(__file__).parent / "ocds_files"


def import_file(*names: str) -> ImportRun:
    return import_sources([str(FILES / name) for name in names])


def ocids() -> set[str]:
    return set(Opportunity.objects.values_list("ocid", flat=True))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class LocalServer:
    """A real HTTP server in a thread, serving a directory."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class ShapeTests(TestCase):
    def test_record_package_with_embedded_releases_skips_linked_ones_with_a_warning(self):
        run = import_file("record_package_embedded.json")

        self.assertEqual((run.releases_read, run.created_count, run.rejected_count), (3, 1, 0))
        self.assertEqual(Opportunity.objects.get(ocid="ocds-merge-1").title, "Data platform")
        self.assertTrue(any("ocds-merge-1" in w and "1 linked release" in w for w in run.warnings))

    def test_record_package_with_only_a_compiled_release(self):
        run = import_file("record_package_compiled.json")

        self.assertEqual(run.created_count, 1)
        opportunity = Opportunity.objects.get(ocid="ocds-rec-1")
        self.assertEqual(opportunity.title, "Data platform")
        self.assertEqual(opportunity.source_uri, "https://example.org/records-2.json")

    def test_a_bare_release(self):
        run = import_file("bare_release.json")

        self.assertEqual(run.created_count, 1)
        self.assertEqual(ocids(), {"ocds-bare-1"})
        self.assertEqual(Opportunity.objects.get().source_uri, str(FILES / "bare_release.json"))

    def test_a_bare_record(self):
        run = import_file("bare_record.json")

        self.assertEqual(run.created_count, 1)
        self.assertEqual(ocids(), {"ocds-bare-rec-1"})

    def test_json_lines_of_releases_and_packages(self):
        run = import_file("releases.jsonl")

        self.assertEqual(run.created_count, 3)
        self.assertEqual(ocids(), {"ocds-jsonl-1", "ocds-jsonl-2", "ocds-jsonl-3"})

    def test_a_bad_json_line_is_rejected_and_the_others_imported(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "feed.jsonl"
            lines = (FILES / "releases.jsonl").read_text().splitlines()
            path.write_text("\n".join([lines[0], "{not json", lines[1]]) + "\n")

            run = import_sources([str(path)])

        self.assertEqual((run.created_count, run.rejected_count), (2, 1))
        self.assertEqual(run.rejections[0]["where"], f"{path} line 2")

    def test_a_json_array_of_releases_and_records(self):
        run = import_file("array.json")

        self.assertEqual(run.created_count, 2)
        self.assertEqual(ocids(), {"ocds-array-1", "ocds-array-2"})

    def test_a_directory_reads_its_json_and_jsonl_files(self):
        run = import_file("directory")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual(ocids(), {"ocds-dir-1", "ocds-dir-2", "ocds-dir-3"})

    def test_an_empty_or_broken_file_in_a_directory_is_reported_and_the_others_imported(self):
        directory = FILES / "directory_with_bad_files"

        run = import_file("directory_with_bad_files")

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertEqual(ocids(), {"ocds-dirbad-1", "ocds-dirbad-2", "ocds-dirbad-3"})
        self.assertEqual(
            run.warnings,
            [
                f"Skipped a file of {directory}: {directory / 'b_empty.json'} is empty. "
                "The other files were read.",
                f"Skipped a file of {directory}: {directory / 'c_cut_short.json'} is not "
                "valid JSON: parse error: premature EOF. The other files were read.",
            ],
        )

    def test_a_directory_none_of_whose_files_can_be_read_fails_the_run(self):
        with tempfile.TemporaryDirectory() as directory:
            (Path(directory) / "empty.json").write_text("")
            (Path(directory) / "deep.json").write_text("[" * 500 + "]" * 500)

            run = import_sources([directory])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(
            run.error,
            f"No file in {directory} could be read: {directory}/deep.json is nested more "
            "than 100 levels deep (arrays or objects inside each other): OCDS data never "
            f"is, so it was not read. {directory}/empty.json is empty.",
        )

    def test_an_empty_file_named_alone_still_fails_the_run(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "empty.json"
            path.write_text("")

            run = import_sources([str(path), str(FILES / "release_package.json")])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(run.error, f"{path} is empty.")
        self.assertEqual(Opportunity.objects.count(), 0)


class StreamingTests(TestCase):
    def test_releases_are_read_one_by_one_not_the_whole_file_first(self):
        # The file is cut short after its second release: reading (without the check
        # that runs first in an import) still yields the first releases before failing.
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "cut.json"
            text = (FILES / "one_invalid_release.json").read_text()
            path.write_text(text[: text.index('"ocds-bad-3"')])
            document = Document(path=path, label="cut.json", encoding="utf-8", shape="package")
            document.package_key = "releases"
            with SourceReader(warn=lambda message: None) as reader:
                releases = reader.releases([document])
                first = next(releases)
                second = next(releases)

        self.assertEqual(first.release["ocid"], "ocds-good-1")
        self.assertEqual(second.where, "cut.json release 2")

    def test_a_file_that_breaks_while_read_is_reported_and_the_next_one_read(self):
        with tempfile.TemporaryDirectory() as directory:
            first = Path(directory) / "first.json"
            text = (FILES / "one_invalid_release.json").read_text()
            first.write_text(text)
            warnings = []
            with SourceReader(warn=warnings.append) as reader:
                documents = reader.prepare([str(first), str(FILES / "release_package.json")])
                # Cut short after it was checked (changed on disk, say).
                first.write_text(text[: text.index('"ocds-bad-3"')])
                read = [item.where for item in reader.releases(documents)]

        release_package = FILES / "release_package.json"
        self.assertEqual(
            read,
            [
                f"{first} release 1",
                f"{first} release 2",
                f"{first} release 3",  # "not a release": read, to be rejected
                f"{release_package} release 1",
                f"{release_package} release 2",
            ],
        )
        self.assertEqual(
            warnings,
            [
                f"{first} could not be read to its end (parse error: premature EOF): its "
                "first 3 releases were read, the rest were not."
            ],
        )


class EncodingTests(TestCase):
    def test_windows_1252_is_read_with_a_warning_naming_the_file(self):
        run = import_file("windows_1252.json")

        self.assertEqual(run.created_count, 1)
        self.assertEqual(Opportunity.objects.get().title, "Café refurbishment – £40,000 ‘urgent’")
        self.assertEqual(len(run.warnings), 1)
        self.assertIn("windows_1252.json is not valid UTF-8", run.warnings[0])

    def test_utf8_with_a_byte_order_mark(self):
        run = import_file("bom.json")

        self.assertEqual(run.created_count, 1)
        self.assertEqual(Opportunity.objects.get().title, "Café fit-out")
        self.assertEqual(run.warnings, [])


class UnreadableSourceTests(TestCase):
    def test_a_file_that_is_not_json_fails_the_run_clearly(self):
        run = import_file("not_json.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("not_json.json is not JSON", run.error)
        self.assertIsNotNone(run.finished)

    def test_nothing_is_saved_when_any_source_cannot_be_read(self):
        run = import_file("release_package.json", "broken.json")

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("broken.json is not valid JSON", run.error)
        self.assertEqual(Opportunity.objects.count(), 0)
        self.assertEqual(run.releases_read, 0)

    def test_a_json_array_cut_short_fails_the_run(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "cut.json"
            path.write_text((FILES / "array.json").read_text()[:-200])
            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(run.error, f"{path} is not valid JSON: parse error: premature EOF.")
        self.assertEqual(Opportunity.objects.count(), 0)

    def test_a_missing_file(self):
        run = import_sources(["/no/such/file.json"])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(run.error, "/no/such/file.json does not exist.")

    def test_json_that_is_not_ocds(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "other.json"
            path.write_text(json.dumps({"services": []}))
            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("not OCDS", run.error)


class UrlTests(TestCase):
    def test_a_url_is_read_and_links_next_followed(self):
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            with LocalServer(root) as server:
                first = json.loads((FILES / "release_package.json").read_text())
                first["links"] = {"next": f"{server.url}/page-2.json"}
                (root / "page-1.json").write_text(json.dumps(first))
                shutil.copy(FILES / "lots.json", root / "page-2.json")

                run = import_sources([f"{server.url}/page-1.json"])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertEqual(run.created_count, 3)
        self.assertEqual(ocids(), {"ocds-test-0001", "ocds-test-0002", "ocds-lots-1"})

    def test_a_page_linking_to_itself_is_read_once(self):
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            with LocalServer(root) as server:
                package = json.loads((FILES / "lots.json").read_text())
                package["links"] = {"next": f"{server.url}/loop.json"}
                (root / "loop.json").write_text(json.dumps(package))

                run = import_sources([f"{server.url}/loop.json"])

        self.assertEqual((run.releases_read, run.created_count), (1, 1))

    def test_a_url_that_answers_404_fails_the_run(self):
        with tempfile.TemporaryDirectory() as directory, LocalServer(Path(directory)) as server:
            run = import_sources([f"{server.url}/missing.json"])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("answered HTTP 404", run.error)


class CommandTests(TestCase):
    def test_the_command_prints_a_summary(self):
        out = StringIO()

        call_command("import_ocds", str(FILES / "release_package.json"), stdout=out)

        self.assertIn(
            "2 releases read: 2 created, 0 updated, 0 unchanged, 0 rejected", out.getvalue()
        )

    def test_the_command_exits_non_zero_when_a_source_cannot_be_read(self):
        with self.assertRaisesMessage(CommandError, "not_json.json is not JSON"):
            call_command("import_ocds", str(FILES / "not_json.json"), stdout=StringIO())

    def test_the_command_reports_rejected_releases(self):
        err = StringIO()

        call_command(
            "import_ocds", str(FILES / "one_invalid_release.json"), stdout=StringIO(), stderr=err
        )

        self.assertIn("release 2: Rejected: it has no ocid.", err.getvalue())

    def test_the_command_needs_a_source_or_a_feed(self):
        with self.assertRaisesMessage(CommandError, "--feed NAME"):
            call_command("import_ocds", stdout=StringIO())

    def test_an_unknown_feed(self):
        with self.assertRaisesMessage(CommandError, "No OCDS feed is called 'nope'"):
            call_command("import_ocds", "--feed", "nope", stdout=StringIO())

    def test_async_runs_the_task_in_process_without_a_broker(self):
        out = StringIO()

        call_command("import_ocds", str(FILES / "bare_release.json"), "--async", stdout=out)

        self.assertIn("Queued the import", out.getvalue())
        self.assertEqual(ocids(), {"ocds-bare-1"})


class TaskTests(TestCase):
    def test_the_task_imports_and_returns_the_run(self):
        run_id = import_ocds.delay([str(FILES / "release_package.json")], feed="test").get()

        run = ImportRun.objects.get(pk=run_id)
        self.assertEqual((run.feed, run.created_count), ("test", 2))

    def test_the_feed_task_reads_the_configured_feed(self):
        with override_settings(OCDS_FEEDS={"local": str(FILES / "lots.json")}):
            run_id = import_ocds_feed.delay("local").get()

        run = ImportRun.objects.get(pk=run_id)
        self.assertEqual((run.feed, run.created_count), ("local", 1))

    def test_an_unknown_feed_is_refused(self):
        with self.assertRaises(UnknownFeed):
            import_feed("nope")
