"""One release → the opportunity fields it states (``map_release``), following the
table in ``portal/procurement/ocds/__init__.py``, or ``InvalidRelease`` with a reason.

Only what a release states is returned: a field it leaves out keeps the value an earlier
release gave it. No database access: the places it may name come in a ``PlaceLookup``.
The quirks it survives, besides those of each value (``values.py``), of places
(``places.py``) and of SME and VCSE suitability (``suitability.py``):

- amounts of 0 (``tender.value``, ``tender.minValue``, a lot's value) mean "not
  stated" and are never kept as £0;
- the contract's dates come from the lots' ``contractPeriod`` (earliest start, latest
  end) where the tender gives none;
- the notice is the document of type ``tenderNotice``, else ``contractNotice``
  (Public Contracts Scotland, Sell2Wales);
- up to ``MAX_CPV_CODES`` CPV codes and ``MAX_DESCRIPTION`` characters of a
  description are kept; what is cut is reported (``MappedRelease.notes``);
- a versioned release (values kept as lists of versions) is refused, saying so;
- a release with no ``id`` gets a stable one, ``derived-`` and a hash of its ocid,
  date and tag (the importer records a warning saying how many);
- no ``tender.datePublished``: the release's ``date`` stands in for it (the
  earliest such date wins, so a later release does not move it);
- lots (``tender.lots``) with their values and the CPV codes of the items whose
  ``relatedLot`` is the lot's id.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.procurement.models import (
    CPV_CODES_KEPT,
    BuyerType,
    MainCategory,
    NoticeStage,
    Procedure,
    Status,
)
from portal.procurement.ocds.places import PlaceLookup, where_the_work_is
from portal.procurement.ocds.suitability import suitable_for
from portal.procurement.ocds.values import (
    MAX_LENGTHS,
    InvalidRelease,
    amount_of,
    as_list,
    clean_text,
    codelist_value,
    cpv_codes_of,
    currency_of,
    date_key,
    flag_of,
    http_url,
    parse_date,
    parse_datetime,
)

# The vocabularies, once: TextChoices.values builds a new list (with lazy labels) each call.
BUYER_TYPES = frozenset(BuyerType.values)
MAIN_CATEGORIES = frozenset(MainCategory.values)
PROCEDURES = frozenset(Procedure.values)

# As many as the model's column holds; a release with more has the rest reported.
MAX_CPV_CODES = CPV_CODES_KEPT
# A description longer than this (some feeds paste whole specifications) is cut, and the
# cut reported: the notice keeps the full text.
MAX_DESCRIPTION = 20_000


@dataclass
class MappedRelease:
    """One release's fields, and what orders it among the releases of its ocid."""

    ocid: str
    release_id: str
    id_derived: bool
    date: str  # date_key() of the release's date
    fields: dict[str, Any]
    # "explicit" (tender.datePublished) or "fallback" (the release's date).
    published_kind: str = ""
    # What was changed to fit (a description cut short, CPV codes left out): the
    # importer reports each in the run's warnings.
    notes: list[str] = field(default_factory=list)
    # A hash of the release's whole content (set by the importer): two releases with
    # the same date and id, which should not be, are ordered by it.
    content_hash: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date, self.release_id, self.content_hash)


def derive_release_id(ocid: str, date_text: str, tags) -> str:
    digest = hashlib.sha256(
        json.dumps([ocid, date_text, tags], default=str).encode("utf-8")
    ).hexdigest()
    return f"derived-{digest[:24]}"


def map_release(release, *, places: PlaceLookup, source_uri: str = "") -> MappedRelease:
    """The fields one release states (see the module's docstring), or InvalidRelease."""
    try:
        return _map_release(release, places=places, source_uri=source_uri)
    except InvalidRelease:
        raise
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # A shape no rule here foresaw: that release is rejected and the run goes on.
        raise InvalidRelease(f"it could not be read ({type(error).__name__}: {error})") from error


