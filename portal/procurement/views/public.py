"""Founders: the list of contract opportunities, with its filters, and one opportunity."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.places.models import Council
from portal.procurement import queries, rules
from portal.procurement.cpv import code_descriptions
from portal.procurement.display import closing_text, moment_text, safe_url, value_text
from portal.procurement.models import (
    PUBLIC_STATUSES,
    BuyerType,
    NoticeStage,
    Procedure,
    Source,
    Status,
)
from portal.procurement.queries import CLOSING_WITHIN_DAYS, NOT_STATED, SORTS, VALUE_BANDS, Sort


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int | None
    checked: bool
    id: str


@dataclass(frozen=True)
class PlaceGroup:
    name: str
    slug: str
    councils: list[tuple[str, str]]  # (GSS code, name)


def _places(opportunity) -> list[str]:
    if opportunity.uk_wide:
        return [_("UK-wide")]
    names = [region.name for region in opportunity.regions.all()]
    names += [council.name for council in opportunity.councils.all()]
    return names


# The list


def _fragment_requested(request) -> bool:
    # A history restore wants the whole page even though htmx asks for it.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _with_labels(opportunities, divisions: dict[str, str], now) -> list:
    """The page's opportunities, each with what its summary card shows."""
    for opportunity in opportunities:
        opportunity.value_label = value_text(
            opportunity.value_low, opportunity.value_high, opportunity.currency
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
        opportunity.place_labels = _places(opportunity) or (
            [opportunity.delivery_location] if opportunity.delivery_location else []
        )
    return opportunities


def _facets(result: queries.SearchPage) -> dict[str, list[Option]]:
    filters, counts = result.filters, result.counts.options

    def checkboxes(param, choices, chosen, facet=None) -> list[Option]:
        counted = counts.get(facet or param, {})
        return [
            Option(
                str(value), str(label), counted.get(value, 0), value in chosen, f"{param}-{value}"
            )
            for value, label in choices
        ]

    closing = [
        Option(
            "", _("Any time"), counts["closing"]["any"], not filters.closing_within, "closing-any"
        )
    ]
    closing += [
        Option(
            str(days),
            ngettext("Within %(days)d day", "Within %(days)d days", days) % {"days": days},
            counts["closing"][str(days)],
            filters.closing_within == days,
            f"closing-{days}",
        )
        for days in CLOSING_WITHIN_DAYS
    ]
    buyer_total = sum(counts["buyer"].values())
    buyer = [Option("", _("Any buyer"), buyer_total, not filters.buyer_type, "buyer-any")]
    buyer += checkboxes("buyer", BuyerType.choices, [filters.buyer_type])
    return {
        "division": checkboxes("division", result.divisions, filters.divisions),
        "group": checkboxes("group", result.groups, filters.groups),
        "value": checkboxes(
            "value", [(band.key, band.label) for band in VALUE_BANDS], filters.value_bands
        ),
        "not_stated": [
            Option(
                "1",
                _("Include opportunities whose value is not stated"),
                counts["value"][NOT_STATED],
                filters.include_not_stated,
                "value_not_stated",
            )
        ],
        "closing": closing,
        "suitability": [
            Option("1", _("Suitable for SMEs"), counts["sme"]["1"], filters.sme, "sme"),
            Option("1", _("Suitable for VCSEs"), counts["vcse"]["1"], filters.vcse, "vcse"),
        ],
        "buyer": buyer,
        "stage": checkboxes("stage", NoticeStage.choices, filters.stages),
    }


def place_groups() -> list[PlaceGroup]:
    """Every active council by region, for the place selects: one query."""
    groups: dict[str, PlaceGroup] = {}
    councils = (
        Council.objects.active()
        .filter(region__active=True)
        .order_by("region__itl_code", "name")
        .values_list("gss_code", "name", "region__slug", "region__name")
    )
    for gss_code, name, region_slug, region_name in councils:
        if region_slug not in groups:
            groups[region_slug] = PlaceGroup(region_name, region_slug, [])
        groups[region_slug].councils.append((gss_code, name))
    return list(groups.values())


_options_cache: dict = {}


def place_options(groups: list[PlaceGroup], council: str, region: str) -> tuple[str, str]:
    """The council select's options (one group per region) and the region select's.

    Built once per process, language and list of places, not in a template loop:
    ~370 options cost tens of milliseconds a request that way. The choice is marked
    after.
    """
    key = (get_language(), tuple((g.slug, tuple(g.councils)) for g in groups))
    if key not in _options_cache:
        if len(_options_cache) > 16:
            _options_cache.clear()
        council_html = "".join(
            f'<optgroup label="{escape(group.name)}">'
            + "".join(
                f'<option value="{escape(code)}">{escape(name)}</option>'
                for code, name in group.councils
            )
            + "</optgroup>"
            for group in groups
        )
        region_html = "".join(
            f'<option value="{escape(group.slug)}">{escape(group.name)}</option>'
            for group in groups
        )
        _options_cache[key] = (council_html, region_html)
    council_html, region_html = _options_cache[key]
    if council:
        council_html = council_html.replace(
            f'value="{escape(council)}">', f'value="{escape(council)}" selected>', 1
        )
    if region:
        region_html = region_html.replace(
            f'value="{escape(region)}">', f'value="{escape(region)}" selected>', 1
        )
    return mark_safe(council_html), mark_safe(region_html)  # noqa: S308 - escaped when built


def _sort_links(filters: queries.OpportunityFilters) -> list[dict]:
    querystring = filters.to_querystring()
    links = []
    for value, label in SORTS:
        if value == Sort.RELEVANCE and not filters.q:
            continue
        parts = [querystring] if querystring else []
        if value != Sort.CLOSING:
            parts.append(f"sort={value}")
        links.append(
            {
                "value": value,
                "label": label,
                "query": "&".join(parts),
                "current": value == filters.sort,
            }
        )
    return links


@require_safe
def opportunity_list(request):
    filters = queries.OpportunityFilters.from_querydict(request.GET)
    now = timezone.now()
    result = queries.search_page(filters, now=now)
    fragment = _fragment_requested(request)
    context = {
        "filters": filters,
        "querystring": filters.to_querystring(),
        "result": result,
        "page_obj": result.page,
        "opportunities": _with_labels(result.opportunities, dict(result.divisions), now),
        "total": result.total,
        "facets": _facets(result),
        "sort_links": _sort_links(filters),
        "fragment": fragment,
    }
    if not fragment:
        context["council_options"], context["region_options"] = place_options(
            place_groups(), filters.council, filters.region
        )
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
    opportunity = queries.opportunity_for_page(public_id)
    if opportunity is None or not rules.can_view_opportunity(request.user, opportunity):
        raise Http404("No such opportunity")
    now = timezone.now()
    lots = list(opportunity.lots.all())
    names = code_descriptions(
        {*opportunity.cpv_codes, *(code for lot in lots for code in lot.cpv_codes)},
        with_divisions=True,
    )
    for lot in lots:
        lot.value_label = value_text(lot.value, lot.value, lot.currency)
        lot.codes = _codes(lot.cpv_codes, names)
    closed = opportunity.is_closed or (
        opportunity.deadline is not None and opportunity.deadline <= now
    )
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
                opportunity.value_low, opportunity.value_high, opportunity.currency
            ),
            "codes": _codes(opportunity.cpv_codes, names),
            "lots": lots,
            "places": _places(opportunity),
            "procedure_label": Procedure(opportunity.procedure).label
            if opportunity.procedure in Procedure.values
            else "",
            "notice_url": safe_url(opportunity.notice_url),
            "documents": _documents(opportunity),
            "posted_here": opportunity.source == Source.POSTED,
            "status_label": Status(opportunity.status).label,
        },
    )
