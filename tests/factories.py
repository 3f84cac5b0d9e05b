"""Keyword-only factory functions and the named personas the tests use.

The one place tests make rows: factories write them directly (no services, so no emails
or tasks; ``create_assessment`` is the exception, see there) and fill in anything not
given, numbering what must be unique from one counter. Personas are the people the
design talks about; each persona function is safe to call more than once in a test, and
organisations are shared between them (the council A curator and the council A manager
are in one organisation). tests/base.py builds them all once per test class.

Places: the councils and regions come from the places data migration; ``get_council``
and ``get_region`` create the few rows tests name when they are missing, so no test
depends on that migration's contents.
"""

import itertools
from datetime import timedelta
from functools import partial

from django.utils import timezone

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
from tests.diagnostics.examples import TRADING_PUBLIC, digital_maturity

DEFAULT_PASSWORD = "a-long-test-password-42"

_numbers = itertools.count(1)


def next_number() -> int:
    """The next number of the one counter behind every generated slug, email and title."""
    return next(_numbers)


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
    number = next_number()
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
    number = next_number()
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


# Organisations the personas belong to, shared between them:
# slug -> (name, kind, GSS codes of the councils it covers, verified by a moderator)

ORGANISATIONS = {
    # A local authority covering council A (Gateshead).
    "council-a": (
        "Gateshead Council",
        OrganisationKind.LOCAL_AUTHORITY,
        [COUNCIL_A_GSS_CODE],
        True,
    ),
    # A local authority covering council B (Newcastle upon Tyne), a different area.
    "council-b": (
        "Newcastle City Council",
        OrganisationKind.LOCAL_AUTHORITY,
        [COUNCIL_B_GSS_CODE],
        True,
    ),
    "cluster-body": ("North East Tech Cluster", OrganisationKind.CLUSTER_BODY, [], True),
    # A second cluster body, for the tests that one poster cannot touch another's work.
    "cluster-body-y": ("Tees Valley Manufacturers", OrganisationKind.CLUSTER_BODY, [], True),
    # A buyer a moderator has not checked yet: its postings wait for a moderator.
    "new-buyer": ("Hexham Community Trust", OrganisationKind.BUYER, [], False),
    "platform-team": ("Waymark platform team", OrganisationKind.PLATFORM, [], True),
}


def shared_organisation(slug: str) -> Organisation:
    """The organisation ``slug`` of ORGANISATIONS; the same row again when called twice."""
    name, kind, gss_codes, verified = ORGANISATIONS[slug]
    organisation, created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "verified": verified}
    )
    if created and gss_codes:
        organisation.councils.set([get_council(gss_code=code) for code in gss_codes])
    return organisation


# Personas: name -> (email, full name, organisation slug, role, extra user fields)

PERSONAS = {
    # Editor of council A's local authority: curates support for Gateshead.
    "council_a_curator": ("curator.a@example.com", "Alice Curator", "council-a", Role.EDITOR, {}),
    # Editor of council B's local authority: curates support for Newcastle.
    "council_b_curator": ("curator.b@example.com", "Bob Curator", "council-b", Role.EDITOR, {}),
    # Manager of council A's local authority: decides who joins it.
    "council_a_manager": ("manager.a@example.com", "Carol Manager", "council-a", Role.MANAGER, {}),
    # Editor of a cluster body: posts its procurement opportunities.
    "cluster_body_poster": ("poster@example.com", "Dev Poster", "cluster-body", Role.EDITOR, {}),
    # Editor of cluster body Y.
    "cluster_body_y_poster": (
        "poster.y@example.com",
        "Yan Poster",
        "cluster-body-y",
        Role.EDITOR,
        {},
    ),
    # Editor of a buyer that is not yet verified.
    "new_buyer_poster": ("buyer@example.com", "Bea Buyer", "new-buyer", Role.EDITOR, {}),
    # Platform staff: a member of the platform team (not a superuser).
    "moderator": (
        "moderator@example.com",
        "Mo Moderator",
        "platform-team",
        Role.EDITOR,
        {"is_staff": True},
    ),
}


