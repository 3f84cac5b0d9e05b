"""Before the database holds each chain to one counted assessment per major version, and
only a completed one, migration 0004 settles any row written otherwise: the latest
completed assessment of the chain keeps counting."""

import uuid
from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("diagnostics", "0003_assessment_dashboards_index")]
AFTER = [("diagnostics", "0005_integrity_constraints")]


def migrate(targets):
    """Migrate to ``targets`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


class SettleCountedAssessmentsTests(TransactionTestCase):
    # The flush after a TransactionTestCase would leave later tests without the places
    # and CPV codes the data migrations load.
    serialized_rollback = True

    def setUp(self):
        self.addCleanup(lambda: migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))

    def test_only_the_latest_completed_assessment_of_a_chain_counts_after_it(self):
        Assessment = migrate(BEFORE).get_model("diagnostics", "Assessment")
        chain = uuid.uuid4()

        def assessment(day, **fields):
            return Assessment.objects.create(
                chain=chain,
                questionnaire="digital-maturity",
                version="1.1.0",
                major_version=1,
                counts_for_peers=True,
                started=datetime(2026, 1, day, tzinfo=UTC),
                **fields,
            )

        older = assessment(1, status="completed", completed=datetime(2026, 1, 1, tzinfo=UTC))
        latest = assessment(2, status="completed", completed=datetime(2026, 1, 2, tzinfo=UTC))
        in_progress = assessment(3, status="started")

        Assessment = migrate(AFTER).get_model("diagnostics", "Assessment")

        counted = dict(Assessment.objects.values_list("pk", "counts_for_peers"))
        self.assertEqual(counted, {older.pk: False, latest.pk: True, in_progress.pk: False})
