"""The figures of the council map: one measure for every council, through disclosure
control (portal/lib/disclosure.py) before anything draws them.

- ``completed``: businesses with a completed assessment (each counted once, by its
  latest), the very counts the councils' dashboards publish (published.py: controlled
  along the place hierarchy, so no region's or the UK's figure minus the other
  councils gives away a suppressed council);
- ``mean_score``: their mean overall score (0–100), from at least 10 businesses;
- ``gap``: for one dimension, the share of them whose weakest dimension it is (the
  demand side of the dashboards' gap), a percentage from at least 10 businesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from diagnostics.queries import completed_by_council
from portal.dashboards import published, queries
from portal.dashboards.queries import Filters
from portal.lib import disclosure
from portal.lib.disclosure import Shown
from portal.lib.vocabularies import Dimension

COMPLETED = "completed"
MEAN_SCORE = "mean_score"
GAP = "gap"
MEASURES = {
    COMPLETED: _("Businesses that completed the diagnostic"),
    MEAN_SCORE: _("Mean overall score (0 to 100)"),
    GAP: _("Share of businesses whose weakest area it is"),
}

PERIODS = {
    "3m": (_("Last 3 months"), 3),
    "12m": (_("Last 12 months"), 12),
    "all": (_("All time"), None),
}
DEFAULT_PERIOD = "12m"


@dataclass(frozen=True, slots=True)
class CouncilFigures:
    figures: dict[str, Shown]  # GSS code → the published figure
    uk: Shown  # the same figure for the whole UK


def council_figures(
    *, measure: str, dimension: str | None = None, period: str = "all"
) -> CouncilFigures:
    """Every council's published figure for ``measure`` over ``period`` (a key of
    ``PERIODS``): one query, or the dashboards' own publication of the counts."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure == GAP and dimension not in Dimension.values:
        raise ValueError(f"the gap needs a dimension, not {dimension!r}")
    if measure == COMPLETED:
        figures, uk = published.completed_by_council(Filters(period=period))
        return CouncilFigures(figures=figures, uk=uk)
    since = queries.period_start(period)
    tallies = completed_by_council(since=since, weakest=dimension if measure == GAP else None)
    uk_businesses = sum(tally.businesses for tally in tallies.values())
    councils = {code: tally for code, tally in tallies.items() if code is not None}

    if measure == MEAN_SCORE:
        scored = [tally for tally in tallies.values() if tally.mean_overall is not None]
        uk_mean = (
            sum(tally.mean_overall * tally.businesses for tally in scored)
            / sum(tally.businesses for tally in scored)
            if scored
            else None
        )
        return CouncilFigures(
            figures={
                code: disclosure.statistic(_rounded(tally.mean_overall), group=tally.businesses)
                for code, tally in councils.items()
            },
            uk=disclosure.statistic(_rounded(uk_mean), group=uk_businesses),
        )

    uk_weakest = sum(tally.weakest_in for tally in tallies.values())
    return CouncilFigures(
        figures={
            code: disclosure.statistic(
                _share(tally.weakest_in, tally.businesses), group=tally.businesses
            )
            for code, tally in councils.items()
        },
        uk=disclosure.statistic(_share(uk_weakest, uk_businesses), group=uk_businesses),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
