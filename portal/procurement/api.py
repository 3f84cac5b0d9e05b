"""The OCDS 1.1 export: the opportunities posted on Waymark, as release packages.

``/api/ocds/releases`` lists every public opportunity posted here (imported ones are
their own publishers' to publish), oldest published first, 100 a page (``?per_page=``
from 1 to 500). Pages follow a cursor on ``publishedDate`` (then our id), not page
numbers, so a page's link still leads on correctly while new opportunities are being
published; ``links.next`` (pagination extension) is the next page's absolute URL and is
left out on the last page. ``/api/ocds/releases/{ocid}`` is one opportunity's release
in a package of its own.

Each page runs the same few queries whatever its size: the page of opportunities with
their buyer and publisher, one each for their regions, councils, lots and the buyers'
councils, and one for the CPV descriptions.
"""

import base64
import binascii
import contextlib
import datetime
import uuid

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.lib.links import site_url
from portal.procurement.ocds.writing import (
    cpv_descriptions,
    exportable_opportunities,
    opportunity_release,
    release_package,
)

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
# Ids are 64-bit integers: a cursor naming a longer one is not one this API gave.
MAX_ID_DIGITS = 18


class BadParameter(ValueError):
    pass


def _json(payload: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return _json({"status": status, "message": message}, status=status)


def _per_page(request) -> int:
    raw = request.GET.get("per_page", "").strip()
    if not raw:
        return DEFAULT_PER_PAGE
    # ASCII digits only: "²" is a digit to str.isdigit() but not a number to int().
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not (
        1 <= int(raw) <= MAX_PER_PAGE
    ):
        raise BadParameter(
            _("per_page must be a whole number from 1 to %(max)s") % {"max": MAX_PER_PAGE}
        )
    return int(raw)


def encode_cursor(opportunity) -> str:
    """Where the next page starts: after this opportunity's published date and id."""
    position = f"{opportunity.published_or_created.isoformat()}|{opportunity.pk}"
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def _decode_cursor(raw: str):
    invalid = BadParameter(
        _("cursor is not one this API gave: follow links.next from the previous page")
    )
    try:
        position = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        moment_text, _separator, pk_text = position.rpartition("|")
        moment = parse_datetime(moment_text)
        if not (pk_text.isascii() and pk_text.isdigit() and len(pk_text) <= MAX_ID_DIGITS):
            raise invalid
        pk = int(pk_text)
        if moment is None or moment.tzinfo is None:
            raise invalid
        # A moment the database cannot hold once in UTC (year 1 or 9999 with an offset).
        moment = moment.astimezone(datetime.UTC)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
        raise invalid from error
    return moment, pk


def _absolute(path: str, query: dict | None = None) -> str:
    return site_url() + path + (f"?{urlencode(query)}" if query else "")


@require_safe
def releases(request):
    """/api/ocds/releases?cursor=&per_page="""
    try:
        per_page = _per_page(request)
        opportunities = exportable_opportunities()
        cursor = request.GET.get("cursor", "").strip()
        if cursor:
            moment, pk = _decode_cursor(cursor)
            opportunities = opportunities.filter(
                Q(published_or_created__gt=moment) | Q(published_or_created=moment, pk__gt=pk)
            )
    except BadParameter as error:
        return _error(400, str(error))
    page = list(opportunities[: per_page + 1])
    next_uri = None
    if len(page) > per_page:
        page = page[:per_page]
        query = {"cursor": encode_cursor(page[-1])}
        if per_page != DEFAULT_PER_PAGE:
            query["per_page"] = per_page
        next_uri = _absolute(reverse("ocds:releases"), query)
    descriptions = cpv_descriptions(page)
    package = release_package(
        [opportunity_release(opportunity, descriptions=descriptions) for opportunity in page],
        uri=site_url() + request.get_full_path(),
        next_uri=next_uri,
    )
    return _json(package)


@require_safe
def release(request, ocid: str):
    """/api/ocds/releases/{ocid}: one public opportunity posted here."""
    matches = Q(ocid=ocid)
    prefix = f"{settings.OCDS_OCID_PREFIX}-"
    if ocid.startswith(prefix):
        # Ours that were never given an ocid are known by the one derived from their id.
        with contextlib.suppress(ValueError):
            matches |= Q(ocid__isnull=True, public_id=uuid.UUID(ocid.removeprefix(prefix)))
    opportunity = exportable_opportunities().filter(matches).first()
    if opportunity is None:
        return _error(404, _("No published opportunity with the ocid %(ocid)s") % {"ocid": ocid})
    package = release_package(
        [opportunity_release(opportunity, descriptions=cpv_descriptions([opportunity]))],
        uri=_absolute(reverse("ocds:release", args=[ocid])),
    )
    return _json(package)
