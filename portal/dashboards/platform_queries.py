"""The dashboards' raw figures about what the platform offers and how it is used: support
listed for a place by scope, kind and dimension (supply); referrals, "useful" marks,
opportunity page views and saved searches (use); requests for advice and their outcomes.
Counts of listings and events, not of businesses (those are in queries.py); like them,
published only through portal/dashboards/figures.py and its disclosure control.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import parse_qs

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils import timezone

from portal.advice.queries import AdviceCounts, advice_counts
from portal.catalogue.models import Offer, Referral
from portal.dashboards.queries import DIMENSIONS, SCOPES
from portal.lib.vocabularies import SupportKind
from portal.matching.models import Feedback
from portal.places.choices import Place, place_choices
from portal.procurement.models import Opportunity, SavedSearch


def _offers_in(place: Place | None, *, today: dt.date):
    return Offer.objects.visible(today)


def _listed_in_councils_q(place: Place | None) -> Q:
    through = Offer.councils.through.objects
    if place is None:
        listed = through.all()
    elif place.is_council:
        listed = through.filter(council_id=place.council_id)
    else:
        listed = through.filter(council__region_id=place.region_id)
    return Q(pk__in=listed.values("offer_id"))


def _listed_in_regions_q(place: Place | None) -> Q:
    through = Offer.regions.through.objects
    listed = through.all() if place is None else through.filter(region_id=place.region_id)
    return Q(pk__in=listed.values("offer_id"))


def supply(place: Place | None, *, today: dt.date) -> dict:
    """Published, open offers available to businesses in the place, by dimension and by
    kind, each in its narrowest scope: local (listed for the place's councils), regional
    (for its region, not local), national (UK-wide only); and those overdue for review.
    One query: each offer's scope worked out once (a CASE), then counted by scope and
    kind with the dimensions as filtered counts. These are counts of public listings,
    not of businesses."""
    local = _listed_in_councils_q(place)
    regional = _listed_in_regions_q(place)
    scope = Case(
        When(local, then=Value("local")),
        When(regional, then=Value("regional")),
        When(uk_wide=True, then=Value("national")),
        default=Value(""),
        output_field=CharField(),
    )
    aggregates = {"offers": Count("pk"), "overdue": Count("pk", filter=Q(review_due__lt=today))}
    for dimension in DIMENSIONS:
        aggregates[f"d_{dimension}"] = Count("pk", filter=Q(dimensions__has=dimension))
    rows = (
        _offers_in(place, today=today)
        .order_by()
        .annotate(scope=scope)
        .exclude(scope="")
        .values("scope", "kind")
        .annotate(**aggregates)
    )
    totals = dict.fromkeys(SCOPES, 0)
    dimensions = {(d, s): 0 for d in DIMENSIONS for s in SCOPES}
    kinds = {(kind, s): 0 for kind in SupportKind.values for s in SCOPES}
    overdue = 0
    for row in rows:
        where = row["scope"]
        totals[where] += row["offers"]
        overdue += row["overdue"]
        if (row["kind"], where) in kinds:
            kinds[row["kind"], where] += row["offers"]
        for dimension in DIMENSIONS:
            dimensions[dimension, where] += row[f"d_{dimension}"]
    return {"overdue": overdue, "totals": totals, "dimensions": dimensions, "kinds": kinds}


def use(place: Place | None, *, start, today: dt.date) -> dict:
    """Referrals (clicks through to an offer's site) and "useful" marks on offers
    available in the place, by kind and dimension; the most-followed offers; opportunity
    page views and saved searches by CPV division. Events and sessions, not businesses.
    Six queries."""
    available = Offer.objects.filter(
        _listed_in_councils_q(place) | _listed_in_regions_q(place) | Q(uk_wide=True)
    ).values("pk")
    referrals = Referral.objects.filter(offer_id__in=available)
    marks = Feedback.objects.filter(offer_id__in=available)
    if start is not None:
        referrals = referrals.filter(at__gte=start)
        marks = marks.filter(day__gte=timezone.localtime(start).date())

    def by_kind_and_dimension(rows, prefix: str, extra: Q | None = None):
        extra = extra if extra is not None else Q()
        aggregates = {}
        for kind in SupportKind.values:
            aggregates[f"k_{kind}"] = Count("pk", filter=extra & Q(**{f"{prefix}kind": kind}))
        for dimension in DIMENSIONS:
            aggregates[f"d_{dimension}"] = Count(
                "pk", filter=extra & Q(**{f"{prefix}dimensions__has": dimension})
            )
        return aggregates

    referral_rows = referrals.aggregate(**by_kind_and_dimension(referrals, "offer__"))
    mark_aggregates = by_kind_and_dimension(marks, "offer__", Q(useful=True))
    mark_aggregates["marks"] = Count("pk")
    mark_aggregates["useful"] = Count("pk", filter=Q(useful=True))
    mark_rows = marks.aggregate(**mark_aggregates)
    followed = list(
        referrals.order_by()
        .values("offer__slug", "offer__title")
        .annotate(clicks=Count("pk"))
        .order_by("-clicks", "offer__title")[:10]
    )
    return {
        "referrals_by_kind": {k: referral_rows[f"k_{k}"] for k in SupportKind.values},
        "referrals_by_dimension": {d: referral_rows[f"d_{d}"] for d in DIMENSIONS},
        "useful_by_kind": {k: mark_rows[f"k_{k}"] for k in SupportKind.values},
        "useful_by_dimension": {d: mark_rows[f"d_{d}"] for d in DIMENSIONS},
        "marks": mark_rows["marks"],
        "useful": mark_rows["useful"],
        "followed": [(row["offer__slug"], row["offer__title"], row["clicks"]) for row in followed],
        "views_by_division": opportunity_views_by_division(start=start),
        "saved_searches_by_division": saved_searches_by_division(),
    }


def opportunity_views_by_division(*, start) -> dict[str, int]:
    """Opportunity page views in the period by the CPV division (first two digits) of
    each opportunity's codes (an opportunity in two divisions counts in both). Two
    queries."""
    from portal.dashboards.models import OpportunityViews

    views = OpportunityViews.objects.order_by()
    if start is not None:
        views = views.filter(day__gte=timezone.localtime(start).date())
    per_opportunity = dict(
        views.values("opportunity_id")
        .annotate(total=Sum("views"))
        .values_list("opportunity_id", "total")
    )
    if not per_opportunity:
        return {}
    codes = Opportunity.objects.filter(pk__in=views.values("opportunity_id")).values_list(
        "pk", "cpv_codes"
    )
    found: dict[str, int] = defaultdict(int)
    for pk, cpv_codes in codes:
        for division in sorted({code[:2] for code in cpv_codes or ()}):
            found[division] += per_opportunity.get(pk, 0)
    return dict(found)


def opportunity_views_of(opportunity_ids: list[int]) -> dict[int, int]:
    """Each opportunity's page views since they were first counted, by its id (those
    never viewed are left out). One query: the posting dashboard's "Page views"."""
    from portal.dashboards.models import OpportunityViews

    return dict(
        OpportunityViews.objects.filter(opportunity_id__in=opportunity_ids)
        .order_by()
        .values("opportunity_id")
        .annotate(total=Sum("views"))
        .values_list("opportunity_id", "total")
    )


def saved_searches_by_division() -> dict[str, int]:
    """Confirmed, current saved searches of opportunities by the CPV division they ask
    for (a search naming two divisions counts in both). One query."""
    queries = SavedSearch.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).values_list("query", flat=True)
    found: dict[str, int] = defaultdict(int)
    for query in queries:
        divisions = {code[:2] for code in parse_qs(query).get("cpv", []) if code[:2].isdigit()}
        for division in divisions:
            found[division] += 1
    return dict(found)


def advice(place: Place | None, *, start) -> AdviceCounts:
    """Requests for advice asked in the period about businesses in the place, and the
    outcomes recorded in it (portal/advice/queries.py): two queries."""
    if place is None:
        council_ids = None
    elif place.is_council:
        council_ids = [place.council_id]
    else:
        council_ids = [
            council.council_id
            for group in place_choices()
            if group.region.region_id == place.region_id
            for council in group.councils
        ]
    return advice_counts(council_ids=council_ids, since=start)
