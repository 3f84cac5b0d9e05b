"""The matcher's plain data: the business it ranks for and the compact candidate records.

Candidates are columns (numpy arrays), one row per offer or opportunity, built once from
plain rows and kept between requests (portal/matching/candidates.py); the ranking reads
them without building a single model instance. Nothing here touches the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from portal.catalogue.eligibility import LEVEL_BITS, SECTOR_BITS, SIZE_BITS, STAGE_BITS, bits
from portal.lib.vocabularies import Dimension, SupportKind
from portal.matching import weights

DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)
KINDS: tuple[str, ...] = tuple(SupportKind.values)
FLAGS: tuple[str, ...] = tuple(weights.FLAG_FIXES)
PLANS: tuple[str, ...] = tuple(weights.PLAN_DIMENSIONS)
# Band thresholds of the questionnaire (boundaries inclusive upward).
BAND_LIMITS = ((25, "starting"), (50, "developing"), (75, "established"), (100, "advanced"))
NEVER = 10**7  # an ordinal day later than any real date
FOREVER = float("inf")


def band_of(score: float) -> str:
    for limit, band in BAND_LIMITS:
        if score <= limit:
            return band
    return BAND_LIMITS[-1][1]


@dataclass(frozen=True)
class Business:
    """What the matcher knows of one business: its profile and, after the diagnostic, its
    dimension scores (0-100) and critical flags. ``scores`` is None for a profile alone."""

    council_id: int | None = None
    council_name: str = ""
    region_id: int | None = None
    region_name: str = ""
    size: str = ""
    stage: str = ""
    sic_section: str = ""
    turnover: str = ""
    customer_types: frozenset[str] = frozenset()
    plans: frozenset[str] = frozenset()
    supplies: tuple[str, ...] = ()  # CPV codes or their prefixes (divisions, groups)
    scores: Mapping[str, float] | None = None
    flags: frozenset[str] = frozenset()
    bands: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.scores is not None and not self.bands:
            object.__setattr__(
                self, "bands", {key: band_of(value) for key, value in self.scores.items()}
            )

    @property
    def has_scores(self) -> bool:
        return self.scores is not None

    @property
    def weakest(self) -> str | None:
        if not self.scores:
            return None
        return min(DIMENSIONS, key=lambda key: (self.scores.get(key, 100.0), key))

    @property
    def is_sme(self) -> bool:
        return self.size in weights.SME_SIZES

    @property
    def turnover_top(self) -> int | None:
        return weights.TURNOVER_TOP.get(self.turnover)


@dataclass(frozen=True)
class OfferRow:
    """One published offer as the candidate builder reads it."""

    id: int
    slug: str
    title: str
    external_id: str
    kind: str
    dimensions: tuple[str, ...]
    maturity_levels: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    sic_sections: tuple[str, ...] = ()
    uk_wide: bool = False
    region_ids: tuple[int, ...] = ()
    council_ids: tuple[int, ...] = ()
    cost: str = "free"
    closes: date | None = None
    last_reviewed: date | None = None
    review_due: date | None = None
    text: str = ""  # title and summary, for the flag and plan words


@dataclass(frozen=True)
class OpportunityRow:
    """One open opportunity as the candidate builder reads it."""

    id: int
    public_id: str
    ocid: str
    title: str
    cpv_codes: tuple[str, ...] = ()
    uk_wide: bool = False
    region_ids: tuple[int, ...] = ()
    council_ids: tuple[int, ...] = ()
    deadline: datetime | None = None
    public_buyer: bool = True
    sme_suitable: bool | None = None
    yearly_value: float | None = None


def _place_index(rows, region_order: Sequence[int]):
    region_bit = {region_id: 1 << i for i, region_id in enumerate(region_order)}
    region_bits = np.fromiter(
        (sum(region_bit.get(r, 0) for r in set(row.region_ids)) for row in rows),
        dtype=np.int64,
        count=len(rows),
    )
    by_council: dict[int, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        for council_id in row.council_ids:
            by_council[council_id].append(position)
    council_index = {key: np.array(value, dtype=np.int64) for key, value in by_council.items()}
    return region_bit, region_bits, council_index


@dataclass(frozen=True, eq=False)
class OfferCandidates:
    rows: tuple[OfferRow, ...]
    ids: np.ndarray
    kind: np.ndarray  # index into KINDS
    dims: np.ndarray  # n × 8 of 0/1
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


def flag_fixes(row: OfferRow, flag_dimensions: Mapping[str, str]) -> int:
    mask = 0
    text = f"{row.title} {row.text}".lower()
    for i, flag in enumerate(FLAGS):
        rule = weights.FLAG_FIXES[flag]
        if flag_dimensions.get(flag) not in row.dimensions:
            continue
        words = rule["words"]
        if any(word in text for word in words) or (not words and row.kind in rule["kinds"]):
            mask |= 1 << i
    return mask


def _plan_words(row: OfferRow) -> int:
    text = f"{row.title} {row.text}".lower()
    mask = 0
    for i, plan in enumerate(PLANS):
        if any(word in text for word in weights.PLAN_WORDS[plan]):
            mask |= 1 << i
    return mask


# The dimension each flag belongs to (the questionnaire's own; a test checks they agree).
FLAG_DIMENSIONS = {
    "no_offsite_backup": "cyber",
    "no_cyber_essentials_for_public_contracts": "cyber",
    "no_accounting_software": "adoption",
    "not_registered_on_central_digital_platform": "trade",
    "finances_not_ready_to_raise": "finance",
    "low_essential_digital_skills": "skills",
    "personal_data_duties_not_met": "data",
    "slow_connection": "cyber",
}


def build_offer_candidates(
    rows: Iterable[OfferRow], *, region_order: Sequence[int] = ()
) -> OfferCandidates:
    rows = tuple(rows)
    n = len(rows)
    kind_position = {kind: i for i, kind in enumerate(KINDS)}
    dims = np.zeros((n, len(DIMENSIONS)), dtype=np.float64)
    dim_position = {key: i for i, key in enumerate(DIMENSIONS)}
    for i, row in enumerate(rows):
        for key in row.dimensions:
            if key in dim_position:
                dims[i, dim_position[key]] = 1.0
    region_bit, region_bits, council_index = _place_index(rows, region_order)

    def ordinals(values, default):
        return np.fromiter(
            (value.toordinal() if value else default for value in values), np.int64, count=n
        )

    def masks(attribute, table):
        return np.fromiter(
            (bits(getattr(row, attribute), table) for row in rows), np.int64, count=n
        )

    return OfferCandidates(
        rows=rows,
        ids=np.fromiter((row.id for row in rows), np.int64, count=n),
        kind=np.fromiter((kind_position.get(row.kind, -1) for row in rows), np.int64, count=n),
        dims=dims,
        levels=masks("maturity_levels", LEVEL_BITS),
        sizes=masks("sizes", SIZE_BITS),
        stages=masks("stages", STAGE_BITS),
        sectors=masks("sic_sections", SECTOR_BITS),
        uk_wide=np.fromiter((row.uk_wide for row in rows), bool, count=n),
        region_bits=region_bits,
        region_bit=region_bit,
        council_index=council_index,
        cost=np.fromiter(
            (weights.COST_VALUE.get(row.cost, 0.0) for row in rows), np.float64, count=n
        ),
        closes=ordinals((row.closes for row in rows), NEVER),
        last_reviewed=ordinals((row.last_reviewed for row in rows), 0),
        review_due=ordinals((row.review_due for row in rows), NEVER),
        fixes=np.fromiter((flag_fixes(row, FLAG_DIMENSIONS) for row in rows), np.int64, count=n),
        plan_words=np.fromiter((_plan_words(row) for row in rows), np.int64, count=n),
    )


def cpv_prefix(code: str) -> str:
    """A CPV code without its trailing zeros (at least the division): 72212000 → 72212."""
    code = code.split("-")[0].strip()
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


@dataclass(frozen=True, eq=False)
class OpportunityCandidates:
    rows: tuple[OpportunityRow, ...]
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
    # CPV prefix (2 to 8 digits) → positions of the opportunities with a code under it.
    prefix_index: Mapping[str, np.ndarray]

    def __len__(self):
        return len(self.rows)

    def under(self, prefix: str) -> np.ndarray:
        return self.prefix_index.get(prefix, _EMPTY)


_EMPTY = np.zeros(0, dtype=np.int64)


def build_opportunity_candidates(
    rows: Iterable[OpportunityRow], *, region_order: Sequence[int] = ()
) -> OpportunityCandidates:
    rows = tuple(rows)
    n = len(rows)
    region_bit, region_bits, council_index = _place_index(rows, region_order)
    by_prefix: dict[str, set[int]] = defaultdict(set)
    it_contract = np.zeros(n, dtype=bool)
    for position, row in enumerate(rows):
        for code in row.cpv_codes:
            prefix = cpv_prefix(code)
            for length in range(2, len(prefix) + 1):
                by_prefix[prefix[:length]].add(position)
            if prefix[:2] in weights.CYBER_ESSENTIALS_DIVISIONS:
                it_contract[position] = True
    return OpportunityCandidates(
        rows=rows,
        ids=np.fromiter((row.id for row in rows), np.int64, count=n),
        uk_wide=np.fromiter((row.uk_wide for row in rows), bool, count=n),
        region_bits=region_bits,
        region_bit=region_bit,
        council_index=council_index,
        deadline=np.fromiter(
            (row.deadline.timestamp() if row.deadline else FOREVER for row in rows),
            np.float64,
            count=n,
        ),
        public_buyer=np.fromiter((row.public_buyer for row in rows), bool, count=n),
        sme=np.fromiter(
            ({True: 1, False: -1}.get(row.sme_suitable, 0) for row in rows), np.int64, count=n
        ),
        yearly_value=np.fromiter(
            (row.yearly_value if row.yearly_value else np.nan for row in rows),
            np.float64,
            count=n,
        ),
        it_contract=it_contract,
        prefix_index={
            key: np.fromiter(sorted(value), np.int64, count=len(value))
            for key, value in by_prefix.items()
        },
    )
