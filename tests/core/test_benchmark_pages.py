"""The pages benchmark loads the demo, measures four pages and the constant view, and
ends with one line of JSON. No timing is asserted (DESIGN.md, "Benchmarks"); it runs in
its own process, as the catalogue's does, for its throwaway database."""

import json
import subprocess
import sys

from django.conf import settings

from tests.benchmarks import benchmark_environment

PAGES = ("constant", "home", "profile", "support", "contracts")


def test_pages_suite_prints_each_pages_figures_last_as_json():
    command = [sys.executable, "manage.py", "benchmark", "pages"]
    command += ["--demo-assessments", "0", "--repetitions", "3", "--warmup", "1"]
    env = benchmark_environment()

    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["suite"] == "pages"
    for page in PAGES:
        assert figures[f"{page}_status"] == 200, page
        assert f"{page}_p50_ms" in figures
        assert f"{page}_p95_ms" in figures
    assert figures["home_to_support_p50"] > 0
    assert figures["profile_to_support_p50"] > 0
    assert "demo-passwords" not in result.stdout
