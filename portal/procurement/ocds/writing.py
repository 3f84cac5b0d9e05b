"""Opportunities posted on Waymark, written as OCDS 1.1 releases (the export API).

Follows the mapping table in ``portal/procurement/ocds/__init__.py``. Everything here is
a plain function of opportunities already loaded: ``exportable_opportunities()`` fetches
them with every relation the writer reads, and ``cpv_descriptions()`` looks the CPV
descriptions of a whole page up in one query, so a page of releases costs the same few
queries whatever its size.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from portal.lib.links import site_url
from portal.places.models import Council
from portal.procurement.cpv import code_descriptions
from portal.procurement.models import (
    BuyerType,
    Lot,
    NoticeStage,
    Opportunity,
    Source,
    Status,
)
from portal.procurement.ocds import EXTENSIONS, OCDS_VERSION

# The package-level ``links.next`` our paged list uses comes from the pagination
# extension, so it is declared too.
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_pagination_extension/master/extension.json"
)
PACKAGE_EXTENSIONS = (*EXTENSIONS.values(), PAGINATION_EXTENSION)
LICENSE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
COUNTRY_NAME = "United Kingdom"

# Our status → OCDS tender.status (closed tenderStatus codelist). Drafts, postings
# waiting for a moderator and withdrawn ones are never exported; they are mapped all the
# same so that a release can be written for any opportunity (the admin's preview).
TENDER_STATUS = {
    Status.DRAFT: "planning",
    Status.PENDING: "planning",
    Status.OPEN: "active",
    Status.CLOSED: "complete",
    Status.AWARDED: "complete",
    Status.CANCELLED: "cancelled",
    Status.WITHDRAWN: "withdrawn",
}


def exportable_opportunities() -> QuerySet[Opportunity]:
    """What the export publishes: posted here (imports are their publishers' to publish)
    and public, with everything the writer reads, oldest published first.

    ``published_or_created`` orders (and pages) them: an opportunity published before
    ``published_at`` was kept falls back to when it was created."""
    return (
        Opportunity.objects.public()
        .filter(source=Source.POSTED)
        .annotate(published_or_created=Coalesce("published_at", "created"))
        .select_related("buyer", "publisher")
        .prefetch_related(
            "regions",
            Prefetch("councils", queryset=Council.objects.select_related("region")),
            Prefetch("lots", queryset=Lot.objects.order_by("id")),
            Prefetch(
                "buyer__councils",
                queryset=Council.objects.select_related("region").order_by("name"),
            ),
        )
        .order_by("published_or_created", "id")
    )


def cpv_descriptions(opportunities: Iterable[Opportunity]) -> dict[str, str]:
    """The descriptions of every CPV code on these opportunities and their lots, in one
    query (codes we do not hold a description for are simply absent)."""
    codes = set()
    for opportunity in opportunities:
        codes.update(opportunity.cpv_codes)
        for lot in opportunity.lots.all():
            codes.update(lot.cpv_codes)
    return code_descriptions(codes)


def opportunity_ocid(opportunity: Opportunity) -> str:
    """The opportunity's own ocid; ours are ``{OCDS_OCID_PREFIX}-{public_id}``."""
    return opportunity.ocid or f"{settings.OCDS_OCID_PREFIX}-{opportunity.public_id}"


def rfc3339(moment: datetime.datetime | datetime.date | None) -> str | None:
    """A date-time in UTC as RFC 3339 (``2026-11-23T09:30:00Z``); a date as its midnight
    UTC."""
    if moment is None:
        return None
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time.min, tzinfo=datetime.UTC)
    elif timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _amount(value: Decimal) -> int | float:
    # JSON numbers, never strings: whole pounds as integers, pence as a decimal number.
    return int(value) if value == value.to_integral_value() else float(value)


def _value(amount: Decimal | None, currency: str) -> dict | None:
    # 0 means "not stated" (imports keep it as None): a stated value is never £0.
    if amount is None or amount == 0:
        return None
    return {"amount": _amount(amount), "currency": currency or "GBP"}


def _classification(code: str, descriptions: dict[str, str]) -> dict:
    classification = {"scheme": "CPV", "id": code}
    if code in descriptions:
        classification["description"] = descriptions[code]
    return classification


def _buyer_party_id(opportunity: Opportunity) -> str:
    prefix = settings.OCDS_OCID_PREFIX
    if opportunity.buyer is not None:
        return f"{prefix}-org-{opportunity.buyer.slug}"
    return f"{prefix}-buyer-{slugify(opportunity.buyer_name)[:100] or 'unnamed'}"


