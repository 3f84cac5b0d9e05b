"""Under pytest-xdist (make test, CI) the test processes keep apart what they share.
(The cache's keys: tests/test_shared_cache.py.)"""

import pytest

from tests.benchmarks import benchmark_environment

POSTGRES = "postgres://postgres@127.0.0.1:5432/waymark"


@pytest.mark.parametrize(
    ("worker", "url", "expected"),
    [
        ("gw1", POSTGRES, f"{POSTGRES}_gw1"),
        (
            "gw0",
            "postgres://u:p%40ss@db:5432/waymark?sslmode=require",
            "postgres://u:p%40ss@db:5432/waymark_gw0?sslmode=require",
        ),
        (None, POSTGRES, POSTGRES),
        ("gw1", "sqlite:///db.sqlite3", "sqlite:///db.sqlite3"),
    ],
)
def test_each_workers_benchmarks_get_a_database_name_of_their_own(
    monkeypatch, worker, url, expected
):
    if worker:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    else:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.setenv("DATABASE_URL", url)

    environment = benchmark_environment()

    assert environment["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert environment["DATABASE_URL"] == expected
