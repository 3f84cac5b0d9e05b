"""Reads for the public contract opportunities: the list, its filters and facets, and
one opportunity's page.

``OpportunityFilters`` is what a list URL asks for. ``from_querydict`` never fails: a
hand-edited or stale URL (or a saved search from before a change) loses only the values
it cannot use, and the page says which. ``to_querystring`` is the normalised form that a
saved search stores, and ``describe`` the words an email or the saved-search page shows.

``search_page`` runs a fixed number of queries whatever the number of opportunities:
the total and every filter option's count come from one query of conditional counts
(as the catalogue's search does), then one query for the page and one per prefetched
relation.

Words match with PostgreSQL full-text search, weighted (title A, buyer B, description
C) and ranked, using the functional GIN index of migration
0003_opportunity_search_index.

On SQLite every word must appear in the title, the buyer's name or the description.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchVector
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import DecimalField, F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.lib import wordsearch
from portal.lib.choicesets import has_prefix_pattern
from portal.lib.wordsearch import weighted_vector, words_of
from portal.places.models import Council, Region
from portal.procurement.cpv import division_choices, group_choices
from portal.procurement.models import BuyerType, CpvCode, NoticeStage, Opportunity

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200
CLOSING_WITHIN_DAYS = (7, 14, 30)


@dataclass(frozen=True)
class ValueBand:
    key: str
    label: Any
    low: int | None  # inclusive, in pounds
    high: int | None  # exclusive


# An opportunity is in a band when its value range (lowest to highest stated value)
# overlaps the band. Amounts are compared as they are, whatever the currency.
VALUE_BANDS = (
    ValueBand("under_25k", gettext_lazy("Under £25,000"), None, 25_000),
    ValueBand("25k_100k", gettext_lazy("£25,000 to £100,000"), 25_000, 100_000),
    ValueBand("100k_500k", gettext_lazy("£100,000 to £500,000"), 100_000, 500_000),
    ValueBand("500k_2m", gettext_lazy("£500,000 to £2 million"), 500_000, 2_000_000),
    ValueBand("over_2m", gettext_lazy("Over £2 million"), 2_000_000, None),
)
VALUE_BANDS_BY_KEY = {band.key: band for band in VALUE_BANDS}
NOT_STATED = "not_stated"


class Sort:
    CLOSING = "closing"  # the default: deadline soonest first, none last
    NEWEST = "newest"  # most recently published first
    VALUE = "value"  # highest value first, value not stated last
    RELEVANCE = "relevance"  # best match of the words first (only with words)


SORTS = (
    (Sort.CLOSING, gettext_lazy("Closing soonest")),
    (Sort.NEWEST, gettext_lazy("Newest")),
    (Sort.VALUE, gettext_lazy("Highest value")),
    (Sort.RELEVANCE, gettext_lazy("Most relevant")),
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

    q words · division=72 (CPV divisions, any of) · group=722 (CPV groups, any of; a
    chosen group narrows its chosen division) · council=E08000037 (GSS code: that
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
    sort: str = Sort.CLOSING
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
            if re.fullmatch(r"\d{2}", value):
                divisions.append(value)
            else:
                ignored(
                    _("“%(value)s” is not a CPV division (2 digits), so it was ignored."), value
                )
        groups = []
        for value in values("group"):
            if re.fullmatch(r"\d{3}", value):
                groups.append(value)
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
        allowed_sorts = {Sort.CLOSING, Sort.NEWEST, Sort.VALUE} | (
            {Sort.RELEVANCE} if words else set()
        )
        if sort not in allowed_sorts:
            if sort and sort != Sort.RELEVANCE:
                ignored(_("“%(value)s” is not a way to sort, so it was ignored."), sort)
            sort = Sort.CLOSING

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
        if include_sort and self.sort != Sort.CLOSING:
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
            council = self.council_found or (
                Council.objects.filter(gss_code=self.council).select_related("region").first()
            )
            if council is not None:
                lines.append(
                    _("In %(council)s (and %(region)s, and UK-wide)")
                    % {"council": council.name, "region": council.region.name}
                )
        if self.region:
            region = self.region_found or Region.objects.filter(slug=self.region).first()
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


# Conditions, as ORM filters


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _value_range(queryset):
    """Annotate ``value_low`` and ``value_high``: the stated range (an amount of 0 is
    "not stated", like none), either end standing in for the other when only one is."""
    decimal = DecimalField(max_digits=16, decimal_places=2)
    value_min = NullIf(F("value_min"), Value(0, output_field=decimal))
    value_max = NullIf(F("value_max"), Value(0, output_field=decimal))
    return queryset.annotate(
        value_low=Coalesce(value_min, value_max, output_field=decimal),
        value_high=Coalesce(value_max, value_min, output_field=decimal),
    )


def _band_q(band: ValueBand) -> Q:
    condition = Q(value_high__isnull=False)
    if band.low is not None:
        condition &= Q(value_high__gte=band.low)
    if band.high is not None:
        condition &= Q(value_low__lt=band.high)
    return condition


def _cpv_codes(filters: OpportunityFilters) -> list[str]:
    """The CPV prefixes the list asks for: each chosen group, and each chosen division
    none of whose groups is chosen (a chosen group narrows its division)."""
    prefixes = [
        division
        for division in filters.divisions
        if not any(group.startswith(division) for group in filters.groups)
    ]
    return prefixes + list(filters.groups)


def _cpv_q(prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(cpv_codes__has_prefix=prefix)
    return condition


def _place_q(filters: OpportunityFilters) -> Q:
    """A business's council sees opportunities for it, its region and UK-wide ones; a
    region, those for it, any of its councils and UK-wide ones. An opportunity that
    names no place is for none."""
    condition = Q()
    in_regions = Opportunity.regions.through.objects
    in_councils = Opportunity.councils.through.objects
    if filters.council:
        condition &= (
            Q(uk_wide=True)
            | Q(
                pk__in=in_councils.filter(council__gss_code=filters.council).values(
                    "opportunity_id"
                )
            )
            | Q(
                pk__in=in_regions.filter(region__councils__gss_code=filters.council).values(
                    "opportunity_id"
                )
            )
        )
    if filters.region:
        region = Q(region__slug=filters.region) | Q(region__itl_code=filters.region.upper())
        council_region = Q(council__region__slug=filters.region) | Q(
            council__region__itl_code=filters.region.upper()
        )
        condition &= (
            Q(uk_wide=True)
            | Q(pk__in=in_regions.filter(region).values("opportunity_id"))
            | Q(pk__in=in_councils.filter(council_region).values("opportunity_id"))
        )
    return condition


def _facet_qs(filters: OpportunityFilters, now: datetime) -> dict[str, Q]:
    """The condition of each chosen facet (unchosen facets are absent)."""
    conditions = {}
    prefixes = _cpv_codes(filters)
    if prefixes:
        conditions["cpv"] = _cpv_q(prefixes)
    if filters.value_bands:
        condition = Q()
        for key in filters.value_bands:
            condition |= _band_q(VALUE_BANDS_BY_KEY[key])
        if filters.include_not_stated:
            condition |= Q(value_high__isnull=True)
        conditions["value"] = condition
    if filters.closing_within:
        conditions["closing"] = Q(deadline__lte=now + timedelta(days=filters.closing_within))
    if filters.sme:
        conditions["sme"] = Q(sme_suitable=True)
    if filters.vcse:
        conditions["vcse"] = Q(vcse_suitable=True)
    if filters.buyer_type:
        conditions["buyer"] = Q(buyer_type=filters.buyer_type)
    if filters.stages:
        conditions["stage"] = Q(stage__in=filters.stages)
    return conditions


# Words (portal/lib/wordsearch.py does the work, for contracts and the catalogue alike)


def search_vector() -> SearchVector:
    """The weighted document: A title, B buyer, C description. The GIN index of
    migration 0003_opportunity_search_index must stay this expression, byte for byte."""
    return weighted_vector((("title",), "A"), (("buyer_name",), "B"), (("description",), "C"))


def match_words(queryset, words: str):
    return wordsearch.match_words(
        queryset, words, vector=search_vector(), fields=["title", "buyer_name", "description"]
    )


def _rank_by_words(queryset, words: str):
    return wordsearch.rank_by_words(
        queryset,
        words,
        vector=search_vector(),
        points={"title": 4, "buyer_name": 2, "description": 1},
    )


# The list


def _base(filters: OpportunityFilters, now: datetime):
    """Listed opportunities matching the words and the place: what the facets count."""
    queryset = _value_range(Opportunity.objects.listed(now=now))
    return match_words(queryset, filters.q).filter(_place_q(filters))


def _ordered(queryset, filters: OpportunityFilters):
    if filters.sort == Sort.RELEVANCE and words_of(filters.q):
        return _rank_by_words(queryset, filters.q).order_by(
            "-rank", F("deadline").asc(nulls_last=True), "pk"
        )
    if filters.sort == Sort.NEWEST:
        return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
    if filters.sort == Sort.VALUE:
        return queryset.order_by(
            F("value_high").desc(nulls_last=True), F("deadline").asc(nulls_last=True), "pk"
        )
    return queryset.order_by(F("deadline").asc(nulls_last=True), "title", "pk")


def listed_opportunities(filters: OpportunityFilters, *, now: datetime | None = None):
    """The public list's opportunities matching every filter, ordered by the sort. Each
    is annotated with ``value_low`` and ``value_high`` (None when not stated)."""
    now = _now(now)
    queryset = _base(filters, now).filter(*_facet_qs(filters, now).values())
    return _ordered(queryset, filters)


# Facet counts


def _column(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _option_conditions(
    connection, divisions: list[str], groups: list[str], now: datetime
) -> list[tuple[str, str, str, list]]:
    """Every option the page counts: (facet, option, SQL over the counted columns,
    params). The SQL mirrors ``_facet_qs``."""
    cpv = _column(connection, "cpv_codes")
    low, high = _column(connection, "value_low"), _column(connection, "value_high")
    deadline = _column(connection, "deadline")
    options = []
    for division in divisions:
        options.append(
            ("division", division, f"{cpv} LIKE %s ESCAPE '\\'", [has_prefix_pattern(division)])
        )
    for group in groups:
        options.append(("group", group, f"{cpv} LIKE %s ESCAPE '\\'", [has_prefix_pattern(group)]))
    for band in VALUE_BANDS:
        options.append(("value", band.key, *_band_sql(band, low, high)))
    options.append(("value", NOT_STATED, f"{high} IS NULL", []))
    for days in CLOSING_WITHIN_DAYS:
        options.append(("closing", str(days), *_closing_sql(connection, deadline, now, days)))
    options.append(("sme", "1", f"{_column(connection, 'sme_suitable')} = %s", [True]))
    options.append(("vcse", "1", f"{_column(connection, 'vcse_suitable')} = %s", [True]))
    for buyer_type in BuyerType.values:
        options.append(
            ("buyer", buyer_type, f"{_column(connection, 'buyer_type')} = %s", [buyer_type])
        )
    for stage in NoticeStage.values:
        options.append(("stage", stage, f"{_column(connection, 'stage')} = %s", [stage]))
    return options


def _band_sql(band: ValueBand, low: str, high: str) -> tuple[str, list]:
    parts, params = [f"{high} IS NOT NULL"], []
    if band.low is not None:
        parts.append(f"{high} >= %s")
        params.append(band.low)
    if band.high is not None:
        parts.append(f"{low} < %s")
        params.append(band.high)
    return "(" + " AND ".join(parts) + ")", params


def _closing_sql(connection, deadline: str, now: datetime, days: int) -> tuple[str, list]:
    until = connection.ops.adapt_datetimefield_value(now + timedelta(days=days))
    return f"({deadline} IS NOT NULL AND {deadline} <= %s)", [until]


def _chosen_conditions(
    connection, filters: OpportunityFilters, now: datetime
) -> list[tuple[str, str, list]]:
    """The chosen facets as SQL: (facet, condition, params). Division and group are
    one facet, "cpv", as in ``_facet_qs``."""
    cpv = _column(connection, "cpv_codes")
    high = _column(connection, "value_high")
    low = _column(connection, "value_low")
    chosen = []

    def any_of(parts: list[tuple[str, list]]) -> tuple[str, list]:
        return (
            "(" + " OR ".join(sql for sql, _params in parts) + ")",
            [param for _sql, params in parts for param in params],
        )

    prefixes = _cpv_codes(filters)
    if prefixes:
        sql, params = any_of(
            [(f"{cpv} LIKE %s ESCAPE '\\'", [has_prefix_pattern(p)]) for p in prefixes]
        )
        chosen.append(("cpv", sql, params))
    if filters.value_bands:
        parts = [_band_sql(VALUE_BANDS_BY_KEY[key], low, high) for key in filters.value_bands]
        if filters.include_not_stated:
            parts.append((f"{high} IS NULL", []))
        chosen.append(("value", *any_of(parts)))
    if filters.closing_within:
        deadline = _column(connection, "deadline")
        chosen.append(
            ("closing", *_closing_sql(connection, deadline, now, filters.closing_within))
        )
    if filters.sme:
        chosen.append(("sme", f"{_column(connection, 'sme_suitable')} = %s", [True]))
    if filters.vcse:
        chosen.append(("vcse", f"{_column(connection, 'vcse_suitable')} = %s", [True]))
    if filters.buyer_type:
        chosen.append(("buyer", f"{_column(connection, 'buyer_type')} = %s", [filters.buyer_type]))
    if filters.stages:
        placeholders = ", ".join(["%s"] * len(filters.stages))
        chosen.append(
            ("stage", f"{_column(connection, 'stage')} IN ({placeholders})", list(filters.stages))
        )
    return chosen


# Which chosen facet each option's count ignores: its own.
FACET_OF_OPTION = {
    "division": "cpv",
    "group": "cpv",
    "value": "value",
    "closing": "closing",
    "sme": "sme",
    "vcse": "vcse",
    "buyer": "buyer",
    "stage": "stage",
}
COUNTED_FIELDS = (
    "cpv_codes",
    "deadline",
    "sme_suitable",
    "vcse_suitable",
    "buyer_type",
    "stage",
    "value_low",
    "value_high",
)


@dataclass
class FacetCounts:
    total: int
    # option facet ("division", "group", "value", "closing", "sme", "vcse", "buyer",
    # "stage") → {option: count}; "closing" also has "any" (no closing filter).
    options: dict[str, dict[str, int]]


def count_facets(
    filters: OpportunityFilters,
    *,
    divisions: list[str],
    groups: list[str] = (),
    now: datetime | None = None,
) -> FacetCounts:
    """The total and each option's count, in one query.

    Each option's count is what choosing it would give with every other filter as it is
    (options of one facet combine with "or"). The matching opportunities are grouped by
    which chosen facets they match (at most 2**7 groups), each group counting every
    option; the sums over the groups that match "every other facet" are done here.
    """
    now = _now(now)
    base = _base(filters, now)
    connection = connections[base.db]
    chosen = _chosen_conditions(connection, filters, now)
    options = _option_conditions(connection, list(divisions), list(groups), now)

    inner_sql, inner_params = (
        base.order_by().values(*COUNTED_FIELDS).query.get_compiler(using=base.db).as_sql()
    )
    columns = [f"CASE WHEN {sql} THEN 1 ELSE 0 END" for _facet, sql, _params in chosen]
    columns.append("COUNT(*)")
    columns += [f"COUNT(CASE WHEN {sql} THEN 1 END)" for _f, _o, sql, _params in options]
    params = [param for _facet, _sql, facet_params in chosen for param in facet_params]
    params += [param for _f, _o, _sql, option_params in options for param in option_params]
    sql = f"SELECT {', '.join(columns)} FROM ({inner_sql}) counted"
    if chosen:
        sql += " GROUP BY " + ", ".join(str(position) for position in range(1, len(chosen) + 1))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        rows = cursor.fetchall()

    chosen_facets = [facet for facet, _sql, _params in chosen]
    counted: dict[str, dict[str, int]] = {}
    for facet, option, _sql, _params in options:
        counted.setdefault(facet, {})[option] = 0
    counted.setdefault("closing", {})["any"] = 0
    total = 0
    for row in rows:
        matched = dict(zip(chosen_facets, row, strict=False))
        group_total, *option_counts = row[len(chosen_facets) :]
        if not group_total:
            continue
        if all(matched.values()):
            total += group_total
        others = {
            facet: all(ok for other, ok in matched.items() if other != facet)
            for facet in set(FACET_OF_OPTION.values())
        }
        if others["closing"]:
            counted["closing"]["any"] += group_total
        for (facet, option, _sql, _params), count in zip(options, option_counts, strict=True):
            if others[FACET_OF_OPTION[facet]]:
                counted[facet][option] += count
    return FacetCounts(total=total, options=counted)


# CPV names


# The page


@dataclass
class SearchPage:
    filters: OpportunityFilters
    page: Page
    opportunities: list[Opportunity]
    total: int
    counts: FacetCounts
    divisions: list[tuple[str, str]]  # every division: (2 digits, description)
    groups: list[tuple[str, str]]  # the groups of the chosen divisions


# What a result shows: the description can be long and is not shown.
RESULT_FIELDS = (
    "public_id",
    "title",
    "buyer_name",
    "buyer_type",
    "cpv_codes",
    "value_min",
    "value_max",
    "currency",
    "published_at",
    "deadline",
    "uk_wide",
    "delivery_location",
    "sme_suitable",
    "vcse_suitable",
    "stage",
    "status",
)


def search_page(
    filters: OpportunityFilters,
    *,
    now: datetime | None = None,
    per_page: int = RESULTS_PER_PAGE,
) -> SearchPage:
    """One page of the list with the total and the facet counts, in a fixed number of
    queries: (the CPV divisions, once per process), the groups when a division is
    chosen, the counts, the page, and one for each of its regions and councils."""
    now = _now(now)
    divisions = division_choices()
    # The groups of the chosen divisions, and of chosen groups' divisions: a chosen group
    # stays on show (and can be unchosen) when its division is unchosen.
    groups = group_choices(*sorted({*filters.divisions, *(g[:2] for g in filters.groups)}))
    counts = count_facets(
        filters,
        divisions=[code for code, _name in divisions],
        groups=[code for code, _name in groups],
        now=now,
    )
    queryset = (
        listed_opportunities(filters, now=now)
        .only(*RESULT_FIELDS)
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("id", "name", "slug")),
            Prefetch("councils", queryset=Council.objects.only("id", "name", "gss_code")),
        )
    )
    paginator = Paginator(queryset, per_page)
    paginator.count = counts.total  # counted with the facets: no second count query
    page = paginator.get_page(filters.page)
    return SearchPage(
        filters=filters,
        page=page,
        opportunities=list(page.object_list),
        total=counts.total,
        counts=counts,
        divisions=divisions,
        groups=groups,
    )


# One opportunity


def opportunity_for_page(public_id) -> Opportunity | None:
    """An opportunity (any status: the caller checks who may see it) with what its page
    shows: buyer and publisher, places and lots. Four queries."""
    return (
        _value_range(Opportunity.objects.filter(public_id=public_id))
        .select_related("publisher", "buyer")
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("id", "name", "slug")),
            Prefetch("councils", queryset=Council.objects.only("id", "name", "gss_code")),
            "lots",
        )
        .first()
    )
