"""JSON nested too deeply is refused before any parser reads it, within a memory limit.

ijson builds a prefix for every level of nesting (``item.item.…``), so its memory grows
with the square of the depth: 200 KB of ``[`` would take 24 GB. The memory test runs the
reading in a child process whose address space is capped, so that without the depth
check it fails there, quickly, instead of taking the machine's memory.
"""

import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test import TestCase
from hypothesis import given
from hypothesis import strategies as st

from portal.procurement.importing import chunks
from portal.procurement.importing.runs import import_sources
from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.ocds.files import MAX_DEPTH
from portal.procurement.ocds.nesting import NestingDepth
from portal.procurement.synthetic import write_release_package

FILES = Path(__file__).parent / "ocds_files"
DEEP_BYTES = 200 * 1024


def write(directory: str, name: str, content: str) -> Path:
    path = Path(directory) / name
    path.write_text(content, encoding="utf-8")
    return path


class DeepNestingTests(TestCase):
    def test_an_array_nested_thousands_deep_fails_the_run_with_a_clear_error(self):
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "deep.json", "[" * 5000 + "]" * 5000)

            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertEqual(
            run.error,
            f"{path} is nested more than {MAX_DEPTH} levels deep (arrays or objects inside "
            "each other): OCDS data never is, so it was not read.",
        )
        self.assertEqual(run.releases_read, 0)

    def test_objects_nested_deep_inside_a_release_are_refused_too(self):
        package = json.loads((FILES / "release_package.json").read_text())
        text = json.dumps(package)
        deep = '{"a": ' * 3000 + "1" + "}" * 3000
        text = text.replace('"initiationType": "tender"', f'"initiationType": {deep}', 1)
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "deep_release.json", text)

            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("nested more than 100 levels deep", run.error)
        self.assertEqual(Opportunity.objects.count(), 0)

    def test_a_deep_json_line_refuses_the_file_instead_of_crashing(self):
        # Python's json module would raise RecursionError on this line.
        good = (FILES / "releases.jsonl").read_text().splitlines()[0]
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "feed.jsonl", good + "\n" + "[" * 5000 + "]" * 5000 + "\n")

            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.FAILED)
        self.assertIn("nested more than 100 levels deep", run.error)

    def test_brackets_and_escaped_quotes_inside_strings_do_not_count(self):
        package = json.loads((FILES / "release_package.json").read_text())
        package["releases"][0]["tender"]["description"] = '\\"[[[' * 400 + "{" * 400
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "brackets.json", json.dumps(package))

            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertEqual(run.created_count, 2)

    def test_nesting_at_the_limit_is_read(self):
        release = json.loads((FILES / "bare_release.json").read_text())
        # The release itself is one level: the extension value adds the rest.
        value: object = 1
        for _ in range(MAX_DEPTH - 1):
            value = [value]
        release["extensionValue"] = value
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "at_limit.json", json.dumps(release))

            run = import_sources([str(path)])

        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED, run.error)
        self.assertEqual(run.created_count, 1)


class RunMemoryTests(TestCase):
    @mock.patch.object(chunks, "CHUNK_SIZE", 50)
    def test_a_runs_memory_does_not_grow_with_the_releases_it_reads(self):
        peaks = {}

        def take_peak(run):
            if run.releases_read in (150, 1500):
                peaks[run.releases_read] = tracemalloc.get_traced_memory()[1]

        with tempfile.TemporaryDirectory() as directory:
            path = write_release_package(Path(directory) / "releases.json", 1500)
            tracemalloc.start()
            try:
                run = import_sources([str(path)], on_progress=take_peak)
            finally:
                tracemalloc.stop()

        self.assertEqual(run.created_count, 1500)
        # Thirty chunks take no more than three did, give or take a little.
        self.assertLess(peaks[1500], peaks[150] * 1.1 + 512 * 1024, peaks)


# Run in a child whose address space is capped at what it uses after start-up plus
# 256 MB: reads a normal file, then the deep one.
CHILD = """
import resource, sys
import django
django.setup()
from portal.procurement.ocds.files import SourceError
from portal.procurement.ocds.sources import SourceReader

def read(path):
    with SourceReader(warn=lambda message: None) as reader:
        return sum(1 for _ in reader.releases(reader.prepare([path])))

with open("/proc/self/statm") as statm:
    size = int(statm.read().split()[0]) * resource.getpagesize()
limit = size + 256 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
print("normal", read(sys.argv[1]))
try:
    read(sys.argv[2])
except SourceError as error:
    print("refused", error)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("opening", ["[", '{"a":'], ids=["arrays", "objects"])
def test_200_kb_of_nesting_is_refused_within_a_memory_limit(opening):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deep.json"
        path.write_text(opening * (DEEP_BYTES // len(opening)))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
        command = [sys.executable, "-c", CHILD, str(FILES / "release_package.json"), str(path)]

        result = subprocess.run(
            command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
        )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "normal 2",
        f"refused {path} is nested more than {MAX_DEPTH} levels deep (arrays or objects "
        "inside each other): OCDS data never is, so it was not read.",
    ]


# Depth as a parser sees it.
def depth_of(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


# Strings full of what could fool a scanner: quotes, backslashes, brackets.
tricky_text = st.text(alphabet='"\\[]{}a/\n\u00e9', max_size=8)
json_values = st.recursive(
    st.none() | st.integers() | tricky_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(tricky_text, children, max_size=3)
    ),
    max_leaves=30,
)


@given(
    value=json_values,
    ascii_only=st.booleans(),
    indent=st.sampled_from([None, 1]),
    slice_size=st.integers(min_value=1, max_value=64),
)
def test_nesting_depth_counts_what_a_parser_nests_whatever_the_slices(
    value, ascii_only, indent, slice_size
):
    data = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    depth = depth_of(value)

    def too_deep(limit: int) -> bool:
        nesting = NestingDepth(limit)
        for start in range(0, len(data), slice_size):
            nesting.feed(data[start : start + slice_size])
        return nesting.too_deep

    assert not too_deep(depth)
    if depth:
        assert too_deep(depth - 1)
