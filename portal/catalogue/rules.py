"""Who may curate which support offers, on the membership facts of
portal/accounts/permissions.py.

Curators are the members (editors and managers) of a local authority; they curate
offers for the places their organisation covers. Views, the admin, forms, services and
the CSV import call these; none of them decides on its own.
"""

from django.db.models import Count, F, Q, QuerySet

from portal.accounts.models import Organisation, OrganisationKind
from portal.accounts.permissions import (
    is_moderator,
    is_signed_in,
    local_authority_ids,
    managed_organisation_ids,
)
from portal.catalogue.models import Offer
from portal.places.models import Council, Region


def organisations_user_curates_for(user) -> QuerySet[Organisation]:
    """The local authorities the user is an editor or manager of (moderators: every one)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    if is_moderator(user):
        return Organisation.objects.local_authorities()
    return Organisation.objects.filter(pk__in=local_authority_ids(user))


def can_curate(user) -> bool:
    """Whether the user may use the curation pages at all (the queue, a new offer)."""
    return is_moderator(user) or bool(local_authority_ids(user))


def can_curate_for(user, organisation: Organisation) -> bool:
    """Whether the user may create offers in this organisation's name."""
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return False
    return is_moderator(user) or organisation.pk in local_authority_ids(user)


def can_edit_offer(user, offer: Offer) -> bool:
    """An editor or manager of the offer's curating organisation, or a moderator."""
    return is_moderator(user) or offer.curator_id in local_authority_ids(user)


def can_publish_offer(user, offer: Offer) -> bool:
    """A manager of the offer's curating organisation, or a moderator; never an editor."""
    if is_moderator(user):
        return True
    curator = offer.curator_id
    return curator in local_authority_ids(user) and curator in managed_organisation_ids(user)


def offers_editable_by(user) -> QuerySet[Offer]:
    """Every offer ``can_edit_offer`` allows this user to edit, as a query."""
    if not is_signed_in(user):
        return Offer.objects.none()
    if is_moderator(user):
        return Offer.objects.all()
    curating = local_authority_ids(user)
    return Offer.objects.filter(curator_id__in=curating) if curating else Offer.objects.none()


def can_moderate_offers(user) -> bool:
    """Offers (their actions: publish, archive) and their referrals, in the admin:
    moderators."""
    return is_moderator(user)


def can_list_offer_uk_wide(user) -> bool:
    """Only platform staff may say an offer is available everywhere in the UK."""
    return is_moderator(user)


def can_import_feed_uk_wide(user) -> bool:
    """A feed import keeps a service's "across the UK" when run by platform staff: from
    the command line or a scheduled task (no user: only staff run those), or by a
    moderator."""
    return user is None or can_list_offer_uk_wide(user)


def councils_user_may_list_offers_in(user, organisation: Organisation) -> QuerySet[Council]:
    """The councils an offer curated by ``organisation`` may be listed in by this user:
    the councils the organisation covers, or any council for a moderator."""
    if is_moderator(user):
        return Council.objects.active()
    if not can_curate_for(user, organisation):
        return Council.objects.none()
    return Council.objects.active().filter(organisations=organisation)


def regions_user_may_list_offers_in(user, organisation: Organisation) -> QuerySet[Region]:
    """The nations and regions such an offer may be listed in: a region only when the
    organisation covers every council in it (a combined authority covering a whole
    region, say), or any region for a moderator."""
    if is_moderator(user):
        return Region.objects.active()
    if not can_curate_for(user, organisation):
        return Region.objects.none()
    return regions_covered_in_full(organisation)


def regions_covered_in_full(organisation: Organisation) -> QuerySet[Region]:
    """The nations and regions every active council of which the organisation covers:
    where its offers may be listed as a whole, by its curators or by its feed's import."""
    return (
        Region.objects.active()
        .annotate(
            council_count=Count("councils", filter=Q(councils__active=True), distinct=True),
            covered_count=Count(
                "councils",
                filter=Q(councils__active=True, councils__organisations=organisation),
                distinct=True,
            ),
        )
        .filter(council_count__gt=0, covered_count=F("council_count"))
    )