def _buyer_party(opportunity: Opportunity, party_id: str) -> dict:
    party = {"id": party_id, "name": opportunity.buyer_name, "roles": ["buyer"]}
    address = {"countryName": COUNTRY_NAME}
    if opportunity.buyer is not None:
        councils = list(opportunity.buyer.councils.all())
        regions = {council.region.name for council in councils}
        if len(councils) == 1:
            address["locality"] = councils[0].name
        if len(regions) == 1:
            address["region"] = regions.pop()
        if opportunity.buyer.website:
            party["contactPoint"] = {"url": opportunity.buyer.website}
    party["address"] = address
    contact = party.setdefault("contactPoint", {})
    if opportunity.contact_name:
        contact["name"] = opportunity.contact_name
    if opportunity.contact_email:
        contact["email"] = opportunity.contact_email
    if not contact:
        del party["contactPoint"]
    # The mapping table's one non-core field: whether the buyer is public or private.
    party["details"] = {"buyerType": BuyerType(opportunity.buyer_type).value}
    return party


def _places(opportunity: Opportunity) -> tuple[list[dict], list[dict]]:
    """Location extension: (deliveryAddresses, deliveryLocations) for every item. The
    places are addresses (a region, or a council in its region, or the whole country);
    the free-text "where the work is", when given, is the location's description."""
    locations = (
        [{"description": opportunity.delivery_location}] if opportunity.delivery_location else []
    )
    if opportunity.uk_wide:
        return [{"countryName": COUNTRY_NAME}], locations
    addresses = [
        {"region": region.name, "countryName": COUNTRY_NAME}
        for region in sorted(opportunity.regions.all(), key=lambda region: region.itl_code)
    ]
    addresses += [
        {"locality": council.name, "region": council.region.name, "countryName": COUNTRY_NAME}
        for council in sorted(opportunity.councils.all(), key=lambda council: council.name)
    ]
    return addresses, locations


def _items(opportunity: Opportunity, lots: list[Lot], descriptions: dict[str, str]) -> list:
    """One item for the whole opportunity (its CPV codes), then one per lot (the lot's
    codes, with ``relatedLot``), each with the places it is delivered to."""
    addresses, locations = _places(opportunity)

    def item(item_id: str, description: str, codes: list[str], lot_id: str | None) -> dict:
        entry = {"id": item_id, "description": description}
        if codes:
            entry["classification"] = _classification(codes[0], descriptions)
        if codes[1:]:
            entry["additionalClassifications"] = [
                _classification(code, descriptions) for code in codes[1:]
            ]
        if lot_id is not None:
            entry["relatedLot"] = lot_id
        if addresses:
            entry["deliveryAddresses"] = addresses
        if locations:
            entry["deliveryLocations"] = locations
        return entry

    items = [item("1", opportunity.title, list(opportunity.cpv_codes), None)]
    items += [
        item(f"lot-{lot.lot_id}", lot.title or lot.lot_id, list(lot.cpv_codes), lot.lot_id)
        for lot in lots
        if lot.cpv_codes
    ]
    return items


def _suitability(sme: bool | None, vcse: bool | None) -> dict | None:
    suitability = {
        name: value for name, value in (("sme", sme), ("vcse", vcse)) if value is not None
    }
    return suitability or None


def _documents(opportunity: Opportunity) -> list[dict]:
    documents = []
    if opportunity.notice_url:
        notice_type = (
            "plannedProcurementNotice"
            if opportunity.stage == NoticeStage.PLANNING
            else "awardNotice"
            if opportunity.stage == NoticeStage.AWARD
            else "tenderNotice"
        )
        documents.append(
            {
                "id": "notice",
                "documentType": notice_type,
                "title": opportunity.title,
                "url": opportunity.notice_url,
                "language": "en",
            }
        )
    for number, stored in enumerate(opportunity.documents or [], start=1):
        if not isinstance(stored, dict) or not stored.get("url"):
            continue
        document = {"id": str(stored.get("id") or f"document-{number}"), "url": stored["url"]}
        for name in ("title", "documentType", "description", "format", "language"):
            if stored.get(name):
                document[name] = str(stored[name])
        documents.append(document)
    return documents


def _tag(opportunity: Opportunity) -> list[str]:
    if opportunity.status == Status.CANCELLED:
        return ["tenderCancellation"]
    if opportunity.stage == NoticeStage.PLANNING:
        return ["planning"]
    if opportunity.stage == NoticeStage.AWARD or opportunity.status == Status.AWARDED:
        return ["award"]
    return ["tender"] if opportunity.version <= 1 else ["tenderUpdate"]


def _tender_status(opportunity: Opportunity) -> str:
    if opportunity.stage == NoticeStage.PLANNING and opportunity.status == Status.OPEN:
        # Early engagement: nothing to bid for yet.
        return "planning"
    return TENDER_STATUS[Status(opportunity.status)]


