"""Reads for the results page (the peer benchmark and the previous result of a chain),
the per-council tallies of completed assessments that the dashboards' map reads, and a
completed assessment's results in plain values for the apps above that keep a copy of
them (an advice request's snapshot).

The peer benchmark runs a bounded number of queries however many businesses have used
Waymark: one count per candidate peer group, narrowest first, until one is big enough
(with, in it, the scores below and equal to the business's; each reads only that
group's part of an index), and one query finds the per-dimension medians of the group
chosen. The arithmetic and the disclosure rule are the pure functions of
`diagnostics.peers`; nothing here publishes a figure from fewer than
`disclosure.MIN_GROUP` businesses (`portal.lib.disclosure`, the dashboards' control).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from types import MappingProxyType

from django.db import connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q, Value, Window
from django.db.models.functions import RowNumber

from diagnostics import peers
from diagnostics.definitions import OVERALL, load_definition
from diagnostics.models import Assessment, DimensionScore
from diagnostics.peers import PeerGroup
from portal.lib import disclosure


@dataclass(frozen=True, slots=True)
class PeerBenchmark:
    """Where one business stands among its peers, as the results page shows it.

    `group` is the peer group used (the first, in widening order, with at least 10
    businesses), or None when even the widest has fewer; `size` is how many businesses it
    holds, exactly: publish it only as `shown_size`, a controlled count. `percentile` is
    the mid-rank percentile of the business's overall score in it, and `medians` the
    dimension key → median score (None where fewer than 10 businesses have a score in
    that dimension).
    """

    group: PeerGroup | None
    size: int
    percentile: float | None
    medians: Mapping[str, float | None] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def enough(self) -> bool:
        return self.group is not None and self.size >= disclosure.MIN_GROUP

    @property
    def shown_size(self) -> disclosure.Shown:
        """The group's size as it may be published: rounded to the nearest 5."""
        return disclosure.count(self.size)


def _region_id(region) -> int | None:
    return getattr(region, "pk", region)


def group_filter(group: PeerGroup, *, prefix: str = "") -> Q:
    """The condition on Assessment (or, with a prefix like "assessment__", on a model
    that points to it) for belonging to `group`; a part that is None matches anything."""
    conditions = Q()
    region = _region_id(group.region)
    if region is not None:
        conditions &= Q(**{f"{prefix}region_id": region})
    if group.sic_section:
        conditions &= Q(**{f"{prefix}sic_section": group.sic_section})
    if group.size:
        conditions &= Q(**{f"{prefix}size": group.size})
    return conditions


def peers_of(assessment: Assessment):
    """Every business counted in peer groups for this assessment's questionnaire and major
    version; the business itself is among them once it counts."""
    return Assessment.objects.counted_in_peer_groups(
        questionnaire=assessment.questionnaire, major_version=assessment.major_version
    )


def peer_benchmark(assessment: Assessment) -> PeerBenchmark:
    """The peer benchmark of a completed assessment, in two queries when its narrowest
    group is big enough (most businesses, once a site is in use), three at most.

    The narrowest group is counted alone, from its range of the
    ``assessment_peer_scores`` index (which carries the overall score: the wide rows
    are never read); only when it is too small are the wider groups counted, together
    in one query. Counting every group in one query for every business read every
    business of the widest (the whole country) on each results page."""
    candidates = peers.peer_groups_for(assessment.region, assessment.sic_section, assessment.size)
    score = assessment.overall_score
    everyone = peers_of(assessment)
    counted: list[tuple[PeerGroup, dict]] = []
    for batch in (candidates[:1], candidates[1:]):
        if not batch:
            continue
        tallies = {}
        for number, group in enumerate(batch):
            tallies.update(_tallies(score, in_group=group_filter(group), suffix=f"_{number}"))
        # Read only the rows of the batch's groups (an index range for one group); a
        # group with no condition (the whole UK) is every row ("Q() | q" would be q).
        conditions = [group_filter(group) for group in batch]
        rows = Q() if not all(conditions) else reduce(operator.or_, conditions)
        found = everyone.filter(rows).aggregate(**tallies)
        counted += [
            (
                group,
                {
                    name: found[f"{name}_{number}"]
                    for name in ("total", "below", "equal")
                    if f"{name}_{number}" in found
                },
            )
            for number, group in enumerate(batch)
        ]
        chosen = peers.choose_peer_group([(group, counts["total"]) for group, counts in counted])
        if chosen is not None:
            break
    else:
        return PeerBenchmark(group=None, size=0, percentile=None)
    group, size = chosen
    counts = dict(counted)[group]
    percentile = None
    if score is not None:
        percentile = peers.percentile_from_counts(counts["below"], counts["equal"], size)
    return PeerBenchmark(
        group=group,
        size=size,
        percentile=percentile,
        medians=MappingProxyType(dimension_medians(assessment, group)),
    )


def _tallies(score: float | None, *, in_group: Q, suffix: str) -> dict[str, Count]:
    # Columns of the index, never the key (not in it): the questionnaire is never NULL,
    # so counting it counts the rows; nor is a score compared with the business's.
    tallies = {f"total{suffix}": Count("questionnaire", filter=in_group)}
    if score is not None:
        tallies[f"below{suffix}"] = Count(
            "overall_score", filter=in_group & Q(overall_score__lt=score)
        )
        tallies[f"equal{suffix}"] = Count(
            "overall_score", filter=in_group & Q(overall_score=score)
        )
    return tallies


