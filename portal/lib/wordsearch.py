"""Searching by words, the same way for every list that has a search box.

On PostgreSQL: full-text search (websearch syntax) over a weighted document, ranked by
``SearchRank``; each app indexes its document with a functional GIN index whose
expression must stay byte for byte what its ``search_vector()`` builds. On SQLite:
every word must appear in one of the fields, and the rank counts where it appears.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

SEARCH_CONFIG = "english"
MAX_WORDS = 10


def words_of(text: str) -> list[str]:
    """The words of a search, lower case, at most ``MAX_WORDS``."""
    return re.findall(r"\w+", (text or "").lower())[:MAX_WORDS]


def weighted_vector(*weighted_fields: tuple[tuple[str, ...], str]) -> SearchVector:
    """``weighted_vector((("title",), "A"), (("summary", "provider_name"), "B"))``."""
    vectors = [
        SearchVector(*fields, weight=weight, config=SEARCH_CONFIG)
        for fields, weight in weighted_fields
    ]
    vector = vectors[0]
    for other in vectors[1:]:
        vector = vector + other
    return vector


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _query(words: str) -> SearchQuery:
    return SearchQuery(words, search_type="websearch", config=SEARCH_CONFIG)


def match_words(queryset, words: str, *, vector: SearchVector, fields: list[str]):
    """Only the rows matching the words: the ``vector`` on PostgreSQL, else every word
    somewhere in ``fields``."""
    if not words_of(words):
        return queryset
    if uses_full_text(queryset):
        return queryset.alias(document=vector).filter(document=_query(words))
    for term in words_of(words):
        found = Q()
        for name in fields:
            found |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(found)
    return queryset


def rank_by_words(queryset, words: str, *, vector: SearchVector, points: dict[str, int]):
    """Annotate ``rank``, higher for a better match: ``SearchRank`` on PostgreSQL, else
    the ``points`` of each field each word is found in."""
    if uses_full_text(queryset):
        return queryset.annotate(rank=SearchRank(vector, _query(words)))
    score = Value(0)
    for term in words_of(words):
        for name, value in points.items():
            score = score + Case(
                When(**{f"{name}__icontains": term}, then=Value(value)), default=Value(0)
            )
    return queryset.annotate(rank=Coalesce(score, 0, output_field=IntegerField()))
