"""Keyword-only factory functions and the named personas the tests use.

Factories write rows directly (no services, so no emails or tasks) and fill in
anything not given. Personas are the people the design talks about; each persona
function is safe to call more than once in a test, and organisations are shared
between them (the council A curator and the council A manager are in one organisation).

Places: the councils and regions come from the places data migration; ``get_council``
and ``get_region`` create the few rows tests name when they are missing, so no test
depends on that migration's contents.
"""

import itertools

from portal.accounts.models import (
    Membership,
    MembershipRequest,
    Organisation,
    OrganisationKind,
    RequestStatus,
    Role,
    User,
)
from portal.places.models import Council, Nation, Region

DEFAULT_PASSWORD = "a-long-test-password-42"

_numbers = itertools.count(1)

# Facts for the rows tests name (ITL1 regions and councils by GSS code), as in
# portal/places/data/places.json.
REGIONS = {
    "TLC": ("North East", "north-east", "E12000001", "UKC", Nation.ENGLAND),
    "TLD": ("North West", "north-west", "E12000002", "UKD", Nation.ENGLAND),
    "TLL": ("Wales", "wales", "W92000004", "UKL", Nation.WALES),
    "TLM": ("Scotland", "scotland", "S92000003", "UKM", Nation.SCOTLAND),
}
COUNCILS = {
    # gss_code: (name, official name, slug, local authority code, kind, ITL1 code)
    "E08000037": (
        "Gateshead",
        "Gateshead Metropolitan Borough Council",
        "gateshead",
        "GAT",
        "Metropolitan district",
        "TLC",
    ),
    "E08000021": (
        "Newcastle upon Tyne",
        "Newcastle City Council",
        "newcastle-upon-tyne",
        "NET",
        "Metropolitan district",
        "TLC",
    ),
    "E08000022": (
        "North Tyneside",
        "North Tyneside Council",
        "north-tyneside",
        "NTY",
        "Metropolitan district",
        "TLC",
    ),
    "E08000023": (
        "South Tyneside",
        "South Tyneside Council",
        "south-tyneside",
        "STY",
        "Metropolitan district",
        "TLC",
    ),
    "E08000024": (
        "Sunderland",
        "Sunderland City Council",
        "sunderland",
        "SND",
        "Metropolitan district",
        "TLC",
    ),
    "E06000047": (
        "County Durham",
        "Durham County Council",
        "county-durham",
        "DUR",
        "Unitary authority",
        "TLC",
    ),
    "E06000057": (
        "Northumberland",
        "Northumberland County Council",
        "northumberland",
        "NBL",
        "Unitary authority",
        "TLC",
    ),
    "E08000003": (
        "Manchester",
        "Manchester City Council",
        "manchester",
        "MAN",
        "Metropolitan district",
        "TLD",
    ),
    "W06000015": (
        "Cardiff",
        "City of Cardiff Council",
        "cardiff",
        "CRF",
        "Welsh unitary authority",
        "TLL",
    ),
    "S12000049": (
        "Glasgow City",
        "Glasgow City Council",
        "glasgow",
        "GLG",
        "Scottish unitary authority",
        "TLM",
    ),
}
COUNCIL_A_GSS_CODE = "E08000037"  # Gateshead
COUNCIL_B_GSS_CODE = "E08000021"  # Newcastle upon Tyne


def get_region(*, itl_code: str = "TLC") -> Region:
    name, slug, ons_code, nuts_code, nation = REGIONS[itl_code]
    region, _ = Region.objects.get_or_create(
        itl_code=itl_code,
        defaults={
            "name": name,
            "slug": slug,
            "ons_code": ons_code,
            "nuts_code": nuts_code,
            "nation": nation,
        },
    )
    return region


def get_council(*, gss_code: str = COUNCIL_A_GSS_CODE) -> Council:
    name, official_name, slug, code, kind, itl_code = COUNCILS[gss_code]
    council = Council.objects.filter(gss_code=gss_code).first()
    if council is None:
        council = Council.objects.create(
            gss_code=gss_code,
            name=name,
            official_name=official_name,
            slug=slug,
            local_authority_code=code,
            kind=kind,
            region=get_region(itl_code=itl_code),
        )
    return council


