"""What a contracts list URL asks for: ``OpportunityFilters``, read from a query
string, written back as its normalised form (what a saved search stores) and said in
words (what an email or the saved-search page shows).

``from_querydict`` never fails: a hand-edited or stale URL (or a saved search from
before a change) loses only the values it cannot use, and the page says which.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.lib import facets
from portal.places.choices import Place, council_place, region_place
from portal.places.models import Council, Region
from portal.procurement.models import BuyerType, CpvCode, NoticeStage
from portal.procurement.queries.facets import (
    CLOSING_WITHIN_DAYS,
    SME_SUITABLE,
    VALUE_BANDS,
    VALUE_BANDS_BY_KEY,
    VALUE_NOT_STATED,
    VCSE_SUITABLE,
    band_condition,
    closing_condition,
    cpv_condition,
)

MAX_QUERY_LENGTH = 200


SORTS = facets.Sorts(
    # The default: deadline soonest first, none last.
    facets.Sort(
        "closing",
        gettext_lazy("Closing soonest"),
        (F("deadline").asc(nulls_last=True), "title", "pk"),
    ),
    facets.Sort(
        "newest", gettext_lazy("Newest"), (F("published_at").desc(nulls_last=True), "-pk")
    ),
    # Value not stated last.
    facets.Sort(
        "value",
        gettext_lazy("Highest value"),
        (F("value_high").desc(nulls_last=True), F("deadline").asc(nulls_last=True), "pk"),
    ),
    facets.Sort(
        "relevance",
        gettext_lazy("Most relevant"),
        (F("deadline").asc(nulls_last=True), "pk"),
        by_relevance=True,
    ),
    default="closing",
)

# The GET parameters, in the order a normalised query string lists them.
PARAMS = (
    "q",
    "division",
    "group",
    "council",
    "region",
    "value",
    "value_not_stated",
    "closing",
    "sme",
    "vcse",
    "buyer",
    "stage",
)
TRUE_VALUES = {"1", "true", "on", "yes"}
FALSE_VALUES = {"", "0", "false", "off", "no"}


@dataclass
class OpportunityFilters:
    """What the list is asked to show. Query parameters:

    q words · division=72 (CPV divisions, any of; or the division's code, 72000000) ·
    group=722 (CPV groups, any of; or the group's code, 72200000; a chosen group narrows
    its chosen division) · council=E08000037 (GSS code: that
    council, its region and UK-wide) · region=north-east (slug or ITL1 code: the region,
    its councils and UK-wide) · value=under_25k (bands, any of) · value_not_stated=1
    (with the bands, also those whose value is not stated) · closing=7|14|30 (days) ·
    sme=1 · vcse=1 · buyer=public|private · stage=tender (notice types, any of) ·
    sort=closing|newest|value|relevance · page=2.
    """

    q: str = ""
    divisions: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    council: str = ""
    region: str = ""
    value_bands: list[str] = field(default_factory=list)
    include_not_stated: bool = False
    closing_within: int | None = None
    sme: bool = False
    vcse: bool = False
    buyer_type: str | None = None
    stages: list[str] = field(default_factory=list)
    sort: str = SORTS.default
    page: int = 1
    # What from_querydict dropped, said for the page.
    messages: list[str] = field(default_factory=list, compare=False, repr=False)
    # The council and region found by from_querydict, kept for describe() and the page.
    council_found: Council | None = field(default=None, compare=False, repr=False)
    region_found: Region | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_querydict(cls, querydict) -> "OpportunityFilters":
        """The filters a query string asks for. Never raises: values it cannot use are
        dropped, each with a message in ``messages``."""
        messages: list[str] = []

        def ignored(message: str, value: str) -> None:
            messages.append(message % {"value": value[:50]})

        def values(param: str) -> list[str]:
            seen = []
            for value in querydict.getlist(param, []):
                value = str(value).strip()
                if value and value not in seen:
                    seen.append(value)
            return seen

        def flag(param: str, name: str) -> bool:
            value = str(querydict.get(param, "") or "").strip()
            if value.lower() in TRUE_VALUES:
                return True
            if value.lower() not in FALSE_VALUES:
                messages.append(
                    _("“%(value)s” is not a choice for “%(filter)s”, so it was ignored.")
                    % {"value": value[:50], "filter": name}
                )
            return False

        words = " ".join(str(querydict.get("q", "") or "").split())[:MAX_QUERY_LENGTH]

        divisions = []
        for value in values("division"):
            if division := _leading_digits(value, 2):
                if division not in divisions:
                    divisions.append(division)
            else:
                ignored(
                    _("“%(value)s” is not a CPV division (2 digits), so it was ignored."), value
                )
        groups = []
        for value in values("group"):
            if group := _leading_digits(value, 3):
                if group not in groups:
                    groups.append(group)
            else:
                ignored(_("“%(value)s” is not a CPV group (3 digits), so it was ignored."), value)

        council_found = None
        council = str(querydict.get("council", "") or "").strip().upper()
        if council:
            if re.fullmatch(r"[A-Z]\d{8}", council):
                council_found = (
                    Council.objects.filter(gss_code=council, active=True)
                    .select_related("region")
                    .first()
                )
            if council_found is None:
                ignored(_("We do not know the council “%(value)s”, so it was ignored."), council)
                council = ""

        region_found = None
        region = str(querydict.get("region", "") or "").strip()
        if region:
            if re.fullmatch(r"[A-Za-z0-9-]{2,100}", region):
                region_found = (
                    Region.objects.filter(active=True)
                    .filter(Q(slug=region.lower()) | Q(itl_code=region.upper()))
                    .first()
                )
            if region_found is None:
                ignored(_("We do not know the region “%(value)s”, so it was ignored."), region)
                region = ""
            else:
                region = region_found.slug

        value_bands = []
        for value in values("value"):
            if value in VALUE_BANDS_BY_KEY:
                value_bands.append(value)
            else:
                ignored(_("“%(value)s” is not a value band, so it was ignored."), value)
        value_bands = [band.key for band in VALUE_BANDS if band.key in value_bands]

        closing_within = None
        closing = str(querydict.get("closing", "") or "").strip()
        if closing:
            if closing in {str(days) for days in CLOSING_WITHIN_DAYS}:
                closing_within = int(closing)
            else:
                ignored(_("“%(value)s” is not a closing date choice, so it was ignored."), closing)

        buyer_type = None
        buyer = str(querydict.get("buyer", "") or "").strip()
        if buyer:
            if buyer in BuyerType.values:
                buyer_type = buyer
            else:
                ignored(_("“%(value)s” is not a type of buyer, so it was ignored."), buyer)

        stages = []
        for value in values("stage"):
            if value in NoticeStage.values:
                stages.append(value)
            else:
                ignored(_("“%(value)s” is not a notice type, so it was ignored."), value)
        stages = [stage for stage in NoticeStage.values if stage in stages]

        sort = str(querydict.get("sort", "") or "").strip()
        if sort and sort not in SORTS:
            ignored(_("“%(value)s” is not a way to sort, so it was ignored."), sort)
        sort = SORTS.choose(sort, words=bool(words))

        try:
            page = max(1, int(str(querydict.get("page", "1") or "1")))
        except ValueError:
            page = 1

        return cls(
            q=words,
            divisions=sorted(divisions),
            groups=sorted(groups),
            council=council,
            region=region,
            value_bands=value_bands,
            include_not_stated=flag("value_not_stated", _("Include value not stated")),
            closing_within=closing_within,
            sme=flag("sme", _("Suitable for SMEs")),
            vcse=flag("vcse", _("Suitable for VCSEs")),
            buyer_type=buyer_type,
            stages=stages,
            sort=sort,
            page=page,
            messages=messages,
            council_found=council_found,
            region_found=region_found,
        )

    @classmethod
    def for_supplies(cls, codes, *, council: str = "") -> "OpportunityFilters":
        """The list filtered for what a business supplies and, if given, its council (a
        GSS code). Each CPV code ("72200000") or prefix ("722") gives its division and,
        when finer than a division, its group (the list filters no finer than groups);
        anything else is skipped."""
        divisions, groups = set(), set()
        for code in codes:
            digits = str(code).split("-")[0].strip()
            if not re.fullmatch(r"\d{2,8}", digits):
                continue
            divisions.add(digits[:2])
            if len(digits.ljust(8, "0").rstrip("0")) > 2:
                groups.add(digits[:3])
        return cls(divisions=sorted(divisions), groups=sorted(groups), council=council)

    def pairs(self) -> list[tuple[str, str]]:
        """The filters as (parameter, value) pairs, in the normalised order."""
        pairs = []
        if self.q:
            pairs.append(("q", self.q))
        pairs += [("division", value) for value in sorted(self.divisions)]
        pairs += [("group", value) for value in sorted(self.groups)]
        if self.council:
            pairs.append(("council", self.council))
        if self.region:
            pairs.append(("region", self.region))
        pairs += [("value", band.key) for band in VALUE_BANDS if band.key in self.value_bands]
        if self.include_not_stated:
            pairs.append(("value_not_stated", "1"))
        if self.closing_within:
            pairs.append(("closing", str(self.closing_within)))
        if self.sme:
            pairs.append(("sme", "1"))
        if self.vcse:
            pairs.append(("vcse", "1"))
        if self.buyer_type:
            pairs.append(("buyer", self.buyer_type))
        pairs += [("stage", stage) for stage in NoticeStage.values if stage in self.stages]
        return pairs

    def to_querystring(self, *, include_page: bool = False, include_sort: bool = False) -> str:
        """The normalised query string, without "?": the same filters always give the
        same string (what a saved search stores)."""
        pairs = self.pairs()
        if include_sort and self.sort != SORTS.default:
            pairs.append(("sort", self.sort))
        if include_page and self.page > 1:
            pairs.append(("page", str(self.page)))
        return urlencode(pairs)

    @property
    def has_filters(self) -> bool:
        return bool(self.pairs())

    def describe(self) -> list[str]:
        """The filters in words, one line each, e.g. ["Closing within 14 days", "In
        Gateshead (and North East, and UK-wide)"]. Empty when nothing is filtered."""
        lines = []
        if self.q:
            lines.append(_("Matching “%(words)s”") % {"words": self.q})
        codes = [f"{d}000000" for d in self.divisions] + [f"{g}00000" for g in self.groups]
        if codes:
            names = dict(CpvCode.objects.filter(code__in=codes).values_list("code", "description"))
            labels = [names.get(code, code) for code in codes]
            lines.append(_("CPV: %(codes)s") % {"codes": _(" or ").join(labels)})
        if self.council:
            council = self._council()
            if council is not None:
                lines.append(
                    _("In %(council)s (and %(region)s, and UK-wide)")
                    % {"council": council.name, "region": council.region.name}
                )
        if self.region:
            region = self._region()
            if region is not None:
                lines.append(
                    _("In %(region)s (and its councils, and UK-wide)") % {"region": region.name}
                )
        if self.value_bands:
            bands = _(" or ").join(
                str(band.label) for band in VALUE_BANDS if band.key in self.value_bands
            )
            if self.include_not_stated:
                lines.append(_("Value %(bands)s, or not stated") % {"bands": bands})
            else:
                lines.append(_("Value %(bands)s") % {"bands": bands})
        if self.closing_within:
            lines.append(
                ngettext(
                    "Closing within %(days)d day",
                    "Closing within %(days)d days",
                    self.closing_within,
                )
                % {"days": self.closing_within}
            )
        if self.sme:
            lines.append(_("Suitable for small and medium-sized enterprises (SMEs)"))
        if self.vcse:
            lines.append(_("Suitable for voluntary, community and social enterprises (VCSEs)"))
        if self.buyer_type:
            lines.append(
                _("Public sector buyers")
                if self.buyer_type == BuyerType.PUBLIC
                else _("Private sector buyers")
            )
        if self.stages:
            labels = [str(NoticeStage(stage).label) for stage in self.stages]
            lines.append(_("Notice type: %(types)s") % {"types": _(" or ").join(labels)})
        return lines

    def _council(self) -> Council | None:
        return self.council_found or (
            Council.objects.filter(gss_code=self.council).select_related("region").first()
        )

    def _region(self) -> Region | None:
        return self.region_found or Region.objects.filter(slug=self.region).first()

    def places(self) -> list[Place]:
        """The council and the region asked for (each narrows the list)."""
        council = self._council() if self.council else None
        region = self._region() if self.region else None
        return [
            *([council_place(council)] if council else []),
            *([region_place(region)] if region else []),
        ]

    def cpv_prefixes(self) -> list[str]:
        """The CPV prefixes the list asks for: each chosen group, and each chosen
        division none of whose groups is chosen (a chosen group narrows its division)."""
        prefixes = [
            division
            for division in self.divisions
            if not any(group.startswith(division) for group in self.groups)
        ]
        return prefixes + list(self.groups)

    def conditions(self, now: datetime) -> dict[str, facets.Condition]:
        """The condition of each chosen facet (division and group are one, "cpv")."""
        chosen = {}
        if prefixes := self.cpv_prefixes():
            chosen["cpv"] = facets.any_of(cpv_condition(prefix) for prefix in prefixes)
        if self.value_bands:
            bands = [band_condition(VALUE_BANDS_BY_KEY[key]) for key in self.value_bands]
            if self.include_not_stated:
                bands.append(VALUE_NOT_STATED)
            chosen["value"] = facets.any_of(bands)
        if self.closing_within:
            chosen["closing"] = closing_condition(now, self.closing_within)
        if self.sme:
            chosen["sme"] = SME_SUITABLE
        if self.vcse:
            chosen["vcse"] = VCSE_SUITABLE
        if self.buyer_type:
            chosen["buyer"] = facets.equals("buyer_type", self.buyer_type)
        if self.stages:
            chosen["stage"] = facets.any_of(facets.equals("stage", stage) for stage in self.stages)
        return chosen


def _leading_digits(value: str, length: int) -> str:
    """A division (length 2) or a group (length 3) from its digits ("72", "722") or its
    code ("72000000", "72200000", maybe with the check digit); "" for anything else."""
    if re.fullmatch(rf"\d{{{length}}}", value):
        return value
    if re.fullmatch(rf"\d{{{length}}}0{{{8 - length}}}(?:-\d)?", value):
        return value[:length]
    return ""
