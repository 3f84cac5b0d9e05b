"""The matcher's plain data: the business it ranks for, one offer or opportunity as a
row, and the vocabularies they are indexed by. The candidates built from the rows, as
columns, are in portal/matching/columns.py. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

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


def flag_fixes(row: OfferRow, flag_dimensions: Mapping[str, str]) -> int:
    """The flags one offer fixes, as bits (the plain-Python form, for the reference)."""
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


def cpv_prefix(code: str) -> str:
    """A CPV code without its trailing zeros (at least the division): 72212000 → 72212."""
    code = code.split("-")[0].strip()
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]
