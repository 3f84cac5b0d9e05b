"""Synthetic contract opportunities for benchmarks and load tests.

``create_opportunities(N)`` (``manage.py generate_opportunities N``) writes N
opportunities in batches of a thousand (portal/lib/bulkinsert.py), a handful of queries
per batch: posted by a few synthetic cluster bodies and buyers, or imported; across
councils, regions and the whole UK; with CPV codes of the digital divisions and others;
values stated or not (about one in five "not stated"); deadlines relative to today, some
passed. The same seed gives the same opportunities.

``write_release_package(path, N)`` writes N releases of the same kind as an OCDS 1.1
release package, for the import benchmark: streamed to the file, never all in memory.
"""

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Organisation, OrganisationKind
from portal.lib import bulkinsert, versions
from portal.places.models import Council, Region
from portal.procurement.models import (
    BuyerType,
    Lot,
    MainCategory,
    NoticeStage,
    Opportunity,
    Procedure,
    Source,
    Status,
)

BATCH_SIZE = 1000
SYNTHETIC_OCID_PREFIX = "ocds-synthetic"

# (CPV code, what is bought, main category)
SUBJECTS = (
    ("72000000", "IT services", MainCategory.SERVICES),
    ("72212000", "application software development", MainCategory.SERVICES),
    ("72413000", "website design and build", MainCategory.SERVICES),
    ("72222300", "digital transformation consultancy", MainCategory.SERVICES),
    ("72317000", "data storage services", MainCategory.SERVICES),
    ("72400000", "cloud hosting", MainCategory.SERVICES),
    ("72611000", "technical computer support", MainCategory.SERVICES),
    ("72700000", "network services", MainCategory.SERVICES),
    ("72800000", "cyber security audit and testing", MainCategory.SERVICES),
    ("48000000", "case management software", MainCategory.GOODS),
    ("48810000", "information systems", MainCategory.GOODS),
    ("30213100", "laptop computers", MainCategory.GOODS),
    ("30200000", "computer equipment", MainCategory.GOODS),
    ("32412100", "telecommunications network", MainCategory.GOODS),
    ("50324100", "system maintenance", MainCategory.SERVICES),
    ("64200000", "telecommunications services", MainCategory.SERVICES),
    ("73000000", "research and development", MainCategory.SERVICES),
    ("79342000", "marketing services", MainCategory.SERVICES),
    ("79311000", "survey services", MainCategory.SERVICES),
    ("80533100", "computer training", MainCategory.SERVICES),
    ("45000000", "building works", MainCategory.WORKS),
    ("45310000", "electrical installation works", MainCategory.WORKS),
    ("90910000", "cleaning services", MainCategory.SERVICES),
    ("55520000", "catering services", MainCategory.SERVICES),
    ("34144900", "electric vehicles", MainCategory.GOODS),
)
PURPOSES = (
    "for the council's customer services",
    "for schools across the area",
    "for adult social care",
    "for the library service",
    "for highways and transport",
    "for the housing team",
    "for a business support programme",
    "for the cluster's members",
    "for a regional innovation hub",
    "for the waste and recycling service",
)
FRAMINGS = ("Provision of", "Supply of", "Delivery of", "Framework for", "Pilot of")
POSTERS = (
    ("synthetic-cluster-tech", "Synthetic Tech Cluster", OrganisationKind.CLUSTER_BODY),
    ("synthetic-cluster-make", "Synthetic Manufacturers Network", OrganisationKind.CLUSTER_BODY),
    ("synthetic-buyer-housing", "Synthetic Housing Association", OrganisationKind.BUYER),
    ("synthetic-buyer-college", "Synthetic College Group", OrganisationKind.BUYER),
)
IMPORTED_BUYERS = (
    "Northumbria Police",
    "NHS North of England Commissioning Support",
    "Durham County Council",
    "Leeds City Council",
    "Transport for Greater Manchester",
    "Cardiff Council",
    "Scottish Government",
    "Bristol City Council",
    "Department for Education",
    "Crown Commercial Service",
)
VALUES = (5_000, 12_500, 25_000, 48_000, 75_000, 120_000, 250_000, 600_000, 1_500_000)


def synthetic_posters() -> list[Organisation]:
    posters = []
    for slug, name, kind in POSTERS:
        organisation, _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "verified": True}
        )
        posters.append(organisation)
    return posters


def _subject(rng: random.Random, number: int):
    code, what, category = SUBJECTS[number % len(SUBJECTS)]
    framing = rng.choice(FRAMINGS)
    title = f"{framing} {what} {rng.choice(PURPOSES)} ({number})"
    codes = {code}
    if rng.random() < 0.3:
        codes.add(rng.choice(SUBJECTS)[0])
    return title, what, category, sorted(codes)


