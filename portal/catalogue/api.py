"""The Open Referral UK read API: published, visible offers as HSDS 3.0 services.

Read-only JSON, paged as the ORUK profile pages lists. Every list runs the same few
queries whatever its size: a count, the page of offers with their provider, and one
query each for their regions and councils.
"""

import datetime
import math
import uuid

from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.catalogue.openreferral import (
    TAXONOMIES,
    TAXONOMIES_BY_ID,
    TERMS_BY_ID,
    service_json,
    taxonomy_json,
    taxonomy_term_json,
)
from portal.catalogue.queries import visible_offers

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


class BadParameter(ValueError):
    pass


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"status": status, "message": message}, status=status)


def _paging(request) -> tuple[int, int]:
    def positive(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        if not raw:
            return default
        if not raw.isdigit() or int(raw) < 1:
            raise BadParameter(_("%(name)s must be a whole number from 1") % {"name": name})
        return int(raw)

    return positive("page", 1), min(positive("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)


def _page(items: list, *, total: int, page: int, per_page: int) -> dict:
    total_pages = max(math.ceil(total / per_page), 1)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "page": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "number_of_elements": len(items),
        "contents": items,
    }


def _term_filter(term_id: str) -> Q:
    known = TERMS_BY_ID.get(term_id)
    if known is None:
        return Q(pk__in=[])
    taxonomy, value = known
    if taxonomy.offer_field == "kind":
        return Q(kind=value)
    return Q(**{f"{taxonomy.offer_field}__has": value})


def _taxonomy_filter(taxonomy_id: str) -> Q:
    taxonomy = TAXONOMIES_BY_ID.get(taxonomy_id)
    if taxonomy is None:
        return Q(pk__in=[])
    if taxonomy.offer_field == "kind":
        return Q()
    return ~Q(**{taxonomy.offer_field: ""})


def _modified_after(raw: str):
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise BadParameter(
                _("modified_after must be a date or date-time, like 2026-01-31T09:00:00Z")
            )
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _with_relations(offers):
    return offers.select_related("provider").prefetch_related("regions", "councils")


@require_GET
def services(request):
    """/services?text=&taxonomy_term_id=&taxonomy_id=&modified_after=&page=&per_page="""
    try:
        page, per_page = _paging(request)
        offers = visible_offers()
        text = request.GET.get("text", "").strip()
        if text:
            for word in text.split()[:10]:
                offers = offers.filter(
                    Q(title__icontains=word)
                    | Q(summary__icontains=word)
                    | Q(description__icontains=word)
                    | Q(provider_name__icontains=word)
                )
        for term_id in request.GET.getlist("taxonomy_term_id"):
            offers = offers.filter(_term_filter(term_id.strip()))
        taxonomy_id = request.GET.get("taxonomy_id", "").strip()
        if taxonomy_id:
            offers = offers.filter(_taxonomy_filter(taxonomy_id))
        modified_after = request.GET.get("modified_after", "").strip()
        if modified_after:
            offers = offers.filter(updated__gt=_modified_after(modified_after))
    except BadParameter as error:
        return _error(400, str(error))
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
    contents = [service_json(offer, today=today) for offer in listed]
    return JsonResponse(_page(contents, total=total, page=page, per_page=per_page))


@require_GET
def service(request, service_id: str):
    """/services/{id}: one published, visible offer by its public id."""
    try:
        public_id = uuid.UUID(service_id)
    except ValueError:
        public_id = None
    offer = (
        _with_relations(visible_offers()).filter(public_id=public_id).first()
        if public_id
        else None
    )
    if offer is None:
        return _error(404, _("No service with the id %(id)s") % {"id": service_id})
    return JsonResponse(service_json(offer, today=timezone.localdate()))


@require_GET
def taxonomies(request):
    try:
        page, per_page = _paging(request)
    except BadParameter as error:
        return _error(400, str(error))
    items = [taxonomy_json(taxonomy) for taxonomy in TAXONOMIES]
    start = (page - 1) * per_page
    return JsonResponse(
        _page(items[start : start + per_page], total=len(items), page=page, per_page=per_page)
    )


@require_GET
def taxonomy_terms(request):
    """Every term of our vocabularies; ?taxonomy_id= keeps one vocabulary's."""
    try:
        page, per_page = _paging(request)
    except BadParameter as error:
        return _error(400, str(error))
    wanted = request.GET.get("taxonomy_id", "").strip()
    items = [
        taxonomy_term_json(taxonomy, value)
        for taxonomy in TAXONOMIES
        if not wanted or taxonomy.id == wanted
        for value in taxonomy.choices.values
    ]
    start = (page - 1) * per_page
    return JsonResponse(
        _page(items[start : start + per_page], total=len(items), page=page, per_page=per_page)
    )
