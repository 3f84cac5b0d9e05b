"""Offers as Open Referral UK / HSDS 3.0 services, and services as offer fields.

The read API (api.py) writes offers with ``service_json``; the feed importer
(services/imports.py) reads services with ``offer_fields_from_service``. Our
vocabularies are the taxonomies: one taxonomy per vocabulary (kind of support,
dimension, business size, stage, SIC section, maturity level), one term per choice.
HSDS 3.0 links a service to its terms through ``attributes``, each carrying its
``taxonomy_term`` with the term's ``taxonomy_id``.

HSDS identifiers are UUIDs. An offer's is its ``public_id``; everything else (terms,
areas, the provider organisation) gets a UUID derived by ``uuid5`` from a namespace of
our own, so the same thing has the same id on every request and every deployment.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import Offer, OfferStatus
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)

NAMESPACE = uuid.UUID("0b1e6f0a-3c55-4c8e-9d1f-5a7e2b6c9d40")
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
UNITED_KINGDOM_GSS_CODE = "K02000001"


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: Any  # lazy text
    description: Any
    choices: type[models.TextChoices]
    offer_field: str  # the Offer field holding this vocabulary's values

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.key)

    def term_id(self, value: str) -> str:
        return derived_id("taxonomy", self.key, value)

    def values_of(self, offer: Offer) -> list[str]:
        value = getattr(offer, self.offer_field)
        return [value] if isinstance(value, str) else list(value)


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        "support-kind",
        _("Kind of support"),
        _("What a business gets: a grant, a loan, a course, advice..."),
        SupportKind,
        "kind",
    ),
    Taxonomy(
        "dimension",
        _("Digital maturity dimension"),
        _("The dimensions of Waymark's digital maturity diagnostic the support builds."),
        Dimension,
        "dimensions",
    ),
    Taxonomy(
        "business-size",
        _("Business size"),
        _("The business sizes the support is for, by number of staff."),
        BusinessSize,
        "sizes",
    ),
    Taxonomy(
        "business-stage",
        _("Business stage"),
        _("The stages of a business the support is for."),
        Stage,
        "stages",
    ),
    Taxonomy(
        "sic-section",
        _("SIC 2007 section"),
        _("The sections of the UK Standard Industrial Classification 2007 it is for."),
        SicSection,
        "sic_sections",
    ),
    Taxonomy(
        "maturity-level",
        _("Digital maturity level"),
        _("The levels of digital maturity the support suits."),
        MaturityLevel,
        "maturity_levels",
    ),
)
TAXONOMIES_BY_ID: dict[str, Taxonomy] = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
# term id → (taxonomy, value)
TERMS_BY_ID: dict[str, tuple[Taxonomy, str]] = {
    taxonomy.term_id(value): (taxonomy, value)
    for taxonomy in TAXONOMIES
    for value in taxonomy.choices.values
}


def taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "id": taxonomy.id,
        "name": str(taxonomy.name),
        "description": str(taxonomy.description),
        "version": "1",
    }


def taxonomy_term_json(taxonomy: Taxonomy, value: str) -> dict[str, Any]:
    label = str(taxonomy.choices(value).label)
    return {
        "id": taxonomy.term_id(value),
        "code": value,
        "name": label,
        "description": label,
        "taxonomy": str(taxonomy.name),
        "taxonomy_id": taxonomy.id,
    }


def all_taxonomy_terms() -> list[tuple[Taxonomy, str]]:
    return [(taxonomy, value) for taxonomy in TAXONOMIES for value in taxonomy.choices.values]


# Offer → service


def organization_id(provider_name: str) -> str:
    return derived_id("organization", provider_name.strip().casefold())


def _service_status(offer: Offer, today: date) -> str:
    open_now = not offer.is_closed_on(today)
    return "active" if offer.status == OfferStatus.PUBLISHED and open_now else "inactive"


def _eligibility(offer: Offer) -> str:
    parts = []
    for label, taxonomy_key in (
        (_("Business sizes"), "business-size"),
        (_("Business stages"), "business-stage"),
        (_("Sectors"), "sic-section"),
    ):
        taxonomy = next(t for t in TAXONOMIES if t.key == taxonomy_key)
        values = taxonomy.values_of(offer)
        if values:
            names = "; ".join(str(taxonomy.choices(value).label) for value in values)
            parts.append(f"{label}: {names}.")
    if not parts:
        parts.append(str(_("Open to businesses of any size, stage and sector.")))
    if offer.eligibility_note:
        parts.append(offer.eligibility_note)
    return " ".join(parts)


def _fees(offer: Offer) -> str:
    text = str(offer.get_cost_display())
    return f"{text}. {offer.cost_note}" if offer.cost_note else text


def _service_areas(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    areas = []
    if offer.uk_wide:
        areas.append((UNITED_KINGDOM_GSS_CODE, str(_("United Kingdom"))))
    areas += [(region.ons_code, region.name) for region in offer.regions.all()]
    areas += [(council.gss_code, council.name) for council in offer.councils.all()]
    return [
        {
            "id": derived_id("service-area", service_id, code),
            "service_id": service_id,
            "name": name,
            "description": code,
            "uri": GSS_URI.format(code=code),
        }
        for code, name in areas
    ]


def _attributes(offer: Offer, service_id: str) -> list[dict[str, Any]]:
    attributes = []
    for taxonomy in TAXONOMIES:
        for value in taxonomy.values_of(offer):
            term = taxonomy_term_json(taxonomy, value)
            attributes.append(
                {
                    "id": derived_id("attribute", service_id, term["id"]),
                    "link_id": service_id,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": term["id"],
                    "taxonomy_term": term,
                }
            )
    return attributes


def service_json(offer: Offer, *, today: date) -> dict[str, Any]:
    """An offer as an HSDS 3.0 service (Open Referral UK profile).

    Reads ``offer.regions``, ``offer.councils`` and ``offer.provider``: prefetch and
    select them when writing many.
    """
    service_id = str(offer.public_id)
    organization = {
        "id": organization_id(offer.provider_name),
        "name": offer.provider_name,
        "description": str(_("Runs %(offer)s.") % {"offer": offer.title}),
    }
    if offer.provider_id and offer.provider.website:
        organization["website"] = offer.provider.website
    description = offer.summary
    if offer.description:
        description = f"{offer.summary}\n\n{offer.description}"
    service = {
        "id": service_id,
        "organization_id": organization["id"],
        "name": offer.title,
        "description": description,
        "url": offer.application_url,
        "status": _service_status(offer, today),
        "fees_description": _fees(offer),
        "eligibility_description": _eligibility(offer),
        "assured_date": offer.last_reviewed.isoformat(),
        "last_modified": offer.updated.isoformat(),
        "organization": organization,
        "service_areas": _service_areas(offer, service_id),
        "attributes": _attributes(offer, service_id),
        "phones": [],
        "contacts": [],
    }
    if offer.contact_email:
        service["email"] = offer.contact_email
    if offer.contact_phone:
        service["phones"].append(
            {"id": derived_id("phone", service_id), "number": offer.contact_phone}
        )
    return service


# Service → offer fields (the feed importer)


class ServiceError(ValueError):
    """A service in a feed that cannot become an offer; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _text(service: Mapping[str, Any], name: str, limit: int | None = None) -> str:
    value = service.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError(name, str(_("must be text")))
    value = value.strip()
    return value[:limit] if limit else value


