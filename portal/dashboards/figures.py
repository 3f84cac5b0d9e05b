"""The dashboards as published: the raw figures of queries.py, cached in the shared
cache, then every figure about businesses or their use of the portal passed through
portal/lib/disclosure.py, and laid out as tables (each one a chart, a table on the page,
a CSV file and a file of ``export_dashboard``).

Counts of offers (the supply) are counts of public listings, not of businesses, and are
published as they are.

The cache key holds the place, the period (with today's date, since a period ends
today), the filters, whether it is the fuller dashboard, and the "dashboards" and
"offers" data versions (refresh.py raises the first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diagnostics.radar import Radar, radar
from portal.dashboards import platform_queries, published, queries
from portal.dashboards.queries import DIMENSIONS, SCOPES, Filters
from portal.dashboards.refresh import DATA_VERSION
from portal.lib import disclosure, versions
from portal.lib.disclosure import TOTAL, Shown
from portal.lib.vocabularies import Dimension, MaturityLevel, SupportKind
from portal.places.choices import Place, place_choices

CACHE_SECONDS = 60 * 60
PUBLIC_FILTERS = Filters(period=queries.DEFAULT_PERIOD)

NOT_SHOWN = Shown(None, disclosure.STATISTIC)


def _code(place: Place | None) -> str:
    return "uk" if place is None else place.code


def cache_key(place: Place | None, filters: Filters, *, full: bool, today: dt.date) -> str:
    return "waymark:dashboards:{}:{}:{}:{}:{}:{}".format(
        versions.current(DATA_VERSION),
        versions.current("offers"),
        today.isoformat(),
        _code(place),
        filters.key(),
        "full" if full else "public",
    )


def raw_figures(place: Place | None, filters: Filters, *, full: bool) -> dict:
    """The raw figures (plain numbers, never shown as they are), from the cache or built
    in a fixed number of queries."""
    today = timezone.localdate()
    key = cache_key(place, filters, full=full, today=today)
    found = cache.get(key)
    if found is None:
        found = build_raw_figures(place, filters, full=full, today=today)
        cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def build_raw_figures(place: Place | None, filters: Filters, *, full: bool, today) -> dict:
    start = queries.period_start(filters.period)
    uk = queries.place_dimension_statistics(None, filters, start=start)
    here = uk if place is None else queries.place_dimension_statistics(place, filters, start=start)
    raw = {
        "demand": queries.demand(place, filters, start=start),
        "dimensions": here,
        "uk_dimensions": uk,
        "trend": queries.trend(place, filters, start=start),
    }
    if full:
        raw["supply"] = platform_queries.supply(place, today=today)
        raw["use"] = platform_queries.use(place, start=start, today=today)
        raw["advice"] = platform_queries.advice(place, start=start)
    return raw


def warm() -> int:
    """Build the UK's and every region's public figures into the cache: how many."""
    built = 0
    for place in [None, *(group.region for group in place_choices())]:
        raw_figures(place, PUBLIC_FILTERS, full=False)
        built += 1
    return built


# Publishing.


@dataclass
class Table:
    """One published table: ``rows`` of a label then one cell per column after the
    first; a cell is a Shown (a controlled figure) or a plain number (a count of
    listings). ``chart`` is the index of the column drawn as bars (None: no chart)."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: int | None = 1
    note: str = ""
    percent: bool = False
    radar: Radar | None = None  # the dimensions' means here against the UK's

    ROW_HEIGHT = 44
    BAR_WIDTH = 480

    @property
    def chart_height(self) -> int:
        return self.ROW_HEIGHT * len(self.rows) + 4

    @property
    def bars(self) -> list[dict]:
        return self.chart_bars()

    def chart_bars(self, width: int = BAR_WIDTH) -> list[dict]:
        """The bars of the chart: each row's label, its value (None when suppressed),
        its text, its length in pixels out of ``width`` and where it goes."""
        if self.chart is None:
            return []
        values = [_number(row[self.chart]) for row in self.rows]
        largest = max((v for v in values if v is not None), default=0)
        if self.percent:
            largest = max(largest, 100)
        bars = []
        for row, value in zip(self.rows, values, strict=True):
            length = 0 if not value or not largest else max(1, round(width * value / largest))
            top = len(bars) * self.ROW_HEIGHT
            bars.append(
                {
                    "label": row[0],
                    "value": value,
                    "text": str(row[self.chart]),
                    "length": length,
                    "label_y": top + 14,
                    "bar_y": top + 20,
                    "text_x": length + 6,
                    "text_y": top + 35,
                }
            )
        return bars


def _number(cell) -> float | None:
    if isinstance(cell, Shown):
        return cell.value
    if isinstance(cell, int | float):
        return cell
    return None


def percent(part: Shown, whole: Shown) -> Shown:
    """A share worked out from the published (rounded) counts, so it gives nothing away
    that the counts do not; not shown where either is suppressed."""
    if part.suppressed or whole.suppressed or not whole.value:
        return NOT_SHOWN
    return Shown(round(100 * part.value / whole.value), disclosure.STATISTIC)