def _value(rng: random.Random) -> Decimal | None:
    if rng.random() < 0.2:
        return None  # not stated
    return Decimal(rng.choice(VALUES))


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.8:
        return Status.OPEN
    if roll < 0.88:
        return Status.CLOSED
    if roll < 0.94:
        return Status.AWARDED
    if roll < 0.97:
        return Status.CANCELLED
    return Status.DRAFT


def build_opportunity(
    rng: random.Random, number: int, *, posters: list[Organisation], now: datetime
) -> Opportunity:
    title, what, category, codes = _subject(rng, number)
    imported = rng.random() < 0.5
    publisher = None if imported else rng.choice(posters)
    value = _value(rng)
    published = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
    deadline = now + timedelta(days=rng.randint(-20, 90), hours=rng.randint(0, 23))
    status = _status(rng)
    if status == Status.DRAFT and imported:
        status = Status.OPEN  # nothing is imported as a draft
    if status == Status.OPEN and deadline < now and rng.random() < 0.5:
        status = Status.CLOSED
    return Opportunity(
        ocid=f"{SYNTHETIC_OCID_PREFIX}-{number}"
        if imported
        else f"{settings.OCDS_OCID_PREFIX}-synthetic-{number}",
        title=title,
        description=(
            f"We are looking for a supplier of {what}. The contract covers planning, "
            f"delivery and support, and suits firms with experience of "
            f"{rng.choice(SUBJECTS)[1]}. Bidders must be able to start within "
            f"{rng.choice((4, 6, 8, 12))} weeks of award."
        ),
        buyer_name=rng.choice(IMPORTED_BUYERS) if imported else publisher.name,
        publisher=publisher,
        buyer_type=BuyerType.PRIVATE if not imported and rng.random() < 0.3 else BuyerType.PUBLIC,
        main_category=category,
        cpv_codes=codes,
        value_min=(value / 2).quantize(Decimal("1")) if value and rng.random() < 0.3 else None,
        value_max=value,
        currency="GBP",
        published_at=published,
        tender_start=published,
        deadline=deadline,
        contract_start=(deadline + timedelta(days=45)).date(),
        contract_end=(deadline + timedelta(days=45 + 365 * rng.randint(1, 3))).date(),
        uk_wide=rng.random() < 0.1,
        sme_suitable=rng.choice((True, True, False, None)),
        vcse_suitable=rng.choice((True, False, None, None)),
        procedure=rng.choice(Procedure.values),
        stage=NoticeStage.TENDER if rng.random() < 0.9 else NoticeStage.PLANNING,
        status=status,
        notice_url=f"https://www.find-tender.example/notice/{number}",
        contact_email="procurement@example.org",
        source=Source.IMPORTED if imported else Source.POSTED,
        source_uri="https://www.find-tender.example/ocds/synthetic.json" if imported else "",
        release_id=f"{SYNTHETIC_OCID_PREFIX}-{number}-1" if imported else "",
        created=published,
        last_changed=published,
    )


@transaction.atomic
def create_opportunities(count: int, *, seed: int = 1) -> int:
    """Create ``count`` synthetic opportunities (numbered after any already there)."""
    rng = random.Random(seed)
    now = timezone.now()
    posters = synthetic_posters()
    regions = list(Region.objects.values_list("pk", flat=True))
    councils = list(Council.objects.values_list("pk", flat=True))
    start = Opportunity.objects.filter(ocid__contains="synthetic-").count() + 1
    region_link = Opportunity.regions.through
    council_link = Opportunity.councils.through
    made = 0
    while made < count:
        size = min(BATCH_SIZE, count - made)
        opportunities = [
            build_opportunity(rng, start + made + index, posters=posters, now=now)
            for index in range(size)
        ]
        bulkinsert.insert(Opportunity, opportunities, key="ocid")
        region_rows, council_rows, lots = [], [], []
        for opportunity in opportunities:
            if not opportunity.uk_wide:
                if regions and (rng.random() < 0.5 or not councils):
                    region_rows += [
                        (opportunity.pk, region_id)
                        for region_id in rng.sample(regions, min(len(regions), rng.randint(1, 2)))
                    ]
                elif councils:
                    council_rows += [
                        (opportunity.pk, council_id)
                        for council_id in rng.sample(
                            councils, min(len(councils), rng.randint(1, 3))
                        )
                    ]
            if rng.random() < 0.15:
                for lot_number in range(1, rng.randint(2, 4) + 1):
                    lots.append(
                        Lot(
                            opportunity_id=opportunity.pk,
                            lot_id=str(lot_number),
                            title=f"Lot {lot_number}: {rng.choice(SUBJECTS)[1]}",
                            value=_value(rng),
                            cpv_codes=[rng.choice(SUBJECTS)[0]],
                        )
                    )
        bulkinsert.insert_links(region_link, "opportunity", "region", region_rows)
        bulkinsert.insert_links(council_link, "opportunity", "council", council_rows)
        bulkinsert.insert(Lot, lots, key=None)
        made += size
    versions.bump(Opportunity.DATA_VERSION)
    return made