def _terms_in(service: Mapping[str, Any]) -> Iterable[tuple[Taxonomy, str]]:
    """Our taxonomy terms among the service's attributes (and the older ORUK
    ``taxonomy_terms`` list), recognised by term id or by taxonomy id and code."""
    terms = [
        attribute.get("taxonomy_term") or {"id": attribute.get("taxonomy_term_id")}
        for attribute in service.get("attributes") or []
        if isinstance(attribute, Mapping)
    ] + [term for term in service.get("taxonomy_terms") or [] if isinstance(term, Mapping)]
    for term in terms:
        known = TERMS_BY_ID.get(str(term.get("id", "")))
        if known:
            yield known
            continue
        taxonomy = TAXONOMIES_BY_ID.get(str(term.get("taxonomy_id", "")))
        if taxonomy and term.get("code") in taxonomy.choices.values:
            yield taxonomy, term["code"]


def _area_codes(service: Mapping[str, Any]) -> set[str]:
    """Official codes named by the service's areas: in the uri (…/E08000037), the
    description, or the name."""
    codes = set()
    for area in service.get("service_areas") or []:
        if not isinstance(area, Mapping):
            continue
        for key in ("uri", "description", "name", "extent"):
            value = area.get(key)
            if isinstance(value, str) and value.strip():
                codes.add(value.strip().rstrip("/").rsplit("/", 1)[-1].upper())
    return codes


