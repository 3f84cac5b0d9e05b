"""HEAD records nothing: a link checker's or a preview's HEAD of an offer's outbound
link or of an opportunity's page counts no referral and no view; a GET does. (The
permission matrix checks this for every URL; this stays in every run.)"""

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import Referral
from portal.dashboards.models import OpportunityViews
from tests.factories import create_offer, create_opportunity


class HeadRecordsNothingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_offer(status="published", uk_wide=True)
        cls.opportunity = create_opportunity()

    def test_head_of_an_offers_outbound_link_records_no_referral(self):
        url = reverse("catalogue:offer-go", args=[self.offer.slug])
        self.assertEqual(self.client.head(url).status_code, 302)
        self.assertFalse(Referral.objects.exists())
        self.assertEqual(self.client.get(url).status_code, 302)
        self.assertEqual(Referral.objects.count(), 1)

    def test_head_of_an_opportunity_counts_no_view(self):
        url = reverse("procurement:detail", args=[self.opportunity.public_id])
        self.assertEqual(self.client.head(url).status_code, 200)
        self.assertFalse(OpportunityViews.objects.exists())
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertTrue(OpportunityViews.objects.exists())
