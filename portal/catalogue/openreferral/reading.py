"""A feed's services (Open Referral UK, HSDS 3.0) as offer fields, for the importer.

``service_from_feed`` reads one service and gives the offer fields it carries, or raises
ServiceError naming the field that cannot be read: a value of the wrong shape (``"attributes":
5``), an address that is not one. A field the service does not carry at all is not given,
so importing it again leaves what a curator set; one it carries empty is given empty.
What the export writes (writing.py) reads back the same; the table is in __init__.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from portal.catalogue.funding import funding_errors
from portal.catalogue.models import Cost, Delivery, Offer
from portal.catalogue.openreferral.formats import (
    URL_LENGTH,
    cost_words,
    description_parts,
    funding_amounts,
    in_every_language,
    is_email_address,
    no_longer_than,
    web_address,
)
from portal.catalogue.openreferral.taxonomies import (
    TAXONOMIES,
    TAXONOMIES_BY_ID,
    TERMS_BY_ID,
    Taxonomy,
)
from portal.lib.vocabularies import SupportKind

TITLE_LENGTH = Offer._meta.get_field("title").max_length
PROVIDER_LENGTH = Offer._meta.get_field("provider_name").max_length
COST_NOTE_LENGTH = Offer._meta.get_field("cost_note").max_length
PHONE_LENGTH = Offer._meta.get_field("contact_phone").max_length
EXTERNAL_ID_LENGTH = Offer._meta.get_field("external_id").max_length
VALUES = {taxonomy.key: tuple(taxonomy.choices.values) for taxonomy in TAXONOMIES}


class ServiceError(ValueError):
    """A service in a feed that cannot become an offer; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class ImportedService:
    """What one service gives: offer fields, and what the importer resolves or reports."""

    external_id: str
    values: dict[str, Any]  # Offer fields
    area_codes: set[str] = field(default_factory=set)  # GSS and ONS codes, in capitals
    area_names: set[str] = field(default_factory=set)  # place names, casefolded
    archived: bool = False  # a status other than active
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (field, message)

    @property
    def has_link(self) -> bool:
        return bool(self.values.get("application_url"))


# Shapes


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ServiceError(where, _("must be a JSON object"))
    return value


def _objects(value: Any, where: str) -> list[Mapping[str, Any]]:
    """A list of JSON objects (none when missing or null)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ServiceError(where, _("must be a list"))
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ServiceError(f"{where}[{index}]", _("must be a JSON object"))
    return value


def _text(mapping: Mapping[str, Any], name: str, where: str = "") -> str:
    value = mapping.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError(where or name, _("must be text"))
    if "\x00" in value:
        raise ServiceError(where or name, _("holds a NUL character"))
    return value.strip()


def _amount(option: Mapping[str, Any], where: str) -> Decimal | None:
    value = option.get("amount")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ServiceError(where, _("must be a number"))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ServiceError(where, _("must be a number")) from None
    if not amount.is_finite():
        raise ServiceError(where, _("must be a number"))
    return amount


# Taxonomy terms


def _term_matches(taxonomy: Taxonomy, term: Mapping[str, Any]) -> str | None:
    """The value of ``taxonomy`` a term names by its code or text, if any."""
    names = {
        value.strip().casefold()
        for value in (term.get("code"), term.get("term"), term.get("name"))
        if isinstance(value, str)
    }
    for value, label in taxonomy.choices.choices:
        if value.casefold() in names or names & {
            form.casefold() for form in in_every_language(label)
        }:
            return value
    return None


def _terms(service: Mapping[str, Any]) -> list[tuple[Taxonomy, str]]:
    """Our taxonomy terms among the service's attributes (and the older ORUK
    ``taxonomy_terms`` list), known by term id, or by taxonomy id and the term's text."""
    terms = []
    for index, attribute in enumerate(_objects(service.get("attributes"), "attributes")):
        term = _object(attribute.get("taxonomy_term"), f"attributes[{index}].taxonomy_term")
        terms.append((attribute.get("taxonomy_term_id") or term.get("id"), term))
    for term in _objects(service.get("taxonomy_terms"), "taxonomy_terms"):
        terms.append((term.get("id"), term))
    found = []
    for term_id, term in terms:
        known = TERMS_BY_ID.get(str(term_id)) if isinstance(term_id, str) else None
        if known is None:
            taxonomy_id = term.get("taxonomy_id")
            taxonomy = TAXONOMIES_BY_ID.get(taxonomy_id) if isinstance(taxonomy_id, str) else None
            value = _term_matches(taxonomy, term) if taxonomy else None
            known = (taxonomy, value) if value else None
        if known and known not in found:
            found.append(known)
    return found


