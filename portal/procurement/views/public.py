"""Founders: the list of contract opportunities, with its filters, and one opportunity."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from portal.core import visitor
from portal.lib import facets
from portal.places.choices import place_choices
from portal.places.models import ENGLISH_REGIONS, Nation
from portal.procurement import rules
from portal.procurement.cpv import code_descriptions
from portal.procurement.display import (
    closing_text,
    delivery_text,
    moment_text,
    safe_url,
    value_text,
)
from portal.procurement.models import (
    PUBLIC_STATUSES,
    BuyerType,
    NoticeStage,
    Procedure,
    Source,
    Status,
)
from portal.procurement.queries.facets import CLOSING_WITHIN_DAYS, NOT_STATED, VALUE_BANDS
from portal.procurement.queries.filters import SORTS, OpportunityFilters
from portal.procurement.queries.search import SearchPage, opportunity_for_page, search_page
from portal.procurement.signals import opportunity_viewed


def _places(opportunity) -> list[str]:
    """The names of the places (regions loaded with their nation): "England" for all
    nine English regions (an imported notice for the whole of England)."""
    if opportunity.uk_wide:
        return [_("UK-wide")]
    regions = list(opportunity.regions.all())
    if sum(region.nation == Nation.ENGLAND for region in regions) == ENGLISH_REGIONS:
        names = [str(Nation.ENGLAND.label)]
        names += [region.name for region in regions if region.nation != Nation.ENGLAND]
    else:
        names = [region.name for region in regions]
    names += [council.name for council in opportunity.councils.all()]
    return names


# The list


def _with_labels(opportunities, divisions: dict[str, str], now) -> list:
    """The page's opportunities, each with what its summary card shows."""
    for opportunity in opportunities:
        opportunity.value_label = value_text(
            opportunity.value_min, opportunity.value_max, opportunity.currency
        )
        opportunity.closing_label = closing_text(opportunity.deadline, now=now)
        opportunity.deadline_label = moment_text(opportunity.deadline)
        opportunity.closing_today = opportunity.deadline is not None and (
            timezone.localdate(opportunity.deadline) == timezone.localdate(now)
        )
        seen = []
        for code in opportunity.cpv_codes:
            if code[:2] not in seen:
                seen.append(code[:2])
        opportunity.division_labels = [divisions.get(code, code) for code in seen]
        delivery = delivery_text(opportunity.delivery_location)
        opportunity.place_labels = _places(opportunity) or ([delivery] if delivery else [])
    return opportunities


def _facets(result: SearchPage) -> dict[str, facets.FacetGroup]:
    filters, counts = result.filters, result.counts

    def options(param, choices, chosen) -> list[facets.Option]:
        return facets.options(param, choices, counts=counts, chosen=chosen)

    closing = [
        facets.Option(
            "closing",
            "",
            _("Any time"),
            counts.of("closing", "any"),
            not filters.closing_within,
            "closing-any",
        )
    ]
    closing += options(
        "closing",
        [
            (
                str(days),
                ngettext("Within %(days)d day", "Within %(days)d days", days) % {"days": days},
            )
            for days in CLOSING_WITHIN_DAYS
        ],
        [str(filters.closing_within)],
    )
    buyer_total = sum(counts.options["buyer"].values())
    buyer = [
        facets.Option(
            "buyer", "", _("Any buyer"), buyer_total, not filters.buyer_type, "buyer-any"
        )
    ]
    buyer += options("buyer", BuyerType.choices, [filters.buyer_type])
    not_stated = facets.Option(
        "value_not_stated",
        "1",
        _("Include opportunities whose value is not stated"),
        counts.of("value", NOT_STATED),
        filters.include_not_stated,
        "value_not_stated",
        divider=_("and"),
    )
    suitability = [
        facets.Option(
            "sme", "1", _("Suitable for SMEs"), counts.of("sme", "1"), filters.sme, "sme"
        ),
        facets.Option(
            "vcse", "1", _("Suitable for VCSEs"), counts.of("vcse", "1"), filters.vcse, "vcse"
        ),
    ]
    bands = [(band.key, band.label) for band in VALUE_BANDS]
    return {
        "closing": facets.FacetGroup("closing", _("Closing date"), closing, kind="radios"),
        "division": facets.FacetGroup(
            "division",
            _("Kind of work (CPV division)"),
            options("division", result.divisions, filters.divisions),
            hint=_("Choose what your business supplies to see the contracts for it"),
            empty=_("No CPV divisions are loaded."),
        ),
        "group": facets.FacetGroup(
            "group",
            _("More precisely (CPV group)"),
            options("group", result.groups, filters.groups),
            hint=_("Narrow a division to one or more of its groups"),
        ),
        "value": facets.FacetGroup(
            "value", _("Value"), [*options("value", bands, filters.value_bands), not_stated]
        ),
        "suitability": facets.FacetGroup("suitability", _("Suitable for"), suitability),
        "buyer": facets.FacetGroup("buyer", _("Buyer"), buyer, kind="radios"),
        "stage": facets.FacetGroup(
            "stage", _("Notice type"), options("stage", NoticeStage.choices, filters.stages)
        ),
    }


