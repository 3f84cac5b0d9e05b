"""What the export writes, the importer reads back: the two halves of the mapping table
in portal/procurement/ocds/__init__.py agree."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.procurement.importing.runs import import_sources
from portal.procurement.models import Opportunity, Source
from portal.procurement.ocds.writing import (
    cpv_descriptions,
    exportable_opportunities,
    opportunity_release,
    release_package,
)
from tests.factories import create_opportunity, get_council, get_region

pytestmark = pytest.mark.django_db

COMPARED = [
    "title",
    "description",
    "buyer_name",
    "buyer_type",
    "main_category",
    "value_min",
    "value_max",
    "currency",
    "deadline",
    "sme_suitable",
    "vcse_suitable",
    "procedure",
    "stage",
    "status",
    "uk_wide",
]


def snapshot(opportunity):
    facts = {name: getattr(opportunity, name) for name in COMPARED}
    facts["cpv_codes"] = set(opportunity.cpv_codes)
    facts["councils"] = {council.gss_code for council in opportunity.councils.all()}
    facts["regions"] = {region.itl_code for region in opportunity.regions.all()}
    facts["lots"] = sorted((lot.lot_id, lot.title, lot.value) for lot in opportunity.lots.all())
    return facts


def test_posted_opportunities_exported_then_imported_come_back_the_same(tmp_path):
    deadline = (timezone.now() + timedelta(days=12)).replace(microsecond=0)
    create_opportunity(
        title="Library cloud hosting",
        description="Hosting & support.\nTwo lots.",
        ocid="ocds-test01-library",
        councils=[get_council(gss_code="E08000037")],
        cpv_codes=["72415000"],
        value_max=Decimal("40000"),
        deadline=deadline,
        sme_suitable=True,
        vcse_suitable=False,
        procedure="open",
        lots=[
            {"title": "Hosting", "value": Decimal("25000"), "cpv_codes": ["72415000"]},
            {"title": "Support", "value": Decimal("15000"), "cpv_codes": ["72415000"]},
        ],
    )
    create_opportunity(
        title="Regional cyber security review",
        ocid="ocds-test01-cyber",
        regions=[get_region(itl_code="TLC")],
        cpv_codes=["72800000"],
        value_min=Decimal("10000"),
        value_max=Decimal("50000"),
        deadline=deadline,
        buyer_type="private",
    )
    create_opportunity(
        title="Website for a national network",
        ocid="ocds-test01-website",
        uk_wide=True,
        cpv_codes=["72413000"],
        deadline=deadline,
        main_category="goods",
    )
    before = {o.ocid: snapshot(o) for o in Opportunity.objects.all()}
    opportunities = list(exportable_opportunities())
    descriptions = cpv_descriptions(opportunities)
    package = release_package(
        [opportunity_release(o, descriptions=descriptions) for o in opportunities],
        uri="https://waymark.example/api/ocds/releases",
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(package), encoding="utf-8")

    # Read back into an empty table (the importer never overwrites a posted one).
    Opportunity.objects.all().delete()
    run = import_sources([str(path)])

    assert (run.created_count, run.rejected_count) == (3, 0), run.rejections
    after = {o.ocid: snapshot(o) for o in Opportunity.objects.all()}
    assert after == before
    assert set(Opportunity.objects.values_list("source", flat=True)) == {Source.IMPORTED}
