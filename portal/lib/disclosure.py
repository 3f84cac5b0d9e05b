"""Disclosure control: every figure about businesses passes through here before a
template, a CSV, the map or a chart shows it (DESIGN.md; issue 14).

- Counts under ``SUPPRESS_BELOW`` (10) are suppressed, shown as "fewer than 10" and
  never as a number; zero too. Other counts are rounded to the nearest ``ROUND_TO`` (5).
- Means, medians and percentages come only from groups of at least ``MIN_GROUP`` (10)
  businesses.
- Secondary suppression: a suppressed cell's exact count cannot be worked out from its
  table's row or column totals (``table``, ``series``), nor along the place hierarchy
  from the same figure at the wider place minus its other parts (``places``). A count
  suppressed only to protect another is "withheld" (it is not under 10, so it is not
  shown as "fewer than 10").
- Counts are of distinct businesses (each business's latest completed assessment): the
  callers count that way; this module only sees the numbers.

How secondary suppression decides (``_Protection``): a table with its totals is a flow
network (source → row → column → sink, the grand total closing the circuit), each
figure an arc. What a reader knows of each figure bounds its arc: a published count
``v`` came from ``max(10, v − 2) … v + 2``, a "fewer than 10" from ``0 … 9``, a
"withheld" from ``10`` up. The tables a reader cannot tell apart from the true one are
the integer circulations within those bounds (the constraint matrix is a network
matrix, so integer and real feasibility agree). A suppressed figure can be worked out
exactly if and only if no such table gives it another value, that is if no cycle of the
residual network of the true table passes through its arc (other than the arc and its
own reverse). While one can, the smallest published figure beside it (its row, its
column or a total) is withheld as well, preferring one that frees it. Withholding only
widens bounds, so a figure once safe stays safe and the loop ends.
"""

