"""The catalogue benchmark: the search page, two words and three facets, at scale.

python manage.py benchmark catalogue --offers 10000

Beside the page's time it prints its SQL's alone (``sql_p50_ms``, the floor), the time
its templates take to render (``render_ms``) and the page's time as a multiple of its
SQL's (``p50_to_sql``). The machine's load moves every figure: compare ratios taken in
the same run.
"""

import statistics
import time
from urllib.parse import urlencode

from django.db import connections
from django.test import Client
from django.urls import reverse

from portal.catalogue.synthetic import create_offers
from portal.core.benchmarking import CONSTANT_PATH, measure, render_time, table

SEARCH_PARAMS = {
    "q": "digital export",
    "kind": "grant",
    "size": "micro",
    "place": "E08000024",  # Sunderland
}


def add_arguments(parser):
    parser.add_argument("--offers", type=int, default=10_000, help="synthetic offers to create")


def sql_time(path: str, *, repetitions: int) -> float:
    """The median time of the SQL alone that one request to ``path`` runs: its
    statements captured, then each run again raw on the same connection. The floor under
    the page's own time, whatever Django does around it."""
    connection = connections["default"]
    statements = []

    def capture(execute, sql, params, many, context):
        # The reads: a visitor's first filtered search also writes their session.
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        Client().get(path)
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(options):
    create_offers(options["offers"])
    connection = connections["default"]
    if connection.vendor == "postgresql":
        # What autovacuum does to a live catalogue: fresh statistics, and the full-text
        # index's pending list (every offer just bulk-inserted) merged into the index.
        # A plain ANALYZE leaves that list, and each search then scans it linearly.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    search = reverse("catalogue:search") + "?" + urlencode(SEARCH_PARAMS)
    repetitions, warmup = options["repetitions"], options["warmup"]
    constant = measure("constant", CONSTANT_PATH, repetitions=repetitions, warmup=warmup)
    page = measure("search", search, repetitions=repetitions, warmup=warmup)
    fragment = measure(
        "search (htmx)", search, repetitions=repetitions, warmup=warmup, HTTP_HX_REQUEST="true"
    )
    sql_ms = sql_time(search, repetitions=repetitions)
    render_ms = render_time(search, repetitions=repetitions)
    figures = {
        "database": connection.vendor,
        "offers": options["offers"],
        "repetitions": repetitions,
        "p50_ms": round(page.p50_ms, 2),
        "p95_ms": round(page.p95_ms, 2),
        "queries": page.queries,
        "fragment_p50_ms": round(fragment.p50_ms, 2),
        "fragment_p95_ms": round(fragment.p95_ms, 2),
        "constant_p50_ms": round(constant.p50_ms, 3),
        # The page's SQL alone, run raw: what no template or ORM work can go below.
        "sql_p50_ms": round(sql_ms, 2),
        # Of the page's time, rendering its templates (measured apart, on further requests).
        "render_ms": round(render_ms, 2),
        # The page against its SQL alone: everything Django and the templates add.
        "p50_to_sql": round(page.p50_ms / sql_ms, 2),
        # Throughput relative to a constant response through the same stack.
        "ratio_to_constant": round(constant.p50_ms / page.p50_ms, 4),
    }
    report = table([constant, page, fragment])
    report += (
        f"\n\n{options['offers']} offers on {connection.vendor}; "
        f"search throughput {figures['ratio_to_constant']:.3f} of a constant response; "
        f"its SQL alone takes {sql_ms:.2f} ms (p50), rendering its templates {render_ms:.2f} ms; "
        f"the page takes {figures['p50_to_sql']:.2f} times its SQL"
    )
    return report, figures
