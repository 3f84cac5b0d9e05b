"""Load the CPV 2008 codes: every division, and every code of the digital divisions.

The codes come from portal/procurement/data/cpv.json (see cpv-source.md beside it for
the source and licence). Running it again adds missing codes and corrects changed
descriptions, matched by code; reversing it removes the codes the file holds.
"""

import json
from pathlib import Path

from django.db import migrations

CPV_FILE = Path(__file__).resolve().parent.parent / "data" / "cpv.json"


def read_codes() -> dict[str, str]:
    with CPV_FILE.open(encoding="utf-8") as cpv_file:
        return {row["code"]: row["description"] for row in json.load(cpv_file)}


def load_cpv(apps, schema_editor):
    CpvCode = apps.get_model("procurement", "CpvCode")
    codes = read_codes()
    existing = {code.code: code for code in CpvCode.objects.all()}
    changed = []
    for code, description in codes.items():
        row = existing.get(code)
        if row is not None and row.description != description:
            row.description = description
            changed.append(row)
    # In bulk: one row at a time would cost a few thousand queries on every new database.
    CpvCode.objects.bulk_create(
        [
            CpvCode(code=code, description=description)
            for code, description in codes.items()
            if code not in existing
        ],
        batch_size=500,
    )
    CpvCode.objects.bulk_update(changed, ["description"], batch_size=500)


def unload_cpv(apps, schema_editor):
    CpvCode = apps.get_model("procurement", "CpvCode")
    CpvCode.objects.filter(code__in=list(read_codes())).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_cpv, unload_cpv, elidable=False),
    ]
