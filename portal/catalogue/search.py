"""Public search: what a query string asks for, and how words match offers.

``criteria_from_query`` turns the GET parameters into ``Criteria``, ignoring anything
unknown, so a hand-edited or stale URL never fails. ``match_words`` and
``rank_by_words`` filter and rank a queryset by words, with each database's full-text
search (portal/lib/wordsearch.py), finding the same offers on both.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import Cost, Delivery, open_on_condition
from portal.lib import facets, wordsearch
from portal.lib.bilingual import welsh_active
from portal.lib.vocabularies import BusinessSize, Dimension, SicSection, Stage, SupportKind
from portal.lib.wordsearch import WordIndex

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

    def condition(self, value: str) -> facets.Condition:
        """The offers choosing ``value`` gives."""
        if self.match == EQUALS:
            return facets.equals(self.field, value)
        if self.match == HAS:
            return facets.Has(self.field, value)
        return facets.equals(self.field, "") | facets.Has(self.field, value)


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

SORTS = facets.Sorts(
    facets.Sort("relevance", _("Most relevant"), ("title", "pk"), by_relevance=True),
    facets.Sort(
        "closing", _("Closing soonest"), (F("closes").asc(nulls_last=True), "title", "pk")
    ),
    facets.Sort("newest", _("Newest"), (F("published").desc(nulls_last=True), "-created", "-pk")),
    default="newest",
    default_with_words="relevance",
)


@dataclass(frozen=True)
class Criteria:
    words: str = ""
    # facet param → the chosen values, in vocabulary order
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    open_now: bool = False
    place: str = ""  # a council's GSS code or a region's ONS code, unchecked
    sort: str = SORTS.default
    # Whether the person chose the sort (else it is the default for the words).
    sort_chosen: bool = False
    page: str = "1"

    def values(self, param: str) -> tuple[str, ...]:
        return self.chosen.get(param, ())

    @property
    def has_filters(self) -> bool:
        return bool(self.words or self.place or self.open_now or any(self.chosen.values()))

    def conditions(self, today) -> dict[str, facets.Condition]:
        """The condition of each chosen facet, "open now" included."""
        chosen = {
            facet.param: facets.any_of(facet.condition(value) for value in values)
            for facet in FACETS
            if (values := self.values(facet.param))
        }
        if self.open_now:
            chosen[OPEN_NOW] = open_on_condition(today)
        return chosen


def criteria_from_query(query) -> Criteria:
    """The search a query string asks for. Unknown values and parameters are ignored."""
    words = " ".join(query.get("q", "").split())[:MAX_QUERY_LENGTH]
    chosen = {}
    for facet in FACETS:
        asked = set(query.getlist(facet.param))
        chosen[facet.param] = tuple(value for value in facet.choices.values if value in asked)
    place = query.get("place", "").strip().upper()
    asked_sort = query.get("sort", "")
    sort = SORTS.choose(asked_sort, words=bool(words))
    return Criteria(
        words=words,
        chosen=chosen,
        open_now=query.get(OPEN_NOW) == "1",
        place=place if re.fullmatch(r"[A-Z]\d{8}", place) else "",
        sort=sort,
        sort_chosen=sort == asked_sort,
        page=query.get("page", "1"),
    )


@cache
def _counted_options() -> tuple[facets.Counted, ...]:
    return tuple(
        facets.Counted(facet.param, value, facet.condition(value))
        for facet in FACETS
        for value in facet.choices.values
    )


def counted_options(today) -> tuple[facets.Counted, ...]:
    """Every option the page counts: each facet's, and "open now"."""
    return (*_counted_options(), facets.Counted(OPEN_NOW, "1", open_on_condition(today)))


# Words (portal/lib/wordsearch.py does the work, for the catalogue and contracts alike)

# The weighted document: A title, B summary and provider, C description. Indexed by
# migration 0005_offer_word_index, which must be followed by another if this changes.
WORDS = WordIndex(
    "catalogue_offer",
    ((("title",), "A"), (("summary", "provider_name"), "B"), (("description",), "C")),
)
# The Welsh fields, in their own index (migration 0008_offer_welsh_word_index): on Welsh
# pages a word matches in either, so untranslated offers are found by their English.
WELSH_WORDS = WordIndex(
    "catalogue_offer",
    ((("title_cy",), "A"), (("summary_cy",), "B"), (("description_cy",), "C")),
    config=wordsearch.WELSH_SEARCH_CONFIG,
    tokenizer=wordsearch.WELSH_SQLITE_TOKENIZER,
    suffix="_cy",
    fold_accents=True,
)


def _indexes() -> tuple[WordIndex, ...]:
    """The indexes a search in the active language looks in."""
    return (WORDS, WELSH_WORDS) if welsh_active() else (WORDS,)


def match_words(queryset, words: str):
    """Only offers matching the words."""
    return wordsearch.match_words(queryset, words, indexes=_indexes())


def words_condition(words: str) -> facets.Condition | None:
    """What ``match_words`` filters by, as a condition (None: no words to match)."""
    return wordsearch.words_condition(words, indexes=_indexes())


def rank_by_words(queryset, words: str):
    """Annotate ``rank``, higher for a better match of the words."""
    return wordsearch.rank_by_words(queryset, words, indexes=_indexes())


# What the page shows


@cache
def _translated(language: str, vocabulary: type) -> dict[str, str]:
    return {value: str(label) for value, label in vocabulary.choices}


def vocabulary_labels(vocabulary: type) -> dict[str, str]:
    """{value: label} of a TextChoices vocabulary in the active language. Translated
    once per process and language: forcing the lazy labels each time, as
    ``get_FOO_display`` and the facets' 57 options did, cost about a millisecond."""
    return _translated(get_language(), vocabulary)


def facet_groups(criteria: Criteria, counts: facets.FacetCounts) -> list[facets.FacetGroup]:
    """The checkboxes of each facet, with the number of offers each would give."""
    return [
        facets.FacetGroup(
            param=facet.param,
            legend=facet.legend,
            options=facets.options(
                facet.param,
                vocabulary_labels(facet.choices).items(),
                counts=counts,
                chosen=criteria.values(facet.param),
            ),
        )
        for facet in FACETS
    ]


def profile_query(criteria: Criteria, council_code: str) -> dict[str, str]:
    """What the search says about the business, for the offer page's "Is this for me?":
    the council, and a size, stage or sector when exactly one is chosen."""
    profile = {"council": council_code} if council_code else {}
    for param in ("size", "stage", "sector"):
        values = criteria.values(param)
        if len(values) == 1:
            profile[param] = values[0]
    return profile