# OCDS releases, for the import benchmark

REGION_SPELLINGS = (
    {"region": "North East"},
    {"region": "UKC1"},
    {"region": "TLD3"},
    {"region": "yorkshire & the humber"},
    {"region": "London"},
    {"postalCode": "NE1 4ST"},
    {"postalCode": "CF10 1EP"},
    {"postalCode": "G2 1DY"},
    {"countryName": "United Kingdom"},
)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_release(rng: random.Random, number: int, *, now: datetime) -> dict:
    """One realistic OCDS 1.1 tender release (with lots, suitability and location)."""
    title, what, category, codes = _subject(rng, number)
    value = _value(rng)
    published = now - timedelta(days=rng.randint(0, 60))
    deadline = now + timedelta(days=rng.randint(-20, 90))
    ocid = f"{SYNTHETIC_OCID_PREFIX}-bench-{number}"
    buyer = rng.choice(IMPORTED_BUYERS)
    tender = {
        "id": f"{ocid}-tender",
        "title": title,
        "description": f"We are looking for a supplier of {what}.\r\nLots &amp; details follow.",
        "status": rng.choice(("active", "active", "active", "complete", "cancelled")),
        "mainProcurementCategory": str(category),
        "procurementMethod": rng.choice(Procedure.values),
        "classification": {"scheme": "CPV", "id": codes[0]},
        "additionalClassifications": [{"scheme": "CPV", "id": code} for code in codes[1:]],
        "value": {"amount": float(value or 0), "currency": "GBP"},
        "datePublished": _rfc3339(published),
        "tenderPeriod": {"startDate": _rfc3339(published), "endDate": _rfc3339(deadline)},
        "suitability": {"sme": rng.random() < 0.7, "vcse": rng.random() < 0.3},
        "deliveryAddresses": [rng.choice(REGION_SPELLINGS)],
        "documents": [
            {
                "id": "notice",
                "documentType": "tenderNotice",
                "title": "Contract notice",
                "url": f"https://www.find-tender.example/notice/{number}",
            }
        ],
    }
    if rng.random() < 0.2:
        tender["lots"] = [
            {
                "id": str(lot),
                "title": f"Lot {lot}: {rng.choice(SUBJECTS)[1]}",
                "value": {"amount": float(_value(rng) or 0), "currency": "GBP"},
            }
            for lot in (1, 2)
        ]
        tender["items"] = [
            {
                "id": str(lot),
                "relatedLot": str(lot),
                "classification": {"scheme": "CPV", "id": code},
            }
            for lot, code in ((1, codes[0]), (2, rng.choice(SUBJECTS)[0]))
        ]
    return {
        "ocid": ocid,
        "id": f"{ocid}-tender-1",
        "date": _rfc3339(published),
        "tag": ["tender"],
        "initiationType": "tender",
        "buyer": {"id": f"buyer-{IMPORTED_BUYERS.index(buyer)}", "name": buyer},
        "parties": [
            {
                "id": f"buyer-{IMPORTED_BUYERS.index(buyer)}",
                "name": buyer,
                "roles": ["buyer"],
                "address": {"postalCode": "NE1 4ST", "countryName": "United Kingdom"},
                "contactPoint": {"name": "Procurement team", "email": "procurement@example.org"},
            }
        ],
        "tender": tender,
    }


def synthetic_releases(count: int, *, seed: int = 1) -> Iterator[dict]:
    rng = random.Random(seed)
    now = timezone.now()
    for number in range(1, count + 1):
        yield build_release(rng, number, now=now)


def write_release_package(path: Path, count: int, *, seed: int = 1) -> Path:
    """A release package of ``count`` synthetic releases, written release by release."""
    with Path(path).open("w", encoding="utf-8") as out:
        header = {
            "uri": f"https://waymark.example/benchmark/{count}.json",
            "version": "1.1",
            "publishedDate": _rfc3339(timezone.now()),
            "publisher": {"name": "Waymark benchmark"},
        }
        out.write(json.dumps(header)[:-1] + ', "releases": [\n')
        for index, release in enumerate(synthetic_releases(count, seed=seed)):
            if index:
                out.write(",\n")
            out.write(json.dumps(release))
        out.write("\n]}\n")
    return Path(path)