def opportunity_release(opportunity: Opportunity, *, descriptions: dict[str, str]) -> dict:
    """One OCDS 1.1 release for an opportunity, with the lots, suitability and location
    extensions. ``descriptions`` maps CPV codes to their descriptions
    (``cpv_descriptions``)."""
    ocid = opportunity_ocid(opportunity)
    changed = opportunity.last_changed
    buyer_id = _buyer_party_id(opportunity)
    lots = list(opportunity.lots.all())
    published = opportunity.published_at or opportunity.created

    tender = {
        "id": f"{ocid}-tender",
        "title": opportunity.title,
        "status": _tender_status(opportunity),
    }
    if opportunity.description:
        tender["description"] = opportunity.description
    # OCDS gives a field's other languages as "<field>_<language code>".
    for name in ("title", "description"):
        welsh = getattr(opportunity, f"{name}_cy")
        if welsh:
            tender[f"{name}_cy"] = welsh
    if opportunity.main_category:
        tender["mainProcurementCategory"] = opportunity.main_category
    if opportunity.procedure:
        tender["procurementMethod"] = opportunity.procedure
    if opportunity.procedure_details:
        tender["procurementMethodDetails"] = opportunity.procedure_details
    codes = list(opportunity.cpv_codes)
    if codes:
        tender["classification"] = _classification(codes[0], descriptions)
    if codes[1:]:
        tender["additionalClassifications"] = [
            _classification(code, descriptions) for code in codes[1:]
        ]
    tender["items"] = _items(opportunity, lots, descriptions)
    if value := _value(opportunity.value_max, opportunity.currency):
        tender["value"] = value
    if min_value := _value(opportunity.value_min, opportunity.currency):
        tender["minValue"] = min_value
    tender_period = {
        name: rfc3339(moment)
        for name, moment in (
            ("startDate", opportunity.tender_start or published),
            ("endDate", opportunity.deadline),
        )
        if moment is not None
    }
    if tender_period:
        tender["tenderPeriod"] = tender_period
    contract_period = {
        name: rfc3339(day)
        for name, day in (
            ("startDate", opportunity.contract_start),
            ("endDate", opportunity.contract_end),
        )
        if day is not None
    }
    if contract_period:
        tender["contractPeriod"] = contract_period
    tender["datePublished"] = rfc3339(published)
    if documents := _documents(opportunity):
        tender["documents"] = documents
    if lots:
        tender["lots"] = [_lot(lot, opportunity) for lot in lots]
    if suitability := _suitability(opportunity.sme_suitable, opportunity.vcse_suitable):
        tender["suitability"] = suitability

    release = {
        "ocid": ocid,
        "id": f"{ocid}-{changed.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}-v{opportunity.version}",
        "date": rfc3339(changed),
        "tag": _tag(opportunity),
        "initiationType": "tender",
        "language": "en",
        "parties": [_buyer_party(opportunity, buyer_id)],
        "buyer": {"id": buyer_id, "name": opportunity.buyer_name},
        "tender": tender,
    }
    if opportunity.status == Status.AWARDED:
        # We keep no supplier or amount: the award says only that one was made.
        release["awards"] = [{"id": f"{ocid}-award", "status": "active"}]
    return release


def _lot(lot: Lot, opportunity: Opportunity) -> dict:
    entry = {"id": lot.lot_id, "status": _tender_status(opportunity)}
    if lot.title:
        entry["title"] = lot.title
    if lot.description:
        entry["description"] = lot.description
    if value := _value(lot.value, lot.currency):
        entry["value"] = value
    if suitability := _suitability(lot.sme_suitable, lot.vcse_suitable):
        entry["suitability"] = suitability
    return entry


def release_package(
    releases: list[dict],
    *,
    uri: str,
    next_uri: str | None = None,
    published: datetime.datetime | None = None,
) -> dict:
    """A release package around these releases. ``published`` defaults to the latest
    release's date (the package is made on demand: OCDS asks for the date its contents
    last changed), or now when there are none."""
    if published is None:
        dates = [release["date"] for release in releases]
        published_date = max(dates) if dates else rfc3339(timezone.now())
    else:
        published_date = rfc3339(published)
    package = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(PACKAGE_EXTENSIONS),
        "publishedDate": published_date,
        "publisher": {
            "name": getattr(settings, "DEPLOYMENT_NAME", "") or "Waymark",
            "uri": site_url() + "/",
        },
        "license": LICENSE_URL,
        "releases": releases,
    }
    if next_uri:
        package["links"] = {"next": next_uri}
    return package
