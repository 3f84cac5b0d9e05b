"""The OCDS import benchmark: a first import of N releases, then a re-import.

python manage.py benchmark ocds_import --releases 20000

Writes a release package of N synthetic releases (``synthetic.write_release_package``)
to a temporary directory, imports it into the throwaway database, then imports the
same file again (every release unchanged). Peak memory (``peak_memory_mb``) is the
process's peak resident set, ``resource.getrusage().ru_maxrss``, Django and all:
tracemalloc would say more precisely what the import allocates, but it slows Python
down several times, so it is not used while timing. Streaming keeps the figure about
flat as the number of releases grows (the file is never read whole): the peak's growth
over the process's size before the imports is taken once the first import has read
2,000 releases (``peak_memory_growth_mb_at_2000``) and after both imports
(``peak_memory_growth_mb``); ``memory_growth_ratio`` is the second over the first.
The re-import's speed is also given as a ratio to the first import's
(``reimport_speedup``), which the machine's speed does not change.
Speed depends on the machine, so the suite also times a constant response through the
web stack in the same run and reports the first import's time per release as a ratio
to it (``ratio_to_constant``: constant-response time / time per release).
"""

import resource
import sys
import tempfile
import time
from pathlib import Path

from django.db import connections

from portal.core.benchmarking import CONSTANT_PATH, measure
from portal.procurement.importing.runs import import_sources
from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.synthetic import write_release_package


def add_arguments(parser):
    parser.add_argument(
        "--releases", type=int, default=20_000, help="synthetic releases to import"
    )


# Where the first import's memory is taken, besides its end.
MEMORY_CHECKPOINT_RELEASES = 2000


def _timed_import(path: Path, on_progress=None) -> tuple[ImportRun, float, float]:
    """The run, its wall-clock seconds and this process's CPU seconds (the database's
    work is not in them: on a busy machine they vary less than the wall clock)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    run = import_sources([str(path)], on_progress=on_progress)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if run.outcome != ImportRun.Outcome.SUCCEEDED:
        raise RuntimeError(f"The benchmark import failed: {run.error}")
    return run, seconds, cpu


def _max_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Kilobytes on Linux, bytes on macOS.
    return rss / 1024**2 if sys.platform == "darwin" else rss / 1024


def run(options):
    count = options["releases"]
    if count < 1:
        raise ValueError("--releases must be at least 1")
    connection = connections["default"]
    with tempfile.TemporaryDirectory(prefix="waymark-ocds-benchmark-") as directory:
        path = write_release_package(Path(directory) / "releases.json", count)
        size_mb = path.stat().st_size / 1024**2
        rss_before = _max_rss_mb()
        checkpoint = min(count, MEMORY_CHECKPOINT_RELEASES)
        rss_at_checkpoint = []

        def take_memory(run: ImportRun) -> None:
            if not rss_at_checkpoint and run.releases_read >= checkpoint:
                rss_at_checkpoint.append(_max_rss_mb())

        first, first_seconds, first_cpu = _timed_import(path, on_progress=take_memory)
        again, again_seconds, again_cpu = _timed_import(path)
        rss_after = _max_rss_mb()
    opportunities = Opportunity.objects.count()
    repetitions, warmup = options["repetitions"], options["warmup"]
    constant = measure("constant", CONSTANT_PATH, repetitions=repetitions, warmup=warmup)
    growth = rss_after - rss_before
    growth_at_checkpoint = rss_at_checkpoint[0] - rss_before
    first_rate = count / first_seconds
    again_rate = count / again_seconds
    figures = {
        "database": connection.vendor,
        "releases": count,
        "file_mb": round(size_mb, 2),
        "opportunities": opportunities,
        "first_import_seconds": round(first_seconds, 3),
        "first_import_cpu_seconds": round(first_cpu, 3),
        "first_import_releases_per_second": round(first_rate, 1),
        "first_import_created": first.created_count,
        "first_import_rejected": first.rejected_count,
        "reimport_seconds": round(again_seconds, 3),
        "reimport_cpu_seconds": round(again_cpu, 3),
        "reimport_releases_per_second": round(again_rate, 1),
        "reimport_unchanged": again.unchanged_count,
        "peak_memory_mb": round(rss_after, 1),
        "peak_memory_measure": "ru_maxrss",
        "peak_memory_growth_mb": round(growth, 1),
        "peak_memory_growth_mb_at_2000": round(growth_at_checkpoint, 1),
        "memory_checkpoint_releases": checkpoint,
        "memory_growth_ratio": round(growth / growth_at_checkpoint, 3)
        if growth_at_checkpoint
        else None,
        "reimport_speedup": round(first_seconds / again_seconds, 2),
        "constant_p50_ms": round(constant.p50_ms, 3),
        "ratio_to_constant": round(constant.p50_ms / (first_seconds * 1000 / count), 4),
    }
    rows = [
        ("import", "releases", "seconds", "releases/s", "created", "unchanged"),
        (
            "first",
            str(count),
            f"{first_seconds:.2f}",
            f"{first_rate:.0f}",
            str(first.created_count),
            str(first.unchanged_count),
        ),
        (
            "again",
            str(count),
            f"{again_seconds:.2f}",
            f"{again_rate:.0f}",
            str(again.created_count),
            str(again.unchanged_count),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    report = "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    report += (
        f"\n\n{count} releases ({size_mb:.1f} MB) on {connection.vendor}; the process "
        f"peaked at {rss_after:.1f} MB resident (ru_maxrss), {growth:.1f} MB more than "
        f"before the imports ({growth_at_checkpoint:.1f} MB more once {checkpoint} "
        f"releases were read); the re-import took {again_seconds / first_seconds:.0%} of "
        f"the first import's time; a constant response takes {constant.p50_ms:.3f} ms"
    )
    return report, figures