from collections.abc import Collection, Mapping, Sequence
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
    (``value`` None). ``withheld`` marks a count suppressed only to protect another
    (secondary suppression): it is not under 10."""

    value: int | float | None
    kind: str = COUNT
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            if self.kind != COUNT:
                return _("not enough data")
            return _("withheld") if self.withheld else _("fewer than 10")
        return str(self.value)

    def csv_value(self) -> str | int | float:
        """What a CSV cell holds: the number, or the words for a suppressed one."""
        return str(self) if self.value is None else self.value


SUPPRESSED = Shown(None, COUNT)
WITHHELD = Shown(None, COUNT, withheld=True)


def rounded(n: int) -> int:
    """``n`` to the nearest ``ROUND_TO``, halves up (12 → 10, 13 → 15)."""
    return int((Decimal(n) / ROUND_TO).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * ROUND_TO


def rounding_range(value: int) -> tuple[int, int]:
    """The counts that ``rounded`` turns into ``value`` (10 → 8 … 12)."""
    return value - ROUND_TO // 2, value + (ROUND_TO - 1) // 2


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


# Secondary suppression ------------------------------------------------------------------

_PUBLISHED, _PRIMARY, _SECONDARY, _HIDDEN = range(4)
_UNBOUNDED = 1 << 62


class _Protection:
    """The figures of one published table as arcs of a flow network (see the module's
    docstring); ``protect`` withholds published arcs until no suppressed arc is pinned."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.truths: list[int] = []
        self.states: list[int] = []
        self.nodes = 0

    def node(self) -> int:
        self.nodes += 1
        return self.nodes - 1

    def arc(self, tail: int, head: int, truth: int, *, hidden: bool = False) -> int:
        """An arc for a figure with the count ``truth``; ``hidden`` for a sum that is not
        published at all (a reader knows nothing of it)."""
        self.tails.append(tail)
        self.heads.append(head)
        self.truths.append(truth)
        state = _HIDDEN if hidden else _PRIMARY if truth < SUPPRESS_BELOW else _PUBLISHED
        self.states.append(state)
        return len(self.truths) - 1

    def suppress(self, arc: int) -> None:
        if self.states[arc] == _PUBLISHED:
            self.states[arc] = _SECONDARY

    def bounds(self, arc: int) -> tuple[int, int]:
        """What a reader knows of the figure, from what is published."""
        state = self.states[arc]
        if state == _PUBLISHED:
            low, high = rounding_range(rounded(self.truths[arc]))
            return max(low, SUPPRESS_BELOW), high
        if state == _PRIMARY:
            return 0, SUPPRESS_BELOW - 1
        if state == _SECONDARY:
            return SUPPRESS_BELOW, _UNBOUNDED
        return 0, _UNBOUNDED

    def _residual(self) -> tuple[list[int], dict[tuple[int, int], int]]:
        """Each node's residual neighbours as a bit set, and how many residual arcs join
        each ordered pair of nodes (arcs may be parallel)."""
        reach = [0] * self.nodes
        multiplicity: dict[tuple[int, int], int] = {}
        for arc, truth in enumerate(self.truths):
            low, high = self.bounds(arc)
            tail, head = self.tails[arc], self.heads[arc]
            for can, start, end in ((truth < high, tail, head), (truth > low, head, tail)):
                if can:
                    reach[start] |= 1 << end
                    multiplicity[start, end] = multiplicity.get((start, end), 0) + 1
        return reach, multiplicity

    def pinned(self, arc: int, residual) -> bool:
        """Whether a reader can work out the arc's count exactly."""
        reach, multiplicity = residual
        truth = self.truths[arc]
        low, high = self.bounds(arc)
        tail, head = self.tails[arc], self.heads[arc]
        up, down = truth < high, truth > low
        # The arc's own residual arcs do not count: going along one and back is no change.
        own = set()
        if up and multiplicity[tail, head] == 1:
            own.add((tail, head))
        if down and multiplicity[head, tail] == 1:
            own.add((head, tail))
        if up and _reaches(reach, own, head, tail):
            return False
        return not (down and _reaches(reach, own, tail, head))

    def protect(self, suppressible: Sequence[Collection[int]]) -> None:
        """Withhold published arcs until no suppressed arc is pinned. ``suppressible[a]``
        are the arcs beside arc ``a`` to try first (its row's and column's figures)."""
        pending = [a for a, state in enumerate(self.states) if state in (_PRIMARY, _SECONDARY)]
        if not pending or _PUBLISHED not in self.states:
            return  # nothing to protect, or nothing left to withhold
        residual = self._residual()
        while pending:
            arc = pending.pop(0)
            if not self.pinned(arc, residual):
                continue
            published = [a for a in suppressible[arc] if self.states[a] == _PUBLISHED]
            if not published:
                published = [a for a, s in enumerate(self.states) if s == _PUBLISHED]
            if not published:
                break  # everything is suppressed already
            published.sort(key=lambda a: (self.truths[a], a))
            chosen = published[0]
            for candidate in published:
                self.suppress(candidate)
                frees = not self.pinned(arc, self._residual())
                self.states[candidate] = _PUBLISHED
                if frees:
                    chosen = candidate
                    break
            self.suppress(chosen)
            residual = self._residual()
            pending.insert(0, arc)
            pending.append(chosen)

    def shown(self, arc: int) -> Shown:
        state = self.states[arc]
        if state == _PRIMARY:
            return SUPPRESSED
        if state == _SECONDARY:
            return WITHHELD
        return Shown(rounded(self.truths[arc]), COUNT)


