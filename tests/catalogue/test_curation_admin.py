from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import OfferStatus
from tests.factories import create_offer, create_user


class OfferAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = create_user(is_superuser=True, is_staff=True)
        cls.offer = create_offer(title="Admin listed offer", status=OfferStatus.IN_REVIEW)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_offer_list_and_page_open(self):
        response = self.client.get(reverse("admin:catalogue_offer_changelist"))
        self.assertContains(response, "Admin listed offer")
        response = self.client.get(reverse("admin:catalogue_offer_change", args=[self.offer.pk]))
        self.assertEqual(response.status_code, 200)

    def test_publish_action_goes_through_the_service_and_records_history(self):
        self.client.post(
            reverse("admin:catalogue_offer_changelist"),
            {"action": "publish_offers", "_selected_action": [self.offer.pk]},
        )
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.PUBLISHED)
        self.assertEqual(self.offer.changes.get().user, self.superuser)

    def test_admin_cannot_add_or_delete_offers(self):
        self.assertEqual(self.client.get(reverse("admin:catalogue_offer_add")).status_code, 403)
        self.assertEqual(
            self.client.get(
                reverse("admin:catalogue_offer_delete", args=[self.offer.pk])
            ).status_code,
            403,
        )
