"""Synthetic opportunities (manage.py generate_opportunities N) and the synthetic
release package the import benchmark reads."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from portal.procurement.importing.runs import import_sources
from portal.procurement.models import ImportRun, Opportunity, Source, Status
from portal.procurement.synthetic import create_opportunities, write_release_package
from tests.queries import assert_queries_do_not_grow


class GenerateOpportunitiesTests(TestCase):
    def test_the_command_creates_n_varied_opportunities(self):
        out = StringIO()

        call_command("generate_opportunities", "300", stdout=out)

        self.assertIn("Created 300 synthetic opportunities.", out.getvalue())
        opportunities = Opportunity.objects.all()
        self.assertEqual(opportunities.count(), 300)
        self.assertTrue(opportunities.filter(source=Source.POSTED).exists())
        self.assertTrue(opportunities.filter(source=Source.IMPORTED).exists())
        self.assertFalse(
            opportunities.filter(source=Source.IMPORTED, publisher__isnull=False).exists()
        )
        self.assertTrue(opportunities.filter(value_max__isnull=True).exists())
        self.assertTrue(opportunities.filter(uk_wide=True).exists())
        self.assertTrue(opportunities.filter(regions__isnull=False).exists())
        self.assertTrue(opportunities.filter(councils__isnull=False).exists())
        self.assertTrue(opportunities.filter(cpv_codes__has_prefix="72").exists())
        self.assertGreater(Opportunity.objects.visible(timezone.now()).count(), 100)
        self.assertTrue(opportunities.filter(status=Status.CLOSED).exists())

    def test_running_again_adds_more_without_clashing(self):
        create_opportunities(20)
        create_opportunities(20)

        self.assertEqual(Opportunity.objects.count(), 40)

    def test_queries_do_not_grow_with_the_number(self):
        create_opportunities(1)  # the synthetic posting organisations, once
        assert_queries_do_not_grow(create_opportunities, sizes=(50, 900))

    def test_n_must_be_positive(self):
        with self.assertRaises(CommandError):
            call_command("generate_opportunities", "0", stdout=StringIO())


class SyntheticReleasePackageTests(TestCase):
    def test_the_package_is_valid_json_and_imports_whole(self):
        with tempfile.TemporaryDirectory() as directory:
            path = write_release_package(Path(directory) / "releases.json", 60)
            package = json.loads(path.read_text())
            run = import_sources([str(path)])

        self.assertEqual(len(package["releases"]), 60)
        self.assertEqual(run.outcome, ImportRun.Outcome.SUCCEEDED)
        self.assertEqual((run.created_count, run.rejected_count), (60, 0))