def _vocabularies(service: Mapping[str, Any]) -> dict[str, Any]:
    chosen: dict[str, list[str]] = {taxonomy.offer_field: [] for taxonomy in TAXONOMIES}
    for taxonomy, value in _terms(service):
        chosen[taxonomy.offer_field].append(value)
    fields: dict[str, Any] = {}
    for taxonomy in TAXONOMIES:
        values = chosen[taxonomy.offer_field]
        if taxonomy.single:
            if values:
                fields[taxonomy.offer_field] = values[0]
        else:  # in the vocabulary's order, as the forms save them
            fields[taxonomy.offer_field] = [v for v in VALUES[taxonomy.key] if v in values]
    fields.setdefault("kind", SupportKind.ADVICE_AND_MENTORING)
    return fields


# Places and locations


def _code(text: str) -> str:
    """The code at the end of an area's uri (…/E08000037), or the text as a code."""
    return text.strip().rstrip("/").rsplit("/", 1)[-1].upper()


def _areas(service: Mapping[str, Any], imported: ImportedService) -> None:
    for area in _objects(service.get("service_areas"), "service_areas"):
        for key in ("uri", "name", "description", "service_area"):
            value = area.get(key)
            if isinstance(value, str) and value.strip():
                imported.area_codes.add(_code(value))
        name = area.get("name")
        if isinstance(name, str) and name.strip():
            imported.area_names.add(name.strip().casefold())


def _delivery_at_locations(service: Mapping[str, Any], imported: ImportedService) -> str:
    """How the service is delivered, from its locations (the names of the places in their
    addresses help place the offer)."""
    at_a_place = online = False
    entries = _objects(service.get("service_at_locations"), "service_at_locations")
    for index, entry in enumerate(entries):
        where = f"service_at_locations[{index}].location"
        location = _object(entry.get("location"), where)
        if _text(location, "location_type", f"{where}.location_type") == "virtual":
            online = True
            continue
        at_a_place = True
        for name in _text(location, "name", f"{where}.name").split(","):
            if name.strip():
                imported.area_names.add(name.strip().casefold())
        addresses = _objects(location.get("addresses"), f"{where}.addresses")
        for number, address in enumerate(addresses):
            for key in ("city", "region", "state_province"):
                name = _text(address, key, f"{where}.addresses[{number}].{key}")
                if name:
                    imported.area_names.add(name.casefold())
    if at_a_place:
        return Delivery.BLENDED if online else Delivery.IN_PERSON
    return Delivery.ONLINE


# Cost, funding, phones


def _option_cost(text: str, amount: Decimal | None, words: dict) -> str | None:
    text = text.casefold()
    if text in words:
        return words[text]
    if amount is not None:
        return Cost.FREE if amount == 0 else Cost.PAID
    first_word = text.split(" ", 1)[0].strip(".,;:")
    return words.get(first_word)


def _cost(service: Mapping[str, Any], imported: ImportedService) -> None:
    """Cost and its note from ``cost_options`` (or, in older feeds, the fees text)."""
    words = cost_words()
    if "cost_options" in service:
        options = _objects(service["cost_options"], "cost_options")
        if not options:
            return
        parts, costs = [], []
        for index, option in enumerate(options):
            where = f"cost_options[{index}]"
            text = _text(option, "option", f"{where}.option")
            amount = _amount(option, f"{where}.amount")
            described = _text(option, "amount_description", f"{where}.amount_description")
            costs.append(_option_cost(text, amount, words))
            parts.append((text, amount, described))
        known = [cost for cost in costs if cost]
        cost = known[0] if known else Cost.PAID
        if len(options) == 1 and parts[0][0].casefold() in words:
            note = parts[0][2]  # as the export writes it: the cost, then its note
        else:
            note = "; ".join(
                " ".join(
                    piece for piece in (text, f"£{amount:,}" if amount else "", described) if piece
                )
                for text, amount, described in parts
            )
    else:
        fees = _text(service, "fees") or _text(service, "fees_description")
        if not fees:
            return
        first_word = fees.casefold().split(" ", 1)[0].strip(".,;:")
        cost = words.get(fees.casefold()) or words.get(first_word) or Cost.PAID
        note = "" if fees.casefold() in words else fees
    if len(note) > COST_NOTE_LENGTH:
        imported.warnings.append(
            (
                "cost_options",
                _("the note on the cost was cut to %(limit)d characters")
                % {"limit": COST_NOTE_LENGTH},
            )
        )
        note = no_longer_than(note, COST_NOTE_LENGTH)
    imported.values |= {"cost": cost, "cost_note": note}


