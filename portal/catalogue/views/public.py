"""Founders: search the catalogue, read an offer, follow its link."""

from urllib.parse import urlencode, urlsplit

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.catalogue import eligibility, queries
from portal.catalogue.check_forms import BusinessCheckForm
from portal.catalogue.models import Cost, Delivery
from portal.catalogue.panels import render_offer_panels
from portal.catalogue.search import (
    OPEN_NOW,
    SORTS,
    criteria_from_query,
    facet_groups,
    profile_query,
    vocabulary_labels,
)
from portal.catalogue.services.referrals import recommendation_facts, record_referral
from portal.core import visitor
from portal.lib import facets
from portal.lib.vocabularies import BusinessSize, Dimension, SicSection, Stage, SupportKind
from portal.places.choices import place_choices

RESULTS_PER_PAGE = 20


# A slug no offer has, replaced by each result's own: one reverse() a page, not one a result.
_SLUG = "slug-of-the-offer"


def _with_labels(offers, *, query: str) -> list:
    """The page's offers, each with the labels its result shows and its ``link``, the
    offer's page with ``query``."""
    kinds, costs, deliveries = (vocabulary_labels(v) for v in (SupportKind, Cost, Delivery))
    link = reverse("catalogue:offer", args=[_SLUG]) + query
    offers = list(offers)
    for offer in offers:
        offer.link = link.replace(_SLUG, offer.slug)
        offer.kind_label = kinds.get(offer.kind, offer.kind)
        offer.cost_label = costs.get(offer.cost, offer.cost)
        offer.delivery_label = deliveries.get(offer.delivery, offer.delivery)
    return offers


def _single(values: tuple[str, ...]) -> str:
    return values[0] if len(values) == 1 else ""


def _remember_filters(request, criteria) -> None:
    """A council, size, stage or sector chosen alone in the filters describes the
    founder's business: kept for the next pages (portal/core/visitor.py)."""
    visitor.remember(
        request,
        council=criteria.place,
        size=_single(criteria.values("size")),
        stage=_single(criteria.values("stage")),
        sector=_single(criteria.values("sector")),
    )


def _filtered_for(criteria, business) -> bool:
    """Whether the list shows what it opens with for ``business``: its place, size,
    stage and sector and no other of those filters (words and other facets may add)."""
    if business is None:
        return False
    query = business.support_query()
    return (
        bool(query)
        and criteria.place == query.get("place", "")
        and all(
            criteria.values(param) == ((query[param],) if param in query else ())
            for param in ("size", "stage", "sector")
        )
    )


@require_safe
def search(request):
    business = visitor.remembered(request)
    if not request.GET and business is not None and business.support_query():
        # The list opens filtered for the founder's business; "see all" asks ?all=1.
        return redirect(reverse("catalogue:search") + "?" + urlencode(business.support_query()))
    criteria = criteria_from_query(request.GET)
    _remember_filters(request, criteria)
    business = visitor.remembered(request)
    places = place_choices()
    place = places.find(criteria.place) if criteria.place else None
    offers, counts = queries.search_offers(criteria, place=place)

    paginator = Paginator(offers, RESULTS_PER_PAGE)
    paginator.count = counts.total  # counted with the facets: no second count query
    page = paginator.get_page(criteria.page)

    open_now_count = counts.of(OPEN_NOW, "1")
    open_now = facets.FacetGroup(
        OPEN_NOW,
        "",
        [facets.Option(OPEN_NOW, "1", _("Open now"), open_now_count, criteria.open_now, "open-1")],
    )
    facet_list = facet_groups(criteria, counts)
    profile = profile_query(criteria, place.code if place and place.is_council else "")
    profile = ("?" + urlencode(profile)) if profile else ""
    context = {
        "criteria": criteria,
        "page_obj": page,
        "offers": _with_labels(page.object_list, query=profile),
        "total": counts.total,
        "facets": facet_list,
        "open_now": open_now,
        "counted_facets": [open_now, *facet_list],
        "open_now_count": open_now_count,
        "places": places,
        "place": place,
        "sorts": SORTS.options(
            criteria.sort, words=bool(criteria.words), chosen=criteria.sort_chosen
        ),
        "fragment": facets.fragment_requested(request),
        "showing_for": business if _filtered_for(criteria, business) else None,
    }
    template = "catalogue/search.html#results" if context["fragment"] else "catalogue/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _labels(values, vocabulary) -> list[str]:
    return [vocabulary(value).label for value in values if value in vocabulary.values]


def _business_check(request) -> BusinessCheckForm:
    """The business "Is this for me?" is asked about: the form's answers, else what the
    session knows (portal/core/visitor.py), which the answers then add to."""
    asked = {name: request.GET.get(name, "") for name in BusinessCheckForm.base_fields}
    if any(asked.values()):
        visitor.remember(request, **asked)
    else:
        known = visitor.remembered(request)
        asked = known.offer_query() if known else {}
    return BusinessCheckForm(asked)


@require_safe
def offer(request, slug):
    today = timezone.localdate()
    found = queries.published_offer(slug, today=today)
    if found is None:
        raise Http404("No such offer")
    regions = list(found.regions.all())
    councils = list(found.councils.all())
    check_form = _business_check(request)
    business = check_form.profile()
    verdict = None
    if business.is_known:
        verdict = eligibility.check(
            eligibility.OfferEligibility(
                sizes=tuple(found.sizes),
                stages=tuple(found.stages),
                sic_sections=tuple(found.sic_sections),
                uk_wide=found.uk_wide,
                region_ids=frozenset(region.pk for region in regions),
                council_ids=frozenset(council.pk for council in councils),
            ),
            business,
        )
    return render(
        request,
        "catalogue/offer.html",
        {
            "offer": found,
            "regions": regions,
            "councils": councils,
            "check_form": check_form,
            "business": business,
            "council_code": check_form.council_code,
            "verdict": verdict,
            "closed": found.is_closed_on(today),
            "go_query": urlencode({"from": request.path}),
            "dimension_labels": _labels(found.dimensions, Dimension),
            "size_labels": _labels(found.sizes, BusinessSize),
            "stage_labels": _labels(found.stages, Stage),
            "sector_labels": _labels(found.sic_sections, SicSection),
            "panels": render_offer_panels(request=request, offer=found),
        },
    )


def _source_page(request) -> str:
    source = request.GET.get("from", "")
    if not source:
        referer = urlsplit(request.headers.get("Referer", ""))
        if referer.netloc == request.get_host():
            source = referer.path
    return source


@require_safe
def offer_go(request, slug):
    found = queries.offer_to_refer(slug)
    if found is None:
        raise Http404("No such offer")
    rank, reason_codes = recommendation_facts(
        request.GET.get("rank", ""), request.GET.get("reasons", "")
    )
    if request.method == "GET":  # a HEAD (a link checker, a preview) records nothing
        record_referral(
            offer=found,
            session_key=request.session.session_key,
            source_page=_source_page(request),
            rank=rank,
            reason_codes=reason_codes,
        )
    return HttpResponseRedirect(found.application_url)
