"""The candidates as columns: numpy arrays, one entry per offer or opportunity, built once
from the columns the loader read (or from plain rows, in tests) and kept between requests
(portal/matching/candidates.py). The ranking reads them without building a single model
instance, and a candidate's row is made only when it is shown. What depends on a few
distinct values (a set of dimensions, a kind, a date) is worked out once per value.
Nothing here touches the database.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from portal.catalogue.eligibility import LEVEL_BITS, SECTOR_BITS, SIZE_BITS, STAGE_BITS, bits
from portal.matching import weights
from portal.matching.records import (
    DIMENSIONS,
    FLAG_DIMENSIONS,
    FLAGS,
    FOREVER,
    KINDS,
    NEVER,
    PLANS,
    OfferRow,
    OpportunityRow,
    cpv_prefix,
)


class LazyRows(Sequence):
    """The candidates' rows, each made on first use from the columns it was read in (a
    page shows twenty; the ranking never needs the rest), then kept."""

    def __init__(self, count: int, make: Callable[[int], object]):
        self._count = count
        self._make = make
        self._made: dict[int, object] = {}

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        index = int(index)
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._make(index)
        return row


class LazyColumn(Sequence):
    """A column whose values are converted when read: those only a shown row needs
    (an opportunity's public id) are not converted for every candidate."""

    def __init__(self, raw: Sequence, convert: Callable):
        self._raw = raw
        self._convert = convert

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._convert(value) for value in self._raw[index]]
        return self._convert(self._raw[index])


def mapped(function: Callable, values: Sequence) -> list:
    """``[function(value) for value in values]``, calling ``function`` once per distinct
    value (the candidates' columns repeat a few hundred values over thousands of rows)."""
    try:
        table = {value: function(value) for value in set(values)}
    except TypeError:  # unhashable values (lists): one call each
        return [function(value) for value in values]
    return list(map(table.__getitem__, values))


def _array(function: Callable, values: Sequence, dtype) -> np.ndarray:
    return np.array(mapped(function, values), dtype=dtype).reshape(len(values))


@dataclass(frozen=True)
class Links:
    """A many-to-many relation as two arrays: the candidate's position and the other
    side's id (regions, councils), one entry per link."""

    positions: np.ndarray
    targets: np.ndarray

    @classmethod
    def of(cls, groups: Sequence[Sequence[int]]) -> Links:
        """From each candidate's ids, in position order."""
        sizes = np.fromiter(map(len, groups), np.int64, count=len(groups))
        targets = np.fromiter(
            (target for group in groups for target in group), np.int64, count=int(sizes.sum())
        )
        return cls(np.repeat(np.arange(len(groups), dtype=np.int64), sizes), targets)

    def grouped(self) -> Callable[[int], tuple[int, ...]]:
        """position → its ids (for the rows made on demand)."""
        order = np.argsort(self.positions, kind="stable")
        positions, targets = self.positions[order], self.targets[order]

        def ids(position: int) -> tuple[int, ...]:
            low, high = np.searchsorted(positions, [position, position + 1])
            return tuple(targets[low:high].tolist())

        return ids


def _place_index(n: int, regions: Links, councils: Links, region_order: Sequence[int]):
    region_bit = {region_id: 1 << i for i, region_id in enumerate(region_order)}
    region_bits = np.zeros(n, dtype=np.int64)
    if regions.targets.size:
        values = _array(lambda r: region_bit.get(r, 0), regions.targets.tolist(), np.int64)
        np.bitwise_or.at(region_bits, regions.positions, values)
    council_index = {}
    if councils.targets.size:
        order = np.lexsort((councils.positions, councils.targets))
        targets, positions = councils.targets[order], councils.positions[order]
        edges = np.flatnonzero(np.diff(targets)) + 1
        for start, stop in zip(
            np.concatenate(([0], edges)).tolist(),
            np.concatenate((edges, [targets.size])).tolist(),
            strict=True,
        ):
            council_index[int(targets[start])] = positions[start:stop]
    return region_bit, region_bits, council_index


def rows_containing(texts: Sequence[str], words: Sequence[str]) -> np.ndarray:
    """Which texts contain any of ``words`` (``any(word in text for word in words)``):
    each word found in all the texts joined, jumping to the next text after a hit."""
    found = np.zeros(len(texts), dtype=bool)
    if not words or not texts:
        return found
    starts = [0]
    for text in texts:
        starts.append(starts[-1] + len(text) + 1)
    joined = "\x00".join(texts)
    find = joined.find
    for word in words:
        position = find(word)
        while position != -1:
            row = bisect_right(starts, position) - 1
            found[row] = True
            position = find(word, starts[row + 1])
    return found


