"""The migrations that put OfferChange and OpportunityChange on portal.lib.history's
ChangeRecord keep every row of both histories, with its values."""

from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [
    ("catalogue", "0002_offer_search_index"),
    ("procurement", "0003_opportunity_search_index"),
]
AFTER = [
    ("catalogue", "0003_offer_change_record"),
    ("procurement", "0004_opportunity_change_record"),
]
COLUMNS = ("id", "user_id", "action", "fields", "at")


def migrate(targets):
    """Migrate to ``targets`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


class ChangeRecordMigrationTests(TransactionTestCase):
    # The flush after a TransactionTestCase would leave later tests without the places
    # and CPV codes the data migrations load.
    serialized_rollback = True

    def setUp(self):
        self.addCleanup(lambda: migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))

    def test_every_history_row_is_kept_with_its_values(self):
        apps = migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        Organisation = apps.get_model("accounts", "Organisation")
        Offer = apps.get_model("catalogue", "Offer")
        OfferChange = apps.get_model("catalogue", "OfferChange")
        Opportunity = apps.get_model("procurement", "Opportunity")
        OpportunityChange = apps.get_model("procurement", "OpportunityChange")

        curator = User.objects.create(email="curator@example.com", full_name="Cara Curator")
        poster = User.objects.create(email="poster@example.com")
        council = Organisation.objects.create(
            name="Council", slug="council", kind="local-authority"
        )
        offer = Offer.objects.create(
            title="Grant",
            slug="grant",
            summary="A grant",
            provider_name="Provider",
            curator=council,
            kind="grant",
            application_url="https://example.com/",
        )
        opportunity = Opportunity.objects.create(title="Website", buyer_name="Council")
        at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
        OfferChange.objects.bulk_create(
            [
                OfferChange(offer=offer, user=curator, action="created", at=at, fields={}),
                OfferChange(
                    offer=offer,
                    user=None,
                    action="imported",
                    at=at,
                    fields={"title": ["Grant", "Grant — Cymru ✓"], "councils": ["", "A, B"]},
                ),
                OfferChange(offer=offer, user=curator, action="published", at=at, fields={}),
            ]
        )
        OpportunityChange.objects.bulk_create(
            [
                OpportunityChange(
                    opportunity=opportunity,
                    user=poster,
                    action="updated",
                    at=at,
                    fields={"lots": ["1 Build", "1 Build; 2 Run 5000"]},
                ),
                OpportunityChange(opportunity=opportunity, user=None, action="closed", at=at),
            ]
        )
        offer_rows = list(OfferChange.objects.order_by("id").values_list("offer_id", *COLUMNS))
        opportunity_rows = list(
            OpportunityChange.objects.order_by("id").values_list("opportunity_id", *COLUMNS)
        )

        applied = MigrationExecutor(connection).loader.applied_migrations
        self.assertFalse(set(AFTER) & set(applied))

        apps = migrate(AFTER)
        OfferChange = apps.get_model("catalogue", "OfferChange")
        OpportunityChange = apps.get_model("procurement", "OpportunityChange")
        self.assertEqual(
            list(OfferChange.objects.order_by("id").values_list("offer_id", *COLUMNS)),
            offer_rows,
        )
        self.assertEqual(
            list(OpportunityChange.objects.order_by("id").values_list("opportunity_id", *COLUMNS)),
            opportunity_rows,
        )
        self.assertEqual(len(offer_rows) + len(opportunity_rows), 5)
        self.assertEqual(OfferChange._meta.get_field("user").verbose_name, "who")
