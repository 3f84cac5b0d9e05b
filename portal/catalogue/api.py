"""The Open Referral UK read API (HSDS 3.0, UK profile): published, visible offers as
services, our vocabularies as taxonomies.

Read-only JSON that any site may read from a browser (``Access-Control-Allow-Origin: *``).
Every answer is JSON, errors included: a bad parameter is a 400 naming it, an unknown id
or path a 404, another method than GET a 405. Lists are paged as the UK profile pages
them, and run the same few queries whatever their size: a count, the page of offers with
their provider, and one query each for their regions and councils. What each endpoint
reads from the query string is ``PARAMETERS``; openreferral/openapi.py describes it.
"""

import datetime
import functools
import math
import re
import uuid

from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.catalogue.openreferral.openapi import PROFILE_URL, openapi_description
from portal.catalogue.openreferral.taxonomies import (
    TAXONOMIES,
    TAXONOMIES_BY_ID,
    TERMS_BY_ID,
    taxonomy_json,
    taxonomy_term_json,
)
from portal.catalogue.openreferral.writing import (
    AT_A_PLACE,
    organization_id,
    public_id_of_service_at_location,
    service_at_location_json,
    service_json,
)
from portal.catalogue.queries import visible_offers
from portal.lib.links import site_url

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# A page number longer than this is past the last page of any catalogue.
MAX_PAGE_DIGITS = 15
MAX_SEARCH_WORDS = 10
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)

PAGING = ("page", "per_page")
OFFER_FILTERS = (
    "search",
    "text",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
)
# The query parameters each list endpoint reads (openapi.py lists the rest of the UK
# profile's as not implemented).
PARAMETERS = {
    "/services": (*OFFER_FILTERS, *PAGING),
    "/service_at_locations": (*OFFER_FILTERS, *PAGING),
    "/taxonomies": PAGING,
    "/taxonomy_terms": ("taxonomy_id", *PAGING),
}


class BadParameter(ValueError):
    pass


