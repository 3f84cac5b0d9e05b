"""What every benchmark suite shares: a throwaway database, timing, the reference view.

A suite is a module with ``add_arguments(parser)`` and ``run(options)`` returning a
report and a dict of figures; ``manage.py benchmark SUITE`` (portal/core/management/
commands/benchmark.py) finds it among the suites the apps offer through their AppConfig
(``benchmark_suites``: portal/lib/registry.py).
"""

import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template.backends.django import Template
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_databases,
    teardown_databases,
)

CONSTANT_PATH = "/__benchmark__/constant/"


@contextmanager
def throwaway_database():
    """A fresh, migrated database named apart from the development and test ones:
    a temporary file on SQLite, ``benchmark_<name>`` elsewhere. Dropped afterwards."""
    database = connections["default"].settings_dict
    test_settings = database.setdefault("TEST", {})
    saved_name = test_settings.get("NAME")
    with tempfile.TemporaryDirectory(prefix="waymark-benchmark-") as directory:
        if database["ENGINE"] == "django.db.backends.sqlite3":
            test_settings["NAME"] = str(Path(directory) / "benchmark.sqlite3")
        else:
            test_settings["NAME"] = f"benchmark_{database['NAME']}"
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            # Not setup_test_environment(): its template instrumentation (for the test
            # client's response.context) would add its own cost to every render.
            with override_settings(
                ROOT_URLCONF="portal.core.benchmarking.urls",
                BENCHMARK_SITE_URLCONF=settings.ROOT_URLCONF,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                DEBUG=False,
            ):
                yield connections["default"]
        finally:
            connections["default"].close()
            teardown_databases(old_config, verbosity=0)
            test_settings["NAME"] = saved_name


@dataclass
class Timing:
    name: str
    path: str
    p50_ms: float
    p95_ms: float
    queries: int
    status: int


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(
    name: str, path: str, *, repetitions: int, warmup: int, client: Client | None = None, **headers
) -> Timing:
    """Server time of GET path through the whole middleware stack (django.test.Client),
    as a new visitor or as ``client`` (one with a session, say)."""
    client = client or Client()
    for _ in range(warmup):
        client.get(path, **headers)
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(path, **headers)
    # Counted now: the next request clears the connection's query log.
    query_count = len(queries)
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        client.get(path, **headers)
        times.append((time.perf_counter() - start) * 1000)
    return Timing(
        name=name,
        path=path,
        p50_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        queries=query_count,
        status=response.status_code,
    )


def render_time(path: str, *, repetitions: int, client: Client | None = None, **headers) -> float:
    """The median time a GET of ``path`` spends rendering its templates (what the view's
    ``render`` does, includes and tags within), the request's other work left out."""
    client = client or Client()
    client.get(path, **headers)
    spent: list[float] = []
    timed = Template.render

    def render(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return timed(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    times = []
    Template.render = render
    try:
        for _ in range(repetitions):
            spent.clear()
            client.get(path, **headers)
            times.append(sum(spent) * 1000)
    finally:
        Template.render = timed
    return statistics.median(times)


def table(timings: list[Timing]) -> str:
    rows = [("view", "p50 ms", "p95 ms", "queries", "status", "path")]
    rows += [
        (t.name, f"{t.p50_ms:.2f}", f"{t.p95_ms:.2f}", str(t.queries), str(t.status), t.path)
        for t in timings
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
