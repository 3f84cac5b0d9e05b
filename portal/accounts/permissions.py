"""Who may do what: the one place access is decided.

Views, the admin, services and APIs call these plain functions; none of them decides
access on its own. Anonymous and inactive users are denied everything.

A user's memberships are read once and kept on that user object (``request.user`` lives
for one request), so a page may ask many questions for one query. Code that changes a
user's memberships and then asks again about the same object calls
``forget_memberships(user)``.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from portal.accounts.models import (
    Membership,
    MembershipRequest,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from portal.catalogue.models import Offer
from portal.places.models import Council, Region
from portal.procurement.models import PUBLIC_STATUSES, Opportunity

# The kinds of organisation whose members post contract opportunities.
POSTING_KINDS = (OrganisationKind.CLUSTER_BODY, OrganisationKind.BUYER)

_CACHE_ATTRIBUTE = "_waymark_memberships"


@dataclass(frozen=True)
class _Memberships:
    roles: dict[int, str] = field(default_factory=dict)  # organisation id → role
    in_platform_organisation: bool = False
    local_authority_ids: frozenset[int] = frozenset()
    # Cluster bodies and buyers: the organisations that post contract opportunities.
    posting_ids: frozenset[int] = frozenset()


_NO_MEMBERSHIPS = _Memberships()


def _is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user) -> _Memberships:
    if not _is_signed_in(user):
        return _NO_MEMBERSHIPS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list(
            "organisation_id", "role", "organisation__kind"
        )
        roles = {}
        in_platform_organisation = False
        local_authority_ids = set()
        posting_ids = set()
        for organisation_id, role, kind in rows:
            roles[organisation_id] = role
            in_platform_organisation |= kind == OrganisationKind.PLATFORM
            if kind == OrganisationKind.LOCAL_AUTHORITY:
                local_authority_ids.add(organisation_id)
            if kind in POSTING_KINDS:
                posting_ids.add(organisation_id)
        cached = _Memberships(
            roles=roles,
            in_platform_organisation=in_platform_organisation,
            local_authority_ids=frozenset(local_authority_ids),
            posting_ids=frozenset(posting_ids),
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_memberships(user) -> None:
    """Drop the memberships read for this user object, so the next rule reads them again."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_moderator(user) -> bool:
    """Platform staff: an active superuser, or a member of a platform organisation."""
    if not _is_signed_in(user):
        return False
    return user.is_superuser or _memberships(user).in_platform_organisation


def membership_role(user, organisation: Organisation) -> Role | None:
    role = _memberships(user).roles.get(organisation.pk)
    return Role(role) if role else None


def is_member(user, organisation: Organisation) -> bool:
    return membership_role(user, organisation) is not None


def is_manager(user, organisation: Organisation) -> bool:
    return membership_role(user, organisation) == Role.MANAGER


def manages_any_organisation(user) -> bool:
    return Role.MANAGER in _memberships(user).roles.values()


def can_manage_organisation(user, organisation: Organisation) -> bool:
    return is_moderator(user) or is_manager(user, organisation)


def can_decide_membership_request(user, membership_request: MembershipRequest) -> bool:
    """A moderator, or a manager of the organisation asked to join; never the asker.

    Nobody decides their own request, so a moderator cannot approve themselves into
    an organisation through the queue (the admin's membership inline remains for that).
    """
    if not _is_signed_in(user) or membership_request.user_id == user.pk:
        return False
    if is_moderator(user):
        return True
    return _memberships(user).roles.get(membership_request.organisation_id) == Role.MANAGER


def membership_requests_decidable_by(user) -> QuerySet[MembershipRequest]:
    """Every membership request ``can_decide_membership_request`` allows this user to decide.

    The same rule as a query, for lists: keep the two in step (the tests check both).
    """
    if not _is_signed_in(user):
        return MembershipRequest.objects.none()
    requests = MembershipRequest.objects.exclude(user=user)
    if is_moderator(user):
        return requests
    managed = [
        organisation_id
        for organisation_id, role in _memberships(user).roles.items()
        if role == Role.MANAGER
    ]
    return requests.filter(organisation_id__in=managed) if managed else requests.none()


def moderators() -> QuerySet[User]:
    """Every user ``is_moderator`` says yes to, as a query."""
    in_platform_team = Q(memberships__organisation__kind=OrganisationKind.PLATFORM)
    moderator = Q(is_superuser=True) | in_platform_team
    return User.objects.filter(moderator, is_active=True).distinct()


