"""The CPV 2008 fixture (portal/procurement/data/cpv.json) and the migration loading it."""

import importlib
import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.test import TestCase

from portal.procurement.models import CpvCode

CPV_FILE = Path(__file__).resolve().parents[2] / "portal" / "procurement" / "data" / "cpv.json"
DIGITAL_DIVISIONS = ("30", "32", "48", "50", "64", "72", "73", "79", "80")
# The 45 divisions of CPV 2008.
DIVISIONS = [
    f"{division:02d}"
    for division in (3, 9, 14, 15, 16, 18, 19, 22, 24, 30, 31, 32, 33, 34, 35, 37, 38, 39, 41)
    + (42, 43, 44, 45, 48, 50, 51, 55, 60, 63, 64, 65, 66, 70, 71, 72, 73, 75, 76, 77, 79)
    + (80, 85, 90, 92, 98)
]

load_migration = importlib.import_module("portal.procurement.migrations.0002_load_cpv")


@pytest.fixture(scope="module")
def rows():
    with CPV_FILE.open(encoding="utf-8") as cpv_file:
        return json.load(cpv_file)


@pytest.fixture(scope="module")
def descriptions(rows):
    return {row["code"]: row["description"] for row in rows}


def test_every_row_is_an_8_digit_code_once_with_a_description(rows):
    codes = [row["code"] for row in rows]
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
    assert len(codes) == len(set(codes))
    assert all(set(row) == {"code", "description"} for row in rows)
    assert all(row["description"].strip() == row["description"] != "" for row in rows)
    assert codes == sorted(codes)


def test_holds_the_45_divisions(descriptions):
    divisions = sorted(code[:2] for code in descriptions if code.endswith("000000"))
    assert divisions == DIVISIONS
    assert descriptions["45000000"] == "Construction work"
    assert descriptions["72000000"] == (
        "IT services: consulting, software development, Internet and support"
    )


@pytest.mark.parametrize(
    ("code", "description"),
    [
        ("72212000", "Programming services of application software"),
        ("48000000", "Software package and information systems"),
        ("30200000", "Computer equipment and supplies"),
        ("72212211", "Platform interconnectivity software development services"),
        ("32420000", "Network equipment"),
        ("50312000", "Maintenance and repair of computer equipment"),
        ("64200000", "Telecommunications services"),
        ("73110000", "Research services"),
        ("79411100", "Business development consultancy services"),
        ("80533100", "Computer training services"),
    ],
)
def test_holds_codes_of_the_digital_divisions(descriptions, code, description):
    assert descriptions[code] == description


def test_every_code_of_a_digital_division_has_its_parent(descriptions):
    """Every level is there: a code's nearest shorter ancestor is in the file."""
    for code in descriptions:
        if code[:2] not in DIGITAL_DIVISIONS or code.endswith("000000"):
            continue
        significant = code.rstrip("0")
        parent = (significant[:-1] + "0" * 8)[:8]
        while parent not in descriptions and not parent.endswith("000000"):
            significant = parent.rstrip("0")
            parent = (significant[:-1] + "0" * 8)[:8]
        assert parent in descriptions, code


def test_only_divisions_outside_the_digital_ones(descriptions):
    others = [
        code
        for code in descriptions
        if code[:2] not in DIGITAL_DIVISIONS and not code.endswith("000000")
    ]
    assert others == []
    assert sum(1 for code in descriptions if code[:2] == "72") > 200