def dimension_medians(assessment: Assessment, group: PeerGroup) -> dict[str, float | None]:
    """Dimension key → the median score of the group's businesses scored in it (None where
    fewer than the disclosure threshold are), in one query."""
    scores = DimensionScore.objects.filter(
        group_filter(group, prefix="assessment__"),
        assessment__questionnaire=assessment.questionnaire,
        assessment__major_version=assessment.major_version,
        assessment__counts_for_peers=True,
        score__isnull=False,
    )
    if connection.vendor == "postgresql":
        found = _medians_by_percentile_cont(scores)
    else:
        found = _medians_by_row_number(scores)
    return {
        dimension: disclosure.statistic(median, group=count).value
        for dimension, (median, count) in found.items()
    }


class _Median(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(0.5): the median, interpolated
    between the two middle values when the count is even (as peers.median does)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _medians_by_percentile_cont(scores) -> dict[str, tuple[float, int]]:
    rows = (
        scores.order_by()
        .values("dimension")
        .annotate(median=_Median("score"), scored=Count("pk"))
        .values_list("dimension", "median", "scored")
    )
    return {dimension: (median, scored) for dimension, median, scored in rows}


def _medians_by_row_number(scores) -> dict[str, tuple[float, int]]:
    """Portable (SQLite, PostgreSQL): number each dimension's scores in order and keep only
    the middle one or two rows, so the query returns at most 2 rows per dimension."""
    numbered = scores.annotate(
        position=Window(RowNumber(), partition_by=F("dimension"), order_by=F("score").asc()),
        scored=Window(Count("pk"), partition_by=F("dimension")),
    )
    # Integer division: for 11 rows both bounds are 6; for 10 rows they are 5 and 6.
    middle = numbered.filter(
        position__gte=(F("scored") + Value(1)) / Value(2),
        position__lte=(F("scored") + Value(2)) / Value(2),
    ).values_list("dimension", "score", "scored")
    middles: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for dimension, score, scored in middle:
        middles.setdefault(dimension, []).append(score)
        counts[dimension] = scored
    return {
        dimension: (sum(values) / len(values), counts[dimension])
        for dimension, values in middles.items()
    }


def previous_completed(assessment: Assessment) -> Assessment | None:
    """The last completed assessment of the same chain before this one, if any."""
    if assessment.completed is None:
        return None
    return (
        Assessment.objects.completed()
        .filter(chain=assessment.chain, completed__lt=assessment.completed)
        .exclude(pk=assessment.pk)
        .order_by("-completed")
        .only("pk", "public_id", "completed", "result", "overall_score", "version")
        .first()
    )


@dataclass(frozen=True, slots=True)
class CouncilTally:
    """Completed businesses of one council in a period, as raw numbers: what the
    dashboards publish from them goes through portal.lib.disclosure first."""

    businesses: int
    mean_overall: float | None
    weakest_in: int  # of them, those whose weakest dimension is the one asked about


def completed_by_council(
    *, since: datetime.datetime | None = None, weakest: str | None = None
) -> dict[str | None, CouncilTally]:
    """GSS code (None: no council given) → the tally of businesses counted once each
    (their latest completed assessment) whose assessment completed at or after ``since``
    (all time: None), with their mean overall score and how many have ``weakest`` as
    their weakest dimension; one GROUP BY query."""
    completed = Assessment.objects.completed().filter(counts_for_peers=True)
    if since is not None:
        completed = completed.filter(completed__gte=since)
    rows = (
        completed.order_by()
        .values("council__gss_code")
        .annotate(
            businesses=Count("pk"),
            mean_overall=Avg("overall_score"),
            weakest_in=Count("pk", filter=Q(result__weakest=weakest)) if weakest else Value(0),
        )
        .values_list("council__gss_code", "businesses", "mean_overall", "weakest_in")
    )
    return {
        gss_code: CouncilTally(businesses, mean_overall, weakest_in)
        for gss_code, businesses, mean_overall, weakest_in in rows
    }


def business_summary(assessment: Assessment) -> dict:
    """The business profile of an assessment as plain values: its size band, stage and
    SIC section (keys of portal/lib/vocabularies.py, "" when not given) and its stated
    plans ({"key", "label"} each, in the questionnaire's words). No query."""
    plans = []
    chosen = assessment.profile.get("plans") or []
    if chosen:
        definition = load_definition(assessment.questionnaire, assessment.version)
        field_ = definition.profile_fields.get("plans")
        labels = {option.key: str(option.label) for option in field_.options} if field_ else {}
        plans = [{"key": key, "label": labels.get(key, key)} for key in chosen]
    return {
        "size": assessment.size,
        "stage": assessment.stage,
        "sector": assessment.sic_section,
        "plans": plans,
    }


def result_summary(assessment: Assessment) -> dict:
    """A completed assessment's results as plain JSON values: the overall score and band,
    each dimension's score and band (in the questionnaire's order), the weakest dimension
    and the critical flags ({"key", "label"}, in the questionnaire's words). {} for an
    assessment not completed. No query."""
    if not assessment.is_completed or not assessment.result:
        return {}
    definition = load_definition(assessment.questionnaire, assessment.version)
    result = assessment.result
    scores = result.get("dimensions", {})
    bands = result.get("bands", {})
    flagged = set(result.get("flags", ()))
    return {
        "questionnaire": assessment.questionnaire,
        "version": assessment.version,
        "completed": assessment.completed.isoformat() if assessment.completed else "",
        "overall_score": result.get("overall"),
        "overall_band": bands.get(OVERALL) or "",
        "weakest": result.get("weakest") or "",
        "dimensions": [
            {
                "key": dimension.key,
                "score": scores.get(dimension.key),
                "band": bands.get(dimension.key) or "",
            }
            for dimension in definition.dimensions
        ],
        "flags": [
            {"key": flag.key, "label": str(flag.text)}
            for flag in definition.flags
            if flag.key in flagged
        ],
    }
