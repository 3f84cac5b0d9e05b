"""Load the 12 nations and regions and the 361 district and unitary councils.

The facts come from portal/places/data/places.json (see the README beside it for the
source and licence). Running it again updates rows in place, matched by their codes.
"""

import json
from pathlib import Path

from django.db import migrations

PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.json"

# Only these keys are read, so the file may grow without breaking this migration.
REGION_FIELDS = ("name", "slug", "itl_code", "nuts_code", "nation")
COUNCIL_FIELDS = ("name", "official_name", "slug", "local_authority_code", "kind")


def read_places():
    with PLACES_FILE.open(encoding="utf-8") as places_file:
        return json.load(places_file)


def load_places(apps, schema_editor):
    Region = apps.get_model("places", "Region")
    Council = apps.get_model("places", "Council")
    places = read_places()
    regions_by_code = {}
    for row in places["regions"]:
        region, _ = Region.objects.update_or_create(
            ons_code=row["ons_code"], defaults={field: row[field] for field in REGION_FIELDS}
        )
        regions_by_code[region.ons_code] = region
    for row in places["councils"]:
        Council.objects.update_or_create(
            gss_code=row["gss_code"],
            defaults={
                **{field: row[field] for field in COUNCIL_FIELDS},
                "region": regions_by_code[row["region"]],
            },
        )


def unload_places(apps, schema_editor):
    Region = apps.get_model("places", "Region")
    Council = apps.get_model("places", "Council")
    places = read_places()
    # Councils first: their region is a protected foreign key.
    Council.objects.filter(gss_code__in=[row["gss_code"] for row in places["councils"]]).delete()
    Region.objects.filter(ons_code__in=[row["ons_code"] for row in places["regions"]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_places, unload_places, elidable=False),
    ]
