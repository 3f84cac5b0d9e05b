"""Reads of the catalogue: what founders may see, search and be matched with, and the
curators' queue of offers that need something doing.

Every function runs a fixed number of queries whatever the size of the catalogue:
the search page's facet counts are one query of conditional aggregates, and so are the
queue's counts.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from portal.accounts.models import User
from portal.catalogue.models import CURATION_HORIZON, Offer, visible_condition
from portal.catalogue.rules import offers_editable_by
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
    "title_cy",  # what Welsh pages show (portal/lib/bilingual.py)
    "summary_cy",
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


# The curation queue's groups: key, heading, how to pick the offers, and what sorts first.
QUEUE_GROUPS = (
    ("drafts", gettext_lazy("Drafts"), lambda offers, today: offers.drafts(), "-updated"),
    (
        "no-link",
        gettext_lazy("Missing a link to apply"),
        lambda offers, today: offers.without_link(),
        "-updated",
    ),
    (
        "in-review",
        gettext_lazy("Waiting to be published"),
        lambda offers, today: offers.in_review(),
        "updated",
    ),
    (
        "overdue",
        gettext_lazy("Overdue for review"),
        lambda offers, today: offers.overdue(today=today),
        "review_due",
    ),
    (
        "due-for-review",
        gettext_lazy("Due for review in the next 30 days"),
        lambda offers, today: offers.due_for_review(CURATION_HORIZON, today=today),
        "review_due",
    ),
    (
        "closing-soon",
        gettext_lazy("Closing in the next 30 days"),
        lambda offers, today: offers.closing_soon(CURATION_HORIZON, today=today),
        "closes",
    ),
)
QUEUE_GROUP_KEYS = frozenset(key for key, *_rest in QUEUE_GROUPS)
# What a row of the queue shows.
QUEUE_FIELDS = ("public_id", "title", "status", "review_due", "closes", "updated", "curator__name")


@dataclass(frozen=True)
class QueueGroup:
    key: str
    heading: str | Promise
    count: int
    offers: QuerySet  # ordered, not yet paged


def curation_queue(
    user: User, *, only: str | None = None, today: date | None = None
) -> list[QueueGroup]:
    """The groups of the user's organisations' offers that need something doing, each
    with its count (every group's in one query) and its offers; ``only`` keeps the group
    of that key (one of QUEUE_GROUP_KEYS)."""
    today = _today(today)
    offers = offers_editable_by(user)
    counts = offers.aggregate(
        **{
            key: Count("pk", filter=Q(pk__in=pick(offers, today).values("pk")))
            for key, _heading, pick, _order in QUEUE_GROUPS
        }
    )
    listing = offers.only(*QUEUE_FIELDS).select_related("curator")
    return [
        QueueGroup(key, heading, counts[key], pick(listing, today).order_by(order, "pk"))
        for key, heading, pick, order in QUEUE_GROUPS
        if only is None or key == only
    ]
