"""Our vocabularies as HSDS taxonomies: one taxonomy per vocabulary (kind of support,
dimension, business size, stage, SIC section, maturity level, delivery), one term per
choice, each with an id derived from a namespace of our own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import Delivery, Offer
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)

NAMESPACE = uuid.UUID("0b1e6f0a-3c55-4c8e-9d1f-5a7e2b6c9d40")


def derived_id(*parts: str) -> str:
    """A UUID for something that has none of its own, the same wherever it is made."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# The vocabularies' ids, made once: a services page asks for hundreds (a SHA-1 each).
_vocabulary_id = lru_cache(maxsize=1024)(derived_id)


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: Any  # lazy text
    description: Any
    choices: type[models.TextChoices]
    offer_field: str  # the Offer field holding this vocabulary's values
    single: bool = False  # the field holds one value (a choice), not a set of them

    @property
    def id(self) -> str:
        return _vocabulary_id("taxonomy", self.key)

    def term_id(self, value: str) -> str:
        return _vocabulary_id("taxonomy", self.key, value)

    def values_of(self, offer: Offer) -> list[str]:
        value = getattr(offer, self.offer_field)
        return [value] if self.single else list(value)


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        "support-kind",
        _("Kind of support"),
        _("What a business gets: a grant, a loan, a course, advice..."),
        SupportKind,
        "kind",
        single=True,
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
    Taxonomy(
        "delivery",
        _("Delivery"),
        _("How the support is delivered: online, in person, or both."),
        Delivery,
        "delivery",
        single=True,
    ),
)
TAXONOMIES_BY_ID: dict[str, Taxonomy] = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
TAXONOMIES_BY_KEY: dict[str, Taxonomy] = {taxonomy.key: taxonomy for taxonomy in TAXONOMIES}
TAXONOMIES_BY_FIELD: dict[str, Taxonomy] = {
    taxonomy.offer_field: taxonomy for taxonomy in TAXONOMIES
}
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
    """A term as the UK profile writes one: its text in ``name`` and ``term`` (the
    profile has no ``code``: the importer knows our terms by their id)."""
    # Each is the same for every offer in a language: written once per process and
    # language (a services page of 50 offers writes about 400 terms), copied out.
    return dict(_term_json(taxonomy.key, value, get_language()))


@lru_cache(maxsize=1024)
def _term_json(key: str, value: str, language: str | None) -> dict[str, Any]:
    taxonomy = TAXONOMIES_BY_KEY[key]
    label = str(taxonomy.choices(value).label)
    return {
        "id": taxonomy.term_id(value),
        "name": label,
        "description": label,
        "taxonomy": str(taxonomy.name),
        "taxonomy_id": taxonomy.id,
        "term": label,
    }


def all_taxonomy_terms() -> list[tuple[Taxonomy, str]]:
    return [(taxonomy, value) for taxonomy in TAXONOMIES for value in taxonomy.choices.values]
