"""Public search: what a query string asks for, and how words match offers.

``criteria_from_query`` turns the GET parameters into ``Criteria``, ignoring anything
unknown, so a hand-edited or stale URL never fails. ``match_words`` filters and ranks a
queryset by words: PostgreSQL full-text search (weighted, ranked) where available, and
on SQLite a plain fallback in which every word must appear somewhere and title matches
rank first.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.contrib.postgres.search import SearchVector
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import Cost, Delivery
from portal.lib import wordsearch
from portal.lib.vocabularies import BusinessSize, Dimension, SicSection, Stage, SupportKind
from portal.lib.wordsearch import weighted_vector

# The text search configuration: English stemming ("grants" finds "grant").
MAX_QUERY_LENGTH = 200

# How a facet's options select offers.
EQUALS = "equals"  # a single-valued field: kind, cost, delivery
HAS = "has"  # a set of choices: any chosen dimension
ELIGIBLE = "eligible"  # eligibility: an empty set means open to all


@dataclass(frozen=True)
class Facet:
    param: str  # the GET parameter
    field: str  # the Offer field
    match: str  # EQUALS, HAS or ELIGIBLE
    choices: type  # the TextChoices vocabulary
    legend: str


FACETS = (
    Facet("kind", "kind", EQUALS, SupportKind, _("Type of support")),
    Facet("dimension", "dimensions", HAS, Dimension, _("Helps with")),
    Facet("size", "sizes", ELIGIBLE, BusinessSize, _("Business size")),
    Facet("stage", "stages", ELIGIBLE, Stage, _("Business stage")),
    Facet("sector", "sic_sections", ELIGIBLE, SicSection, _("Sector")),
    Facet("cost", "cost", EQUALS, Cost, _("Cost")),
    Facet("delivery", "delivery", EQUALS, Delivery, _("Delivery")),
)
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
OPEN_NOW = "open"


class Sort:
    RELEVANCE = "relevance"
    CLOSING = "closing"
    NEWEST = "newest"


SORTS = (
    (Sort.RELEVANCE, _("Most relevant")),
    (Sort.CLOSING, _("Closing soonest")),
    (Sort.NEWEST, _("Newest")),
)


@dataclass(frozen=True)
class Criteria:
    words: str = ""
    # facet param → the chosen values, in vocabulary order
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    open_now: bool = False
    place: str = ""  # a council's GSS code or a region's ONS code, unchecked
    sort: str = Sort.NEWEST
    page: str = "1"

    def values(self, param: str) -> tuple[str, ...]:
        return self.chosen.get(param, ())

    @property
    def has_filters(self) -> bool:
        return bool(self.words or self.place or self.open_now or any(self.chosen.values()))


def criteria_from_query(query) -> Criteria:
    """The search a query string asks for. Unknown values and parameters are ignored."""
    words = " ".join(query.get("q", "").split())[:MAX_QUERY_LENGTH]
    chosen = {}
    for facet in FACETS:
        asked = set(query.getlist(facet.param))
        chosen[facet.param] = tuple(value for value in facet.choices.values if value in asked)
    sort = query.get("sort", "")
    allowed_sorts = {Sort.CLOSING, Sort.NEWEST} | ({Sort.RELEVANCE} if words else set())
    if sort not in allowed_sorts:
        sort = Sort.RELEVANCE if words else Sort.NEWEST
    place = query.get("place", "").strip().upper()
    return Criteria(
        words=words,
        chosen=chosen,
        open_now=query.get(OPEN_NOW) == "1",
        place=place if re.fullmatch(r"[A-Z]\d{8}", place) else "",
        sort=sort,
        page=query.get("page", "1"),
    )


def option_q(facet: Facet, value: str) -> Q:
    if facet.match == EQUALS:
        return Q(**{facet.field: value})
    if facet.match == HAS:
        return Q(**{f"{facet.field}__has": value})
    return Q(**{facet.field: ""}) | Q(**{f"{facet.field}__has": value})


def facet_q(facet: Facet, values) -> Q:
    """Offers matching any of the chosen values (no values: no condition)."""
    condition = Q()
    for value in values:
        condition |= option_q(facet, value)
    return condition


def open_now_q(today) -> Q:
    return Q(always_open=True) | (
        (Q(opens__isnull=True) | Q(opens__lte=today))
        & (Q(closes__isnull=True) | Q(closes__gte=today))
    )


# Words (portal/lib/wordsearch.py does the work, for the catalogue and contracts alike)


def search_vector() -> SearchVector:
    """The weighted document: A title, B summary and provider, C description.

    The same expression is indexed (a functional GIN index, PostgreSQL only), so it must
    stay byte for byte what the migration creates.
    """
    return weighted_vector(
        (("title",), "A"), (("summary", "provider_name"), "B"), (("description",), "C")
    )


def match_words(queryset, words: str):
    """Only offers matching the words."""
    return wordsearch.match_words(
        queryset,
        words,
        vector=search_vector(),
        fields=["title", "summary", "provider_name", "description"],
    )


def rank_by_words(queryset, words: str):
    """Annotate ``rank``, higher for a better match of the words (on SQLite, each word
    found in the title counts most, then in the summary)."""
    return wordsearch.rank_by_words(
        queryset, words, vector=search_vector(), points={"title": 4, "summary": 1}
    )


# What the page shows


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool
    id: str


@dataclass(frozen=True)
class FacetGroup:
    param: str
    legend: str
    options: list[FacetOption]


@cache
def _translated(language: str, vocabulary: type) -> dict[str, str]:
    return {value: str(label) for value, label in vocabulary.choices}


def vocabulary_labels(vocabulary: type) -> dict[str, str]:
    """{value: label} of a TextChoices vocabulary in the active language. Translated
    once per process and language: forcing the lazy labels each time, as
    ``get_FOO_display`` and the facets' 57 options did, cost about a millisecond."""
    return _translated(get_language(), vocabulary)


def facet_groups(criteria: Criteria, counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """The checkboxes of each facet, with the number of offers each would give."""
    groups = []
    for facet in FACETS:
        counted = counts.get(facet.param, {})
        chosen = criteria.values(facet.param)
        groups.append(
            FacetGroup(
                param=facet.param,
                legend=facet.legend,
                options=[
                    FacetOption(
                        value=value,
                        label=label,
                        count=counted.get(value, 0),
                        checked=value in chosen,
                        id=f"{facet.param}-{value}",
                    )
                    for value, label in vocabulary_labels(facet.choices).items()
                ],
            )
        )
    return groups


def profile_query(criteria: Criteria, council_code: str) -> dict[str, str]:
    """What the search says about the business, for the offer page's "Is this for me?":
    the council, and a size, stage or sector when exactly one is chosen."""
    profile = {"council": council_code} if council_code else {}
    for param in ("size", "stage", "sector"):
        values = criteria.values(param)
        if len(values) == 1:
            profile[param] = values[0]
    return profile
