"""The public offer page: summary, warnings, "Is this for me?", 404s."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.catalogue.models import OfferStatus
from tests.catalogue.search_data import create_listed_offer
from tests.factories import get_council


class OfferPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gateshead = get_council(gss_code="E08000037")
        cls.offer = create_listed_offer(
            title="Gateshead digital grant",
            kind="grant",
            sizes=["micro"],
            stages=["established", "scaling"],
            councils=[cls.gateshead],
            cost="free",
            funding_min=1000,
            funding_max=5000,
            closes=timezone.localdate() + timedelta(days=20),
        )

    def get(self, offer=None, **params):
        return self.client.get(
            reverse("catalogue:offer", args=[(offer or self.offer).slug]), params
        )

    def test_shows_the_summary_list(self):
        response = self.get()

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h1 class="govuk-heading-l">Gateshead digital grant</h1>')
        self.assertContains(response, "govuk-summary-list")
        self.assertContains(response, "Micro (0 to 9 staff)")
        self.assertContains(response, "Gateshead")
        self.assertContains(response, "£1,000 to £5,000")
        self.assertContains(response, "Closes ")
        self.assertNotContains(response, "This information may be out of date")
        go = reverse("catalogue:offer-go", args=[self.offer.slug])
        self.assertContains(response, f'href="{go}?from=%2Fsupport%2F{self.offer.slug}%2F"')

    def test_overdue_offer_warns(self):
        offer = create_listed_offer(review_due=timezone.localdate() - timedelta(days=1))

        self.assertContains(self.get(offer), "This information may be out of date")

    def test_is_this_for_me_yes(self):
        response = self.get(council="E08000037", size="micro", stage="established")

        self.assertContains(response, "Yes: open to micro businesses in Gateshead")
        self.assertContains(response, "Open to established businesses")

    def test_is_this_for_me_no(self):
        response = self.get(council="E08000037", size="micro", stage="start_up")

        self.assertContains(response, "No: only for established or scaling businesses")

    def test_without_a_profile_asks_for_one(self):
        response = self.get()

        self.assertNotContains(response, "Yes:")
        self.assertContains(response, "Tell us about your business to check")

    def test_bad_profile_values_are_ignored(self):
        response = self.get(council="nowhere", size="giant", sector="ZZ")

        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["verdict"])

    def test_unpublished_offers_are_not_found(self):
        for status in (OfferStatus.DRAFT, OfferStatus.IN_REVIEW, OfferStatus.ARCHIVED):
            with self.subTest(status=status):
                offer = create_listed_offer(status=status)
                self.assertEqual(self.get(offer).status_code, 404)
        self.assertEqual(self.client.get("/support/no-such-offer/").status_code, 404)

    def test_closed_offer_says_so(self):
        offer = create_listed_offer(closes=timezone.localdate() - timedelta(days=3))

        self.assertContains(self.get(offer), "This support closed on")


class OfferFundingTests(TestCase):
    """The funding an offer gives, written as contract values are (portal/lib/money.py)."""

    def test_each_kind_of_range_reads_as_money(self):
        cases = [
            ({"funding_min": 1000, "funding_max": 5000}, "£1,000 to £5,000"),
            ({"funding_max": 5000}, "Up to £5,000"),
            ({"funding_min": 1000}, "From £1,000"),
            (
                {"funding_min": 1000, "funding_max": 5000, "currency": "EUR"},
                "EUR 1,000 to EUR 5,000",
            ),
        ]
        for fields, shown in cases:
            with self.subTest(shown=shown):
                offer = create_listed_offer(kind="grant", **fields)
                response = self.client.get(reverse("catalogue:offer", args=[offer.slug]))
                self.assertContains(response, f"<br>{shown}")

    def test_no_amounts_show_no_range(self):
        offer = create_listed_offer(kind="grant")
        response = self.client.get(reverse("catalogue:offer", args=[offer.slug]))
        self.assertEqual(offer.funding_text, "")
        self.assertNotContains(response, "Up to")
