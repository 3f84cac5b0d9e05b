"""The catalogue benchmark: the search page, two words and three facets, at scale.

python manage.py benchmark catalogue --offers 10000
"""

from urllib.parse import urlencode

from django.db import connections
from django.urls import reverse

from portal.catalogue.synthetic import create_offers
from portal.core.benchmarking import CONSTANT_PATH, measure, table

SEARCH_PARAMS = {
    "q": "digital export",
    "kind": "grant",
    "size": "micro",
    "place": "E08000024",  # Sunderland
}


def add_arguments(parser):
    parser.add_argument("--offers", type=int, default=10_000, help="synthetic offers to create")


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
        # Throughput relative to a constant response through the same stack.
        "ratio_to_constant": round(constant.p50_ms / page.p50_ms, 4),
    }
    report = table([constant, page, fragment])
    report += (
        f"\n\n{options['offers']} offers on {connection.vendor}; "
        f"search throughput {figures['ratio_to_constant']:.3f} of a constant response"
    )
    return report, figures
