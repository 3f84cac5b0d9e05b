"""An opportunity's public page: what it shows, closed ones, and who sees unpublished ones."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import CpvCode
from tests.factories import (
    cluster_body_y,
    create_cluster_body_poster,
    create_cluster_body_y_poster,
    create_moderator,
    create_opportunity,
    get_council,
    get_region,
)


def detail_url(opportunity) -> str:
    return reverse("procurement:detail", args=[opportunity.public_id])


class DetailPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        CpvCode.objects.update_or_create(
            code="72212000",
            defaults={"description": "Programming services of application software"},
        )
        CpvCode.objects.update_or_create(
            code="72000000",
            defaults={
                "description": "IT services: consulting, software development, Internet and "
                "support"
            },
        )
        CpvCode.objects.filter(code="72999999").delete()
        cls.opportunity = create_opportunity(
            title="Case management system for housing",
            description="We need a system.\nIt must work offline.",
            buyer_name="Gateshead Council",
            councils=[get_council(gss_code="E08000037")],
            regions=[get_region(itl_code="TLC")],
            delivery_location="Civic Centre, Gateshead",
            cpv_codes=["72212000", "72999999"],
            value_min=Decimal("100000"),
            value_max=Decimal("250000.50"),
            contract_start=date(2027, 4, 1),
            contract_end=date(2029, 3, 31),
            sme_suitable=True,
            vcse_suitable=False,
            procedure="open",
            procedure_details="Open procedure under the Procurement Act 2023",
            notice_url="https://www.find-tender.service.gov.uk/Notice/000001-2026",
            documents=[
                {"id": "1", "title": "Specification", "url": "https://example.com/spec.pdf"},
                {"id": "2", "title": "Bad link", "url": "javascript:alert(1)"},
                "not a document",
            ],
            contact_name="Procurement team",
            contact_email="procurement@example.com",
            ocid="ocds-waymark-0001",
            lots=[
                {"title": "Software", "value": Decimal("200000"), "cpv_codes": ["72212000"]},
                {"title": "Training", "value": Decimal("0")},
            ],
        )

    def test_shows_the_summary_list(self):
        response = self.client.get(detail_url(self.opportunity))
        self.assertEqual(response.status_code, 200)
        for text in (
            "Case management system for housing",
            "Gateshead Council",
            "Public sector",
            "£100,000 to £250,000.50",
            "Closes in 20 days",
            "1 April 2027 to 31 March 2029",
            "North East, Gateshead",
            "Civic Centre, Gateshead",
            "72212000 Programming services of application software",
            "in IT services: consulting",
            "Open procedure under the Procurement Act 2023",
            "Tender",
            "Posted on Waymark by North East Tech Cluster",
            "ocds-waymark-0001",
            "Last changed",
            "It must work offline.",
            "procurement@example.com",
        ):
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertNotContains(response, "This opportunity is closed")

    def test_lots_with_their_values_and_codes(self):
        response = self.client.get(detail_url(self.opportunity))
        self.assertContains(response, "Lot 1: Software")
        self.assertContains(response, "£200,000")
        self.assertContains(response, "Lot 2: Training")
        self.assertContains(response, "Value not stated")
        self.assertNotContains(response, "£0<")

    def test_only_web_links_are_shown(self):
        response = self.client.get(detail_url(self.opportunity))
        self.assertContains(response, 'href="https://example.com/spec.pdf"')
        self.assertContains(response, "https://www.find-tender.service.gov.uk/Notice/000001-2026")
        self.assertNotContains(response, "javascript:")
        self.assertNotContains(response, "Bad link")

    def test_imported_opportunity_names_its_source(self):
        imported = create_opportunity(
            title="Imported one",
            source="imported",
            source_uri="https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
            release_id="ocds-b5fd17-1234-tender-1",
            value_max=None,
            notice_url="ftp://example.com/x",
        )
        response = self.client.get(detail_url(imported))
        self.assertContains(response, "Imported from https://www.contractsfinder.service.gov.uk")
        self.assertContains(response, "Release ocds-b5fd17-1234-tender-1")
        self.assertContains(response, "Value not stated")
        self.assertNotContains(response, "ftp://")

    def test_past_deadline_is_marked_closed_but_still_opens(self):
        passed = create_opportunity(title="Passed", deadline=timezone.now() - timedelta(days=1))
        response = self.client.get(detail_url(passed))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This opportunity is closed")
        self.assertContains(response, "The deadline for tenders was")

    def test_closed_awarded_and_cancelled_open_and_say_closed(self):
        for status, reason in (
            ("closed", "This opportunity is closed"),
            ("awarded", "The contract has been awarded."),
            ("cancelled", "The buyer cancelled this opportunity."),
        ):
            with self.subTest(status=status):
                opportunity = create_opportunity(title=f"An {status} one", status=status)
                response = self.client.get(detail_url(opportunity))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "This opportunity is closed")
                self.assertContains(response, reason)

    def test_unknown_id_is_404(self):
        response = self.client.get(reverse("procurement:detail", args=[uuid.uuid4()]))
        self.assertEqual(response.status_code, 404)


class UnpublishedOpportunityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.other_poster = create_cluster_body_y_poster()
        cls.moderator = create_moderator()
        cls.unpublished = [
            create_opportunity(title=f"A {status} one", status=status)
            for status in ("draft", "pending", "withdrawn")
        ]
        cls.others = create_opportunity(
            title="Y's draft", status="draft", publisher=cluster_body_y()
        )

    def test_public_gets_404(self):
        for opportunity in self.unpublished:
            with self.subTest(status=opportunity.status):
                self.assertEqual(self.client.get(detail_url(opportunity)).status_code, 404)

    def test_editor_of_another_organisation_gets_404(self):
        self.client.force_login(self.other_poster)
        for opportunity in self.unpublished:
            with self.subTest(status=opportunity.status):
                self.assertEqual(self.client.get(detail_url(opportunity)).status_code, 404)

    def test_own_editor_and_moderator_see_it_with_a_warning(self):
        for user in (self.poster, self.moderator):
            self.client.force_login(user)
            for opportunity in self.unpublished:
                with self.subTest(user=user.email, status=opportunity.status):
                    response = self.client.get(detail_url(opportunity))
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "The public cannot see this opportunity.")
        self.client.force_login(self.poster)
        self.assertEqual(self.client.get(detail_url(self.others)).status_code, 404)

    def test_editor_gets_an_edit_link_on_their_own(self):
        self.client.force_login(self.poster)
        response = self.client.get(detail_url(self.unpublished[0]))
        self.assertContains(
            response, reverse("procurement:opportunity-edit", args=[self.unpublished[0].public_id])
        )
        self.client.logout()
        public = create_opportunity(title="Open one")
        response = self.client.get(detail_url(public))
        self.assertNotContains(response, "Edit this opportunity")
