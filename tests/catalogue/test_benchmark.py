"""The catalogue benchmark runs on a tiny size and ends with one line of JSON.

No timing is asserted: benchmarks are figures, never tests (DESIGN.md, "Benchmarks").
It runs as a user runs it, in its own process, because it makes and drops its own
throwaway database, which cannot nest inside the test run's.
"""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment


def test_catalogue_suite_prints_its_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "catalogue"]
    command += ["--offers", "30", "--repetitions", "3", "--warmup", "1"]
    env = benchmark_environment()

    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    for key in ("p50_ms", "p95_ms", "queries", "ratio_to_constant", "sql_p50_ms", "render_ms"):
        assert key in figures
    assert figures["suite"] == "catalogue"
    assert figures["offers"] == 30
    assert figures["queries"] > 0
    assert "search" in result.stdout