def _is_versioned(release: dict) -> bool:
    """An OCDS versioned release: no date, and values kept as lists of versions, each
    with the releaseID, releaseDate and releaseTag that set it."""
    holders = [release]
    if isinstance(release.get("tender"), dict):
        holders.append(release["tender"])
    for holder in holders:
        for value in holder.values():
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and ("releaseDate" in value[0] or "releaseID" in value[0])
            ):
                return True
    return False


def _map_release(release, *, places: PlaceLookup, source_uri: str) -> MappedRelease:
    if not isinstance(release, dict):
        raise InvalidRelease(f"a release is a JSON object, not {type(release).__name__}")
    if not isinstance(release.get("date"), str) and _is_versioned(release):
        raise InvalidRelease(
            "it is a versioned release (OCDS versionedRelease), which Waymark does not "
            "read: publish the releases themselves, or a record's compiledRelease"
        )
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        raise InvalidRelease("it has no ocid")
    ocid = ocid.strip()
    if len(ocid) > 200:
        raise InvalidRelease("its ocid is longer than 200 characters")
    moment = parse_datetime(release.get("date"), what="its date")
    date_text = date_key(moment)
    tags = release.get("tag") if isinstance(release.get("tag"), list) else []
    tags = [tag for tag in tags if isinstance(tag, str)]
    raw_id = release.get("id")
    derived = raw_id is None or str(raw_id).strip() == ""
    release_id = derive_release_id(ocid, date_text, tags) if derived else str(raw_id).strip()[:300]
    tender = release.get("tender")
    if tender is None:
        tender = {}
    if not isinstance(tender, dict):
        raise InvalidRelease("its tender is not a JSON object")

    fields: dict[str, Any] = {
        "release_id": release_id,
        "stage": _stage(tags, release, tender),
    }
    if source_uri:
        fields["source_uri"] = source_uri[: MAX_LENGTHS["source_uri"]]
    if "title" in tender and tender["title"] is not None:
        title = clean_text(tender["title"], limit=MAX_LENGTHS["title"])
        if title:
            fields["title"] = title
    notes: list[str] = []
    if tender.get("description") is not None:
        fields["description"] = _description(
            tender["description"], what=f"tender.description of {ocid}", notes=notes
        )

    buyer = _buyer_party(release)
    buyer_name = buyer.get("name") if isinstance(buyer, dict) else None
    if isinstance(release.get("buyer"), dict) and release["buyer"].get("name"):
        buyer_name = release["buyer"]["name"]
    if buyer_name:
        fields["buyer_name"] = clean_text(buyer_name, limit=MAX_LENGTHS["buyer_name"])
    details = buyer.get("details") if isinstance(buyer.get("details"), dict) else {}
    if codelist_value(details.get("buyerType")) in BUYER_TYPES:
        fields["buyer_type"] = details["buyerType"]
    contact = buyer.get("contactPoint") if isinstance(buyer.get("contactPoint"), dict) else {}
    if contact.get("name"):
        fields["contact_name"] = clean_text(contact["name"], limit=MAX_LENGTHS["contact_name"])
    if isinstance(contact.get("email"), str):
        try:
            validate_email(contact["email"].strip())
        except ValidationError:
            pass
        else:
            fields["contact_email"] = contact["email"].strip()[: MAX_LENGTHS["contact_email"]]

    if codelist_value(tender.get("mainProcurementCategory")) in MAIN_CATEGORIES:
        fields["main_category"] = tender["mainProcurementCategory"]
    if codelist_value(tender.get("procurementMethod")) in PROCEDURES:
        fields["procedure"] = tender["procurementMethod"]
    if tender.get("procurementMethodDetails"):
        fields["procedure_details"] = clean_text(
            tender["procurementMethodDetails"], limit=MAX_LENGTHS["procedure_details"]
        )

    items = [item for item in as_list(tender.get("items")) if isinstance(item, dict)]
    classifications = [
        tender.get("classification"),
        *as_list(tender.get("additionalClassifications")),
    ]
    for item in items:
        classifications += [
            item.get("classification"),
            *as_list(item.get("additionalClassifications")),
        ]
    codes = _kept_codes(cpv_codes_of(classifications), what=ocid, notes=notes)
    if codes:
        fields["cpv_codes"] = codes

    value_max = amount_of(tender.get("value"), what="tender.value")
    if value_max is not None:
        fields["value"] = (value_max, currency_of(tender.get("value")))
    value_min = amount_of(tender.get("minValue"), what="tender.minValue")
    if value_min is not None:
        fields["value_min"] = value_min

    published_kind = "fallback"
    published = moment
    if tender.get("datePublished"):
        published = parse_datetime(tender["datePublished"], what="tender.datePublished")
        published_kind = "explicit"
    fields["published_at"] = published
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    if period.get("startDate"):
        fields["tender_start"] = parse_datetime(period["startDate"], what="tenderPeriod.startDate")
    if period.get("endDate"):
        fields["deadline"] = parse_datetime(period["endDate"], what="tenderPeriod.endDate")
    lots = [lot for lot in as_list(tender.get("lots")) if isinstance(lot, dict)]
    contract_start, contract_end = _contract_dates(tender, lots)
    if contract_start:
        fields["contract_start"] = contract_start
    if contract_end:
        fields["contract_end"] = contract_end

    found, description = where_the_work_is(tender, buyer, places)
    if found:
        fields["places"] = found.as_value()
    if description:
        fields["delivery_location"] = description

    for kind in ("sme", "vcse"):
        flag = suitable_for(release, tender, lots, kind)
        if flag is not None:
            fields[f"{kind}_suitable"] = flag
    if lots:
        fields["lots"] = _lots(lots, items, ocid=ocid, notes=notes)

    status = tender.get("status")
    if status == "complete":
        fields["status"] = Status.AWARDED if release.get("awards") else Status.CLOSED
    elif codelist_value(status) in STATUS_OF_TENDER:
        fields["status"] = STATUS_OF_TENDER[status]
    elif release.get("awards") and fields["stage"] == NoticeStage.AWARD:
        fields["status"] = Status.AWARDED

    documents = []
    for document in as_list(tender.get("documents")):
        if not isinstance(document, dict):
            continue
        url = http_url(document.get("url"))
        if not url:
            continue
        documents.append(
            {
                "id": clean_text(document.get("id"), limit=100),
                "title": clean_text(document.get("title"), limit=300),
                "url": url,
                "documentType": str(document.get("documentType") or "")[:100],
            }
        )
    if documents:
        fields["documents"] = documents
        # Public Contracts Scotland and Sell2Wales call their notice a contractNotice.
        notice = next(
            (doc["url"] for doc in documents if doc["documentType"] == "tenderNotice"), ""
        ) or next((doc["url"] for doc in documents if doc["documentType"] == "contractNotice"), "")
        if notice:
            fields["notice_url"] = notice
    return MappedRelease(
        ocid=ocid,
        release_id=release_id,
        id_derived=derived,
        date=date_text,
        fields=fields,
        published_kind=published_kind,
        notes=notes,
    )