def _json(payload: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    # Open data: the UK profile asks that any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return _json({"status": status, "message": message}, status=status)


def api_view(view):
    """GET and HEAD, answered as JSON; OPTIONS (a browser's preflight) says so; any
    other method is a JSON 405; a BadParameter is a JSON 400 with its message."""

    @csrf_exempt  # nothing is written: any other method than GET gets the 405 below
    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = _json({}, status=200)
            response["Allow"] = response["Access-Control-Allow-Methods"] = ", ".join(
                ALLOWED_METHODS
            )
            return response
        if request.method not in ALLOWED_METHODS:
            response = _error(
                405,
                _("This API only reads: use GET, not %(method)s")
                % {"method": request.method[:20]},
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return _error(400, str(error))

    return answer


# Query parameters


def _whole_number(request, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    # ASCII digits only: "²" is a digit to str.isdigit() but not a number to int().
    if not _DIGITS.fullmatch(raw) or not raw.strip("0"):
        raise BadParameter(
            _("%(name)s must be a whole number from 1, like 2; not “%(value)s”")
            % {"name": name, "value": raw[:50]}
        )
    digits = raw.lstrip("0")
    return int(digits) if len(digits) <= MAX_PAGE_DIGITS else 10**MAX_PAGE_DIGITS


def _paging(request) -> tuple[int, int]:
    page = _whole_number(request, "page", 1)
    return page, min(_whole_number(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)


def _page(items: list, *, total: int, page: int, per_page: int) -> dict:
    """The UK profile's page: ``size`` is the number of items on this page."""
    total_pages = max(math.ceil(total / per_page), 1)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": items,
    }


def _term_filter(term_id: str) -> Q:
    known = TERMS_BY_ID.get(term_id)
    if known is None:
        return Q(pk__in=[])
    taxonomy, value = known
    if taxonomy.single:
        return Q(**{taxonomy.offer_field: value})
    return Q(**{f"{taxonomy.offer_field}__has": value})


def _taxonomy_filter(taxonomy_id: str) -> Q:
    """Offers with any term of the taxonomy: every offer has a kind and a delivery."""
    taxonomy = TAXONOMIES_BY_ID.get(taxonomy_id)
    if taxonomy is None:
        return Q(pk__in=[])
    if taxonomy.single:
        return Q()
    return ~Q(**{taxonomy.offer_field: ""})


def _modified_after(raw: str) -> datetime.datetime:
    """On or after this moment; a date alone is its first moment, in UK time."""
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise BadParameter(
                    _(
                        "modified_after must be a date or a date and time, like 2026-01-31 "
                        "or 2026-01-31T09:00:00Z"
                    )
                )
            moment = datetime.datetime.combine(day, datetime.time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        # ValueError: 2026-13-45, 2026-02-30T25:00:00Z, an offset of +99:00;
        # OverflowError: a moment beyond the calendar once in UTC.
        raise BadParameter(
            _("modified_after is not a real date and time: “%(value)s”") % {"value": raw[:50]}
        ) from None


def _organization_filter(offers, raw: str):
    """Offers whose provider has this organization id (ids derive from providers' names,
    so the names are read to find it)."""
    try:
        wanted = str(uuid.UUID(raw))
    except ValueError:
        raise BadParameter(
            _("organization_id must be an organization’s id from this API, a UUID")
        ) from None
    names = offers.order_by().values_list("provider_name", flat=True).distinct()
    return offers.filter(provider_name__in=[n for n in names if organization_id(n) == wanted])


def _filtered(request, offers):
    """The offers the filters of OFFER_FILTERS keep."""
    # ``search`` is the HSDS 3.0 name; ``text`` the one earlier versions used.
    words = (request.GET.get("search", "") or request.GET.get("text", "")).split()
    for word in words[:MAX_SEARCH_WORDS]:
        offers = offers.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(provider_name__icontains=word)
        )
    for term_id in request.GET.getlist("taxonomy_term_id"):
        if term_id.strip():  # empty: no filter, as if not given
            offers = offers.filter(_term_filter(term_id.strip()))
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        offers = offers.filter(_taxonomy_filter(taxonomy_id))
    modified_after = request.GET.get("modified_after", "").strip()
    if modified_after:
        offers = offers.filter(updated__gte=_modified_after(modified_after))
    organization = request.GET.get("organization_id", "").strip()
    if organization:
        offers = _organization_filter(offers, organization)
    return offers


def _offer_page(request, offers, write) -> JsonResponse:
    page, per_page = _paging(request)
    offers = _filtered(request, offers)
    total = offers.count()
    start = (page - 1) * per_page
    # A page past the last is empty, without asking the database (which refuses an
    # offset past its integer range).
    listed = (
        list(_with_relations(offers.order_by("title", "pk"))[start : start + per_page])
        if start < total
        else []
    )
    today = timezone.localdate()
    contents = [write(offer, today) for offer in listed]
    return _json(_page(contents, total=total, page=page, per_page=per_page))


def _list_page(request, items: list) -> JsonResponse:
    page, per_page = _paging(request)
    start = (page - 1) * per_page
    shown = items[start : start + per_page] if start < len(items) else []
    return _json(_page(shown, total=len(items), page=page, per_page=per_page))


def _with_relations(offers):
    return offers.select_related("provider").prefetch_related("regions", "councils")


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


# Endpoints


@api_view
def root(request):
    """What the API is: HSDS 3.0 with the UK profile, and where its description is."""
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": site_url() + reverse("openreferral:openapi"),
        }
    )


@api_view
def openapi(request):
    """The OpenAPI description of what this API implements."""
    return _json(
        openapi_description(
            api_url=site_url() + reverse("openreferral:root"), parameters=PARAMETERS
        )
    )


@api_view
def services(request):
    """/services: published offers, open now."""
    return _offer_page(
        request, visible_offers(), lambda offer, today: service_json(offer, today=today)
    )


@api_view
def service(request, service_id: str):
    """/services/{id}: one published, visible offer by its public id."""
    public_id = _uuid(service_id)
    offer = (
        _with_relations(visible_offers()).filter(public_id=public_id).first()
        if public_id
        else None
    )
    if offer is None:
        return _error(404, _("No service with the id %(id)s") % {"id": service_id[:100]})
    return _json(service_json(offer, today=timezone.localdate()))


@api_view
def service_at_locations(request):
    """/service_at_locations: the visible offers delivered at a place (in person, or both
    in person and online)."""
    return _offer_page(
        request,
        visible_offers().filter(delivery__in=AT_A_PLACE),
        lambda offer, today: service_at_location_json(offer, today=today, full=False),
    )


@api_view
def service_at_location(request, service_at_location_id: str):
    """/service_at_locations/{id}: one, fully nested."""
    given = _uuid(service_at_location_id)
    offer = (
        _with_relations(visible_offers().filter(delivery__in=AT_A_PLACE))
        .filter(public_id=public_id_of_service_at_location(given))
        .first()
        if given
        else None
    )
    if offer is None:
        return _error(
            404,
            _("No service_at_location with the id %(id)s") % {"id": service_at_location_id[:100]},
        )
    return _json(service_at_location_json(offer, today=timezone.localdate(), full=True))


@api_view
def taxonomies(request):
    return _list_page(request, [taxonomy_json(taxonomy) for taxonomy in TAXONOMIES])


@api_view
def taxonomy(request, taxonomy_id: str):
    found = TAXONOMIES_BY_ID.get(taxonomy_id)
    if found is None:
        return _error(404, _("No taxonomy with the id %(id)s") % {"id": taxonomy_id[:100]})
    return _json(taxonomy_json(found))


@api_view
def taxonomy_terms(request):
    """Every term of our vocabularies; ?taxonomy_id= keeps one vocabulary's."""
    wanted = request.GET.get("taxonomy_id", "").strip()
    return _list_page(
        request,
        [
            taxonomy_term_json(taxonomy, value)
            for taxonomy in TAXONOMIES
            if not wanted or taxonomy.id == wanted
            for value in taxonomy.choices.values
        ],
    )


@api_view
def taxonomy_term(request, term_id: str):
    found = TERMS_BY_ID.get(term_id)
    if found is None:
        return _error(404, _("No taxonomy term with the id %(id)s") % {"id": term_id[:100]})
    return _json(taxonomy_term_json(*found))


@csrf_exempt
def not_found(request, unknown: str = ""):
    """Any other path under the API: a JSON 404, never the site's page."""
    return _error(
        404,
        _("There is nothing at this address. The API's description is at %(url)s")
        % {"url": site_url() + reverse("openreferral:openapi")},
    )
