"""Load the whole CPV 2008 vocabulary: all 9,454 codes, every division at every level.

The codes come from portal/procurement/data/cpv_2008_en.csv (columns ``code`` and
``label_en``; see cpv-source.md beside it for the source and licence). 0002 loaded the
divisions and the digital divisions from cpv.json; this adds the rest. Running it again
adds missing codes and corrects changed descriptions, matched by code; reversing it
removes the codes that 0002 did not load, so the table is as 0002 left it.
"""

import csv
import json
import re
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
CPV_CSV = DATA / "cpv_2008_en.csv"
# What 0002 loaded (read here rather than imported: a migration module is not a library).
FIRST_CPV_FILE = DATA / "cpv.json"
# The 8 digits of a code, maybe with the check digit ("72212000-4"), which is not kept.
CODE = re.compile(r"^(\d{8})(?:-\d)?$")


def read_codes() -> dict[str, str]:
    codes = {}
    with CPV_CSV.open(encoding="utf-8", newline="") as cpv_file:
        for line, row in enumerate(csv.DictReader(cpv_file), start=2):
            match = CODE.match(row["code"].strip())
            description = row["label_en"].strip()
            if not match or not description:
                raise ValueError(f"{CPV_CSV.name} line {line}: not a CPV code and label: {row}")
            codes[match.group(1)] = description
    return codes


def load_full_cpv(apps, schema_editor):
    CpvCode = apps.get_model("procurement", "CpvCode")
    codes = read_codes()
    existing = dict(CpvCode.objects.values_list("code", "description"))
    CpvCode.objects.bulk_create(
        [
            CpvCode(code=code, description=description)
            for code, description in codes.items()
            if code not in existing
        ],
        batch_size=500,
    )
    CpvCode.objects.bulk_update(
        [
            CpvCode(code=code, description=description)
            for code, description in codes.items()
            if code in existing and existing[code] != description
        ],
        ["description"],
        batch_size=500,
    )


def unload_full_cpv(apps, schema_editor):
    CpvCode = apps.get_model("procurement", "CpvCode")
    with FIRST_CPV_FILE.open(encoding="utf-8") as first_file:
        kept = {row["code"] for row in json.load(first_file)}
    added = [code for code in read_codes() if code not in kept]
    for start in range(0, len(added), 500):
        CpvCode.objects.filter(code__in=added[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_opportunity_change_record"),
    ]

    operations = [
        migrations.RunPython(load_full_cpv, unload_full_cpv, elidable=False),
    ]
