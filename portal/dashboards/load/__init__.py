"""The load benchmark: the whole site under gunicorn, driven by locust.

python manage.py benchmark http --duration 60 --rate 20

In the throwaway database it generates 10,000 offers, 50,000 opportunities and 50,000
completed assessments, starts gunicorn on a free loopback port (2 workers a core) on
that database, warms the caches, then runs locust headless in its own process with the
visitors of ``locustfile.py``: a realistic mix of home, catalogue search with filters,
offer page, opportunity search, a diagnostic page submitted, results with
recommendations, a council's dashboard and the two APIs.

1. The fixed rate: ``--rate`` visitors each asking once a second (locust's
   ``constant_throughput``; with answers far under a second this is the arrival rate,
   not slowed by the answers), for ``--duration`` seconds: p50/p95/p99 per page kind
   and the errors.
2. Saturation: ``--clients`` visitors asking the same mix with no pause, for half the
   duration: the highest throughput, its latencies and errors.
3. Each page kind alone, then the constant-response view alone, each with the same
   ``--clients`` and no pause for ``--solo-duration`` seconds: ``ratio_to_constant`` per
   page kind is its throughput over the constant view's (the machine's speed cancels
   out; a 50-item Django list page measured about 0.036 on this machine). Measured in
   the mix, the constant view's time was mostly its wait behind the 32 clients' pages
   (a p50 of 600 ms for a view that takes a millisecond), which made every ratio
   meaningless; alone, each figure is the capacity of the site for that kind of page.

Before measuring, the generated tables are analysed (and vacuumed, on PostgreSQL), as
autovacuum would have done on a site that had been running: the planner's statistics
then describe 50,000 rows, not an empty table.

The last line is JSON: ``errors``, ``p99_ms`` (the worst page kind at the fixed rate),
``saturation_rps`` and the rest. Locust's percentiles are its own (rounded to two
significant figures above 100 ms).
"""

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.urls import reverse

from diagnostics.models import Assessment
from diagnostics.tokens import make_resume_token
from portal.catalogue.models import Offer
from portal.catalogue.synthetic import create_offers
from portal.core.benchmarking import CONSTANT_PATH
from portal.dashboards.benchmarks import create_assessments
from portal.procurement.synthetic import create_opportunities

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
COUNCIL = "E08000037"  # Gateshead
PAGE_KINDS = (
    "home",
    "catalogue_search",
    "offer",
    "opportunity_search",
    "diagnostic_submit",
    "results",
    "dashboard",
    "api_openreferral",
    "api_ocds",
)


