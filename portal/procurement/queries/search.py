"""The contracts list and one opportunity's page: the opportunities a list URL asks
for, in its order, and a page of them with the facet counts.

``search_page`` runs a fixed number of queries whatever the number of opportunities:
the total and every filter option's count come from one query of conditional counts
(portal/lib/facets.py, as for the catalogue), then one query for the page and one per
prefetched relation.

Words match with PostgreSQL full-text search, weighted (title A, buyer B, description
C) and ranked, using the functional GIN index of migration
0003_opportunity_search_index. On SQLite every word must appear in the title, the
buyer's name or the description.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.utils import timezone

from portal.lib import facets, wordsearch
from portal.lib.bilingual import welsh_active
from portal.lib.synonyms import terms_of
from portal.lib.wordsearch import WordIndex
from portal.places.choices import place_q
from portal.places.models import Council, Region
from portal.procurement.cpv import division_choices, group_choices
from portal.procurement.models import Opportunity
from portal.procurement.queries.facets import counted_options, value_range
from portal.procurement.queries.filters import SORTS, OpportunityFilters

RESULTS_PER_PAGE = 20


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _places_q(filters: OpportunityFilters) -> Q:
    condition = Q()
    for place in filters.places():
        condition &= place_q(Opportunity, place)
    return condition


# Words (portal/lib/wordsearch.py does the work, for contracts and the catalogue alike)

# The weighted document: A title, B buyer, C description. Indexed by migration
# 0006_opportunity_word_index, which must be followed by another if this changes.
WORDS = WordIndex(
    "procurement_opportunity",
    ((("title",), "A"), (("buyer_name",), "B"), (("description",), "C")),
)
# The Welsh fields, in their own index (migration 0014_opportunity_welsh_word_index): on
# Welsh pages a word matches in either, so untranslated opportunities are found by their
# English.
WELSH_WORDS = WordIndex(
    "procurement_opportunity",
    ((("title_cy",), "A"), (("description_cy",), "C")),
    config=wordsearch.WELSH_SEARCH_CONFIG,
    tokenizer=wordsearch.WELSH_SQLITE_TOKENIZER,
    suffix="_cy",
    fold_accents=True,
)


def _indexes() -> tuple[WordIndex, ...]:
    """The indexes a search in the active language looks in."""
    return (WORDS, WELSH_WORDS) if welsh_active() else (WORDS,)


def match_words(queryset, words: str):
    return wordsearch.match_words(queryset, words, indexes=_indexes())


def _rank_by_words(queryset, words: str):
    return wordsearch.rank_by_words(queryset, words, indexes=_indexes())


# The list


def _base(filters: OpportunityFilters, now: datetime):
    """Listed opportunities matching the words and the place: what the facets count."""
    queryset = value_range(Opportunity.objects.visible(now))
    return match_words(queryset, filters.q).filter(_places_q(filters))


def listed_opportunities(filters: OpportunityFilters, *, now: datetime | None = None):
    """The public list's opportunities matching every filter, ordered by the sort. Each
    is annotated with ``value_low`` and ``value_high`` (None when not stated)."""
    now = _now(now)
    queryset = facets.apply_facets(_base(filters, now), filters.conditions(now))
    return SORTS.order(
        queryset,
        filters.sort,
        rank=(lambda found: _rank_by_words(found, filters.q)) if terms_of(filters.q) else None,
    )


def count_facets(
    filters: OpportunityFilters,
    *,
    divisions: list[str],
    groups: list[str] = (),
    now: datetime | None = None,
) -> facets.FacetCounts:
    """The total and each option's count, in one query: what choosing the option would
    give with every other filter as it is (options of one facet combine with "or")."""
    now = _now(now)
    return facets.count_facets(
        _base(filters, now),
        chosen=filters.conditions(now),
        counted=counted_options(list(divisions), list(groups), now),
        # The CPV options (every division and the chosen ones' groups) test the codes
        # alone, and a few hundred sets of codes cover tens of thousands of notices.
        grouped_by="cpv_codes",
    )


# The page


@dataclass
class SearchPage:
    filters: OpportunityFilters
    page: Page
    opportunities: list[Opportunity]
    total: int
    counts: facets.FacetCounts
    divisions: list[tuple[str, str]]  # every division: (2 digits, description)
    groups: list[tuple[str, str]]  # the groups of the chosen divisions


# What a result shows: the description can be long and is not shown.
RESULT_FIELDS = (
    "public_id",
    "title",
    "title_cy",
    "buyer_name",
    "buyer_type",
    "cpv_codes",
    "value_min",
    "value_max",
    "currency",
    "published_at",
    "deadline",
    "uk_wide",
    "delivery_location",
    "sme_suitable",
    "vcse_suitable",
    "stage",
    "status",
)


def search_page(
    filters: OpportunityFilters,
    *,
    now: datetime | None = None,
    per_page: int = RESULTS_PER_PAGE,
) -> SearchPage:
    """One page of the list with the total and the facet counts, in a fixed number of
    queries: (the CPV divisions, once per process), the groups when a division is
    chosen, the counts, the page, and one for each of its regions and councils."""
    now = _now(now)
    divisions = division_choices()
    # The groups of the chosen divisions, and of chosen groups' divisions: a chosen group
    # stays on show (and can be unchosen) when its division is unchosen.
    groups = group_choices(*sorted({*filters.divisions, *(g[:2] for g in filters.groups)}))
    counts = count_facets(
        filters,
        divisions=[code for code, _name in divisions],
        groups=[code for code, _name in groups],
        now=now,
    )
    queryset = (
        listed_opportunities(filters, now=now)
        .only(*RESULT_FIELDS)
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("id", "name", "slug", "nation")),
            Prefetch("councils", queryset=Council.objects.only("id", "name", "gss_code")),
        )
    )
    paginator = Paginator(queryset, per_page)
    paginator.count = counts.total  # counted with the facets: no second count query
    page = paginator.get_page(filters.page)
    return SearchPage(
        filters=filters,
        page=page,
        opportunities=list(page.object_list),
        total=counts.total,
        counts=counts,
        divisions=divisions,
        groups=groups,
    )


# One opportunity


def opportunity_for_page(public_id) -> Opportunity | None:
    """An opportunity (any status: the caller checks who may see it) with what its page
    shows: buyer and publisher, places and lots. Four queries."""
    return (
        value_range(Opportunity.objects.filter(public_id=public_id))
        .select_related("publisher", "buyer")
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("id", "name", "slug", "nation")),
            Prefetch("councils", queryset=Council.objects.only("id", "name", "gss_code")),
            "lots",
        )
        .first()
    )
