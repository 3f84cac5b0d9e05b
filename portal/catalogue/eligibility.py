""" "Is this for me?": an offer's eligibility against what we know of a business.

Pure: plain values in, a verdict with reasons out, no ORM. The offer page builds the
inputs; the matcher can use the same check.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.lib.vocabularies import (
    SIZE_ADJECTIVES,
    BusinessSize,
    MaturityLevel,
    SicSection,
    Stage,
)

YES = "yes"
NO = "no"
MAYBE = "maybe"

# The words a sentence uses for each stage ("open to start-up businesses"); for each size,
# SIZE_ADJECTIVES.
STAGE_WORDS = {
    "pre_start": _("pre-start"),
    "start_up": _("start-up"),
    "growing": _("growing"),
    "established": _("established"),
    "scaling": _("scaling"),
}


@dataclass(frozen=True)
class OfferEligibility:
    sizes: tuple[str, ...] = ()  # empty: every size
    stages: tuple[str, ...] = ()
    sic_sections: tuple[str, ...] = ()
    uk_wide: bool = False
    region_ids: frozenset[int] = frozenset()
    council_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class BusinessProfile:
    council_id: int | None = None
    council_name: str = ""
    region_id: int | None = None
    size: str = ""
    stage: str = ""
    sector: str = ""  # a SIC section letter

    @property
    def is_known(self) -> bool:
        return bool(self.council_id or self.size or self.stage or self.sector)

    @property
    def size_word(self) -> str:
        """The size as a sentence says it: "micro", "medium-sized"."""
        return str(SIZE_ADJECTIVES.get(self.size, ""))


@dataclass(frozen=True)
class Verdict:
    """YES, NO or MAYBE, with the reasons as codes: each ``{"code": rule, "outcome":
    "fits" | "fails" | "unknown" | "any", ...}``. The sentences are in
    templates/catalogue/includes/offer_check.html."""

    answer: str  # YES, NO or MAYBE
    reasons: tuple[dict, ...] = ()

    @property
    def failing(self) -> dict | None:
        """The first rule the business fails, which names why not."""
        return next((r for r in self.reasons if r["outcome"] == "fails"), None)


def _labels(values, words) -> list[str]:
    return [str(words.get(value, value)) for value in values]


def _sector_words(values) -> dict[str, str]:
    return {value: _sector_name(value) for value in values}


def _sector_name(letter: str) -> str:
    return str(SicSection(letter).label).lower() if letter in SicSection.values else letter


def _set_rule(code, allowed, value, table, words) -> dict:
    """One "empty means everyone" rule (size, stage, sector), judged by its bit test."""
    if not allowed:
        return {"code": code, "outcome": "any" if value else "skip"}
    labels = _labels(allowed, words)
    if not value:
        return {"code": code, "outcome": "unknown", "allowed": labels}
    fits = in_set_or_open(bits(allowed, table), table.get(value, 0))
    return {
        "code": code,
        "outcome": "fits" if fits else "fails",
        "allowed": labels,
        "value": str(words.get(value, value)),
    }


def check(offer: OfferEligibility, business: BusinessProfile) -> Verdict:
    reasons = [
        _set_rule("size", offer.sizes, business.size, SIZE_BITS, SIZE_ADJECTIVES),
        _set_rule("stage", offer.stages, business.stage, STAGE_BITS, STAGE_WORDS),
        _set_rule(
            "sector",
            offer.sic_sections,
            business.sector,
            SECTOR_BITS,
            _sector_words((*offer.sic_sections, business.sector)),
        ),
    ]
    if offer.uk_wide:
        place = {"code": "place", "outcome": "any" if business.council_id else "skip"}
    elif business.council_id is None:
        place = {"code": "place", "outcome": "unknown"}
    else:
        inside = in_place(
            False,
            business.region_id in offer.region_ids,
            business.council_id in offer.council_ids,
        )
        place = {"code": "place", "outcome": "fits" if inside else "fails"}
    place["place"] = business.council_name
    reasons = [reason for reason in (*reasons, place) if reason["outcome"] != "skip"]
    outcomes = {reason["outcome"] for reason in reasons}
    answer = NO if "fails" in outcomes else MAYBE if "unknown" in outcomes else YES
    # The failing rules first, then what is not known, then what fits.
    order = {"fails": 0, "unknown": 1, "fits": 2, "any": 2}
    reasons.sort(key=lambda reason: order[reason["outcome"]])
    return Verdict(answer, tuple(reasons))


# --- The rules as bit tests -------------------------------------------------------------
# Each vocabulary value is a bit; an offer's set is the OR of its values' bits (0: every
# value). The rule functions below take plain ints or numpy integer arrays alike, so the
# matcher applies the very same rules to a whole catalogue at once.

SIZE_BITS = {value: 1 << i for i, value in enumerate(BusinessSize.values)}
STAGE_BITS = {value: 1 << i for i, value in enumerate(Stage.values)}
SECTOR_BITS = {value: 1 << i for i, value in enumerate(SicSection.values)}
LEVEL_BITS = {value: 1 << i for i, value in enumerate(MaturityLevel.values)}


def bits(values, table: dict[str, int]) -> int:
    mask = 0
    for value in values:
        mask |= table.get(value, 0)
    return mask


def in_set_or_open(offer_mask, business_bit: int):
    """The offer is open to every value (empty set) or includes the business's."""
    return (offer_mask == 0) | ((offer_mask & business_bit) != 0)


def in_place(uk_wide, in_region, in_council):
    """UK-wide, or listed for the business's nation/region or its council."""
    return uk_wide | in_region | in_council


# The hard rules in the order they are checked; the first that fails names the reason.
RULE_OPEN = "closed"
RULE_REVIEW = "review_overdue"
RULE_PLACE = "place"
RULE_SIZE = "size"
RULE_STAGE = "stage"
RULE_SECTOR = "sector"
RULE_LEVEL = "maturity_level"
RULES = (RULE_OPEN, RULE_REVIEW, RULE_PLACE, RULE_SIZE, RULE_STAGE, RULE_SECTOR, RULE_LEVEL)
