"""Reads for the public catalogue: what founders may see, search and be matched with.

Every function runs a fixed number of queries whatever the size of the catalogue:
the search page's facet counts are one query of conditional aggregates.
"""

from datetime import date, timedelta

from django.utils import timezone

from portal.catalogue.models import Offer, visible_condition
from portal.catalogue.search import (
    SORTS,
    Criteria,
    counted_options,
    rank_by_words,
    words_condition,
)
from portal.lib import facets
from portal.places.choices import Place, SeenFrom

# Offers this long overdue for review leave the matcher (they stay searchable).
MATCHER_GRACE = timedelta(days=60)

# The fields a search result shows: the description can be long and is not shown.
RESULT_FIELDS = (
    "title",
    "slug",
    "summary",
    "provider_name",
    "kind",
    "cost",
    "delivery",
    "always_open",
    "opens",
    "closes",
    "review_due",
    "published",
    "created",
)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def visible_offers(*, today: date | None = None):
    """Published offers that have not closed, each annotated with ``out_of_date``."""
    today = _today(today)
    return Offer.objects.visible(today).with_out_of_date(today)


def matchable_offers(*, today: date | None = None):
    """What the matcher may recommend: visible, and not more than 60 days overdue."""
    today = _today(today)
    return visible_offers(today=today).filter(review_due__gte=today - MATCHER_GRACE)


def published_offer(slug: str, *, today: date | None = None) -> Offer | None:
    """A published offer for its public page (also once closed), with its places."""
    return (
        Offer.objects.published()
        .filter(slug=slug)
        .with_out_of_date(_today(today))
        .prefetch_related("regions", "councils")
        .first()
    )


def offer_to_refer(slug: str) -> Offer | None:
    """A published offer whose link a founder follows."""
    return (
        Offer.objects.published().filter(slug=slug).only("pk", "slug", "application_url").first()
    )


def search_offers(criteria: Criteria, *, place: Place | None, today: date | None = None):
    """(the matching offers, ordered, not yet paged; FacetCounts). The offers' and the
    counts' queries start from the same rows, written out once (``facets.Rows``)."""
    today = _today(today)
    found = [visible_condition(today), words_condition(criteria.words)]
    if place is not None:
        found.append(SeenFrom(Offer, place))
    rows = facets.Rows(Offer, facets.all_of(filter(None, found)))
    chosen = criteria.conditions(today)
    counts = facets.count_facets(rows, chosen=chosen, counted=counted_options(today))
    offers = SORTS.order(
        facets.select(rows, chosen).with_out_of_date(today),
        criteria.sort,
        rank=(lambda offers: rank_by_words(offers, criteria.words)) if criteria.words else None,
    )
    return offers.only(*RESULT_FIELDS), counts
