"""The membership facts every rule is built on, and the rules about organisations and
memberships.

Each app's rules about its own objects are in its ``rules.py`` (portal/catalogue/rules.py,
portal/procurement/rules.py, diagnostics/rules.py), built on the facts here; views, the
admin, services and APIs call those plain functions, and none of them decides access on
its own. Anonymous and inactive users are denied everything.

A user's memberships are read once and kept on that user object (``request.user`` lives
for one request), so a page may ask many questions for one query. Code that changes a
user's memberships and then asks again about the same object calls
``forget_memberships(user)``.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from portal.accounts.models import (
    Membership,
    MembershipRequest,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

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


def is_signed_in(user) -> bool:
    """An authenticated, active user: nobody else may do anything but read."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user) -> _Memberships:
    if not is_signed_in(user):
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
    if not is_signed_in(user):
        return False
    return user.is_superuser or _memberships(user).in_platform_organisation


def organisation_ids(user) -> frozenset[int]:
    """The organisations the user is a member of (any role, any kind), by id."""
    return frozenset(_memberships(user).roles)


def local_authority_ids(user) -> frozenset[int]:
    """The local authorities the user is a member of (any role), by id."""
    return _memberships(user).local_authority_ids


def posting_organisation_ids(user) -> frozenset[int]:
    """The cluster bodies and buyers (POSTING_KINDS) the user is a member of, by id."""
    return _memberships(user).posting_ids


def managed_organisation_ids(user) -> frozenset[int]:
    """The organisations the user is a manager of, by id."""
    return frozenset(
        organisation_id
        for organisation_id, role in _memberships(user).roles.items()
        if role == Role.MANAGER
    )


def membership_role(user, organisation: Organisation) -> Role | None:
    role = _memberships(user).roles.get(organisation.pk)
    return Role(role) if role else None


def is_member(user, organisation: Organisation) -> bool:
    return membership_role(user, organisation) is not None


def is_manager(user, organisation: Organisation) -> bool:
    return membership_role(user, organisation) == Role.MANAGER


def manages_any_organisation(user) -> bool:
    return Role.MANAGER in _memberships(user).roles.values()


def can_moderate_organisations(user) -> bool:
    """Organisations, their memberships and the requests to join them, in the admin:
    moderators (DESIGN.md: they approve organisations and memberships). They may look
    people's accounts up there too, but not change them (``can_manage_accounts``)."""
    return is_moderator(user)


def can_manage_accounts(user) -> bool:
    """Adding, changing and deleting people's accounts and the admin's groups, in the
    admin: superusers only. Whoever could change an account could make it staff or a
    superuser, take it over through its email address or password, or delete it past
    the deletion service (portal/accounts/services.py), so moderators only look."""
    return is_signed_in(user) and user.is_superuser


def can_manage_organisation(user, organisation: Organisation) -> bool:
    return is_moderator(user) or is_manager(user, organisation)


def can_decide_membership_request(user, membership_request: MembershipRequest) -> bool:
    """A moderator, or a manager of the organisation asked to join; never the asker.

    Nobody decides their own request, so a moderator cannot approve themselves into
    an organisation through the queue (the admin's membership inline remains for that).
    """
    if not is_signed_in(user) or membership_request.user_id == user.pk:
        return False
    if is_moderator(user):
        return True
    return membership_request.organisation_id in managed_organisation_ids(user)


def membership_requests_decidable_by(user) -> QuerySet[MembershipRequest]:
    """Every membership request ``can_decide_membership_request`` allows this user to decide.

    The same rule as a query, for lists: keep the two in step (the tests check both).
    """
    if not is_signed_in(user):
        return MembershipRequest.objects.none()
    requests = MembershipRequest.objects.exclude(user=user)
    if is_moderator(user):
        return requests
    managed = managed_organisation_ids(user)
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


def can_download_own_data(user) -> bool:
    """Anyone signed in may download what the service holds about them."""
    return is_signed_in(user)


def can_delete_own_account(user) -> bool:
    """Anyone signed in may delete their account, except people who can use the admin
    site: Django's admin log of what they did would go with the account (it needs a
    user), so another moderator takes away their staff status first, or removes them."""
    return is_signed_in(user) and not user.is_staff and not user.is_superuser


def organisations_needing_another_manager(user) -> QuerySet[Organisation]:
    """The organisations this user is the only active manager of while other active people
    belong to them: deleting the account would leave those people with nobody to let
    anyone in or publish. (An organisation the user is alone in may be left empty: its
    listings stay, and a moderator can add people.) One query, read afresh (not from the
    memberships kept on the user object)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    managed = Membership.objects.filter(user=user, role=Role.MANAGER).values("organisation_id")
    others = ~Q(memberships__user=user) & Q(memberships__user__is_active=True)
    return (
        Organisation.objects.filter(pk__in=managed)
        .annotate(
            other_managers=Count(
                "memberships", filter=others & Q(memberships__role=Role.MANAGER), distinct=True
            ),
            other_members=Count("memberships", filter=others, distinct=True),
        )
        .filter(other_managers=0, other_members__gt=0)
        .order_by("name")
    )