def create_persona(name: str) -> User:
    """The persona called ``name`` in PERSONAS, with its membership; the same row again
    when called twice in a test."""
    email, full_name, organisation, role, fields = PERSONAS[name]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = create_user(email=email, full_name=full_name, **fields)
        create_membership(user=user, organisation=shared_organisation(organisation), role=role)
    return user


# The shared organisations and the personas by name, as the tests call them.
council_a = partial(shared_organisation, "council-a")
council_b = partial(shared_organisation, "council-b")
cluster_body = partial(shared_organisation, "cluster-body")
cluster_body_y = partial(shared_organisation, "cluster-body-y")
new_buyer = partial(shared_organisation, "new-buyer")
platform_team = partial(shared_organisation, "platform-team")
create_council_a_curator = partial(create_persona, "council_a_curator")
create_council_b_curator = partial(create_persona, "council_b_curator")
create_council_a_manager = partial(create_persona, "council_a_manager")
create_cluster_body_poster = partial(create_persona, "cluster_body_poster")
create_cluster_body_y_poster = partial(create_persona, "cluster_body_y_poster")
create_new_buyer_poster = partial(create_persona, "new_buyer_poster")
create_moderator = partial(create_persona, "moderator")


# Catalogue


def build_offer(
    *,
    title: str | None = None,
    curator: Organisation | None = None,
    status: str = "draft",
    **fields,
):
    """An unsaved offer (for ``bulk_create``) curated by ``curator``, council A's
    organisation unless given."""
    from portal.catalogue.models import Offer, OfferStatus

    number = next_number()
    title = title or f"Support offer {number}"
    fields.setdefault("slug", f"support-offer-{number}")
    fields.setdefault("summary", f"What {title} does, in a sentence.")
    fields.setdefault("provider_name", "Business Growth Hub")
    fields.setdefault("kind", "grant")
    fields.setdefault("application_url", f"https://example.com/apply/{number}")
    if status == OfferStatus.PUBLISHED:
        # Each published offer a day before the one made before it: "newest" lists them
        # in the order the test made them.
        fields.setdefault("published", timezone.now() - timedelta(days=number))
    return Offer(title=title, curator=curator or council_a(), status=status, **fields)


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
    offer = build_offer(title=title, curator=curator, status=status, **fields)
    offer.save()
    if councils is None and not regions and not fields.get("uk_wide"):
        councils = list(offer.curator.councils.all())
    if councils:
        offer.councils.set(councils)
    if regions:
        offer.regions.set(regions)
    return offer


def create_offers(*, count: int, **fields) -> list:
    """``count`` offers in one query, with no places (pass ``uk_wide=True`` for offers
    the public lists show)."""
    from portal.catalogue.models import Offer

    return Offer.objects.bulk_create(build_offer(**fields) for _ in range(count))


def create_offer_change(*, user: User | None, offer=None, **fields):
    """A line of ``offer``'s change history (a new offer unless given) by ``user``, written
    directly: no data version is raised."""
    from portal.catalogue.models import OfferChange

    fields.setdefault("action", "edited")
    fields.setdefault("fields", {"summary": ["Old summary", "New summary"]})
    return OfferChange.objects.create(user=user, offer=offer or create_offer(), **fields)


# Procurement


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
    from portal.procurement.models import Lot, Opportunity

    number = next_number()
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


def create_saved_search(
    *, email: str = "founder@example.com", query: str = "", frequency: str = "daily", **fields
):
    """A saved search row as if someone had asked for alerts; not confirmed unless
    ``confirmed_at`` is given, and no email is sent."""
    from portal.procurement.models import SavedSearch

    return SavedSearch.objects.create(email=email, query=query, frequency=frequency, **fields)


def create_saved_opportunity(*, user: User, opportunity=None, **fields):
    """``user`` saved ``opportunity`` (a new open one unless given)."""
    from portal.procurement.models import SavedOpportunity

    return SavedOpportunity.objects.create(
        user=user, opportunity=opportunity or create_opportunity(), **fields
    )


def create_opportunity_change(*, user: User | None, opportunity=None, **fields):
    """A line of ``opportunity``'s change history (a new one unless given) by ``user``,
    written directly: no data version is raised."""
    from portal.procurement.models import OpportunityChange

    fields.setdefault("action", "edited")
    fields.setdefault("fields", {"title": ["Old title", "New title"]})
    return OpportunityChange.objects.create(
        user=user, opportunity=opportunity or create_opportunity(), **fields
    )


