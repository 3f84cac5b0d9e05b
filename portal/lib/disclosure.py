"""Disclosure control: every figure about businesses passes through here before a
template, a CSV, the map or a chart shows it (DESIGN.md; issue 14).

- Counts under ``SUPPRESS_BELOW`` (10) are suppressed, shown as "fewer than 10" and
  never as a number; zero too. Other counts are rounded to the nearest ``ROUND_TO`` (5).
- Means, medians and percentages come only from groups of at least ``MIN_GROUP`` (10)
  businesses.
- Secondary suppression: a suppressed cell's exact count cannot be worked out from its
  table's row or column totals (``table``), nor along the place hierarchy from the same
  figure at the wider place minus its other parts (``places``).
- Counts are of distinct businesses (each business's latest completed assessment): the
  callers count that way; this module only sees the numbers.

The API below is what the dashboards, the map, the CSVs and the diagnostic's peer
benchmark use. NOTE: the primary rules are implemented; secondary suppression (in
``table`` and ``places``) is being completed on its own branch.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

SUPPRESS_BELOW = 10
ROUND_TO = 5
MIN_GROUP = 10

COUNT = "count"
STATISTIC = "statistic"


@dataclass(frozen=True)
class Shown:
    """A published figure: its value (a rounded count, or a statistic), or suppressed
    (``value`` None)."""

    value: int | float | None
    kind: str = COUNT

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return _("fewer than 10") if self.kind == COUNT else _("not enough data")
        return str(self.value)

    def csv_value(self) -> str | int | float:
        """What a CSV cell holds: the number, or the words for a suppressed one."""
        return str(self) if self.value is None else self.value


SUPPRESSED = Shown(None, COUNT)


def rounded(n: int) -> int:
    """``n`` to the nearest ``ROUND_TO``, halves up (12 → 10, 13 → 15)."""
    return int((Decimal(n) / ROUND_TO).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * ROUND_TO


def count(n: int) -> Shown:
    """One count on its own (primary suppression and rounding only)."""
    if n < SUPPRESS_BELOW:
        return SUPPRESSED
    return Shown(rounded(n), COUNT)


def statistic(value: float | None, *, group: int) -> Shown:
    """A mean, median or percentage of a group of ``group`` businesses: shown only for
    groups of at least ``MIN_GROUP``."""
    if value is None or group < MIN_GROUP:
        return Shown(None, STATISTIC)
    return Shown(value, STATISTIC)


@dataclass(frozen=True)
class Table:
    """A two-way table of counts as published: every cell and total a ``Shown``."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], Shown]
    row_totals: dict[str, Shown]
    column_totals: dict[str, Shown]
    total: Shown


def table(
    counts: Mapping[tuple[str, str], int], *, rows: Sequence[str], columns: Sequence[str]
) -> Table:
    """The table of ``counts`` (missing cells are 0) with its row, column and grand
    totals, each cell and total controlled: primary suppression and rounding, then
    secondary suppression so no suppressed cell can be solved from a total."""
    cells = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    row_sums = {r: sum(cells[r, c] for c in columns) for r in rows}
    column_sums = {c: sum(cells[r, c] for r in rows) for c in columns}
    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        cells={key: count(value) for key, value in cells.items()},
        row_totals={r: count(v) for r, v in row_sums.items()},
        column_totals={c: count(v) for c, v in column_sums.items()},
        total=count(sum(cells.values())),
    )


def series(counts: Mapping[str, int], *, keys: Sequence[str]) -> tuple[dict[str, Shown], Shown]:
    """A one-way table (a bar chart's bars) with its total, controlled as ``table``."""
    published = table({(key, ""): counts.get(key, 0) for key in keys}, rows=keys, columns=[""])
    return {key: published.cells[key, ""] for key in keys}, published.total


def places(parts: Mapping[str, int], whole: int) -> tuple[dict[str, Shown], Shown]:
    """The same figure for a wider place (``whole``: a region, the UK) and for each of
    its parts (its councils), controlled so that no suppressed part can be worked out as
    the whole minus the other parts."""
    return {key: count(value) for key, value in parts.items()}, count(whole)
