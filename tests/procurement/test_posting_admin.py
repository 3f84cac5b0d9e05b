"""The procurement admin: every model listed and opened, opportunities and import runs
read-only, status actions through the posting services."""

from django.test import TestCase
from django.urls import reverse

from portal.procurement.models import (
    AlertDelivery,
    CpvCode,
    ImportRun,
    OpportunityChange,
    SavedOpportunity,
    Status,
)
from tests.factories import create_opportunity, create_saved_search, create_user, new_buyer


class ProcurementAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = create_user(is_superuser=True, is_staff=True)
        cls.opportunity = create_opportunity(
            title="Admin listed opportunity",
            status=Status.PENDING,
            publisher=new_buyer(),
            lots=[{"title": "First lot"}],
        )
        cls.imported = create_opportunity(
            title="Imported opportunity", publisher=None, source="imported"
        )
        cls.import_run = ImportRun.objects.create(source="/data/feed.json", releases_read=3)
        CpvCode.objects.get_or_create(code="72000000", defaults={"description": "IT services"})
        cls.search = create_saved_search(query="q=cyber")
        AlertDelivery.objects.create(saved_search=cls.search, opportunity=cls.imported)
        SavedOpportunity.objects.create(user=cls.superuser, opportunity=cls.imported)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_every_model_lists_and_opens(self):
        objects = {
            "opportunity": self.opportunity,
            "importrun": self.import_run,
            "cpvcode": CpvCode.objects.get(code="72000000"),
            "savedsearch": self.search,
            "alertdelivery": AlertDelivery.objects.get(),
            "savedopportunity": SavedOpportunity.objects.get(),
        }
        for model, obj in objects.items():
            with self.subTest(model=model):
                response = self.client.get(reverse(f"admin:procurement_{model}_changelist"))
                self.assertEqual(response.status_code, 200)
                response = self.client.get(
                    reverse(f"admin:procurement_{model}_change", args=[obj.pk])
                )
                self.assertEqual(response.status_code, 200)

    def test_moderators_see_imported_opportunities_too(self):
        response = self.client.get(reverse("admin:procurement_opportunity_changelist"))
        self.assertContains(response, "Admin listed opportunity")
        self.assertContains(response, "Imported opportunity")

    def test_opportunity_page_shows_lots_read_only(self):
        response = self.client.get(
            reverse("admin:procurement_opportunity_change", args=[self.opportunity.pk])
        )
        self.assertContains(response, "First lot")
        self.assertNotContains(response, 'name="title"')

    def test_import_runs_are_read_only(self):
        self.assertEqual(
            self.client.get(reverse("admin:procurement_importrun_add")).status_code, 403
        )
        response = self.client.post(
            reverse("admin:procurement_importrun_change", args=[self.import_run.pk]),
            {"source": "changed"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.get(
                reverse("admin:procurement_importrun_delete", args=[self.import_run.pk])
            ).status_code,
            403,
        )
        self.import_run.refresh_from_db()
        self.assertEqual(self.import_run.source, "/data/feed.json")

    def test_opportunities_cannot_be_added_or_deleted(self):
        self.assertEqual(
            self.client.get(reverse("admin:procurement_opportunity_add")).status_code, 403
        )
        self.assertEqual(
            self.client.get(
                reverse("admin:procurement_opportunity_delete", args=[self.opportunity.pk])
            ).status_code,
            403,
        )

    def test_approve_action_goes_through_the_service_and_records_history(self):
        self.client.post(
            reverse("admin:procurement_opportunity_changelist"),
            {"action": "approve_opportunities", "_selected_action": [self.opportunity.pk]},
        )
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.status, Status.OPEN)
        change = OpportunityChange.objects.get(opportunity=self.opportunity)
        self.assertEqual((change.action, change.user), ("approved", self.superuser))

    def test_an_action_that_does_not_apply_warns_instead_of_failing(self):
        response = self.client.post(
            reverse("admin:procurement_opportunity_changelist"),
            {"action": "close_opportunities", "_selected_action": [self.imported.pk]},
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        self.imported.refresh_from_db()
        self.assertEqual(self.imported.status, Status.OPEN)

    def test_a_saved_search_can_be_stopped_but_not_rewritten(self):
        response = self.client.get(
            reverse("admin:procurement_savedsearch_change", args=[self.search.pk])
        )
        self.assertContains(response, 'name="unsubscribed_at_0"')
        self.assertNotContains(response, 'name="email"')