def create_import_run(**fields):
    """A finished, successful OCDS import run unless the fields say otherwise."""
    from portal.procurement.models import ImportRun

    fields.setdefault("source", "https://example.org/ocds/feed.json")
    fields.setdefault("outcome", ImportRun.Outcome.SUCCEEDED)
    fields.setdefault("finished", timezone.now())
    return ImportRun.objects.create(**fields)


# Matching


def create_match_subscription(*, email: str = "founder@example.com", council=None, **fields):
    """A match alert row for a micro, growing business in ``council`` (council A unless
    given), as if someone had asked; not confirmed unless ``confirmed_at`` is given, and
    no email is sent."""
    from portal.matching.models import MatchSubscription

    council = council or get_council()
    fields.setdefault("size", "micro")
    fields.setdefault("stage", "growing")
    fields.setdefault("sic_section", "J")
    fields.setdefault("plans", ["export"])
    fields.setdefault("profile_key", f"profile-{next_number()}")
    return MatchSubscription.objects.create(
        email=email, council=council, region_id=council.region_id, **fields
    )


# Diagnostics


def create_assessment(*, profile=TRADING_PUBLIC, sections: int = 0, user: User | None = None):
    """An assessment with ``profile`` (none for ``profile=None``) and its first
    ``sections`` answered at best. Written through the diagnostics services, as the pages
    would: the applicability rules and stored answers are theirs to keep right."""
    from diagnostics import applicability, services
    from tests.diagnostics.flow_support import best_section_answers

    assessment = services.start_assessment(user=user)
    if profile is not None:
        fields = {key: value for key, value in profile.items() if key != "council"}
        assessment = services.save_profile(
            assessment=assessment,
            council=get_council(gss_code=profile["council"]),
            profile=fields,
        )
    definition = digital_maturity()
    for number in range(1, sections + 1):
        ruled_out = applicability.not_applicable(
            definition, {**assessment.profile, **services.stored_answers(assessment)}
        )
        services.save_section(
            assessment=assessment,
            number=number,
            answers={
                key: value
                for key, value in best_section_answers(number).items()
                if key not in ruled_out
            },
        )
    assessment.refresh_from_db()
    return assessment


def create_completed_assessments(
    count: int,
    *,
    council: Council | None = None,
    completed=None,
    size: str = "micro",
    sic_section: str = "J",
    stage: str = "growing",
    scores=None,
    weakest: str = "data",
    flags=("no_offsite_backup",),
    plans=("export",),
    band: str = "developing",
) -> list:
    """``count`` completed assessments of different businesses (one chain each), each
    counted in peer groups, in bulk (two queries however many): for the dashboards.
    ``scores`` is a dimension → score mapping, or a callable of the row number giving
    one (default: 40 in every dimension); the overall score is their mean."""
    from diagnostics.models import Assessment, AssessmentStatus, DimensionScore
    from portal.lib.vocabularies import Dimension

    council = council or get_council()
    completed = completed or timezone.now() - timedelta(days=1)
    rows = []
    for number in range(count):
        found = scores(number) if callable(scores) else (scores or {})
        values = {d: found.get(d, 40.0) for d in Dimension.values}
        rows.append(
            (
                Assessment(
                    questionnaire="digital-maturity",
                    version="1.1.0",
                    major_version=1,
                    council=council,
                    region_id=council.region_id,
                    size=size,
                    stage=stage,
                    sic_section=sic_section,
                    profile={"plans": list(plans)},
                    status=AssessmentStatus.COMPLETED,
                    started=completed - timedelta(hours=1),
                    updated=completed,
                    completed=completed,
                    overall_score=sum(values.values()) / len(values),
                    overall_band=band,
                    result={"weakest": weakest, "flags": list(flags)},
                    counts_for_peers=True,
                ),
                values,
            )
        )
    assessments = Assessment.objects.bulk_create([assessment for assessment, _ in rows])
    DimensionScore.objects.bulk_create(
        DimensionScore(assessment=assessment, dimension=dimension, score=value)
        for assessment, (_, values) in zip(assessments, rows, strict=True)
        for dimension, value in values.items()
    )
    return assessments