# Factories


def create_user(
    *,
    email: str | None = None,
    full_name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **fields,
) -> User:
    number = next(_numbers)
    return User.objects.create_user(
        email=email or f"person{number}@example.com",
        password=password,
        full_name=full_name if full_name is not None else f"Person {number}",
        **fields,
    )


def create_organisation(
    *,
    name: str | None = None,
    kind: OrganisationKind = OrganisationKind.LOCAL_AUTHORITY,
    councils: list[Council] | tuple[Council, ...] = (),
    slug: str | None = None,
    verified: bool = True,
    **fields,
) -> Organisation:
    number = next(_numbers)
    organisation = Organisation.objects.create(
        name=name or f"Organisation {number}",
        slug=slug or f"organisation-{number}",
        kind=kind,
        verified=verified,
        **fields,
    )
    if councils:
        organisation.councils.set(councils)
    return organisation


def create_membership(
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    role: Role = Role.EDITOR,
) -> Membership:
    return Membership.objects.create(
        user=user or create_user(),
        organisation=organisation or create_organisation(),
        role=role,
    )


def create_membership_request(
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    message: str = "I run the business support team.",
    status: RequestStatus = RequestStatus.PENDING,
) -> MembershipRequest:
    """A request row as if someone had asked; no email is sent."""
    return MembershipRequest.objects.create(
        user=user or create_user(),
        organisation=organisation or create_organisation(),
        message=message,
        status=status,
    )


# Organisations the personas belong to (one of each, shared between personas)


def _shared_organisation(*, slug: str, name: str, kind: OrganisationKind, councils=()):
    organisation, created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "verified": True}
    )
    if created and councils:
        organisation.councils.set(councils)
    return organisation


def council_a() -> Organisation:
    """A local authority covering council A (Gateshead)."""
    return _shared_organisation(
        slug="council-a",
        name="Gateshead Council",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        councils=[get_council(gss_code=COUNCIL_A_GSS_CODE)],
    )


def council_b() -> Organisation:
    """A local authority covering council B (Newcastle upon Tyne), a different area."""
    return _shared_organisation(
        slug="council-b",
        name="Newcastle City Council",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        councils=[get_council(gss_code=COUNCIL_B_GSS_CODE)],
    )


def cluster_body() -> Organisation:
    return _shared_organisation(
        slug="cluster-body", name="North East Tech Cluster", kind=OrganisationKind.CLUSTER_BODY
    )


def platform_team() -> Organisation:
    return _shared_organisation(
        slug="platform-team", name="Waymark platform team", kind=OrganisationKind.PLATFORM
    )


# Personas


def _persona(*, email: str, full_name: str, organisation: Organisation, role: Role, **fields):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = create_user(email=email, full_name=full_name, **fields)
        create_membership(user=user, organisation=organisation, role=role)
    return user


def create_council_a_curator() -> User:
    """Editor of council A's local authority: curates support for Gateshead."""
    return _persona(
        email="curator.a@example.com",
        full_name="Alice Curator",
        organisation=council_a(),
        role=Role.EDITOR,
    )


def create_council_b_curator() -> User:
    """Editor of council B's local authority: curates support for Newcastle."""
    return _persona(
        email="curator.b@example.com",
        full_name="Bob Curator",
        organisation=council_b(),
        role=Role.EDITOR,
    )


def create_council_a_manager() -> User:
    """Manager of council A's local authority: decides who joins it."""
    return _persona(
        email="manager.a@example.com",
        full_name="Carol Manager",
        organisation=council_a(),
        role=Role.MANAGER,
    )


def create_cluster_body_poster() -> User:
    """Editor of a cluster body: posts its procurement opportunities."""
    return _persona(
        email="poster@example.com",
        full_name="Dev Poster",
        organisation=cluster_body(),
        role=Role.EDITOR,
    )