def offer_fields_from_service(service: Mapping[str, Any], *, default_provider: str) -> dict:
    """The offer fields a feed's service gives: plain values, and ``area_codes`` (GSS
    and ONS codes) for the importer to resolve. Raises ServiceError naming the field."""
    if not isinstance(service, Mapping):
        raise ServiceError("(service)", str(_("is not a JSON object")))
    service_id = service.get("id")
    if not isinstance(service_id, str | int) or not str(service_id).strip():
        raise ServiceError("id", str(_("is missing")))
    name = _text(service, "name")
    if not name:
        raise ServiceError("name", str(_("is missing")))
    organization = service.get("organization") or {}
    url = _text(service, "url") or (
        _text(organization, "website") if isinstance(organization, Mapping) else ""
    )
    if not url.startswith(("https://", "http://")):
        raise ServiceError("url", str(_("must be a web address starting with https://")))
    description = _text(service, "description")
    provider = _text(organization, "name", 200) if isinstance(organization, Mapping) else ""
    fields: dict[str, Any] = {
        "title": name[:200],
        "summary": (description.split("\n", 1)[0] or name)[:300],
        "description": description,
        "provider_name": provider or default_provider,
        "application_url": url[:500],
        "contact_email": _text(service, "email", 254),
        "eligibility_note": _text(service, "eligibility_description"),
        "cost_note": _text(service, "fees_description", 300),
    }
    sets: dict[str, list[str]] = {t.offer_field: [] for t in TAXONOMIES}
    for taxonomy, value in _terms_in(service):
        if value not in sets[taxonomy.offer_field]:
            sets[taxonomy.offer_field].append(value)
    kinds = sets.pop("kind")
    fields["kind"] = kinds[0] if kinds else SupportKind.ADVICE_AND_MENTORING
    for offer_field, values in sets.items():
        choices = next(t.choices for t in TAXONOMIES if t.offer_field == offer_field)
        fields[offer_field] = [value for value in choices.values if value in values]
    fields["external_id"] = str(service_id).strip()[:200]
    fields["area_codes"] = _area_codes(service)
    return fields


# Reading a feed: a file, a directory of page files, or a URL


class FeedUnavailable(Exception):
    """The feed could not be read; the message says why."""


MAX_FEED_PAGES = 1000
MAX_PAGE_BYTES = 20 * 1024 * 1024


def _page_from_json(text: str, where: str) -> dict:
    try:
        page = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedUnavailable(f"{where} is not JSON: {error}") from None
    if isinstance(page, list):  # a bare list of services
        return {"contents": page}
    if not isinstance(page, dict) or not isinstance(page.get("contents", []), list):
        raise FeedUnavailable(f"{where} is not a page of services (no 'contents' list)")
    if "contents" not in page and "id" in page:  # a single service
        return {"contents": [page]}
    return page


def _page_order(path: Path):
    numbers = re.findall(r"\d+", path.stem)
    return (int(numbers[-1]) if numbers else 0, path.name)


def _fetch(url: str, timeout: float) -> str:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "Waymark feed importer"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_PAGE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FeedUnavailable(f"Could not read {url}: {error}") from None
    if len(body) > MAX_PAGE_BYTES:
        raise FeedUnavailable(f"{url} is larger than {MAX_PAGE_BYTES // 1024 // 1024} MB")
    return body.decode("utf-8-sig", errors="replace")


def _with_page(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "page"]
    query.append(("page", str(page)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def read_feed(source: str, *, timeout: float = 30) -> list[dict]:
    """The pages of an ORUK services feed, each a dict with ``contents``.

    ``source`` is a URL (pages are fetched with ``page=1, 2, …`` until the last page),
    a directory (every ``*.json`` file in it is a page, in the order of the number in
    its name) or a file (one page, or a bare list of services).
    """
    if source.startswith(("https://", "http://")):
        pages = []
        for number in range(1, MAX_FEED_PAGES + 1):
            url = _with_page(source, number)
            page = _page_from_json(_fetch(url, timeout), url)
            pages.append(page)
            total_pages = page.get("total_pages")
            if (
                page.get("last_page") is True
                or not page.get("contents")
                or (isinstance(total_pages, int) and number >= total_pages)
            ):
                return pages
        raise FeedUnavailable(f"{source} has more than {MAX_FEED_PAGES} pages")
    path = Path(source)
    if path.is_dir():
        files = sorted(path.glob("*.json"), key=_page_order)
        if not files:
            raise FeedUnavailable(f"{source} has no .json page files")
        return [_page_from_json(file.read_text(encoding="utf-8-sig"), str(file)) for file in files]
    if path.is_file():
        return [_page_from_json(path.read_text(encoding="utf-8-sig"), str(path))]
    raise FeedUnavailable(f"{source} is not a URL, a file or a directory")
