"""The dashboards' raw figures about businesses (what they need, how they score, the
trend) and the filters and periods every figure shares: aggregate queries over the other
apps' tables, a fixed number per dashboard whatever the data's size, returning plain
numbers (what the platform offers and how it is used: platform_queries.py). Nothing here
is published as it is: portal/dashboards/figures.py passes every figure through
portal/lib/disclosure.py first.

Like the matcher's candidates (portal/matching/candidates.py), this module reads the
other apps' models directly, with ``values``/``aggregate`` and no model instances.

**A business** is an assessment chain (an assessment and its retakes share
``Assessment.chain``; nobody needs an account, so there is no other identity). Each
business is counted once, by its latest completed assessment: the one of its chain
that ``counts_for_peers`` (diagnostics/services.py keeps it so). A period keeps the
businesses whose latest completed assessment falls in it.

**A period** is the last 3 or 12 months, or all time. It starts at local midnight of
the day N calendar months before today: an assessment completed on that first day
counts, one completed the day before does not.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    CharField,
    Count,
    F,
    FloatField,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, RowNumber, TruncMonth
from django.utils import timezone

from diagnostics.definitions import latest_published
from diagnostics.models import Assessment, AssessmentStatus, DimensionScore
from diagnostics.services import DEFAULT_QUESTIONNAIRE
from portal.lib.vocabularies import BusinessSize, Dimension, MaturityLevel, SicSection, Stage
from portal.places.choices import Place

PERIODS = {"3m": 3, "12m": 12, "all": None}
DEFAULT_PERIOD = "12m"

DIMENSIONS = tuple(Dimension.values)
BANDS = tuple(MaturityLevel.values)
SIZES = tuple(BusinessSize.values)
STAGES = tuple(Stage.values)
SECTORS = tuple(SicSection.values)


def plans() -> list[tuple[str, str]]:
    """The stated plans a business can tick: (key, label), from the questionnaire new
    assessments use."""
    definition = latest_published(DEFAULT_QUESTIONNAIRE)
    for field in definition.profile:
        if field.key == "plans":
            return [(option.key, str(option.label)) for option in field.options]
    return []


def flags() -> list[tuple[str, str]]:
    """The critical flags: (key, the flag's first sentence)."""
    definition = latest_published(DEFAULT_QUESTIONNAIRE)
    return [(flag.key, str(flag.text).split(". ")[0].rstrip(".")) for flag in definition.flags]


SCOPES = ("local", "regional", "national")


@dataclass(frozen=True)
class Filters:
    """What a dashboard is of, beside its place: a period and optional profile filters
    (an empty string: any)."""

    period: str = DEFAULT_PERIOD
    size: str = ""
    sector: str = ""
    stage: str = ""

    def key(self) -> str:
        return f"{self.period}:{self.size}:{self.sector}:{self.stage}"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months before (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(period: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Local midnight of the period's first day, or None for all time."""
    months = PERIODS[period]
    if months is None:
        return None
    today = timezone.localdate(now)
    first = months_before(today, months)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def _place_q(place: Place | None, prefix: str = "") -> Q:
    if place is None:
        return Q()
    if place.is_council:
        return Q(**{f"{prefix}council_id": place.council_id})
    return Q(**{f"{prefix}region_id": place.region_id})


def _profile_q(filters: Filters, prefix: str = "") -> Q:
    q = Q()
    if filters.size:
        q &= Q(**{f"{prefix}size": filters.size})
    if filters.sector:
        q &= Q(**{f"{prefix}sic_section": filters.sector})
    if filters.stage:
        q &= Q(**{f"{prefix}stage": filters.stage})
    return q


def counted_q(place: Place | None, filters: Filters, *, start, prefix: str = "") -> Q:
    """The businesses counted: each chain's latest completed assessment, in the place,
    the period and the filters."""
    q = Q(**{f"{prefix}counts_for_peers": True}) & _place_q(place, prefix)
    q &= _profile_q(filters, prefix)
    if start is not None:
        q &= Q(**{f"{prefix}completed__gte": start})
    return q


def _json_list_has(name: str, key: str) -> Q:
    """The JSON list annotated as ``name`` (by ``_extracted``) holds ``key``: jsonb
    containment (``@>``) on PostgreSQL; elsewhere, matched on the list's JSON text (the
    keys are plain words, quoted in the text)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{name}__contains": [key]})
    return Q(**{f"{name}__contains": f'"{key}"'})


def _extracted(queryset, *, group: tuple[str, ...] = (), **fields: str):
    """The rows with each JSON path of ``fields`` (name → path) taken out once, in a
    subquery that the aggregates then read: taking a key out of the stored result is the
    costly part (the document is parsed or walked each time), and a filtered count per
    key would otherwise do it once per count and row. (``distinct()`` on rows that
    include the key changes nothing but makes Django aggregate over the subquery.)"""
    if connection.vendor == "postgresql":
        extracted = {name: F(path) for name, path in fields.items()}
    else:
        extracted = {name: _text(F(path)) for name, path in fields.items()}
    return (
        queryset.order_by()
        .values("pk", "overall_band", "overall_score", *group, **extracted)
        .distinct()
    )


def demand(place: Place | None, filters: Filters, *, start) -> dict:
    """Assessments started (distinct businesses) and businesses completed, their overall
    bands, weakest dimensions, critical flags and stated plans, and the mean overall
    score: two aggregate queries, one over the businesses counted (chosen from their
    index, each one's result read once), one of the businesses that started in the
    period."""
    aggregates = {"n_completed": Count("pk"), "mean_overall": Avg("overall_score")}
    for band in BANDS:
        aggregates[f"band_{band}"] = Count("pk", filter=Q(overall_band=band))
    for dimension in DIMENSIONS:
        aggregates[f"weakest_{dimension}"] = Count("pk", filter=Q(weakest_key=dimension))
    flag_keys = [key for key, _ in flags()]
    plan_keys = [key for key, _ in plans()]
    for flag in flag_keys:
        aggregates[f"flag_{flag}"] = Count("pk", filter=_json_list_has("flag_list", flag))
    for plan in plan_keys:
        aggregates[f"plan_{plan}"] = Count("pk", filter=_json_list_has("plan_list", plan))
    counted = Assessment.objects.filter(counted_q(place, filters, start=start))
    rows = _extracted(
        counted,
        weakest_key="result__weakest",
        flag_list="result__flags",
        plan_list="profile__plans",
    ).aggregate(**aggregates)
    started = Assessment.objects.filter(_place_q(place), _profile_q(filters))
    if start is not None:
        started = started.filter(started__gte=start)
    n_started = started.aggregate(n=Count("chain", distinct=True))["n"]
    return {
        "started": n_started,
        "completed": rows["n_completed"],
        "mean_overall": rows["mean_overall"],
        "bands": {band: rows[f"band_{band}"] for band in BANDS},
        "weakest": {d: rows[f"weakest_{d}"] for d in DIMENSIONS},
        "flags": {flag: rows[f"flag_{flag}"] for flag in flag_keys},
        "plans": {plan: rows[f"plan_{plan}"] for plan in plan_keys},
    }


def demand_by_council(filters: Filters, *, start) -> list[dict]:
    """``demand``'s counts for every council at once (and, where ``council_id`` is None,
    a region's or the UK's businesses with no council): one row per (region_id,
    council_id) with the businesses completed, by band, by weakest dimension, by
    critical flag and by stated plan, those that started, and those completing each
    month. Three queries, whatever the data's size: what the disclosure control needs
    to protect every council's figures along the place hierarchy (figures.py).

    Started and monthly counts are distinct businesses within each council; summed up
    the hierarchy, a business that moved council within a period counts in both."""
    flag_keys = [key for key, _ in flags()]
    plan_keys = [key for key, _ in plans()]
    counted = Assessment.objects.filter(counted_q(None, filters, start=start))
    inner = _extracted(
        counted,
        group=("region_id", "council_id"),
        weakest_key="result__weakest",
        flag_list="result__flags",
        plan_list="profile__plans",
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    columns, params = ["COUNT(*)"], []

    def counting(condition: str, *values) -> None:
        columns.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        params.extend(values)

    for band in BANDS:
        counting("overall_band = %s", band)
    for dimension in DIMENSIONS:
        if connection.vendor == "postgresql":  # the extracted key is a JSON string
            counting("weakest_key = %s::jsonb", f'"{dimension}"')
        else:
            counting("weakest_key = %s", dimension)
    for name, keys in (("flag_list", flag_keys), ("plan_list", plan_keys)):
        for key in keys:
            if connection.vendor == "postgresql":
                counting(f"{name} @> %s::jsonb", f'["{key}"]')
            else:
                counting(f"{name} LIKE %s", f'%"{key}"%')
    sql = (
        f"SELECT region_id, council_id, {', '.join(columns)} "
        f"FROM ({inner_sql}) counted GROUP BY region_id, council_id"
    )
    rows: dict[tuple, dict] = {}

    def row(region_id, council_id) -> dict:
        return rows.setdefault(
            (region_id, council_id),
            {
                "region_id": region_id,
                "council_id": council_id,
                "completed": 0,
                "bands": dict.fromkeys(BANDS, 0),
                "weakest": dict.fromkeys(DIMENSIONS, 0),
                "flags": dict.fromkeys(flag_keys, 0),
                "plans": dict.fromkeys(plan_keys, 0),
                "started": 0,
                "months": {},
            },
        )

    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        for region_id, council_id, completed, *found in cursor.fetchall():
            into = row(region_id, council_id)
            into["completed"] = completed
            for name, keys in (
                ("bands", BANDS),
                ("weakest", DIMENSIONS),
                ("flags", flag_keys),
                ("plans", plan_keys),
            ):
                into[name] = {key: int(n or 0) for key, n in zip(keys, found, strict=False)}
                found = found[len(keys) :]

    started = Assessment.objects.filter(_profile_q(filters))
    if start is not None:
        started = started.filter(started__gte=start)
    for found in (
        started.order_by()
        .values("region_id", "council_id")
        .annotate(n=Count("chain", distinct=True))
    ):
        row(found["region_id"], found["council_id"])["started"] = found["n"]

    q = Q(status=AssessmentStatus.COMPLETED) & _profile_q(filters)
    if start is not None:
        q &= Q(completed__gte=start)
    monthly = (
        Assessment.objects.filter(q)
        .order_by()
        .annotate(month=TruncMonth("completed"))
        .values("region_id", "council_id", "month")
        .annotate(n=Count("chain", distinct=True))
    )
    for found in monthly:
        row(found["region_id"], found["council_id"])["months"][_month(found["month"])] = found["n"]
    return list(rows.values())


def _month(month) -> dt.date:
    if isinstance(month, dt.datetime):
        return timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
    return month


def _text(expression):
    return Cast(expression, output_field=CharField())


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(0.5): the median, interpolated
    between the two middle values when the count is even."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()


def dimension_statistics(q: Q) -> dict[str, tuple[float | None, float | None, int]]:
    """Dimension → (mean, median, businesses scored) over the DimensionScore rows whose
    assessment matches ``q`` (written with the "assessment__" prefix): two queries at
    most, whatever the size."""
    return _statistics(DimensionScore.objects.filter(q, score__isnull=False).order_by())


def place_dimension_statistics(
    place: Place | None, filters: Filters, *, start
) -> dict[str, tuple[float | None, float | None, int]]:
    """``dimension_statistics`` of the businesses counted in the place, period and
    filters, written for speed: the counted assessments are chosen first, from their
    own index (``assessment_dashboards``, read without the wide rows), then their scores
    taken by ``assessment_id``. Two queries at most."""
    counted = Assessment.objects.filter(counted_q(place, filters, start=start)).values("pk")
    scores = DimensionScore.objects.filter(
        assessment_id__in=Subquery(counted), score__isnull=False
    )
    return _statistics(scores.order_by())


def _statistics(scores) -> dict[str, tuple[float | None, float | None, int]]:
    found: dict[str, tuple[float | None, float | None, int]] = {}
    if connection.vendor == "postgresql":
        # Filtered aggregates in one pass rather than GROUP BY dimension: the grouping
        # sorted every score by dimension first (on disk, at scale), then each median
        # sorted its group again; now each median sorts only its own scores.
        aggregates = {}
        for dimension in DIMENSIONS:
            only = Q(dimension=dimension)
            aggregates[f"mean_{dimension}"] = Avg("score", filter=only)
            aggregates[f"median_{dimension}"] = Median("score", filter=only)
            aggregates[f"scored_{dimension}"] = Count("pk", filter=only)
        row = scores.aggregate(**aggregates)
        for dimension in DIMENSIONS:
            if row[f"scored_{dimension}"]:
                found[dimension] = (
                    row[f"mean_{dimension}"],
                    row[f"median_{dimension}"],
                    row[f"scored_{dimension}"],
                )
        return found
    means = {
        row["dimension"]: (row["mean"], row["scored"])
        for row in scores.values("dimension").annotate(mean=Avg("score"), scored=Count("pk"))
    }
    medians = _medians_by_row_number(scores)
    for dimension, (mean, scored) in means.items():
        found[dimension] = (mean, medians.get(dimension), scored)
    return found


def _medians_by_row_number(scores) -> dict[str, float]:
    """Portable (SQLite, PostgreSQL): number each dimension's scores in order and keep
    only the middle one or two rows, so the query returns at most 2 rows per dimension."""
    numbered = scores.annotate(
        position=Window(RowNumber(), partition_by=F("dimension"), order_by=F("score").asc()),
        scored=Window(Count("pk"), partition_by=F("dimension")),
    )
    middle = numbered.filter(
        position__gte=(F("scored") + Value(1)) / Value(2),
        position__lte=(F("scored") + Value(2)) / Value(2),
    ).values_list("dimension", "score")
    middles: dict[str, list[float]] = defaultdict(list)
    for dimension, score in middle:
        middles[dimension].append(score)
    return {dimension: sum(values) / len(values) for dimension, values in middles.items()}


def trend(place: Place | None, filters: Filters, *, start) -> list[tuple[dt.date, int, float]]:
    """(month, businesses completing an assessment that month, their mean overall score),
    oldest first: every completed assessment counts in its month, each chain once a
    month. One query."""
    q = Q(status=AssessmentStatus.COMPLETED) & _place_q(place) & _profile_q(filters)
    if start is not None:
        q &= Q(completed__gte=start)
    rows = (
        Assessment.objects.filter(q)
        .order_by()
        .annotate(month=TruncMonth("completed"))
        .values("month")
        .annotate(businesses=Count("chain", distinct=True), mean=Avg("overall_score"))
        .order_by("month")
    )
    result = []
    for row in rows:
        result.append((_month(row["month"]), row["businesses"], row["mean"]))
    return result
