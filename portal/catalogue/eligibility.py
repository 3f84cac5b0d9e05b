""" "Is this for me?": an offer's eligibility against what we know of a business.

Pure: plain values in, a verdict with reasons out, no ORM. The offer page builds the
inputs; the matcher can use the same check.
"""

from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.lib.vocabularies import BusinessSize, MaturityLevel, SicSection, Stage

YES = "yes"
NO = "no"
MAYBE = "maybe"

# The words a sentence uses for each size and stage ("open to micro businesses").
SIZE_WORDS = {
    "micro": _("micro"),
    "small": _("small"),
    "medium": _("medium-sized"),
    "large": _("large"),
}
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


@dataclass(frozen=True)
class Verdict:
    answer: str  # YES, NO or MAYBE
    headline: str
    reasons: list[str] = field(default_factory=list)


def _words(values, words) -> str:
    labels = [str(words.get(value, value)) for value in values]
    if len(labels) <= 1:
        return "".join(labels)
    return format_lazy(_("{first} or {last}"), first=", ".join(labels[:-1]), last=labels[-1])


def _sector_name(letter: str) -> str:
    return str(SicSection(letter).label).lower() if letter in SicSection.values else letter


def check(offer: OfferEligibility, business: BusinessProfile) -> Verdict:
    fits: list[str] = []
    fails: list[str] = []
    unknown: list[str] = []

    if offer.sizes:
        if not business.size:
            unknown.append(
                format_lazy(
                    _("Only for {sizes} businesses"), sizes=_words(offer.sizes, SIZE_WORDS)
                )
            )
        elif business.size in offer.sizes:
            fits.append(
                format_lazy(_("Open to {size} businesses"), size=SIZE_WORDS[business.size])
            )
        else:
            fails.append(
                format_lazy(
                    _("Only for {sizes} businesses"), sizes=_words(offer.sizes, SIZE_WORDS)
                )
            )
    elif business.size:
        fits.append(_("Open to businesses of any size"))

    if offer.stages:
        stages = _words(offer.stages, STAGE_WORDS)
        if not business.stage:
            unknown.append(format_lazy(_("Only for {stages} businesses"), stages=stages))
        elif business.stage in offer.stages:
            fits.append(
                format_lazy(_("Open to {stage} businesses"), stage=STAGE_WORDS[business.stage])
            )
        else:
            fails.append(format_lazy(_("Only for {stages} businesses"), stages=stages))
    elif business.stage:
        fits.append(_("Open to businesses at any stage"))

    if offer.sic_sections:
        sectors = _words(offer.sic_sections, {s: _sector_name(s) for s in offer.sic_sections})
        if not business.sector:
            unknown.append(format_lazy(_("Only for businesses in {sectors}"), sectors=sectors))
        elif business.sector in offer.sic_sections:
            fits.append(
                format_lazy(
                    _("Open to businesses in {sector}"), sector=_sector_name(business.sector)
                )
            )
        else:
            fails.append(format_lazy(_("Only for businesses in {sectors}"), sectors=sectors))
    elif business.sector:
        fits.append(_("Open to businesses in any sector"))

    if not offer.uk_wide:
        if business.council_id is None:
            unknown.append(_("Only for businesses in some places"))
        elif business.council_id in offer.council_ids or business.region_id in offer.region_ids:
            fits.append(format_lazy(_("Available in {place}"), place=business.council_name))
        else:
            fails.append(format_lazy(_("Not available in {place}"), place=business.council_name))
    elif business.council_id is not None:
        fits.append(_("Available across the UK"))

    if fails:
        return Verdict(NO, format_lazy(_("No: {reason}"), reason=_lower_first(fails[0])), fails)
    if unknown:
        return Verdict(
            MAYBE,
            _("Maybe: it depends on things you have not told us"),
            [*unknown, *fits],
        )
    return Verdict(YES, _yes_headline(offer, business), fits)


def _lower_first(text) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]


def _yes_headline(offer: OfferEligibility, business: BusinessProfile) -> str:
    """ "Yes: open to micro businesses in Gateshead"."""
    size = SIZE_WORDS.get(business.size)
    place = business.council_name if business.council_id is not None else ""
    if size and place:
        return format_lazy(_("Yes: open to {size} businesses in {place}"), size=size, place=place)
    if size:
        return format_lazy(_("Yes: open to {size} businesses"), size=size)
    if place:
        return format_lazy(_("Yes: open to businesses in {place}"), place=place)
    return _("Yes: you meet its conditions")


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