def create_moderator() -> User:
    """Platform staff: a member of the platform team (not a superuser)."""
    return _persona(
        email="moderator@example.com",
        full_name="Mo Moderator",
        organisation=platform_team(),
        role=Role.EDITOR,
        is_staff=True,
    )


# Catalogue


def create_offer(
    *,
    title: str | None = None,
    curator: Organisation | None = None,
    councils: list[Council] | tuple[Council, ...] | None = None,
    regions: list[Region] | tuple[Region, ...] = (),
    status: str = "draft",
    **fields,
):
    """An offer curated by ``curator`` (council A's organisation unless given), listed
    in that organisation's councils unless ``councils``, ``regions`` or ``uk_wide`` say
    otherwise. Written directly: no history is recorded."""
    from portal.catalogue.models import Offer

    number = next(_numbers)
    curator = curator or council_a()
    title = title or f"Support offer {number}"
    fields.setdefault("slug", f"support-offer-{number}")
    fields.setdefault("summary", f"What {title} does, in a sentence.")
    fields.setdefault("provider_name", "Business Growth Hub")
    fields.setdefault("kind", "grant")
    fields.setdefault("application_url", f"https://example.com/apply/{number}")
    offer = Offer.objects.create(title=title, curator=curator, status=status, **fields)
    if councils is None and not regions and not fields.get("uk_wide"):
        councils = list(curator.councils.all())
    if councils:
        offer.councils.set(councils)
    if regions:
        offer.regions.set(regions)
    return offer


# Procurement


def cluster_body_y() -> Organisation:
    """A second cluster body, for the tests that one poster cannot touch another's work."""
    return _shared_organisation(
        slug="cluster-body-y", name="Tees Valley Manufacturers", kind=OrganisationKind.CLUSTER_BODY
    )


def new_buyer() -> Organisation:
    """A buyer a moderator has not checked yet: its postings wait for a moderator."""
    organisation, _created = Organisation.objects.get_or_create(
        slug="new-buyer",
        defaults={"name": "Hexham Community Trust", "kind": OrganisationKind.BUYER},
    )
    return organisation


def create_cluster_body_y_poster() -> User:
    """Editor of cluster body Y."""
    return _persona(
        email="poster.y@example.com",
        full_name="Yan Poster",
        organisation=cluster_body_y(),
        role=Role.EDITOR,
    )


def create_new_buyer_poster() -> User:
    """Editor of a buyer that is not yet verified."""
    return _persona(
        email="buyer@example.com",
        full_name="Bea Buyer",
        organisation=new_buyer(),
        role=Role.EDITOR,
    )


def create_opportunity(
    *,
    title: str | None = None,
    publisher: Organisation | None = None,
    councils: list[Council] | tuple[Council, ...] = (),
    regions: list[Region] | tuple[Region, ...] = (),
    status: str = "open",
    lots: list[dict] = (),
    **fields,
):
    """An opportunity posted by ``publisher`` (the cluster body unless given), open,
    closing in 20 days, unless the fields say otherwise. Pass ``publisher=None`` with
    ``source="imported"`` for an imported one. Written directly: no history."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.procurement.models import Lot, Opportunity

    number = next(_numbers)
    if publisher is None and fields.get("source") != "imported":
        publisher = cluster_body()
    title = title or f"Contract opportunity {number}"
    now = timezone.now()
    fields.setdefault("buyer_name", publisher.name if publisher else "Imported Buyer Ltd")
    fields.setdefault("published_at", now - timedelta(days=1))
    fields.setdefault("deadline", now + timedelta(days=20))
    fields.setdefault("cpv_codes", ["72000000"])
    fields.setdefault("main_category", "services")
    opportunity = Opportunity.objects.create(
        title=title, publisher=publisher, status=status, **fields
    )
    if councils:
        opportunity.councils.set(councils)
    if regions:
        opportunity.regions.set(regions)
    for number_in_list, lot in enumerate(lots, start=1):
        lot.setdefault("lot_id", str(number_in_list))
        Lot.objects.create(opportunity=opportunity, **lot)
    return opportunity
