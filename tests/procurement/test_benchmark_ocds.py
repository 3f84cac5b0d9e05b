"""The OCDS import benchmark runs on a tiny size and ends with one line of JSON.

No timing is asserted: benchmarks are figures, never tests (DESIGN.md, "Benchmarks").
It runs in its own process, as a user runs it: it makes and drops its own throwaway
database, which cannot nest inside the test run's.
"""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment


def test_ocds_import_suite_prints_its_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "ocds_import"]
    command += ["--releases", "40", "--repetitions", "3", "--warmup", "1"]
    env = benchmark_environment()

    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["suite"] == "ocds_import"
    assert figures["releases"] == 40
    for key in (
        "first_import_releases_per_second",
        "reimport_releases_per_second",
        "peak_memory_mb",
        "reimport_speedup",
        "ratio_to_constant",
    ):
        assert figures[key] > 0, key
    assert figures["peak_memory_measure"] == "ru_maxrss"
    assert figures["first_import_created"] == 40
    assert figures["reimport_unchanged"] == 40
    # Fewer releases than the checkpoint: memory is taken once they are all read.
    assert figures["memory_checkpoint_releases"] == 40
    assert figures["peak_memory_growth_mb"] >= figures["peak_memory_growth_mb_at_2000"] >= 0
    assert figures["memory_growth_ratio"] is None or figures["memory_growth_ratio"] >= 1
    assert "releases/s" in result.stdout