def _contract_dates(tender: dict, lots: list[dict]) -> tuple[date | None, date | None]:
    """The contract's first and last day: ``tender.contractPeriod``, else the earliest
    start and the latest end of the lots' ``contractPeriod`` (Scotland and Wales give
    them only there). Dates as the publisher wrote them, in its own offset."""
    contract = (
        tender.get("contractPeriod") if isinstance(tender.get("contractPeriod"), dict) else {}
    )
    start = end = None
    if contract.get("startDate"):
        start = parse_date(contract["startDate"], what="contractPeriod.startDate")
    if contract.get("endDate"):
        end = parse_date(contract["endDate"], what="contractPeriod.endDate")
    if (start and end) or not lots:
        return start, end
    starts, ends = [], []
    for position, lot in enumerate(lots, start=1):
        period = lot.get("contractPeriod")
        if not isinstance(period, dict):
            continue
        name = f"lot {lot.get('id') if lot.get('id') is not None else position}"
        if period.get("startDate"):
            starts.append(parse_date(period["startDate"], what=f"{name} contractPeriod.startDate"))
        if period.get("endDate"):
            ends.append(parse_date(period["endDate"], what=f"{name} contractPeriod.endDate"))
    return start or min(starts, default=None), end or max(ends, default=None)


def _description(value, *, what: str, notes: list[str]) -> str:
    text = clean_text(value)
    if len(text) > MAX_DESCRIPTION:
        notes.append(
            f"{what} has {len(text):,} characters: only the first {MAX_DESCRIPTION:,} "
            "were kept (the full text is in the notice)."
        )
        text = clean_text(text, limit=MAX_DESCRIPTION)
    return text