def _reaches(reach: list[int], skip: set[tuple[int, int]], start: int, goal: int) -> bool:
    """Whether ``goal`` can be reached from ``start`` along residual arcs, leaving out the
    node pairs in ``skip``."""
    seen = 1 << start
    frontier = [start]
    while frontier:
        node = frontier.pop()
        neighbours = reach[node]
        for tail, head in skip:
            if tail == node:
                neighbours &= ~(1 << head)
        new = neighbours & ~seen
        if new >> goal & 1:
            return True
        seen |= new
        while new:
            low = new & -new
            frontier.append(low.bit_length() - 1)
            new ^= low
    return False


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
    counts: Mapping[tuple[str, str], int],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    row_totals_published: bool = True,
    suppress: Collection[tuple[str, str]] = (),
    suppress_total: bool = False,
) -> Table:
    """The table of ``counts`` (missing cells are 0) with its row, column and grand
    totals, each cell and total controlled: primary suppression and rounding, then
    secondary suppression so no suppressed cell can be solved from a total.

    ``row_totals_published=False`` is for a table whose row totals are not shown (a
    one-way table); they are then left out of what a reader is assumed to know.
    ``suppress`` (cells) and ``suppress_total`` withhold figures already withheld
    elsewhere (along the place hierarchy): the rest of the table then protects them too."""
    cells = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    network = _Protection()
    source, sink = network.node(), network.node()
    row_nodes = {r: network.node() for r in rows}
    column_nodes = {c: network.node() for c in columns}
    row_arcs = {
        r: network.arc(
            source,
            row_nodes[r],
            sum(cells[r, c] for c in columns),
            hidden=not row_totals_published,
        )
        for r in rows
    }
    cell_arcs = {
        (r, c): network.arc(row_nodes[r], column_nodes[c], cells[r, c])
        for r in rows
        for c in columns
    }
    column_arcs = {
        c: network.arc(column_nodes[c], sink, sum(cells[r, c] for r in rows)) for c in columns
    }
    total_arc = network.arc(sink, source, sum(cells.values()))
    for key in suppress:
        network.suppress(cell_arcs[key])
    if suppress_total:
        network.suppress(total_arc)
        if len(columns) == 1:  # the one column's total is the grand total
            network.suppress(column_arcs[columns[0]])
        if len(rows) == 1 and row_totals_published:
            network.suppress(row_arcs[rows[0]])

    beside: list[Collection[int]] = [()] * len(network.truths)
    for (r, c), arc in cell_arcs.items():
        beside[arc] = (
            [cell_arcs[r, other] for other in columns if other != c]
            + [cell_arcs[other, c] for other in rows if other != r]
            + [row_arcs[r], column_arcs[c]]
        )
    for r, arc in row_arcs.items():
        beside[arc] = (
            [cell_arcs[r, c] for c in columns]
            + [row_arcs[other] for other in rows if other != r]
            + [total_arc]
        )
    for c, arc in column_arcs.items():
        beside[arc] = (
            [cell_arcs[r, c] for r in rows]
            + [column_arcs[other] for other in columns if other != c]
            + [total_arc]
        )
    beside[total_arc] = list(row_arcs.values()) + list(column_arcs.values())
    network.protect(beside)

    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        cells={key: network.shown(arc) for key, arc in cell_arcs.items()},
        row_totals={r: network.shown(arc) for r, arc in row_arcs.items()},
        column_totals={c: network.shown(arc) for c, arc in column_arcs.items()},
        total=network.shown(total_arc),
    )


def series(
    counts: Mapping[str, int],
    *,
    keys: Sequence[str],
    suppress: Collection[str] = (),
    suppress_total: bool = False,
) -> tuple[dict[str, Shown], Shown]:
    """A one-way table (a bar chart's bars) with its total, controlled as ``table``."""
    published = table(
        {(key, ""): counts.get(key, 0) for key in keys},
        rows=keys,
        columns=[""],
        row_totals_published=False,
        suppress=[(key, "") for key in suppress],
        suppress_total=suppress_total,
    )
    return {key: published.cells[key, ""] for key in keys}, published.total


def places(
    parts: Mapping[str, int],
    whole: int,
    *,
    suppress: Collection[str] = (),
    suppress_whole: bool = False,
) -> tuple[dict[str, Shown], Shown]:
    """The same figure for a wider place (``whole``: a region, the UK) and for each of
    its parts (its councils), controlled so that no suppressed part can be worked out as
    the whole minus the other parts.

    The whole may count more than its parts (businesses with no council); that
    remainder is not published, so a reader knows only that it is not negative (when
    there is none, a reader is assumed to know the parts make up the whole).
    ``suppress`` and ``suppress_whole`` withhold figures already withheld at another
    level of the hierarchy (a region withheld among the UK's regions stays withheld over
    its own councils)."""
    rest = whole - sum(parts.values())
    if rest < 0:
        raise ValueError(f"the whole ({whole}) counts fewer than its parts")
    network = _Protection()
    source, sink = network.node(), network.node()
    part_arcs = {key: network.arc(source, sink, value) for key, value in parts.items()}
    if rest:
        network.arc(source, sink, rest, hidden=True)
    whole_arc = network.arc(sink, source, whole)
    for key in suppress:
        network.suppress(part_arcs[key])
    if suppress_whole:
        network.suppress(whole_arc)
    everything = [*part_arcs.values(), whole_arc]
    network.protect([everything] * len(network.truths))
    return {key: network.shown(arc) for key, arc in part_arcs.items()}, network.shown(whole_arc)


