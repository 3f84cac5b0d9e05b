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
The three sets of candidates are kept, and the warm path is timed at the end, in rounds
of a few repetitions at each size in turn, so that the machine's load, when it changes,
falls on every size alike. ``cpu_p50_ms``/``cpu_p95_ms`` are the same load and rank in
this process's CPU time: on a machine busy with other work, wall time also counts the
waits for a processor. Keys at one tenth and ten times carry ``_tenth`` and
``_ten_times``;
``growth_p95_from_tenth`` is p95 at the size over p95 at one tenth (and
``growth_cpu_p95_from_tenth`` the same in CPU time), and
``python_loop_ratio`` the loop's p95 over the vectorised ranking's.
"""

import statistics
import time
from dataclasses import dataclass, field

from django.utils import timezone

from portal.catalogue.synthetic import create_offers
from portal.core.benchmarking import percentile
from portal.matching import candidates, reference
from portal.matching.ranking.offers import rank_offers
from portal.matching.ranking.opportunities import rank_opportunities
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


@dataclass
class _Size:
    """One catalogue size: its candidates and what was measured of it."""

    suffix: str
    factor: float
    offers: object = None
    opportunities: object = None
    generate_s: float = 0.0
    builds: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    warm_cpu: list[float] = field(default_factory=list)
    rank: list[float] = field(default_factory=list)
    loop: list[float] = field(default_factory=list)

    def figures(self) -> dict:
        return {
            "offers": len(self.offers),
            "opportunities": len(self.opportunities),
            "build_ms": round(statistics.median(self.builds), 1),
            "p50_ms": round(percentile(self.warm, 0.5), 2),
            "p95_ms": round(percentile(self.warm, 0.95), 2),
            "cpu_p50_ms": round(percentile(self.warm_cpu, 0.5), 2),
            "cpu_p95_ms": round(percentile(self.warm_cpu, 0.95), 2),
            "rank_p50_ms": round(percentile(self.rank, 0.5), 2),
            "rank_p95_ms": round(percentile(self.rank, 0.95), 2),
            "python_loop_p95_ms": round(percentile(self.loop, 0.95), 1),
            "generate_s": self.generate_s,
        }


def _build_cold(size: _Size) -> None:
    """Three cold builds, or fewer when they take long (at ten times the size)."""
    while len(size.builds) < 3 and sum(size.builds) < 10_000:
        candidates.forget()
        start = time.perf_counter()
        size.offers, size.opportunities = candidates.both()
        size.builds.append((time.perf_counter() - start) * 1000)


def _loads_and_ranks(size: _Size, business: Business, today, now):
    council = business.council_id

    def load_and_rank():
        # What a page does: read the business (one query), check the candidates are
        # current (one round trip to the shared cache), rank both lists.
        Council.objects.filter(pk=council).values_list("pk", flat=True).first()
        recommend(business, today=today, now=now)

    def rank_alone():
        rank_offers(size.offers, business, today=today)
        rank_opportunities(size.opportunities, business, now=now)

    return load_and_rank, rank_alone


def _python_loop(size: _Size, business: Business, today, now, repetitions: int) -> None:
    def python_loop():
        reference.rank_offers(size.offers, business, today=today)
        reference.rank_opportunities(size.opportunities, business, now=now)

    # The loop is slow: fewer runs at the larger sizes, after one that makes the rows.
    _timed(python_loop, 1)
    size.loop = _timed(python_loop, max(3, round(repetitions / 20 / max(size.factor, 1.0))))


def _measure_warm(sizes: list[_Size], business: Business, today, now, *, repetitions, warmup):
    """The warm path at every size, in rounds of a few repetitions at each size in turn
    (its candidates kept as current), so that a change in the machine's load falls on
    every size alike rather than on whichever was measured then."""
    functions = {size.suffix: _loads_and_ranks(size, business, today, now) for size in sizes}
    for size in sizes:
        candidates.keep(size.offers, size.opportunities)
        for function in functions[size.suffix]:
            _timed(function, warmup)
    chunk = max(1, min(20, repetitions // 10))
    done = 0
    while done < repetitions:
        count = min(chunk, repetitions - done)
        for size in sizes:
            load_and_rank, rank_alone = functions[size.suffix]
            candidates.keep(size.offers, size.opportunities)
            size.warm += _timed(load_and_rank, count, size.warm_cpu)
            size.rank += _timed(rank_alone, count)
        done += count


def run(options):
    offers, opportunities = options["offers"], options["opportunities"]
    business = _business()
    today, now = timezone.localdate(), timezone.now()
    made_offers = made_opportunities = 0
    sizes = []
    for seed, (suffix, factor) in enumerate(SIZES, start=1):
        size = _Size(suffix, factor)
        want_offers, want_opportunities = round(offers * factor), round(opportunities * factor)
        start = time.perf_counter()
        create_offers(want_offers - made_offers, seed=seed)
        create_opportunities(want_opportunities - made_opportunities, seed=seed)
        size.generate_s = round(time.perf_counter() - start, 1)
        made_offers, made_opportunities = want_offers, want_opportunities
        _build_cold(size)
        _python_loop(size, business, today, now, options["repetitions"])
        sizes.append(size)
    _measure_warm(
        sizes, business, today, now, repetitions=options["repetitions"], warmup=options["warmup"]
    )
    figures = {}
    rows = []
    for size in sizes:
        measured = size.figures()
        rows.append((size.suffix or "_at_size", measured))
        for key, value in measured.items():
            figures[f"{key}{size.suffix}"] = value
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