def add_arguments(parser):
    parser.add_argument("--duration", type=int, default=60, help="seconds at the fixed rate")
    parser.add_argument("--rate", type=int, default=20, help="requests a second (http suite)")
    parser.add_argument("--clients", type=int, default=32, help="clients when saturating")
    parser.add_argument(
        "--completed-assessments", type=int, default=50_000, help="http suite's assessments"
    )
    parser.add_argument(
        "--solo-duration",
        type=int,
        default=10,
        help="seconds each page kind (and the constant view) is saturated alone",
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    database = connections["default"].settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{database['USER']}{password}@{host}{port}/{database['NAME']}"


def _plan(folder: Path) -> Path:
    completed = Assessment.objects.completed().order_by("pk")[:64]
    plan = {
        "council": COUNCIL,
        "constant": CONSTANT_PATH,
        "offers": list(
            Offer.objects.filter(status="published")
            .order_by("?")
            .values_list("slug", flat=True)[:200]
        ),
        "completed": [
            {
                "resume": reverse(
                    "diagnostics:resume",
                    kwargs={
                        "public_id": assessment.public_id,
                        "token": make_resume_token(assessment.public_id),
                    },
                ),
                "results": reverse(
                    "diagnostics:results", kwargs={"public_id": assessment.public_id}
                ),
            }
            for assessment in completed
        ],
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def _warm(base: str, plan: dict, workers: int) -> None:
    """Every page kind asked a few times per worker, so each process's caches and
    connections are made before anything is measured."""
    paths = [
        "/",
        "/support/?q=digital&kind=grant&size=micro",
        f"/support/{plan['offers'][0]}/",
        "/contracts/?q=software",
        f"/data/{COUNCIL}/",
        "/api/openreferral/services",
        "/api/ocds/releases",
    ]
    for _ in range(workers * 3):
        for path in paths:
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
            except urllib.error.HTTPError:
                pass
        # A results page, through its resume link (the session it sets): the first one
        # in each process builds the matcher's candidates, seconds of work that belongs
        # to starting a site, not to the figures.
        visitor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        for completed in plan["completed"][:1]:
            try:
                with visitor.open(base + completed["resume"], timeout=120) as response:
                    response.read()
            except urllib.error.HTTPError:
                pass


def _analyse() -> None:
    """The planner's statistics (and, on PostgreSQL, the visibility map that index-only
    scans read) for the tables just filled, as autovacuum keeps them on a running site."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _locust(
    base: str, plan: Path, folder: Path, *, mode: str, users: int, seconds: int, kind: str = ""
):
    prefix = folder / (f"{mode}-{kind}" if kind else mode)
    subprocess.run(
        [
            *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"),
            *("--host", base, "--users", str(users), "--spawn-rate", str(users)),
            *("--run-time", f"{seconds}s", "--csv", str(prefix), "--only-summary"),
            *("--loglevel", "ERROR", "--stop-timeout", "10", "--exit-code-on-error", "0"),
        ],
        env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_MODE": mode, "LOAD_KIND": kind},
        check=True,
        stdout=subprocess.DEVNULL,
        # Locust's own summary (the same figures, per run) would bury the report.
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return {
        name: {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }
        for name, row in rows.items()
        if not name.startswith("setup:")
    }


def _table(title: str, stats: dict) -> str:
    rows = [(title, "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")]
    for name, row in stats.items():
        rows.append(
            (
                name,
                str(row["requests"]),
                str(row["errors"]),
                f"{row['rps']:.1f}",
                f"{row['p50_ms']:.0f}",
                f"{row['p95_ms']:.0f}",
                f"{row['p99_ms']:.0f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def ratios_to_constant(alone: dict[str, dict]) -> dict[str, float]:
    """Each page kind's throughput alone over the constant view's alone (both saturated
    by the same clients): the share of the machine's request capacity the page leaves."""
    constant = alone.get("constant", {}).get("rps")
    if not constant:
        return {}
    return {
        name: round(row["rps"] / constant, 4)
        for name, row in alone.items()
        if name != "constant" and row.get("rps")
    }


def run(options):
    started = time.perf_counter()
    create_offers(options["offers"])
    create_opportunities(options["opportunities"])
    create_assessments(options["completed_assessments"])
    generated_seconds = time.perf_counter() - started
    _analyse()
    connections["default"].close()

    workers = 2 * (os.cpu_count() or 1)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "console:",
        "LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryDirectory(prefix="waymark-load-") as directory:
        folder = Path(directory)
        plan_path = _plan(folder)
        plan = json.loads(plan_path.read_text())
        # As a deployment does: the static files collected, hashed and compressed.
        environment["STATIC_ROOT"] = str(folder / "static")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            env=environment,
            cwd=settings.BASE_DIR,
            check=True,
        )
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "portal.core.benchmarking.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                *("--timeout", "120", "--log-level", "warning"),
            ],
            env=environment,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base + "/healthz", server)
            _warm(base, plan, workers)
            fixed = _locust(
                base,
                plan_path,
                folder,
                mode="rate",
                users=options["rate"],
                seconds=options["duration"],
            )
            saturated = _locust(
                base,
                plan_path,
                folder,
                mode="saturate",
                users=options["clients"],
                seconds=max(options["duration"] // 2, 10),
            )
            alone = {}
            for kind in (*PAGE_KINDS, "constant"):
                alone[kind] = _locust(
                    base,
                    plan_path,
                    folder,
                    mode="solo",
                    kind=kind,
                    users=options["clients"],
                    seconds=max(options["solo_duration"], 3),
                ).get(kind, {})
        finally:
            server.terminate()
            server.wait(timeout=60)

    kinds_fixed = {name: fixed[name] for name in PAGE_KINDS if name in fixed}
    kinds_saturated = {name: saturated[name] for name in PAGE_KINDS if name in saturated}
    constant = alone.get("constant", {})
    ratios = ratios_to_constant(alone)
    errors = sum(row["errors"] for row in fixed.values())
    saturation_errors = sum(row["errors"] for row in saturated.values())
    solo_errors = sum(row.get("errors", 0) for row in alone.values())
    worst = max(kinds_fixed.items(), key=lambda item: item[1]["p99_ms"])
    figures = {
        "database": connections["default"].vendor,
        "gunicorn_workers": workers,
        "offers": options["offers"],
        "opportunities": options["opportunities"],
        "completed_assessments": options["completed_assessments"],
        "generate_seconds": round(generated_seconds, 1),
        "rate": options["rate"],
        "duration_seconds": options["duration"],
        "requests": sum(row["requests"] for row in fixed.values()),
        "errors": errors,
        "p99_ms": worst[1]["p99_ms"],
        "p99_worst_page_kind": worst[0],
        "fixed_rate": kinds_fixed,
        "saturation_clients": options["clients"],
        "saturation_rps": round(saturated["Aggregated"]["rps"], 1),
        "saturation_errors": saturation_errors,
        "saturation": kinds_saturated,
        "alone_seconds": max(options["solo_duration"], 3),
        "alone": alone,
        "alone_errors": solo_errors,
        "constant_rps": constant.get("rps"),
        "constant_p50_ms": constant.get("p50_ms"),
        "ratio_to_constant": ratios,
        "ratio_method": (
            "throughput of the page kind alone over the constant view's alone, "
            "same clients, no pause"
        ),
    }
    report = "\n\n".join(
        [
            _table(f"at {options['rate']} requests/s", {**kinds_fixed}),
            _table(f"saturated, {options['clients']} clients, the mix", kinds_saturated),
            _table(
                f"each alone, {options['clients']} clients, no pause",
                {name: row for name, row in alone.items() if row},
            )
            + "\nratio_to_constant (its requests/s over the constant view's, each alone): "
            + ", ".join(f"{name} {ratio}" for name, ratio in ratios.items()),
            (
                f"{figures['requests']} requests at the fixed rate, {errors} errors; the "
                f"worst p99 is {worst[0]} at {worst[1]['p99_ms']:.0f} ms. Saturated: "
                f"{figures['saturation_rps']} requests/s, {saturation_errors} errors; alone, "
                f"{solo_errors} errors. "
                f"Data generated in {generated_seconds:.0f} s; gunicorn with {workers} "
                f"workers on {figures['database']}."
            ),
        ]
    )
    return report, figures