TOTAL = "total"


def hierarchy(
    counts: Mapping[str, Mapping[str, int]],
    families: Mapping[str, Sequence[str]],
    *,
    keys: Sequence[str],
    totalled: bool,
    withheld: Mapping[str, Collection[str]] | None = None,
) -> dict[str, dict[str, Shown]]:
    """The same figures published for every place of a hierarchy (the UK, its regions,
    their councils), controlled within each place and along the hierarchy together.

    ``counts`` maps each place to its counts by key; ``families`` each wider place to
    its parts (a wider place may count more than its parts: businesses with no council).
    With ``totalled`` each place's figures are a one-way table with its total
    (``TOTAL``; missing from ``counts``, the sum of the keys), controlled as ``series``;
    without, each figure is a count on its own. ``withheld`` (place → keys) are figures
    withheld already, in another table that publishes the same count.

    Each place's own figures are controlled first; then, for each family and key, no
    suppressed part may be worked out as the whole minus the other parts (``places``);
    a figure withheld there is withheld in its own place's table too, which may withhold
    more of it; repeated until nothing changes (withholding only widens what a reader
    knows, so it ends). Returns each place's published figures by key (and ``TOTAL``)."""
    every_key = [*keys, TOTAL] if totalled else list(keys)
    forced: dict[str, set[str]] = {place: set((withheld or {}).get(place, ())) for place in counts}

    def value(place: str, key: str) -> int:
        found = counts[place]
        if key == TOTAL and key not in found:
            return sum(found.get(k, 0) for k in keys)
        return found.get(key, 0)

    # Many places have the same figures (every council with no business yet): each
    # table and each family's control is worked out once for the same inputs.
    own_seen: dict[tuple, dict[str, Shown]] = {}
    places_seen: dict[tuple, tuple[dict[str, Shown], Shown]] = {}

    def own(place: str) -> dict[str, Shown]:
        key = (tuple(value(place, k) for k in keys), frozenset(forced[place]))
        if key not in own_seen:
            own_seen[key] = _own(place)
        return own_seen[key]

    def _own(place: str) -> dict[str, Shown]:
        if totalled:
            shown, total = series(
                counts[place],
                keys=keys,
                suppress=forced[place] - {TOTAL},
                suppress_total=TOTAL in forced[place],
            )
            return {**shown, TOTAL: total}
        return {
            key: WITHHELD
            if key in forced[place] and value(place, key) >= SUPPRESS_BELOW
            else count(value(place, key))
            for key in keys
        }

    published = {place: own(place) for place in counts}
    while True:
        changed: set[str] = set()
        for whole, parts in families.items():
            for key in every_key:
                values = tuple(value(part, key) for part in parts)
                suppressed = tuple(published[part][key].suppressed for part in parts)
                whole_suppressed = published[whole][key].suppressed
                if not whole_suppressed and not any(suppressed):
                    continue  # nothing suppressed: nothing to work out
                memo = (values, value(whole, key), suppressed, whole_suppressed)
                if memo not in places_seen:
                    places_seen[memo] = places(
                        dict(enumerate(values)),
                        value(whole, key),
                        suppress=[n for n, hidden in enumerate(suppressed) if hidden],
                        suppress_whole=whole_suppressed,
                    )
                shown_parts, shown_whole = places_seen[memo]
                shown = {part: shown_parts[n] for n, part in enumerate(parts)}
                for place, figure in [*shown.items(), (whole, shown_whole)]:
                    if figure.suppressed and not published[place][key].suppressed:
                        forced[place].add(key)
                        changed.add(place)
        if not changed:
            return published
        for place in changed:
            published[place] = own(place)