def managers_of(organisation: Organisation) -> QuerySet[User]:
    """Every active user ``is_manager`` says yes to for this organisation, as a query."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Role.MANAGER,
    )


def can_open_assessment(user, assessment, *, granted) -> bool:
    """Whether someone may open a diagnostic assessment (answers and results).

    Its owner (the signed-in user who took it), or a browser session that has been
    granted it (`granted`: the public_ids it started or resumed by a valid link).
    Nobody else, moderators included: answers are the business's own.
    """
    if assessment.public_id in granted:
        return True
    return _is_signed_in(user) and assessment.user_id is not None and assessment.user_id == user.pk


# Support offers (the catalogue). Curators are the editors and managers of a local
# authority; they curate offers for the places their organisation covers.


def _curating_organisation_ids(user) -> frozenset[int]:
    return _memberships(user).local_authority_ids


def organisations_user_curates_for(user) -> QuerySet[Organisation]:
    """The local authorities the user is an editor or manager of (moderators: every one)."""
    if not _is_signed_in(user):
        return Organisation.objects.none()
    if is_moderator(user):
        return Organisation.objects.local_authorities()
    return Organisation.objects.filter(pk__in=_curating_organisation_ids(user))


def can_curate(user) -> bool:
    """Whether the user may use the curation pages at all (the queue, a new offer)."""
    return is_moderator(user) or bool(_curating_organisation_ids(user))


def can_curate_for(user, organisation: Organisation) -> bool:
    """Whether the user may create offers in this organisation's name."""
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return False
    return is_moderator(user) or organisation.pk in _curating_organisation_ids(user)


def can_edit_offer(user, offer: Offer) -> bool:
    """An editor or manager of the offer's curating organisation, or a moderator."""
    return is_moderator(user) or offer.curator_id in _curating_organisation_ids(user)


def can_publish_offer(user, offer: Offer) -> bool:
    """A manager of the offer's curating organisation, or a moderator; never an editor."""
    if is_moderator(user):
        return True
    return (
        offer.curator_id in _curating_organisation_ids(user)
        and _memberships(user).roles.get(offer.curator_id) == Role.MANAGER
    )


def offers_editable_by(user) -> QuerySet[Offer]:
    """Every offer ``can_edit_offer`` allows this user to edit, as a query."""
    if not _is_signed_in(user):
        return Offer.objects.none()
    if is_moderator(user):
        return Offer.objects.all()
    curating = _curating_organisation_ids(user)
    return Offer.objects.filter(curator_id__in=curating) if curating else Offer.objects.none()


def can_list_offer_uk_wide(user) -> bool:
    """Only platform staff may say an offer is available everywhere in the UK."""
    return is_moderator(user)


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


# Contract opportunities. Posters are the editors and managers of a cluster body or a
# buyer; they post, edit, publish, close and withdraw their own organisation's
# opportunities only. A moderator approves a new organisation's first postings.


def _posting_organisation_ids(user) -> frozenset[int]:
    return _memberships(user).posting_ids


def can_post_opportunities(user) -> bool:
    """Whether the user may use the posting pages at all (their list, a new posting)."""
    return is_moderator(user) or bool(_posting_organisation_ids(user))


def organisations_user_posts_for(user) -> QuerySet[Organisation]:
    """The cluster bodies and buyers the user may post for (moderators: every one)."""
    if not _is_signed_in(user):
        return Organisation.objects.none()
    if is_moderator(user):
        return Organisation.objects.filter(kind__in=POSTING_KINDS)
    return Organisation.objects.filter(pk__in=_posting_organisation_ids(user))


def can_post_for(user, organisation: Organisation) -> bool:
    """Whether the user may post opportunities in this organisation's name."""
    if organisation.kind not in POSTING_KINDS:
        return False
    return is_moderator(user) or organisation.pk in _posting_organisation_ids(user)


def can_edit_opportunity(user, opportunity: Opportunity) -> bool:
    """A member of the posting organisation, or a moderator. Imported opportunities
    (no posting organisation) are edited by nobody here: the next import would undo it."""
    if opportunity.publisher_id is None:
        return False
    return is_moderator(user) or opportunity.publisher_id in _posting_organisation_ids(user)


def opportunities_editable_by(user) -> QuerySet[Opportunity]:
    """Every opportunity ``can_edit_opportunity`` allows this user to edit, as a query."""
    if not _is_signed_in(user):
        return Opportunity.objects.none()
    posted = Opportunity.objects.filter(publisher__isnull=False)
    if is_moderator(user):
        return posted
    posting = _posting_organisation_ids(user)
    return posted.filter(publisher_id__in=posting) if posting else Opportunity.objects.none()


def needs_moderation(organisation: Organisation) -> bool:
    """A new (unverified) organisation's postings wait for a moderator."""
    return not organisation.verified


def can_approve_opportunity(user, opportunity: Opportunity) -> bool:
    """Only moderators approve postings that wait for one."""
    return is_moderator(user)


def can_view_opportunity(user, opportunity: Opportunity) -> bool:
    """Anyone sees a published (open, closed, awarded or cancelled) opportunity; drafts,
    pending and withdrawn ones only those who may edit it, and moderators."""
    if opportunity.status in PUBLIC_STATUSES:
        return True
    return is_moderator(user) or can_edit_opportunity(user, opportunity)


def can_view_import_runs(user) -> bool:
    """The OCDS import runs and their rejected releases: moderators."""
    return is_moderator(user)