@dataclass(frozen=True, eq=False)
class OfferCandidates:
    rows: Sequence[OfferRow]
    ids: np.ndarray
    kind: np.ndarray  # index into KINDS
    dims: np.ndarray  # n × 8 of 0/1
    dim_bits: np.ndarray  # the same as bits: bit i for DIMENSIONS[i]
    levels: np.ndarray
    sizes: np.ndarray
    stages: np.ndarray
    sectors: np.ndarray
    uk_wide: np.ndarray
    region_bits: np.ndarray
    region_bit: Mapping[int, int]
    council_index: Mapping[int, np.ndarray]
    cost: np.ndarray  # weights.COST_VALUE
    closes: np.ndarray  # ordinal day, NEVER when open-ended
    last_reviewed: np.ndarray
    review_due: np.ndarray
    fixes: np.ndarray  # bit i: fixes FLAGS[i]
    plan_words: np.ndarray  # bit i: its words serve PLANS[i]

    def __len__(self):
        return len(self.rows)


# The columns an offer's candidates are built from: OfferRow's fields but the places.
OFFER_COLUMNS = tuple(
    name for name in OfferRow.__dataclass_fields__ if name not in {"region_ids", "council_ids"}
)


OPPORTUNITY_COLUMNS = tuple(
    name
    for name in OpportunityRow.__dataclass_fields__
    if name not in {"region_ids", "council_ids"}
)


def _columns_of(rows: Sequence, names: Sequence[str]) -> dict[str, list]:
    return {name: [getattr(row, name) for row in rows] for name in names}


def build_offer_candidates(
    rows: Iterable[OfferRow], *, region_order: Sequence[int] = ()
) -> OfferCandidates:
    """Candidates from rows already made (tests; the loader reads columns instead)."""
    rows = tuple(rows)
    return offer_candidates_from_columns(
        _columns_of(rows, OFFER_COLUMNS),
        regions=Links.of([row.region_ids for row in rows]),
        councils=Links.of([row.council_ids for row in rows]),
        region_order=region_order,
        rows=rows,
    )


def _dimension_bits(dimensions: Sequence[str]) -> int:
    return sum(1 << DIMENSIONS.index(key) for key in set(dimensions) if key in DIMENSIONS)


def offer_candidates_from_columns(
    columns: Mapping[str, Sequence],
    *,
    regions: Links,
    councils: Links,
    region_order: Sequence[int] = (),
    rows: Sequence[OfferRow] | None = None,
) -> OfferCandidates:
    """Candidates from one list per OFFER_COLUMNS field (set-valued ones as tuples), one
    entry per offer. The rows are made from the columns when asked for, unless given."""
    n = len(columns["id"])
    if rows is None:
        region_ids, council_ids = regions.grouped(), councils.grouped()

        def make(i: int) -> OfferRow:
            return OfferRow(
                **{name: columns[name][i] for name in OFFER_COLUMNS},
                region_ids=region_ids(i),
                council_ids=council_ids(i),
            )

        rows = LazyRows(n, make)
    kind_position = {kind: i for i, kind in enumerate(KINDS)}
    kinds = columns["kind"]
    dim_bits = _array(_dimension_bits, columns["dimensions"], np.int64)
    dims = ((dim_bits[:, None] >> np.arange(len(DIMENSIONS))) & 1).astype(np.float64)
    region_bit, region_bits, council_index = _place_index(n, regions, councils, region_order)
    texts = [
        f"{title} {text}".lower()
        for title, text in zip(columns["title"], columns["text"], strict=True)
    ]
    fixes = np.zeros(n, dtype=np.int64)
    for i, flag in enumerate(FLAGS):
        rule = weights.FLAG_FIXES[flag]
        dimension = FLAG_DIMENSIONS.get(flag)
        if dimension not in DIMENSIONS:
            continue
        has_dimension = (dim_bits & (1 << DIMENSIONS.index(dimension))) != 0
        if rule["words"]:
            fixing = rows_containing(texts, rule["words"])
        else:
            fixing = _array(lambda kind, rule=rule: kind in rule["kinds"], kinds, bool)
        fixes |= (has_dimension & fixing).astype(np.int64) << i
    plan_words = np.zeros(n, dtype=np.int64)
    for i, plan in enumerate(PLANS):
        plan_words |= rows_containing(texts, weights.PLAN_WORDS[plan]).astype(np.int64) << i

    def ordinals(name, default):
        return _array(
            lambda value: value.toordinal() if value else default, columns[name], np.int64
        )

    def masks(name, table):
        return _array(lambda values: bits(values, table), columns[name], np.int64)

    return OfferCandidates(
        rows=rows,
        ids=np.array(columns["id"], dtype=np.int64).reshape(n),
        kind=_array(lambda kind: kind_position.get(kind, -1), kinds, np.int64),
        dims=dims,
        dim_bits=dim_bits,
        levels=masks("maturity_levels", LEVEL_BITS),
        sizes=masks("sizes", SIZE_BITS),
        stages=masks("stages", STAGE_BITS),
        sectors=masks("sic_sections", SECTOR_BITS),
        uk_wide=np.array(columns["uk_wide"], dtype=bool).reshape(n),
        region_bits=region_bits,
        region_bit=region_bit,
        council_index=council_index,
        cost=_array(lambda cost: weights.COST_VALUE.get(cost, 0.0), columns["cost"], np.float64),
        closes=ordinals("closes", NEVER),
        last_reviewed=ordinals("last_reviewed", 0),
        review_due=ordinals("review_due", NEVER),
        fixes=fixes,
        plan_words=plan_words,
    )


