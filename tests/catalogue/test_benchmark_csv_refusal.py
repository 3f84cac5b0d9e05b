"""The CSV refusal benchmark runs on a tiny size, every bad file refused with its
message, and ends with one line of JSON. No timing is asserted (DESIGN.md, "Benchmarks");
it runs in its own process, as tests/catalogue/test_benchmark.py says why."""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment


def test_csv_refusal_suite_refuses_each_kind_and_prints_its_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "csv_refusal"]
    command += ["--repetitions", "2", "--warmup", "0"]

    result = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env=benchmark_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["suite"] == "csv_refusal"
    assert figures["errors"] == 0
    kinds = figures["kinds"]
    assert set(kinds) == {"empty", "oversize", "binary", "utf16", "path_name", "well_formed"}
    for kind, measured in kinds.items():
        expected = "checked" if kind == "well_formed" else "refused"
        assert measured["answer"] == expected, kind
        assert measured["status"] == 200
        assert {"p50_ms", "p95_ms", "p50_to_constant"} <= set(measured)
    assert "oversize" in result.stdout
