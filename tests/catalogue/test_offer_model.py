"""What an offer knows about itself: which are visible, open, out of date or closed on
a day, and its public address."""

from datetime import date, timedelta

from django.test import SimpleTestCase, TestCase

from portal.catalogue.models import Offer
from tests.factories import create_offer

TODAY = date(2026, 6, 15)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


class OfferQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        published = {"status": "published"}
        create_offer(title="No dates", **published)
        create_offer(title="Closes today", closes=TODAY, **published)
        create_offer(title="Closed yesterday", closes=YESTERDAY, **published)
        create_offer(title="Opens tomorrow", opens=TOMORROW, **published)
        create_offer(title="Always open, closed", always_open=True, closes=YESTERDAY, **published)
        create_offer(title="Draft", status="draft")
        create_offer(title="Review due yesterday", review_due=YESTERDAY, **published)
        create_offer(title="Review due today", review_due=TODAY, **published)

    def test_visible_is_published_and_not_closed(self):
        self.assertEqual(
            titles(Offer.objects.visible(TODAY)),
            {
                "No dates",
                "Closes today",
                "Opens tomorrow",
                "Review due yesterday",
                "Review due today",
            },
        )

    def test_visible_depends_on_the_day(self):
        self.assertIn("Closed yesterday", titles(Offer.objects.visible(YESTERDAY)))
        self.assertNotIn("Closes today", titles(Offer.objects.visible(TOMORROW)))

    def test_open_on_takes_applications_that_day(self):
        found = titles(Offer.objects.published().open_on(TODAY))
        self.assertIn("No dates", found)
        self.assertIn("Closes today", found)
        self.assertIn("Always open, closed", found)
        self.assertNotIn("Closed yesterday", found)
        self.assertNotIn("Opens tomorrow", found)
        self.assertIn("Opens tomorrow", titles(Offer.objects.open_on(TOMORROW)))

    def test_with_out_of_date_marks_those_overdue_for_review(self):
        out_of_date = dict(
            Offer.objects.filter(title__startswith="Review due")
            .with_out_of_date(TODAY)
            .values_list("title", "out_of_date")
        )
        self.assertEqual(out_of_date, {"Review due yesterday": True, "Review due today": False})


class OfferMethodTests(SimpleTestCase):
    def test_is_closed_on_a_day_after_it_closes(self):
        offer = Offer(closes=TODAY)
        self.assertFalse(offer.is_closed_on(TODAY))
        self.assertTrue(offer.is_closed_on(TOMORROW))
        self.assertFalse(Offer(closes=None).is_closed_on(TOMORROW))

    def test_absolute_url_is_its_public_page(self):
        self.assertEqual(Offer(slug="cyber-grant").get_absolute_url(), "/support/cyber-grant/")