def _kept_codes(codes: list[str], *, what: str, notes: list[str]) -> list[str]:
    if len(codes) > MAX_CPV_CODES:
        notes.append(
            f"{what} has {len(codes):,} CPV codes: only the first {MAX_CPV_CODES:,} "
            "(in code order) were kept."
        )
        return codes[:MAX_CPV_CODES]
    return codes


def _lots(lots: list[dict], items: list[dict], *, ocid: str, notes: list[str]) -> tuple:
    codes_by_lot: dict[str, list] = {}
    for item in items:
        if item.get("relatedLot") is not None:
            codes_by_lot.setdefault(str(item["relatedLot"]), []).extend(
                [item.get("classification"), *as_list(item.get("additionalClassifications"))]
            )
    mapped, seen = [], set()
    for position, lot in enumerate(lots, start=1):
        lot_id = str(lot.get("id") if lot.get("id") is not None else position).strip()
        lot_id = lot_id[: MAX_LENGTHS["lot_id"]]
        if lot_id in seen:
            continue
        seen.add(lot_id)
        suitability = lot.get("suitability") if isinstance(lot.get("suitability"), dict) else {}
        value = amount_of(lot.get("value"), what=f"lot {lot_id} value")
        mapped.append(
            (
                lot_id,
                clean_text(lot.get("title"), limit=MAX_LENGTHS["lot_title"]),
                _description(lot.get("description"), what=f"lot {lot_id} of {ocid}", notes=notes),
                value,
                currency_of(lot.get("value")),
                tuple(
                    _kept_codes(
                        cpv_codes_of(codes_by_lot.get(lot_id, [])),
                        what=f"lot {lot_id} of {ocid}",
                        notes=notes,
                    )
                ),
                flag_of(suitability.get("sme")),
                flag_of(suitability.get("vcse")),
            )
        )
    return tuple(mapped)


STATUS_OF_TENDER = {
    "active": Status.OPEN,
    "cancelled": Status.CANCELLED,
    "withdrawn": Status.WITHDRAWN,
    "unsuccessful": Status.CLOSED,
    "planning": Status.OPEN,
    "planned": Status.OPEN,
}


def _stage(tags: list[str], release: dict, tender: dict) -> str:
    lowered = {tag.lower() for tag in tags}
    if any(tag.startswith(("award", "contract", "implementation")) for tag in lowered):
        return NoticeStage.AWARD
    if any(tag.startswith("tender") for tag in lowered):
        return NoticeStage.TENDER
    if any(tag.startswith("planning") for tag in lowered):
        return NoticeStage.PLANNING
    # A compiled release: its contents say.
    if release.get("awards"):
        return NoticeStage.AWARD
    if tender.get("status") in ("planning", "planned") or (release.get("planning") and not tender):
        return NoticeStage.PLANNING
    return NoticeStage.TENDER


def _buyer_party(release: dict) -> dict:
    parties = [party for party in as_list(release.get("parties")) if isinstance(party, dict)]
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    if buyer.get("id") is not None:
        for party in parties:
            if str(party.get("id")) == str(buyer["id"]):
                return party
    for party in parties:
        roles = party.get("roles")
        if isinstance(roles, list) and "buyer" in roles:
            return party
    return buyer
