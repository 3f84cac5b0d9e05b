"""The matching benchmark: load and rank for one business, at three catalogue sizes.

python manage.py benchmark matching --offers 10000 --opportunities 50000

Builds synthetic offers and opportunities at one tenth, at, and at ten times the given
size (growing the same throwaway database), and at each size measures: ``build_ms``,
the candidates built cold (queries and arrays; the median of three builds, or of fewer
when they take over ten seconds); ``p50_ms``/``p95_ms``, load and rank on the warm path
(the business read, one query; the candidates found current in the shared cache, one
round trip; both lists ranked); ``rank_p95_ms``, the ranking alone; and
``python_loop_p95_ms``, the same ranking by the plain-Python reference over the same
records (``generate_s`` is the time taken to write the synthetic data for that size).
``cpu_p50_ms``/``cpu_p95_ms`` are the same load and rank in this process's CPU time: on a
machine busy with other work, wall time also counts the waits for a processor. Keys at
one tenth and ten times carry ``_tenth`` and ``_ten_times``;
``growth_p95_from_tenth`` is p95 at the size over p95 at one tenth (and
``growth_cpu_p95_from_tenth`` the same in CPU time), and
``python_loop_ratio`` the loop's p95 over the vectorised ranking's.
"""

import statistics
import time

from django.utils import timezone

from portal.catalogue.synthetic import create_offers
from portal.core.benchmarking import percentile
from portal.matching import candidates, reference
from portal.matching.ranking import rank_offers, rank_opportunities
from portal.matching.recommendations import recommend
from portal.matching.records import Business
from portal.places.models import Council
from portal.procurement.synthetic import create_opportunities

SIZES = (("_tenth", 0.1), ("", 1.0), ("_ten_times", 10.0))


def add_arguments(parser):
    parser.add_argument("--opportunities", type=int, default=50_000)


def _business() -> Business:
    council = Council.objects.select_related("region").get(gss_code="E08000037")
    return Business(
        council_id=council.pk,
        council_name=council.name,
        region_id=council.region_id,
        region_name=council.region.name,
        size="micro",
        stage="growing",
        sic_section="J",
        turnover="250k_to_500k",
        plans=frozenset({"bid_public_contracts", "export"}),
        supplies=("72", "48000000"),
        scores={
            "strategy": 55.0,
            "skills": 60.0,
            "adoption": 70.0,
            "data": 32.0,
            "cyber": 45.0,
            "innovation": 50.0,
            "finance": 40.0,
            "trade": 30.0,
        },
        flags=frozenset({"no_cyber_essentials_for_public_contracts"}),
    )


def _timed(function, repetitions: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock milliseconds of each call (and this process's CPU milliseconds in
    ``cpu``, when given)."""
    times = []
    for _ in range(repetitions):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return times


def _measure_size(business: Business, *, repetitions: int, warmup: int, factor: float) -> dict:
    today, now = timezone.localdate(), timezone.now()
    builds = []
    # Three cold builds, or fewer when they take long (at ten times the size).
    while len(builds) < 3 and sum(builds) < 10_000:
        candidates.forget()
        start = time.perf_counter()
        offers, opportunities = candidates.both()
        builds.append((time.perf_counter() - start) * 1000)
    council = business.council_id

    def load_and_rank():
        # What a page does: read the business (one query), check the candidates are
        # current (the shared cache), rank both lists.
        Council.objects.filter(pk=council).values_list("pk", flat=True).first()
        recommend(business, today=today, now=now)

    def rank_alone():
        rank_offers(offers, business, today=today)
        rank_opportunities(opportunities, business, now=now)

    def python_loop():
        reference.rank_offers(offers, business, today=today)
        reference.rank_opportunities(opportunities, business, now=now)

    for function in (load_and_rank, rank_alone):
        _timed(function, warmup)
    warm_cpu: list[float] = []
    warm = _timed(load_and_rank, repetitions, warm_cpu)
    rank = _timed(rank_alone, repetitions)
    # The loop is slow: fewer runs at the larger sizes, after one that makes the rows.
    _timed(python_loop, 1)
    loop = _timed(python_loop, max(3, round(repetitions / 20 / max(factor, 1.0))))
    return {
        "offers": len(offers),
        "opportunities": len(opportunities),
        "build_ms": round(statistics.median(builds), 1),
        "p50_ms": round(percentile(warm, 0.5), 2),
        "p95_ms": round(percentile(warm, 0.95), 2),
        "cpu_p50_ms": round(percentile(warm_cpu, 0.5), 2),
        "cpu_p95_ms": round(percentile(warm_cpu, 0.95), 2),
        "rank_p50_ms": round(percentile(rank, 0.5), 2),
        "rank_p95_ms": round(percentile(rank, 0.95), 2),
        "python_loop_p95_ms": round(percentile(loop, 0.95), 1),
    }


def run(options):
    offers, opportunities = options["offers"], options["opportunities"]
    business = _business()
    made_offers = made_opportunities = 0
    figures = {}
    rows = []
    for seed, (suffix, factor) in enumerate(SIZES, start=1):
        want_offers, want_opportunities = round(offers * factor), round(opportunities * factor)
        start = time.perf_counter()
        create_offers(want_offers - made_offers, seed=seed)
        create_opportunities(want_opportunities - made_opportunities, seed=seed)
        generate_s = round(time.perf_counter() - start, 1)
        made_offers, made_opportunities = want_offers, want_opportunities
        measured = _measure_size(
            business, repetitions=options["repetitions"], warmup=options["warmup"], factor=factor
        )
        measured["generate_s"] = generate_s
        rows.append((suffix or "_at_size", measured))
        for key, value in measured.items():
            figures[f"{key}{suffix}"] = value
    figures["growth_p95_from_tenth"] = round(figures["p95_ms"] / figures["p95_ms_tenth"], 2)
    figures["growth_cpu_p95_from_tenth"] = round(
        figures["cpu_p95_ms"] / max(figures["cpu_p95_ms_tenth"], 0.01), 2
    )
    figures["python_loop_ratio"] = round(figures["python_loop_p95_ms"] / figures["rank_p95_ms"], 1)
    header = (
        f"{'size':<12}{'offers':>9}{'opps':>9}{'build':>10}"
        f"{'p50':>8}{'p95':>8}{'cpu95':>8}{'rank95':>9}{'loop95':>10}{'made (s)':>10}"
    )
    lines = ["Matching: load + rank for one business (ms)", header]
    for name, m in rows:
        lines.append(
            f"{name:<12}{m['offers']:>9}{m['opportunities']:>9}{m['build_ms']:>10}"
            f"{m['p50_ms']:>8}{m['p95_ms']:>8}{m['cpu_p95_ms']:>8}{m['rank_p95_ms']:>9}"
            f"{m['python_loop_p95_ms']:>10}"
            f"{m['generate_s']:>10}"
        )
    return "\n".join(lines), figures