@dataclass(frozen=True, eq=False)
class OpportunityCandidates:
    rows: Sequence[OpportunityRow]
    ids: np.ndarray
    uk_wide: np.ndarray
    region_bits: np.ndarray
    region_bit: Mapping[int, int]
    council_index: Mapping[int, np.ndarray]
    deadline: np.ndarray  # seconds since the epoch, FOREVER when none
    public_buyer: np.ndarray
    sme: np.ndarray  # 1 suitable, -1 not suitable, 0 not stated
    yearly_value: np.ndarray  # NaN when not stated
    it_contract: np.ndarray  # a CPV code in weights.CYBER_ESSENTIALS_DIVISIONS
    # The opportunities' sets of CPV codes are few (hundreds over tens of thousands):
    # each opportunity's set, by number, and for each CPV prefix (2 to 8 digits) the
    # numbers of the sets with a code under it. What depends on the codes only is worked
    # out once per set and looked up by the opportunity's set.
    code_set: np.ndarray
    set_count: int
    set_prefixes: Mapping[str, np.ndarray]

    def __len__(self):
        return len(self.rows)

    def sets_under(self, prefix: str) -> np.ndarray:
        return self.set_prefixes.get(prefix, _EMPTY)

    def under(self, prefix: str) -> np.ndarray:
        """The positions of the opportunities with a code under ``prefix``."""
        in_set = np.zeros(self.set_count, dtype=bool)
        in_set[self.sets_under(prefix)] = True
        return np.flatnonzero(in_set[self.code_set])


_EMPTY = np.zeros(0, dtype=np.int64)


def build_opportunity_candidates(
    rows: Iterable[OpportunityRow], *, region_order: Sequence[int] = ()
) -> OpportunityCandidates:
    """Candidates from rows already made (tests; the loader reads columns instead)."""
    rows = tuple(rows)
    return opportunity_candidates_from_columns(
        _columns_of(rows, OPPORTUNITY_COLUMNS),
        regions=Links.of([row.region_ids for row in rows]),
        councils=Links.of([row.council_ids for row in rows]),
        region_order=region_order,
        rows=rows,
    )


def _cpv_prefixes(codes: Sequence[str]) -> set[str]:
    """Every prefix, from the division (2 digits) on, of each code without its zeros."""
    prefixes = set()
    for code in codes:
        prefix = cpv_prefix(code)
        prefixes.update(prefix[:length] for length in range(2, len(prefix) + 1))
    return prefixes


def opportunity_candidates_from_columns(
    columns: Mapping[str, Sequence],
    *,
    regions: Links,
    councils: Links,
    region_order: Sequence[int] = (),
    rows: Sequence[OpportunityRow] | None = None,
) -> OpportunityCandidates:
    """Candidates from one list per OPPORTUNITY_COLUMNS field (``cpv_codes`` as tuples,
    ``yearly_value`` None or a float), one entry per opportunity."""
    n = len(columns["id"])
    if rows is None:
        region_ids, council_ids = regions.grouped(), councils.grouped()

        def make(i: int) -> OpportunityRow:
            return OpportunityRow(
                **{name: columns[name][i] for name in OPPORTUNITY_COLUMNS},
                region_ids=region_ids(i),
                council_ids=council_ids(i),
            )

        rows = LazyRows(n, make)
    region_bit, region_bits, council_index = _place_index(n, regions, councils, region_order)
    # Opportunities numbered by their set of codes.
    code_sets = columns["cpv_codes"]
    distinct = list(dict.fromkeys(code_sets))
    number = {codes: i for i, codes in enumerate(distinct)}
    code_set = np.fromiter(map(number.__getitem__, code_sets), np.int32, count=n)
    by_prefix: dict[str, list[int]] = defaultdict(list)
    it_set = np.zeros(len(distinct), dtype=bool)
    for i, codes in enumerate(distinct):
        prefixes = _cpv_prefixes(codes)
        for prefix in sorted(prefixes):
            by_prefix[prefix].append(i)
        it_set[i] = any(prefix[:2] in weights.CYBER_ESSENTIALS_DIVISIONS for prefix in prefixes)

    return OpportunityCandidates(
        rows=rows,
        ids=np.array(columns["id"], dtype=np.int64).reshape(n),
        uk_wide=np.array(columns["uk_wide"], dtype=bool).reshape(n),
        region_bits=region_bits,
        region_bit=region_bit,
        council_index=council_index,
        deadline=np.fromiter(
            (moment.timestamp() if moment else FOREVER for moment in columns["deadline"]),
            np.float64,
            count=n,
        ),
        public_buyer=np.array(columns["public_buyer"], dtype=bool).reshape(n),
        sme=_array(
            lambda sme: {True: 1, False: -1}.get(sme, 0), columns["sme_suitable"], np.int64
        ),
        yearly_value=np.fromiter(
            (value if value else np.nan for value in columns["yearly_value"]),
            np.float64,
            count=n,
        ),
        it_contract=it_set[code_set],
        code_set=code_set,
        set_count=len(distinct),
        set_prefixes={
            prefix: np.array(sets, dtype=np.int64) for prefix, sets in by_prefix.items()
        },
    )