def _score(value: float | None, group: int) -> Shown:
    shown = disclosure.statistic(None if value is None else round(value, 1), group=group)
    return shown


@dataclass
class Dashboard:
    place: Place | None
    filters: Filters
    full: bool
    tables: list[Table]
    headline: dict

    def table(self, slug: str) -> Table | None:
        for table in self.tables:
            if table.slug == slug:
                return table
        return None


def dashboard(place: Place | None, filters: Filters, *, full: bool) -> Dashboard:
    """The published dashboard of a place."""
    raw = raw_figures(place, filters, full=full)
    return publish(raw, place, filters, full=full)


def publish(raw: dict, place: Place | None, filters: Filters, *, full: bool) -> Dashboard:
    demand = raw["demand"]
    counts = published.counts_of(place, filters)
    completed = counts["bands"][TOTAL]
    headline = {
        "started": counts["started"]["started"],
        "completed": completed,
        "mean_overall": _score(demand["mean_overall"], demand["completed"]),
    }
    tables = []

    bands, bands_total = counts["bands"], counts["bands"][TOTAL]
    tables.append(
        Table(
            "bands",
            _("Businesses by overall maturity"),
            [_("Overall maturity"), _("Businesses"), _("Share (%)")],
            [
                [MaturityLevel(band).label, bands[band], percent(bands[band], bands_total)]
                for band in queries.BANDS
            ],
        )
    )

    here, uk = raw["dimensions"], raw["uk_dimensions"]
    dimension_rows = []
    for dimension in DIMENSIONS:
        mean, median, scored = here.get(dimension, (None, None, 0))
        uk_mean, uk_median, uk_scored = uk.get(dimension, (None, None, 0))
        row = [Dimension(dimension).label, _score(mean, scored), _score(uk_mean, uk_scored)]
        if full:
            row[2:2] = [_score(median, scored)]
            row.append(_score(uk_median, uk_scored))
        dimension_rows.append(row)
    columns = [_("Dimension"), _("Mean score here"), _("Mean score, UK")]
    if full:
        columns = [
            _("Dimension"),
            _("Mean score here"),
            _("Median score here"),
            _("Mean score, UK"),
            _("Median score, UK"),
        ]
    tables.append(
        Table(
            "dimensions",
            _("Scores by dimension, here and across the UK"),
            columns,
            dimension_rows,
            chart=None,
            note=_("Scores are out of 100."),
            radar=_means_radar(dimension_rows, uk_column=3 if full else 2),
        )
    )

    weakest, weakest_total = counts["weakest"], counts["weakest"][TOTAL]
    shares = {d: percent(weakest[d], weakest_total) for d in DIMENSIONS}
    tables.append(
        Table(
            "weakest",
            _("Businesses by their weakest dimension"),
            [_("Weakest dimension"), _("Businesses"), _("Share (%)")],
            [[Dimension(d).label, weakest[d], shares[d]] for d in DIMENSIONS],
        )
    )

    if full:
        tables.append(
            Table(
                "flags",
                _("Critical flags raised"),
                [_("Flag"), _("Businesses")],
                [
                    [label, counts["flags"].get(key, disclosure.SUPPRESSED)]
                    for key, label in queries.flags()
                ],
                note=_("A business may raise several flags."),
            )
        )
        tables.append(
            Table(
                "plans",
                _("What businesses plan to do in the next 12 months"),
                [_("Plan"), _("Businesses")],
                [
                    [label, counts["plans"].get(key, disclosure.SUPPRESSED)]
                    for key, label in queries.plans()
                ],
                note=_("A business may state several plans."),
            )
        )
        tables.extend(_supply_tables(raw["supply"]))
        tables.append(_gap_table(shares, raw["supply"]))
        tables.extend(_use_tables(raw["use"]))
        tables.extend(_advice_tables(raw["advice"]))

    trend_rows = []
    for month, businesses, mean in raw["trend"]:
        shown = counts["months"].get(month.isoformat(), disclosure.SUPPRESSED)
        trend_rows.append([date_format(month, "F Y"), shown, _score(mean, businesses)])
    tables.append(
        Table(
            "trend",
            _("Completed assessments by month"),
            [_("Month"), _("Businesses completing"), _("Mean overall score")],
            trend_rows,
        )
    )
    return Dashboard(place=place, filters=filters, full=full, tables=tables, headline=headline)


def _means_radar(rows: list[list], *, uk_column: int) -> Radar | None:
    """The radar of the mean scores here (column 1) against the UK's, when every
    dimension has both to show (a shape with a gap would mislead)."""
    here = [row[1].value for row in rows]
    uk = [row[uk_column].value for row in rows]
    if None in here or None in uk:
        return None
    return radar([(str(row[0]), str(row[0])) for row in rows], here, uk)


SCOPE_LABELS = {
    "local": lambda: _("Local"),
    "regional": lambda: _("Regional"),
    "national": lambda: _("National"),
}


