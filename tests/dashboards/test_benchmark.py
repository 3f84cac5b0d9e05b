"""The dashboards benchmark runs on a tiny size and ends with one line of JSON.

No timing is asserted: benchmarks are figures, never tests (DESIGN.md, "Benchmarks").
It runs in its own process, as tests/catalogue/test_benchmark.py explains.
"""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment


def test_dashboards_suite_prints_its_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "dashboards"]
    command += ["--assessments", "60", "--offers", "30", "--referrals", "40"]
    command += ["--repetitions", "2", "--warmup", "1"]
    env = benchmark_environment()

    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["suite"] == "dashboards"
    assert figures["assessments"] == 60
    assert figures["offers"] == 30
    assert figures["referrals"] == 40
    for key in ("cold_ms", "warm_ms", "council_cold_ms", "map_cold_ms"):
        assert figures[key] > 0
    assert "full dashboard" in result.stdout
