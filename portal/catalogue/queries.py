"""Reads for the public catalogue: what founders may see, search and be matched with.

Every function runs a fixed number of queries whatever the size of the catalogue:
the search page's facet counts are one query of conditional aggregates.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.search import (
    EQUALS,
    FACETS,
    HAS,
    OPEN_NOW,
    Criteria,
    Facet,
    Sort,
    facet_q,
    match_words,
    open_now_q,
    rank_by_words,
)
from portal.lib.choicesets import has_pattern
from portal.places.models import Council

# Offers this long overdue for review leave the matcher (they stay searchable).
MATCHER_GRACE = timedelta(days=60)

# The fields a search result shows: the description can be long and is not shown.
RESULT_FIELDS = (
    "title",
    "slug",
    "summary",
    "provider_name",
    "kind",
    "cost",
    "delivery",
    "always_open",
    "opens",
    "closes",
    "review_due",
    "published",
    "created",
)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def visible_offers(*, today: date | None = None):
    """Published offers that have not closed, each annotated with ``out_of_date``
    (overdue for review: the page warns "This information may be out of date")."""
    today = _today(today)
    return (
        Offer.objects.filter(status=OfferStatus.PUBLISHED)
        .filter(Q(closes__isnull=True) | Q(closes__gte=today))
        .annotate(
            out_of_date=ExpressionWrapper(Q(review_due__lt=today), output_field=BooleanField())
        )
    )


def matchable_offers(*, today: date | None = None):
    """What the matcher may recommend: visible, and not more than 60 days overdue."""
    today = _today(today)
    return visible_offers(today=today).filter(review_due__gte=today - MATCHER_GRACE)


def published_offer(slug: str, *, today: date | None = None) -> Offer | None:
    """A published offer for its public page (also once closed), with its places."""
    return (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, slug=slug)
        .annotate(
            out_of_date=ExpressionWrapper(
                Q(review_due__lt=_today(today)), output_field=BooleanField()
            )
        )
        .prefetch_related("regions", "councils")
        .first()
    )


def offer_to_refer(slug: str) -> Offer | None:
    """A published offer whose link a founder follows."""
    return (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, slug=slug)
        .only("pk", "slug", "application_url")
        .first()
    )


# Places


class Place(NamedTuple):
    """A council or a region. A named tuple, not a frozen dataclass: the search page
    builds ~370 of them a request, and a frozen dataclass is several times slower to
    create."""

    code: str  # a council's GSS code or a region's ONS code
    name: str
    council_id: int | None
    region_id: int
    region_name: str

    @property
    def is_council(self) -> bool:
        return self.council_id is not None


@dataclass(frozen=True)
class RegionPlaces:
    region: Place
    councils: list[Place]


def place_choices() -> list[RegionPlaces]:
    """Every active region with its active councils, in ITL order: one query."""
    grouped: dict[int, RegionPlaces] = {}
    councils = (
        Council.objects.active()
        .filter(region__active=True)
        .order_by("region__itl_code", "name")
        .values_list("id", "name", "gss_code", "region_id", "region__name", "region__ons_code")
    )
    for council_id, name, gss_code, region_id, region_name, region_code in councils:
        if region_id not in grouped:
            grouped[region_id] = RegionPlaces(
                region=Place(region_code, region_name, None, region_id, region_name),
                councils=[],
            )
        grouped[region_id].councils.append(
            Place(gss_code, name, council_id, region_id, region_name)
        )
    return list(grouped.values())


def find_place(code: str, choices: list[RegionPlaces]) -> Place | None:
    for group in choices:
        if group.region.code == code:
            return group.region
        for council in group.councils:
            if council.code == code:
                return council
    return None


def place_q(place: Place | None) -> Q:
    """A business in a council sees offers for that council, its region and UK-wide;
    a region shows offers for that region, any of its councils and UK-wide."""
    if place is None:
        return Q()
    in_regions = Offer.regions.through.objects.filter(region_id=place.region_id)
    if place.is_council:
        in_councils = Offer.councils.through.objects.filter(council_id=place.council_id)
    else:
        in_councils = Offer.councils.through.objects.filter(council__region_id=place.region_id)
    return (
        Q(uk_wide=True)
        | Q(pk__in=in_regions.values("offer_id"))
        | Q(pk__in=in_councils.values("offer_id"))
    )


# Search


@dataclass
class FacetCounts:
    total: int
    # facet param → {value: count}; OPEN_NOW → {"1": count}
    options: dict[str, dict[str, int]]


# What the facet counts read from each matching offer.
COUNTED_FIELDS = (
    "kind",
    "dimensions",
    "sizes",
    "stages",
    "sic_sections",
    "cost",
    "delivery",
    "always_open",
    "opens",
    "closes",
)


def _column(connection, field_name: str) -> str:
    return connection.ops.quote_name(Offer._meta.get_field(field_name).column)


def _option_sql(connection, facet: Facet, value: str) -> tuple[str, list]:
    """``option_q(facet, value)`` as SQL over the columns of the counted offers."""
    column = _column(connection, facet.field)
    if facet.match == EQUALS:
        return f"{column} = %s", [value]
    has = f"{column} LIKE %s ESCAPE '\\'"
    if facet.match == HAS:
        return has, [has_pattern(value)]
    return f"({column} = '' OR {has})", [has_pattern(value)]


def _open_now_sql(connection, today: date) -> tuple[str, list]:
    """``open_now_q(today)`` as SQL over the columns of the counted offers."""
    always_open, opens, closes = (
        _column(connection, name) for name in ("always_open", "opens", "closes")
    )
    day = connection.ops.adapt_datefield_value(today)
    return (
        f"({always_open} OR (({opens} IS NULL OR {opens} <= %s)"
        f" AND ({closes} IS NULL OR {closes} >= %s)))",
        [day, day],
    )


_tallies_by_vendor: dict[str, tuple] = {}


def _option_tallies(connection) -> tuple[tuple[tuple[str, str], ...], str, tuple]:
    """Every option of every facet and the SQL counting each: ((param, value), ...),
    "COUNT(CASE WHEN ... THEN 1 END), ...", params. The same for every search, so
    written once per process and database vendor: built by the ORM for each request,
    these 57 conditional aggregates cost ~15 ms, ten times the query itself."""
    if connection.vendor not in _tallies_by_vendor:
        keys, tallies, params = [], [], []
        for facet in FACETS:
            for value in facet.choices.values:
                sql, option_params = _option_sql(connection, facet, value)
                keys.append((facet.param, value))
                tallies.append(f"COUNT(CASE WHEN {sql} THEN 1 END)")
                params += option_params
        _tallies_by_vendor[connection.vendor] = (tuple(keys), ", ".join(tallies), tuple(params))
    return _tallies_by_vendor[connection.vendor]


def _count_facets(base, criteria: Criteria, today: date) -> FacetCounts:
    """The total and every option's count, in one query.

    Each option's count is what choosing it would give with every other facet as it
    is, the usual convention for facets whose options combine with "or". The matching
    offers are grouped by which of the chosen facets they match (at most 2**8 groups),
    each group counting every option; the sums over the groups that match "every other
    facet" are done here.
    """
    connection = connections[base.db]
    flags, flag_params = [], []
    chosen = []
    for facet in FACETS:
        values = criteria.values(facet.param)
        if values:
            conditions = [_option_sql(connection, facet, value) for value in values]
            flags.append(" OR ".join(sql for sql, _params in conditions))
            flag_params += [param for _sql, params in conditions for param in params]
            chosen.append(facet.param)
    open_now_sql, open_now_params = _open_now_sql(connection, today)
    if criteria.open_now:
        flags.append(open_now_sql)
        flag_params += open_now_params
        chosen.append(OPEN_NOW)

    keys, tallies, tally_params = _option_tallies(connection)
    keys = (*keys, (OPEN_NOW, "1"))
    offers_sql, offers_params = (
        base.order_by().values(*COUNTED_FIELDS).query.get_compiler(using=base.db).as_sql()
    )
    columns = [f"CASE WHEN {flag} THEN 1 ELSE 0 END" for flag in flags]
    columns += ["COUNT(*)", tallies, f"COUNT(CASE WHEN {open_now_sql} THEN 1 END)"]
    sql = f"SELECT {', '.join(columns)} FROM ({offers_sql}) counted"
    if flags:
        sql += " GROUP BY " + ", ".join(str(position) for position in range(1, len(flags) + 1))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*flag_params, *tally_params, *open_now_params, *offers_params])
        rows = cursor.fetchall()

    total = 0
    counted: dict[str, dict[str, int]] = {}
    for param, value in keys:
        counted.setdefault(param, {})[value] = 0
    for row in rows:
        matched = dict(zip(chosen, row, strict=False))
        group_total, *option_counts = row[len(chosen) :]
        if all(matched.values()):
            total += group_total
        # For each facet, whether the group matches every other chosen facet.
        others_match = {
            param: all(ok for other, ok in matched.items() if other != param) for param in counted
        }
        for (param, value), count in zip(keys, option_counts, strict=True):
            if others_match[param]:
                counted[param][value] += count
    return FacetCounts(total=total, options=counted)


def search_offers(criteria: Criteria, *, place: Place | None, today: date | None = None):
    """(the matching offers, ordered, not yet paged; FacetCounts)."""
    today = _today(today)
    base = match_words(visible_offers(today=today), criteria.words).filter(place_q(place))
    counts = _count_facets(base, criteria, today)

    offers = base.filter(
        *(facet_q(facet, criteria.values(facet.param)) for facet in FACETS),
        open_now_q(today) if criteria.open_now else Q(),
    )
    if criteria.words and criteria.sort == Sort.RELEVANCE:
        offers = rank_by_words(offers, criteria.words).order_by("-rank", "title", "pk")
    elif criteria.sort == Sort.CLOSING:
        offers = offers.order_by(F("closes").asc(nulls_last=True), "title", "pk")
    else:
        offers = offers.order_by(F("published").desc(nulls_last=True), "-created", "-pk")
    return offers.only(*RESULT_FIELDS), counts