class LoadMigrationTests(TestCase):
    def test_the_migration_loaded_every_code(self):
        with CPV_FILE.open(encoding="utf-8") as cpv_file:
            codes = {row["code"] for row in json.load(cpv_file)}
        # 0005_load_full_cpv loads the rest of the vocabulary after this file.
        self.assertLessEqual(codes, set(CpvCode.objects.values_list("code", flat=True)))
        self.assertEqual(
            CpvCode.objects.get(code="72212000").description,
            "Programming services of application software",
        )

    def test_running_it_again_changes_nothing_but_restores_what_was_changed(self):
        CpvCode.objects.filter(code="72212000").update(description="Something else")
        CpvCode.objects.filter(code="48000000").delete()
        before = CpvCode.objects.count()

        load_migration.load_cpv(django_apps, None)
        load_migration.load_cpv(django_apps, None)

        self.assertEqual(CpvCode.objects.count(), before + 1)
        self.assertEqual(
            CpvCode.objects.get(code="72212000").description,
            "Programming services of application software",
        )
        self.assertTrue(CpvCode.objects.filter(code="48000000").exists())

    def test_reversing_it_removes_the_codes_and_keeps_others(self):
        CpvCode.objects.create(code="99999999", description="Added by hand")
        with CPV_FILE.open(encoding="utf-8") as cpv_file:
            codes = {row["code"] for row in json.load(cpv_file)}
        others = set(CpvCode.objects.exclude(code__in=codes).values_list("code", flat=True))

        load_migration.unload_cpv(django_apps, None)

        remaining = set(CpvCode.objects.values_list("code", flat=True))
        self.assertEqual(remaining, others)
        self.assertIn("99999999", remaining)
        self.assertFalse(remaining & codes)
        load_migration.load_cpv(django_apps, None)
        self.assertTrue(CpvCode.objects.filter(code="72212000").exists())


full_migration = importlib.import_module("portal.procurement.migrations.0005_load_full_cpv")


class LoadFullVocabularyMigrationTests(TestCase):
    def test_every_code_of_the_csv_is_loaded_with_its_label(self):
        codes = full_migration.read_codes()

        self.assertEqual(len(codes), 9454)
        self.assertEqual(CpvCode.objects.count(), 9454)
        self.assertEqual(codes["45451000"], "Decoration work")
        self.assertEqual(CpvCode.objects.get(code="45451000").description, "Decoration work")

    def test_the_first_fixture_agrees_with_the_csv(self):
        codes = full_migration.read_codes()
        with CPV_FILE.open(encoding="utf-8") as cpv_file:
            first = {row["code"]: row["description"] for row in json.load(cpv_file)}

        self.assertEqual({code: codes[code] for code in first}, first)

    def test_running_it_again_adds_what_is_missing_and_corrects_descriptions(self):
        CpvCode.objects.filter(code="45451000").update(description="Something else")
        CpvCode.objects.filter(code__startswith="4545").delete()
        CpvCode.objects.create(code="99999999", description="Added by hand")

        full_migration.load_full_cpv(django_apps, None)
        full_migration.load_full_cpv(django_apps, None)

        self.assertEqual(CpvCode.objects.count(), 9455)
        self.assertEqual(CpvCode.objects.get(code="45451000").description, "Decoration work")

    def test_reversing_it_leaves_what_the_first_fixture_loaded(self):
        CpvCode.objects.create(code="99999999", description="Added by hand")
        with CPV_FILE.open(encoding="utf-8") as cpv_file:
            first = {row["code"] for row in json.load(cpv_file)}

        full_migration.unload_full_cpv(django_apps, None)

        self.assertEqual(set(CpvCode.objects.values_list("code", flat=True)), first | {"99999999"})

    def test_a_check_digit_is_dropped_and_a_bad_row_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            csv_file = Path(folder) / "cpv.csv"
            csv_file.write_text("code,label_en\n72212000-4,Programming\n", encoding="utf-8")
            with mock.patch.object(full_migration, "CPV_CSV", csv_file):
                self.assertEqual(full_migration.read_codes(), {"72212000": "Programming"})
            csv_file.write_text("code,label_en\n7221200,Too short\n", encoding="utf-8")
            with (
                mock.patch.object(full_migration, "CPV_CSV", csv_file),
                self.assertRaisesMessage(ValueError, "line 2"),
            ):
                full_migration.read_codes()