def _funding(service: Mapping[str, Any], imported: ImportedService) -> None:
    """Funding amounts from a funding entry the export wrote; other entries name a
    source of funds, which no offer field holds."""
    if "funding" not in service:
        return
    entries = _objects(service["funding"], "funding")
    sources = [
        _text(entry, "source", f"funding[{index}].source") for index, entry in enumerate(entries)
    ]
    if not entries:
        imported.values |= {"funding_min": None, "funding_max": None}
        return
    amounts = funding_amounts(sources)
    if amounts is None:
        return
    values = dict(zip(("funding_min", "funding_max", "currency"), amounts, strict=True))
    errors = funding_errors(values)
    if errors:
        raise ServiceError("funding", "; ".join(errors.values()))
    imported.values |= values


def _phone(service: Mapping[str, Any], imported: ImportedService) -> None:
    """The first phone number: on the service (HSDS) or on a contact (the UK profile)."""
    if "phones" not in service and "contacts" not in service:
        return
    numbers = [
        (f"phones[{index}].number", phone)
        for index, phone in enumerate(_objects(service.get("phones"), "phones"))
    ]
    for index, contact in enumerate(_objects(service.get("contacts"), "contacts")):
        phones = _objects(contact.get("phones"), f"contacts[{index}].phones")
        numbers += [
            (f"contacts[{index}].phones[{number}].number", phone)
            for number, phone in enumerate(phones)
        ]
    chosen = ""
    for where, phone in numbers:
        number = _text(phone, "number", where)
        if number and len(number) > PHONE_LENGTH:
            imported.warnings.append(
                (
                    where,
                    _("the phone number is longer than %(limit)d characters and was left out")
                    % {"limit": PHONE_LENGTH},
                )
            )
        elif number and not chosen:
            chosen = number
    imported.values["contact_phone"] = chosen


# The service


def _link(service, organization, imported: ImportedService) -> None:
    """The service's url; else its organisation's website; else none, which the
    importer reports so that a curator adds one."""
    url = _text(service, "url")
    if url:
        address = web_address(url)
        if not address or len(address) > URL_LENGTH:
            raise ServiceError(
                "url",
                _(
                    "must be a web address starting with https://, like "
                    "https://www.example.org, of %(limit)d characters or fewer"
                )
                % {"limit": URL_LENGTH},
            )
        imported.values["application_url"] = address
        return
    website = web_address(_text(organization, "website", "organization.website"))
    if website and len(website) <= URL_LENGTH:
        imported.values["application_url"] = website


def service_from_feed(service: Any, *, default_provider: str) -> ImportedService:
    """The offer a feed's service gives. Raises ServiceError naming the field."""
    if not isinstance(service, Mapping):
        raise ServiceError("(service)", _("is not a JSON object"))
    service_id = service.get("id")
    if isinstance(service_id, bool) or not isinstance(service_id, str | int):
        raise ServiceError("id", _("is missing"))
    external_id = str(service_id).strip()
    if not external_id or "\x00" in external_id:
        raise ServiceError("id", _("is missing"))
    if len(external_id) > EXTERNAL_ID_LENGTH:
        raise ServiceError(
            "id", _("is longer than %(limit)d characters") % {"limit": EXTERNAL_ID_LENGTH}
        )
    name = _text(service, "name")
    if not name:
        raise ServiceError("name", _("is missing"))
    organization = _object(service.get("organization"), "organization")
    status = _text(service, "status").casefold()
    summary, description, note = description_parts(_text(service, "description"), title=name)
    if note is None:
        note = _text(service, "eligibility_description")
    email = _text(service, "email")
    if email and not is_email_address(email):
        raise ServiceError("email", _("must be an email address, like name@example.org"))
    provider = _text(organization, "name", "organization.name")
    imported = ImportedService(
        external_id=external_id,
        values={
            "title": name[:TITLE_LENGTH],
            "summary": summary,
            "description": description,
            "provider_name": provider[:PROVIDER_LENGTH] or default_provider,
            "contact_email": email,
            "eligibility_note": note,
        },
        archived=bool(status) and status != "active",
    )
    _link(service, organization, imported)
    imported.values |= _vocabularies(service)
    _areas(service, imported)
    if "service_at_locations" in service:
        delivery = _delivery_at_locations(service, imported)
        imported.values.setdefault("delivery", delivery)
    _cost(service, imported)
    _funding(service, imported)
    _phone(service, imported)
    return imported
