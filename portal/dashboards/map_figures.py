"""The figures of the council map: one measure for every council, through disclosure
control (portal/lib/disclosure.py) before anything draws them.

- ``completed``: businesses with a completed assessment (each counted once, by its
  latest), published as counts with ``disclosure.places`` against the UK total, so the
  UK figure minus the other councils cannot give away a suppressed council;
- ``mean_score``: their mean overall score (0–100), from at least 10 businesses;
- ``gap``: for one dimension, the share of them whose weakest dimension it is (the
  demand side of the dashboards' gap), a percentage from at least 10 businesses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnostics.queries import completed_by_council
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


def period_start(period: str, *, now: datetime.datetime | None = None):
    """The first moment of ``period`` ("3m", "12m": that many months back to the same
    day, from midnight; "all": None)."""
    months = PERIODS[period][1]
    if months is None:
        return None
    now = timezone.localtime(now or timezone.now())
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # The same day of the month, or the month's last day when it has fewer.
    day = now.day
    while True:
        try:
            start = now.replace(year=year, month=month, day=day)
            break
        except ValueError:
            day -= 1
    return start.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class CouncilFigures:
    figures: dict[str, Shown]  # GSS code → the published figure
    uk: Shown  # the same figure for the whole UK


def council_figures(
    *, measure: str, dimension: str | None = None, since: datetime.datetime | None = None
) -> CouncilFigures:
    """Every council's published figure for ``measure`` (one query)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure == GAP and dimension not in Dimension.values:
        raise ValueError(f"the gap needs a dimension, not {dimension!r}")
    tallies = completed_by_council(since=since, weakest=dimension if measure == GAP else None)
    uk_businesses = sum(tally.businesses for tally in tallies.values())
    councils = {code: tally for code, tally in tallies.items() if code is not None}

    if measure == COMPLETED:
        figures, uk = disclosure.places(
            {code: tally.businesses for code, tally in councils.items()}, uk_businesses
        )
        return CouncilFigures(figures=figures, uk=uk)

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
