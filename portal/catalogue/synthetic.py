"""Synthetic offers for benchmarks and load tests (``manage.py generate_offers N``).

Deterministic for a seed, spread over every kind, dimension, size, stage, cost and
delivery, over UK-wide, regional and council offers, mostly published; written in
batches of a thousand with portal/lib/bulkinsert.py, a handful of queries per batch.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Organisation, OrganisationKind
from portal.catalogue.models import Cost, Delivery, Offer, OfferStatus
from portal.lib import bulkinsert, versions
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)
from portal.places.models import Council, Region

TOPICS = (
    "digital",
    "export",
    "cyber security",
    "data",
    "cloud",
    "innovation",
    "leadership",
    "marketing",
    "manufacturing",
    "green growth",
    "artificial intelligence",
    "e-commerce",
    "research",
    "procurement",
    "skills",
    "investment",
)
QUALIFIERS = ("Regional", "Local", "National", "Rural", "Coastal", "City", "Community")
PROVIDERS = (
    "Growth Hub",
    "Innovate Partners",
    "Chamber of Commerce",
    "University Enterprise Unit",
    "Enterprise Agency",
    "Digital Catapult Network",
)
BATCH_SIZE = 1000
SYNTHETIC_ORGANISATION = "synthetic-offers"


def synthetic_curator() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug=SYNTHETIC_ORGANISATION,
        defaults={
            "name": "Synthetic offers",
            "kind": OrganisationKind.LOCAL_AUTHORITY,
            "verified": True,
        },
    )
    return organisation


def _some(rng: random.Random, values, *, empty_chance: float, most: int = 3) -> list[str]:
    if rng.random() < empty_chance:
        return []
    return rng.sample(list(values), rng.randint(1, min(most, len(values))))


def build_offer(rng: random.Random, number: int, *, curator: Organisation, today) -> Offer:
    topic = rng.choice(TOPICS)
    kind = SupportKind.values[number % len(SupportKind.values)]
    kind_label = str(SupportKind(kind).label).lower()
    qualifier = rng.choice(QUALIFIERS)
    provider = rng.choice(PROVIDERS)
    status_roll = rng.random()
    status = (
        OfferStatus.PUBLISHED
        if status_roll < 0.85
        else OfferStatus.DRAFT
        if status_roll < 0.93
        else OfferStatus.ARCHIVED
    )
    always_open = rng.random() < 0.3
    opens = None if always_open else today + timedelta(days=rng.randint(-200, 30))
    closes = None if always_open else today + timedelta(days=rng.randint(-30, 300))
    funding = kind in {SupportKind.GRANT, SupportKind.LOAN, SupportKind.EQUITY_INVESTMENT}
    return Offer(
        title=f"{qualifier} {topic} {kind_label} {number}",
        slug=f"synthetic-{number}",
        summary=f"{provider} helps small businesses with {topic} through a {kind_label}.",
        description=(
            f"A {kind_label} run by {provider} for businesses that want to improve their "
            f"{topic}. It covers planning, practical help and follow-up support, with "
            f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)} as optional extras."
        ),
        provider_name=provider,
        curator=curator,
        kind=kind,
        dimensions=_some(rng, Dimension.values, empty_chance=0, most=3),
        maturity_levels=_some(rng, MaturityLevel.values, empty_chance=0.3),
        sizes=_some(rng, BusinessSize.values, empty_chance=0.4, most=2),
        stages=_some(rng, Stage.values, empty_chance=0.5),
        sic_sections=_some(rng, SicSection.values, empty_chance=0.7, most=4),
        uk_wide=rng.random() < 0.15,
        cost=rng.choice(Cost.values),
        funding_min=1000 if funding else None,
        funding_max=rng.choice((5000, 25000, 100000)) if funding else None,
        delivery=rng.choice(Delivery.values),
        always_open=always_open,
        opens=opens,
        closes=closes,
        application_url=f"https://example.org/apply/{number}",
        status=status,
        review_due=today + timedelta(days=rng.randint(-120, 180)),
        published=timezone.now() - timedelta(days=rng.randint(0, 700))
        if status == OfferStatus.PUBLISHED
        else None,
    )


@transaction.atomic
def create_offers(count: int, *, seed: int = 1, curator: Organisation | None = None) -> int:
    """Create ``count`` synthetic offers (numbered after any already there)."""
    rng = random.Random(seed)
    curator = curator or synthetic_curator()
    today = timezone.localdate()
    regions = list(Region.objects.values_list("pk", flat=True))
    councils = list(Council.objects.values_list("pk", flat=True))
    start = Offer.objects.filter(slug__startswith="synthetic-").count() + 1
    region_link = Offer.regions.through
    council_link = Offer.councils.through
    made = 0
    while made < count:
        size = min(BATCH_SIZE, count - made)
        offers = [
            build_offer(rng, start + made + index, curator=curator, today=today)
            for index in range(size)
        ]
        bulkinsert.insert(Offer, offers, key="slug")
        region_rows, council_rows = [], []
        for offer in offers:
            if offer.uk_wide:
                continue
            if regions and (rng.random() < 0.4 or not councils):
                for region_id in rng.sample(regions, min(len(regions), rng.randint(1, 2))):
                    region_rows.append((offer.pk, region_id))
            else:
                for council_id in rng.sample(councils, min(len(councils), rng.randint(1, 3))):
                    council_rows.append((offer.pk, council_id))
        bulkinsert.insert_links(region_link, "offer", "region", region_rows)
        bulkinsert.insert_links(council_link, "offer", "council", council_rows)
        made += size
    versions.bump(Offer.DATA_VERSION)
    return made
