"""Offers as services of the Open Referral UK profile (HSDS 3.0), for the read API.

Only the profile's fields are written (see the table in __init__.py). Each function reads
``offer.regions``, ``offer.councils`` and ``offer.provider``: prefetch and select them
when writing many.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from portal.catalogue.models import Cost, Delivery, Offer, OfferStatus
from portal.catalogue.openreferral.formats import description_text, funding_text, web_address
from portal.catalogue.openreferral.taxonomies import TAXONOMIES, derived_id, taxonomy_term_json

GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
UNITED_KINGDOM_GSS_CODE = "K02000001"
# The deliveries that happen at a place: those offers have a service_at_location.
AT_A_PLACE = (Delivery.IN_PERSON, Delivery.BLENDED)


def organization_id(provider_name: str) -> str:
    return derived_id("organization", provider_name.strip().casefold())


# An offer has at most one service_at_location, whose id is the offer's public id with
# these bits flipped: a UUID of its own, from which the offer is found again. (The mask's
# version and variant bits are 0, so the id keeps the public id's.)
SERVICE_AT_LOCATION_MASK = uuid.UUID("5f1c2a9e-7b43-0d86-0a51-c3e9d27f4b18").int


def service_at_location_id(offer: Offer) -> str:
    return str(uuid.UUID(int=offer.public_id.int ^ SERVICE_AT_LOCATION_MASK))


def public_id_of_service_at_location(service_at_location_id: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=service_at_location_id.int ^ SERVICE_AT_LOCATION_MASK)


def _status(offer: Offer, today: date) -> str:
    open_now = not offer.is_closed_on(today)
    return "active" if offer.status == OfferStatus.PUBLISHED and open_now else "inactive"


def _organization(offer: Offer) -> dict[str, Any]:
    organization = {
        "id": organization_id(offer.provider_name),
        "name": offer.provider_name,
        "description": _("Runs %(offer)s.") % {"offer": offer.title},
    }
    website = web_address(offer.provider.website) if offer.provider_id else ""
    if website:
        organization["website"] = website
    return organization


def _areas(offer: Offer) -> list[tuple[str, str]]:
    """(code, name) of each place the offer is listed in."""
    areas = []
    if offer.uk_wide:
        areas.append((UNITED_KINGDOM_GSS_CODE, _("United Kingdom")))
    areas += [(region.ons_code, region.name) for region in offer.regions.all()]
    areas += [(council.gss_code, council.name) for council in offer.councils.all()]
    return areas


def _service_areas(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": derived_id("service-area", service_id, code),
            "service_id": service_id,
            "name": name,
            "uri": GSS_URI.format(code=code),
        }
        for code, name in _areas(offer)
    ]


def _attributes(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": derived_id("attribute", service_id, term["id"]),
            "link_id": service_id,
            "link_type": "service",
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
        }
        for taxonomy in TAXONOMIES
        for term in (taxonomy_term_json(taxonomy, value) for value in taxonomy.values_of(offer))
    ]


def _cost_options(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    option = {
        "id": derived_id("cost-option", service_id),
        "service_id": service_id,
        "option": str(offer.get_cost_display()),
    }
    if offer.cost == Cost.FREE:
        option["amount"] = 0
    if offer.cost_note:
        option["amount_description"] = offer.cost_note
    return [option]


def _funding(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    text = funding_text(offer)
    if not text:
        return []
    return [{"id": derived_id("funding", service_id), "service_id": service_id, "source": text}]


def _contacts(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    """The phone number, on a contact: the UK profile links phones to contacts only."""
    if not offer.contact_phone:
        return []
    contact_id = derived_id("contact", service_id)
    phone = {
        "id": derived_id("phone", service_id),
        "contact_id": contact_id,
        "number": offer.contact_phone,
    }
    return [{"id": contact_id, "service_id": service_id, "phones": [phone]}]


def _location(offer: Offer) -> dict[str, Any]:
    """Where an offer delivered in person is: the places it is listed in (an offer has
    no street address)."""
    names = [name for _code, name in _areas(offer)]
    return {
        "id": derived_id("location", str(offer.public_id)),
        "location_type": "physical",
        "name": ", ".join(names) or offer.provider_name,
    }


def _service_at_locations(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    if offer.delivery not in AT_A_PLACE:
        return []
    location = _location(offer)
    return [
        {
            "id": service_at_location_id(offer),
            "service_id": service_id,
            "location_id": location["id"],
            "location": location,
        }
    ]


def _basic_service(offer: Offer, *, today: date) -> dict[str, Any]:
    """The service's one-to-one fields and its organization."""
    service_id = str(offer.public_id)
    organization = _organization(offer)
    service = {
        "id": service_id,
        "organization_id": organization["id"],
        "name": offer.title,
        "description": description_text(
            summary=offer.summary,
            description=offer.description,
            eligibility_note=offer.eligibility_note,
        ),
        "status": _status(offer, today),
        "assured_date": offer.last_reviewed.isoformat(),
        "last_modified": offer.updated.isoformat(),
        "organization": organization,
    }
    url = web_address(offer.application_url)
    if url:
        service["url"] = url
    if offer.contact_email:
        service["email"] = offer.contact_email
    return service


def service_json(offer: Offer, *, today: date) -> dict[str, Any]:
    """An offer as a fully nested service."""
    service = _basic_service(offer, today=today)
    service_id = service["id"]
    service.update(
        {
            "service_areas": _service_areas(offer, service_id),
            "service_at_locations": _service_at_locations(offer, service_id),
            "cost_options": _cost_options(offer, service_id),
            "funding": _funding(offer, service_id),
            "contacts": _contacts(offer, service_id),
            "attributes": _attributes(offer, service_id),
        }
    )
    return service


def service_at_location_json(offer: Offer, *, today: date, full: bool) -> dict[str, Any]:
    """An offer delivered at a place as a service_at_location: with its service's one-to-one
    fields in a list, fully nested (``full``) on its own."""
    service = _basic_service(offer, today=today)
    location = _location(offer)
    if full:
        service_id = service["id"]
        service.update(
            {
                "service_areas": _service_areas(offer, service_id),
                "cost_options": _cost_options(offer, service_id),
                "funding": _funding(offer, service_id),
                "contacts": _contacts(offer, service_id),
                "attributes": _attributes(offer, service_id),
            }
        )
    return {
        "id": service_at_location_id(offer),
        "service_id": service["id"],
        "location_id": location["id"],
        "location": location,
        "service": service,
    }
