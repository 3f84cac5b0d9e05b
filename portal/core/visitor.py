"""The business of the person using this browser, as far as they have told us: kept in
their session so they never say it twice.

A founder tells us their council, size, stage and sector in the diagnostic's profile,
in the profile form of "Recommended for you", in a list's filters or on an offer's "Is
this for me?"; each of those pages calls ``remember``. The support and contracts lists
then open filtered for that business, saying so, the offer page answers "Is this for
me?" at once, and the profile forms start filled in. Nothing here is stored anywhere
but the session, and only values of the shared vocabularies (portal/lib/vocabularies.py)
and a council's GSS code are kept: what is not one of them is dropped, never echoed.
"""

import re
from dataclasses import asdict, dataclass, replace

from django.utils.translation import gettext as _

from portal.lib.vocabularies import BusinessSize, SicSection, Stage
from portal.places.choices import place_choices

SESSION_KEY = "waymark_business"

_GSS_CODE = re.compile(r"[EWSN]\d{8}")
_CPV_CODE = re.compile(r"\d{8}")
MOST_SUPPLIES = 20


@dataclass(frozen=True)
class VisitorBusiness:
    council: str = ""  # a council's GSS code
    size: str = ""  # BusinessSize
    stage: str = ""  # Stage
    sector: str = ""  # SicSection
    supplies: tuple[str, ...] = ()  # CPV codes, eight digits

    @property
    def is_known(self) -> bool:
        return bool(self.council or self.size or self.stage or self.sector or self.supplies)

    def support_query(self) -> dict[str, str]:
        """The support list's filters for this business (portal/catalogue/search.py)."""
        query = {"place": self.council, "size": self.size, "stage": self.stage}
        query["sector"] = self.sector
        return {key: value for key, value in query.items() if value}

    def offer_query(self) -> dict[str, str]:
        """An offer page's "Is this for me?" answered for this business."""
        query = {"council": self.council, "size": self.size, "stage": self.stage}
        query["sector"] = self.sector
        return {key: value for key, value in query.items() if value}

    def description(self) -> str:
        """ "a micro business, start-up, in information and communication, in Gateshead"."""
        parts = []
        if self.size:
            parts.append(_("%(size)s business") % {"size": _size_word(self.size)})
        else:
            parts.append(_("business"))
        if self.stage:
            parts.append(str(Stage(self.stage).label).lower())
        if self.sector:
            parts.append(
                _("in %(sector)s") % {"sector": str(SicSection(self.sector).label).lower()}
            )
        council = place_choices().find(self.council) if self.council else None
        if council is not None:
            parts.append(_("in %(council)s") % {"council": council.name})
        return ", ".join(parts)


def _size_word(size: str) -> str:
    return {
        BusinessSize.MICRO: _("a micro"),
        BusinessSize.SMALL: _("a small"),
        BusinessSize.MEDIUM: _("a medium-sized"),
        BusinessSize.LARGE: _("a large"),
    }[BusinessSize(size)]


def _clean(facts: dict) -> dict:
    """The facts that are values we know, as strings; the rest dropped."""
    clean = {}
    council = str(facts.get("council") or "").strip().upper()
    if _GSS_CODE.fullmatch(council):
        found = place_choices().find(council)
        if found is not None and found.is_council:
            clean["council"] = council
    for name, vocabulary in (("size", BusinessSize), ("stage", Stage), ("sector", SicSection)):
        value = str(facts.get(name) or "")
        if value in vocabulary.values:
            clean[name] = value
    supplies = facts.get("supplies")
    if supplies is not None:
        codes = [str(code).split("-")[0].strip() for code in supplies]
        clean["supplies"] = tuple(
            sorted({code for code in codes if _CPV_CODE.fullmatch(code)})[:MOST_SUPPLIES]
        )
    return clean


def remembered(request) -> VisitorBusiness | None:
    """What this browser's session has been told of the business, if anything."""
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(stored, dict):
        return None
    business = VisitorBusiness(**_clean(stored))
    return business if business.is_known else None


def remember(request, **facts) -> VisitorBusiness | None:
    """Add what the person has just told us (council=GSS code, size, stage, sector,
    supplies=CPV codes) to what their session knows. Blank or unknown values change
    nothing; the session is written only when something changed."""
    clean = _clean(facts)
    if not clean:
        return remembered(request)
    before = remembered(request) or VisitorBusiness()
    after = replace(before, **clean)
    if after != before:
        stored = asdict(after)
        stored["supplies"] = list(after.supplies)
        request.session[SESSION_KEY] = stored
    return after


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
