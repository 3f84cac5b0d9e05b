"""The matching benchmark runs on a tiny size and ends with one line of JSON holding
every figure at the three sizes.

No timing is asserted: benchmarks are figures, never tests (DESIGN.md, "Benchmarks").
It runs as a user runs it, in its own process, because it makes and drops its own
throwaway database, which cannot nest inside the test run's.
"""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment

FIGURES = ("p50_ms", "p95_ms", "build_ms", "rank_p95_ms", "python_loop_p95_ms", "cpu_p95_ms")


def test_matching_suite_prints_its_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "matching"]
    command += ["--offers", "20", "--opportunities", "60", "--repetitions", "3", "--warmup", "1"]
    env = benchmark_environment()

    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["suite"] == "matching"
    for suffix in ("_tenth", "", "_ten_times"):
        for key in FIGURES:
            assert isinstance(figures[f"{key}{suffix}"], int | float), f"{key}{suffix}"
    # Published offers and open opportunities only: most of what was made, growing.
    assert 0 < figures["offers_tenth"] <= 2 < figures["offers"] <= 20 < figures["offers_ten_times"]
    assert figures["opportunities"] < figures["opportunities_ten_times"] <= 600
    assert figures["growth_p95_from_tenth"] > 0 and figures["growth_cpu_p95_from_tenth"] > 0
    assert "_ten_times" in result.stdout