def _supply_tables(supply: dict) -> list[Table]:
    scope_columns = [SCOPE_LABELS[scope]() for scope in SCOPES]
    note = _(
        "Published, open offers available to businesses here, each counted in its "
        "narrowest area. %(overdue)s of them are overdue for review."
    ) % {"overdue": supply["overdue"]}
    return [
        Table(
            "supply-dimensions",
            _("Support offers by dimension"),
            [_("Dimension"), *scope_columns],
            [
                [Dimension(d).label, *(supply["dimensions"][d, scope] for scope in SCOPES)]
                for d in DIMENSIONS
            ],
            note=note,
        ),
        Table(
            "supply-kinds",
            _("Support offers by kind"),
            [_("Kind of support"), *scope_columns],
            [
                [SupportKind(kind).label, *(supply["kinds"][kind, scope] for scope in SCOPES)]
                for kind in SupportKind.values
            ],
        ),
    ]


def _gap_table(shares: dict[str, Shown], supply: dict) -> Table:
    """For each dimension, the share of businesses whose weakest it is beside the local
    offers addressing it: the largest published share first, then the fewest offers."""
    rows = []
    for d in DIMENSIONS:
        rows.append([Dimension(d).label, shares[d], supply["dimensions"][d, "local"]])
    rows.sort(key=lambda row: (row[1].value is None, -(row[1].value or 0), row[2], row[0]))
    return Table(
        "gap",
        _("Needs and local support: the biggest unmet needs first"),
        [_("Dimension"), _("Businesses whose weakest dimension it is (%)"), _("Local offers")],
        rows,
        percent=True,
    )


def _use_tables(use: dict) -> list[Table]:
    from portal.procurement.cpv import division_choices

    divisions = dict(division_choices())
    kinds = SupportKind.values
    events_note = _(
        "These count clicks, marks and page views, not businesses: nobody's identity is recorded."
    )
    referrals_by_kind, _total = disclosure.series(use["referrals_by_kind"], keys=kinds)
    useful_by_kind, _total = disclosure.series(use["useful_by_kind"], keys=kinds)
    followed = [[title, disclosure.count(clicks)] for _slug, title, clicks in use["followed"]]
    followed = [row for row in followed if not row[1].suppressed]
    division_keys = sorted(set(use["views_by_division"]) | set(use["saved_searches_by_division"]))
    return [
        Table(
            "use-kinds",
            _("Referrals and useful marks by kind of support"),
            [_("Kind of support"), _("Referrals"), _("Marked useful")],
            [[SupportKind(k).label, referrals_by_kind[k], useful_by_kind[k]] for k in kinds],
            note=events_note,
        ),
        Table(
            "use-dimensions",
            _("Referrals and useful marks by dimension"),
            [_("Dimension"), _("Referrals"), _("Marked useful")],
            [
                [
                    Dimension(d).label,
                    disclosure.count(use["referrals_by_dimension"][d]),
                    disclosure.count(use["useful_by_dimension"][d]),
                ]
                for d in DIMENSIONS
            ],
            note=events_note,
        ),
        Table(
            "most-followed",
            _("The most followed offers"),
            [_("Offer"), _("Referrals")],
            followed,
            note=events_note,
        ),
        Table(
            "opportunities",
            _("Contract opportunities: page views and saved searches by CPV division"),
            [_("CPV division"), _("Page views"), _("Saved searches")],
            [
                [
                    f"{code} {divisions.get(code, '')}".strip(),
                    disclosure.count(use["views_by_division"].get(code, 0)),
                    disclosure.count(use["saved_searches_by_division"].get(code, 0)),
                ]
                for code in division_keys
            ],
            note=_("Across the UK: opportunities' views and saved searches are not by place."),
        ),
    ]


def _advice_tables(advice) -> list[Table]:
    """Requests for advice by dimension, and their outcomes by dimension and kind: a
    two-way table controlled with its row and column totals."""
    from portal.advice.choices import OutcomeKind

    note = _(
        "Requests made to advisers through Waymark in the period, by the dimension they "
        "concern, and the outcomes their advisers recorded in it."
    )
    requests, requests_total = disclosure.series(
        advice.requests_by_dimension, keys=list(DIMENSIONS)
    )
    kinds = list(OutcomeKind.values)
    outcomes = disclosure.table(
        {
            (d, kind): advice.outcomes_by_dimension.get(d, {}).get(kind, 0)
            for d in DIMENSIONS
            for kind in kinds
        },
        rows=list(DIMENSIONS),
        columns=kinds,
    )
    outcome_rows = [
        [Dimension(d).label, *(outcomes.cells[d, kind] for kind in kinds), outcomes.row_totals[d]]
        for d in DIMENSIONS
    ]
    outcome_rows.append(
        [_("All dimensions"), *(outcomes.column_totals[k] for k in kinds), outcomes.total]
    )
    return [
        Table(
            "advice-requests",
            _("Requests for advice by dimension"),
            [_("Dimension"), _("Requests")],
            [[Dimension(d).label, requests[d]] for d in DIMENSIONS],
            note=note + " " + _("In all: %(total)s.") % {"total": requests_total},
        ),
        Table(
            "advice-outcomes",
            _("Outcomes of requests for advice by dimension"),
            [_("Dimension"), *(OutcomeKind(kind).label for kind in kinds), _("All outcomes")],
            outcome_rows,
            chart=None,
        ),
    ]
