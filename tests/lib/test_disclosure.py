"""Disclosure control (portal/lib/disclosure.py): the primary rules, and secondary
suppression checked by solving for every suppressed figure.

The solver here is independent of the module's: a plain search over every integer table
consistent with what is published (a count ``v`` came from ``max(10, v − 2) … v + 2``,
"fewer than 10" from ``0 … 9``, "withheld" from ``10`` up), asking whether some such
table gives a suppressed figure another value than the true one.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.lib.disclosure import (
    MIN_GROUP,
    ROUND_TO,
    SUPPRESS_BELOW,
    SUPPRESSED,
    TOTAL,
    Shown,
    count,
    hierarchy,
    places,
    rounded,
    series,
    statistic,
    table,
)

# Small counts and zeros are the interesting ones; a few larger ones make totals publishable.
counts = st.one_of(st.integers(0, 12), st.integers(0, 40), st.just(0))


# The brute-force solver -----------------------------------------------------------------


def known_range(shown: Shown, cap: int) -> tuple[int, int]:
    """What a reader knows of a count from how it is shown (withheld counts capped at
    ``cap``, which only makes the solver find fewer tables, never wrong ones)."""
    if not shown.suppressed:
        low = shown.value - ROUND_TO // 2
        return max(low, SUPPRESS_BELOW), shown.value + (ROUND_TO - 1) // 2
    if shown.withheld:
        return SUPPRESS_BELOW, cap
    return 0, SUPPRESS_BELOW - 1


def satisfiable(domains, sums) -> bool:
    """Whether integers within ``domains`` (variable → (low, high)) exist whose sums over
    each ``sums`` entry (variables, low, high) are within its bounds."""
    order = sorted(domains)
    position = {variable: index for index, variable in enumerate(order)}
    by_variable = {variable: [] for variable in order}
    for constraint in sums:
        for variable in constraint[0]:
            by_variable[variable].append(constraint)
    value = {}

    def consistent(constraint, upto):
        variables, low, high = constraint
        fixed = sum(value[v] for v in variables if position[v] <= upto)
        rest = [domains[v] for v in variables if position[v] > upto]
        return fixed + sum(r[0] for r in rest) <= high and fixed + sum(r[1] for r in rest) >= low

    def search(index):
        if index == len(order):
            return True
        variable = order[index]
        low, high = domains[variable]
        for candidate in range(low, high + 1):
            value[variable] = candidate
            if all(consistent(c, index) for c in by_variable[variable]) and search(index + 1):
                return True
        return False

    if any(low > high for low, high in domains.values()):
        return False
    if not all(consistent(c, -1) for c in sums):
        return False
    return search(0)


def recoverable(figures, cap, *, beyond=None):
    """The suppressed figures a reader can work out exactly. ``figures`` maps a name to
    (the cells it sums, its true count, how it is shown); the cells are the names of the
    figures that are single cells. ``beyond`` maps a figure to what the reader knows of
    the count it holds beyond its cells, (low, high) (a wider place's businesses with no
    council); by default exactly 0."""
    beyond = beyond or {}

    def sum_bounds(name, low, high):
        extra_low, extra_high = beyond.get(name, (0, 0))
        return low - extra_high, high - extra_low

    cells = {
        name: known_range(shown, cap)
        for name, (parts, _truth, shown) in figures.items()
        if parts == (name,)
    }
    sums = [
        (parts, *sum_bounds(name, *known_range(shown, cap)))
        for name, (parts, _truth, shown) in figures.items()
        if parts != (name,)
    ]
    exact = []
    for name, (parts, truth, shown) in figures.items():
        if not shown.suppressed:
            continue
        low, high = known_range(shown, cap)
        others = sorted(
            (k for k in range(low, high + 1) if k != truth), key=lambda k: abs(k - truth)
        )
        if not any(satisfiable(cells, [*sums, (parts, *sum_bounds(name, k, k))]) for k in others):
            exact.append(name)
    return exact


def assert_primary_rules(shown_figures, truths):
    for shown, truth in zip(shown_figures, truths, strict=True):
        if truth < SUPPRESS_BELOW:
            assert shown.suppressed and not shown.withheld
        if not shown.suppressed:
            assert shown.value >= SUPPRESS_BELOW
            assert shown.value % ROUND_TO == 0
            assert shown.value == rounded(truth)


def table_figures(grid, published):
    rows, columns = range(len(grid)), range(len(grid[0]))
    figures = {}
    for r in rows:
        for c in columns:
            figures[f"cell {r} {c}"] = ((f"cell {r} {c}",), grid[r][c], published.cells[r, c])
    for r in rows:
        figures[f"row {r}"] = (
            tuple(f"cell {r} {c}" for c in columns),
            sum(grid[r]),
            published.row_totals[r],
        )
    for c in columns:
        figures[f"column {c}"] = (
            tuple(f"cell {r} {c}" for r in rows),
            sum(grid[r][c] for r in rows),
            published.column_totals[c],
        )
    figures["total"] = (
        tuple(f"cell {r} {c}" for r in rows for c in columns),
        sum(map(sum, grid)),
        published.total,
    )
    return figures


def publish_grid(grid):
    rows, columns = range(len(grid)), range(len(grid[0]))
    return table(
        {(r, c): grid[r][c] for r in rows for c in columns}, rows=list(rows), columns=list(columns)
    )


grids = st.integers(1, 3).flatmap(
    lambda width: st.lists(
        st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=3
    )
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Properties -------------------------------------------------------------------------------


@PROPERTY
@given(grids)
def test_table_publishes_no_small_count_and_no_recoverable_suppressed_figure(grid):
    published = publish_grid(grid)
    figures = table_figures(grid, published)

    assert_primary_rules(
        [shown for _p, _t, shown in figures.values()],
        [truth for _p, truth, _s in figures.values()],
    )
    assert recoverable(figures, cap=sum(map(sum, grid)) + 20) == []


@PROPERTY
@given(st.lists(counts, min_size=1, max_size=6))
def test_series_publishes_no_small_count_and_no_recoverable_bar(bars):
    keys = [f"bar {n}" for n in range(len(bars))]
    shown, total = series(dict(zip(keys, bars, strict=True)), keys=keys)
    figures = {key: ((key,), bar, shown[key]) for key, bar in zip(keys, bars, strict=True)}
    figures["total"] = (tuple(keys), sum(bars), total)

    assert_primary_rules([*shown.values(), total], [*bars, sum(bars)])
    assert recoverable(figures, cap=sum(bars) + 20) == []


@PROPERTY
@given(st.lists(counts, min_size=1, max_size=6), st.integers(0, 15))
def test_places_no_part_is_the_whole_minus_the_others(parts, unplaced):
    keys = [f"council {n}" for n in range(len(parts))]
    whole = sum(parts) + unplaced
    shown, shown_whole = places(dict(zip(keys, parts, strict=True)), whole)
    figures = {key: ((key,), part, shown[key]) for key, part in zip(keys, parts, strict=True)}
    figures["whole"] = (tuple(keys), whole, shown_whole)
    # When the parts make up the whole, a reader knows it; when they do not, the reader
    # knows no more than that the whole counts at least the parts.
    cap = whole + 20
    unknown = {"whole": (0, 0) if unplaced == 0 else (0, cap)}

    assert_primary_rules([*shown.values(), shown_whole], [*parts, whole])
    assert recoverable(figures, cap=cap, beyond=unknown) == []


families = st.integers(2, 3).flatmap(
    lambda n_parts: st.tuples(
        st.lists(st.lists(counts, min_size=2, max_size=2), min_size=n_parts, max_size=n_parts),
        st.lists(st.sampled_from([0, 0, 3, 12]), min_size=2, max_size=2),
    )
)


@PROPERTY
@given(families)
def test_hierarchy_no_figure_recoverable_from_its_table_or_the_whole_minus_the_others(family):
    """A region's councils each publish a two-bar series with its total, and so does the
    region. No suppressed figure can be solved from its own table, nor a council's from
    the region's figure minus the other councils' (each key, and the totals), whatever
    businesses the region has with no council (``unplaced``)."""
    grid, unplaced = family
    keys = ["a", "b"]
    names = [f"council {n}" for n in range(len(grid))]
    counts = {
        name: dict(zip(keys, row, strict=True)) for name, row in zip(names, grid, strict=True)
    }
    counts["region"] = {
        key: sum(counts[name][key] for name in names) + extra
        for key, extra in zip(keys, unplaced, strict=True)
    }

    published = hierarchy(counts, {"region": names}, keys=keys, totalled=True)

    cap = sum(counts["region"].values()) + 20
    for place, truths in counts.items():
        shown = published[place]
        total = sum(truths.values())
        assert_primary_rules([shown[k] for k in [*keys, TOTAL]], [truths["a"], truths["b"], total])
        figures = {k: ((k,), truths[k], shown[k]) for k in keys}
        figures[TOTAL] = (tuple(keys), total, shown[TOTAL])
        assert recoverable(figures, cap=cap) == [], (place, "its own table")
    for key in [*keys, TOTAL]:
        truths = {
            place: sum(c.values()) if key == TOTAL else c[key] for place, c in counts.items()
        }
        figures = {name: ((name,), truths[name], published[name][key]) for name in names}
        figures["region"] = (tuple(names), truths["region"], published["region"][key])
        rest = truths["region"] - sum(truths[name] for name in names)
        unknown = {"region": (0, 0) if rest == 0 else (0, cap)}
        assert recoverable(figures, cap=cap, beyond=unknown) == [], (key, "whole minus others")


def test_hierarchy_protects_councils_that_make_up_their_region():
    # Two councils with 9 each and nothing else in the region: the region's 18 (shown as
    # 20: 18 to 22) would tell that both are 9. The region's figure is withheld too, and
    # region's own table protects that in turn (here its rounded total and "b" leave
    # "a" anywhere from 16 to 24).
    counts = {"x": {"a": 9, "b": 30}, "y": {"a": 9, "b": 20}, "region": {"a": 18, "b": 50}}

    published = hierarchy(counts, {"region": ["x", "y"]}, keys=["a", "b"], totalled=True)

    assert published["x"]["a"] == SUPPRESSED
    assert published["y"]["a"] == SUPPRESSED
    assert published["region"]["a"].withheld
    assert published["region"]["b"] == Shown(50)


def test_hierarchy_of_three_levels_and_single_counts():
    counts = {
        "uk": {"plan": 60},
        "north": {"plan": 27},
        "south": {"plan": 33},
        "n1": {"plan": 9},
        "n2": {"plan": 18},
        "s1": {"plan": 33},
    }
    families = {"uk": ["north", "south"], "north": ["n1", "n2"], "south": ["s1"]}

    published = hierarchy(counts, families, keys=["plan"], totalled=False)

    assert published["n1"]["plan"] == SUPPRESSED
    # north − n2 leaves n1 anywhere from 1 to 9 (north 25: 23 to 27; n2 20: 18 to 22).
    assert published["north"]["plan"] == Shown(25)
    assert published["n2"]["plan"] == Shown(20)
    # A region of one council tells nothing more than the council's own figure.
    assert published["s1"]["plan"] == published["south"]["plan"] == Shown(35)
    assert published["uk"]["plan"] == Shown(60)


@given(st.integers(0, 10_000), st.floats(allow_nan=False, allow_infinity=False))
def test_no_statistic_from_fewer_than_min_group(group, value):
    shown = statistic(value, group=group)

    assert shown.suppressed == (group < MIN_GROUP)
    if not shown.suppressed:
        assert shown.value == value


@given(st.integers(0, 10_000))
def test_a_single_count_is_suppressed_under_ten_and_otherwise_rounded(n):
    shown = count(n)

    if n < SUPPRESS_BELOW:
        assert shown == SUPPRESSED
    else:
        assert shown.value % ROUND_TO == 0
        assert abs(shown.value - n) <= ROUND_TO // 2


# Examples ---------------------------------------------------------------------------------


def test_a_cell_pinned_by_rounded_totals_is_protected_by_withholding_another():
    # Unprotected, the row total (60: 58 to 62) minus the others (20 and 25: at most 22
    # and 27) leaves at least 9 for the suppressed cell: exactly 9.
    published = table({("r", "a"): 9, ("r", "b"): 22, ("r", "c"): 27}, rows=["r"], columns="abc")

    assert published.cells["r", "a"] == SUPPRESSED
    withheld = [shown for shown in published.cells.values() if shown.withheld]
    assert withheld
    assert str(withheld[0]) == "withheld"
    assert str(published.cells["r", "a"]) == "fewer than 10"


def test_zeros_stay_suppressed_and_a_published_table_keeps_its_rounded_figures():
    published = table(
        {("north", "grant"): 0, ("north", "loan"): 40, ("south", "grant"): 31},
        rows=["north", "south"],
        columns=["grant", "loan"],
    )

    assert published.cells["north", "grant"].suppressed
    assert published.cells["south", "loan"].suppressed
    assert published.total == Shown(70)


def test_a_table_with_nothing_small_is_published_whole():
    published = table(
        {
            (r, c): 20 + 7 * i
            for i, (r, c) in enumerate([("x", "p"), ("x", "q"), ("y", "p"), ("y", "q")])
        },
        rows=["x", "y"],
        columns=["p", "q"],
    )

    assert not any(shown.suppressed for shown in published.cells.values())
    assert published.cells["y", "q"] == Shown(40)
    assert published.total == Shown(rounded(20 + 27 + 34 + 41))


def test_two_small_bars_and_their_total_give_each_other_away_unless_withheld():
    bars, total = series({"a": 9, "b": 9}, keys=["a", "b"])

    # 18 would be shown as 20 (18 to 22) and two bars under 10 sum to at most 18.
    assert total.suppressed
    assert all(bar == SUPPRESSED for bar in bars.values())


def test_a_council_is_not_its_region_minus_the_others():
    parts, whole = places({"gateshead": 9, "newcastle": 9}, 18)

    assert whole.suppressed
    assert all(part.suppressed for part in parts.values())


def test_places_keeps_a_figure_withheld_at_another_level():
    parts, whole = places({"a": 30, "b": 40, "c": 9}, 79, suppress={"a"})

    assert parts["a"].withheld
    # 27 to 44 from the whole (80: 78 to 82) minus the others: not exact, so "b" stays.
    assert parts["b"] == Shown(40)
    assert whole == Shown(80)


def test_places_refuses_a_whole_smaller_than_its_parts():
    with pytest.raises(ValueError, match="fewer than its parts"):
        places({"a": 30}, 20)


def test_csv_value_is_the_number_or_the_words():
    assert count(23).csv_value() == 25
    assert SUPPRESSED.csv_value() == "fewer than 10"
    assert statistic(4.5, group=9).csv_value() == "not enough data"


def test_a_large_table_is_controlled_quickly():
    import random
    import time

    chooser = random.Random(14)
    rows = [f"r{n}" for n in range(25)]
    columns = [f"c{n}" for n in range(25)]
    counts = {
        (r, c): chooser.choice([0, 1, 8, 9, 10, 12, 13, 22, 40]) for r in rows for c in columns
    }

    started = time.perf_counter()
    table(counts, rows=rows, columns=columns)

    assert time.perf_counter() - started < 2
