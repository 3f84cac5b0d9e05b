"""The curators' list of their organisations' published and archived offers: what its
query string asks for (words, filters, sort) and the read, bounded whatever the number
of offers: the total and every filter option's count are one query (portal/lib/facets.py,
as the public search does), the page of offers one more.

Which offers a user may see here is the rule of portal/catalogue/rules.py
(``offers_editable_by``). Drafts and offers in review are the curation queue's.
"""

from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from portal.catalogue.models import OfferStatus
from portal.catalogue.rules import offers_editable_by, organisations_user_curates_for
from portal.catalogue.search import vocabulary_labels
from portal.lib import facets
from portal.lib.vocabularies import SupportKind

LISTED_STATUSES = (OfferStatus.PUBLISHED.value, OfferStatus.ARCHIVED.value)
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Someone who curates for several organisations may filter by them, up to this many
# (moderators curate for every council: they search by words instead).
MAX_ORGANISATION_OPTIONS = 20
# Where the words are looked for: what a curator knows an offer by.
WORD_FIELDS = ("title", "summary", "provider_name", "external_id")
LISTED_FIELDS = (
    "public_id",
    "title",
    "slug",
    "kind",
    "status",
    "review_due",
    "closes",
    "updated",
    "published",
    "curator__name",
)

STATUS = "status"
KIND = "kind"
ORGANISATION = "organisation"

SORTS = facets.Sorts(
    facets.Sort("title", _("Title, A to Z"), ("title", "pk")),
    facets.Sort("updated", _("Recently changed"), ("-updated", "-pk")),
    facets.Sort("review", _("Review due soonest"), ("review_due", "title", "pk")),
    facets.Sort(
        "published",
        _("Recently published"),
        (F("published").desc(nulls_last=True), "title", "pk"),
    ),
    default="title",
)


@dataclass(frozen=True)
class CuratorListCriteria:
    words: str = ""
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # slugs, as asked: checked against those offered
    sort: str = SORTS.default
    page: str = "1"

    @property
    def has_filters(self) -> bool:
        return bool(self.words or self.statuses or self.kinds or self.organisations)


def criteria_from_query(query) -> CuratorListCriteria:
    """What the list's query string asks for; anything unknown is ignored."""
    statuses = set(query.getlist(STATUS))
    kinds = set(query.getlist(KIND))
    return CuratorListCriteria(
        words=" ".join(query.get("q", "").split())[:MAX_QUERY_LENGTH],
        statuses=tuple(value for value in LISTED_STATUSES if value in statuses),
        kinds=tuple(value for value in SupportKind.values if value in kinds),
        organisations=tuple(dict.fromkeys(query.getlist(ORGANISATION))),
        sort=SORTS.choose(query.get("sort", ""), words=False),
        page=query.get("page", "1"),
    )


def organisations_to_filter_by(user) -> tuple[list[Organisation], bool]:
    """The organisations the list offers as a filter (none for someone who curates for
    one organisation, or for more than MAX_ORGANISATION_OPTIONS), and whether the user
    curates for several (the list then says whose each offer is)."""
    organisations = list(
        organisations_user_curates_for(user)
        .order_by("name", "pk")
        .only("pk", "slug", "name")[: MAX_ORGANISATION_OPTIONS + 1]
    )
    several = len(organisations) > 1
    offered = several and len(organisations) <= MAX_ORGANISATION_OPTIONS
    return (organisations if offered else []), several


def _match_words(offers, words: str):
    """Every word, as typed, somewhere in WORD_FIELDS: a curator looks for an offer they
    know, so the text they type is what they expect found, the same on both databases."""
    for word in words.split()[:MAX_WORDS]:
        found = Q()
        for name in WORD_FIELDS:
            found |= Q(**{f"{name}__icontains": word})
        offers = offers.filter(found)
    return offers


def _conditions(
    criteria: CuratorListCriteria, organisations: list[Organisation]
) -> dict[str, facets.Condition]:
    by_slug = {organisation.slug: organisation.pk for organisation in organisations}
    chosen_organisations = [by_slug[slug] for slug in criteria.organisations if slug in by_slug]
    chosen = {}
    if criteria.statuses:
        chosen[STATUS] = facets.any_of(facets.equals("status", s) for s in criteria.statuses)
    if criteria.kinds:
        chosen[KIND] = facets.any_of(facets.equals("kind", k) for k in criteria.kinds)
    if chosen_organisations:
        chosen[ORGANISATION] = facets.any_of(
            facets.equals("curator_id", pk) for pk in chosen_organisations
        )
    return chosen


def _counted(organisations: list[Organisation]) -> list[facets.Counted]:
    return [
        *(facets.Counted(STATUS, s, facets.equals("status", s)) for s in LISTED_STATUSES),
        *(facets.Counted(KIND, k, facets.equals("kind", k)) for k in SupportKind.values),
        *(
            facets.Counted(ORGANISATION, o.slug, facets.equals("curator_id", o.pk))
            for o in organisations
        ),
    ]


def curator_offers(user, criteria: CuratorListCriteria, *, organisations: list[Organisation]):
    """(the user's published and archived offers matching ``criteria``, ordered, not yet
    paged, with ``curator`` joined; FacetCounts). ``organisations`` are those offered
    as a filter (``organisations_to_filter_by``)."""
    base = _match_words(
        offers_editable_by(user).filter(status__in=LISTED_STATUSES), criteria.words
    )
    chosen = _conditions(criteria, organisations)
    counts = facets.count_facets(base, chosen=chosen, counted=_counted(organisations))
    offers = SORTS.order(facets.apply_facets(base, chosen), criteria.sort)
    return offers.select_related("curator").only(*LISTED_FIELDS), counts


def facet_groups(
    criteria: CuratorListCriteria,
    counts: facets.FacetCounts,
    organisations: list[Organisation],
) -> list[facets.FacetGroup]:
    """The filters' checkboxes, each with the number of offers it would give."""
    statuses = vocabulary_labels(OfferStatus)
    groups = [
        facets.FacetGroup(
            STATUS,
            _("Status"),
            facets.options(
                STATUS,
                [(value, statuses[value]) for value in LISTED_STATUSES],
                counts=counts,
                chosen=criteria.statuses,
            ),
        ),
        facets.FacetGroup(
            KIND,
            _("Type of support"),
            facets.options(
                KIND,
                vocabulary_labels(SupportKind).items(),
                counts=counts,
                chosen=criteria.kinds,
            ),
        ),
    ]
    if organisations:
        groups.append(
            facets.FacetGroup(
                ORGANISATION,
                _("Organisation"),
                facets.options(
                    ORGANISATION,
                    [(organisation.slug, organisation.name) for organisation in organisations],
                    counts=counts,
                    chosen=criteria.organisations,
                ),
            )
        )
    return groups