def _sort_links(filters: OpportunityFilters) -> list[dict]:
    querystring = filters.to_querystring()
    links = []
    for sort in SORTS.offered(words=bool(filters.q)):
        parts = [querystring] if querystring else []
        if sort.value != SORTS.default:
            parts.append(f"sort={sort.value}")
        links.append(
            {
                "value": sort.value,
                "label": sort.label,
                "query": "&".join(parts),
                "current": sort.value == filters.sort,
            }
        )
    return links


def _for_business(business) -> OpportunityFilters | None:
    """The list's filters for the founder's business: its council and what it supplies."""
    if business is None or not (business.council or business.supplies):
        return None
    return OpportunityFilters.for_supplies(business.supplies, council=business.council)


def _filtered_for(filters, wanted) -> bool:
    return (
        wanted is not None
        and filters.council == wanted.council
        and sorted(filters.divisions) == sorted(wanted.divisions)
        and sorted(filters.groups) == sorted(wanted.groups)
    )


@require_safe
def opportunity_list(request):
    wanted = _for_business(visitor.remembered(request))
    if not request.GET and wanted is not None:
        # The list opens filtered for the founder's business; "see all" asks ?all=1.
        return redirect(reverse("procurement:list") + "?" + wanted.to_querystring())
    filters = OpportunityFilters.from_querydict(request.GET)
    if filters.council:
        # A council chosen in the filters is the founder's (portal/core/visitor.py).
        visitor.remember(request, council=filters.council)
        wanted = _for_business(visitor.remembered(request))
    now = timezone.now()
    result = search_page(filters, now=now)
    fragment = facets.fragment_requested(request)
    facet_groups = _facets(result)
    context = {
        "filters": filters,
        "querystring": filters.to_querystring(),
        "result": result,
        "page_obj": result.page,
        "opportunities": _with_labels(result.opportunities, dict(result.divisions), now),
        "total": result.total,
        "facets": facet_groups,
        # Those after the closing date and the CPV codes, in the page's order.
        "other_facets": [
            facet_groups[param] for param in ("value", "suitability", "buyer", "stage")
        ],
        # The facets whose counts a fragment updates (the CPV groups are swapped whole).
        "counted_facets": [group for param, group in facet_groups.items() if param != "group"],
        "sort_links": _sort_links(filters),
        "fragment": fragment,
        "showing_for": visitor.remembered(request) if _filtered_for(filters, wanted) else None,
    }
    if not fragment:
        context["places"] = place_choices()
    template = "procurement/list.html#results" if fragment else "procurement/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# One opportunity


def _documents(opportunity) -> list[dict]:
    documents = []
    for document in opportunity.documents or []:
        if not isinstance(document, dict):
            continue
        url = safe_url(str(document.get("url", "")))
        if url:
            title = str(document.get("title") or "").strip() or url
            documents.append({"title": title, "url": url})
    return documents


def _codes(codes, names: dict[str, str]) -> list[dict]:
    return [
        {
            "code": code,
            "description": names.get(code) or names.get(f"{code[:2]}000000") or "",
            "exact": code in names,
        }
        for code in codes
    ]


@require_safe
def opportunity_detail(request, public_id):
    opportunity = opportunity_for_page(public_id)
    if opportunity is None or not rules.can_view_opportunity(request.user, opportunity):
        raise Http404("No such opportunity")
    if request.method == "GET":  # a HEAD (a link checker, a preview) is not a view
        opportunity_viewed.send(sender=type(opportunity), opportunity=opportunity)
    now = timezone.now()
    lots = list(opportunity.lots.all())
    names = code_descriptions(
        {*opportunity.cpv_codes, *(code for lot in lots for code in lot.cpv_codes)},
        with_divisions=True,
    )
    for lot in lots:
        lot.value_label = value_text(lot.value, lot.value, lot.currency)
        lot.codes = _codes(lot.cpv_codes, names)
    closed = opportunity.is_closed_on(now)
    return render(
        request,
        "procurement/detail.html",
        {
            "opportunity": opportunity,
            "is_public": opportunity.status in PUBLIC_STATUSES,
            "can_edit": rules.can_edit_opportunity(request.user, opportunity),
            "closed": closed,
            "closing_label": closing_text(opportunity.deadline, now=now),
            "deadline_label": moment_text(opportunity.deadline),
            "last_changed_label": moment_text(opportunity.last_changed),
            "value_label": value_text(
                opportunity.value_min, opportunity.value_max, opportunity.currency
            ),
            "codes": _codes(opportunity.cpv_codes, names),
            "lots": lots,
            "places": _places(opportunity),
            "delivery_label": delivery_text(opportunity.delivery_location),
            "procedure_label": Procedure(opportunity.procedure).label
            if opportunity.procedure in Procedure.values
            else "",
            "notice_url": safe_url(opportunity.notice_url),
            "documents": _documents(opportunity),
            "posted_here": opportunity.source == Source.POSTED,
            "status_label": Status(opportunity.status).label,
        },
    )
