from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from portal.catalogue.models import REVIEW_INTERVAL, Offer, OfferStatus
from portal.catalogue.services import curation
from portal.lib.versioning import StaleEditError, StatusError
from tests.factories import (
    COUNCIL_B_GSS_CODE,
    council_a,
    council_b,
    create_council_a_curator,
    create_council_a_manager,
    create_moderator,
    create_offer,
    get_council,
    get_region,
)


def new_offer_fields(**overrides):
    return {
        "title": "Digital Boost",
        "summary": "Free advice on going digital.",
        "provider_name": "Growth Hub",
        "kind": "advice_and_mentoring",
        "application_url": "https://example.com/boost",
        "sizes": ["micro", "small"],
        "councils": list(council_a().councils.all()),
        **overrides,
    }


class CreateOfferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def test_creates_a_draft_with_a_unique_slug_and_a_history_row(self):
        first = curation.create_offer(
            curator=council_a(), user=self.curator, fields=new_offer_fields()
        )
        second = curation.create_offer(
            curator=council_a(), user=self.curator, fields=new_offer_fields()
        )

        self.assertEqual(first.status, OfferStatus.DRAFT)
        self.assertEqual((first.slug, second.slug), ("digital-boost", "digital-boost-2"))
        self.assertEqual(first.sizes, ["micro", "small"])
        change = first.changes.get()
        self.assertEqual((change.action, change.user), ("created", self.curator))
        self.assertEqual(change.fields["councils"], ["", "Gateshead"])

    def test_refuses_a_council_the_organisation_does_not_cover(self):
        fields = new_offer_fields(councils=[get_council(gss_code=COUNCIL_B_GSS_CODE)])
        with self.assertRaises(ValidationError) as raised:
            curation.create_offer(curator=council_a(), user=self.curator, fields=fields)
        self.assertIn("councils", raised.exception.message_dict)
        self.assertFalse(Offer.objects.exists())

    def test_refuses_an_offer_with_no_place(self):
        with self.assertRaises(ValidationError):
            curation.create_offer(
                curator=council_a(), user=self.curator, fields=new_offer_fields(councils=[])
            )
        self.assertFalse(Offer.objects.exists())

    def test_refuses_uk_wide_from_a_council_curator(self):
        with self.assertRaises(ValidationError):
            curation.create_offer(
                curator=council_a(), user=self.curator, fields=new_offer_fields(uk_wide=True)
            )

    def test_moderator_may_list_an_offer_uk_wide(self):
        offer = curation.create_offer(
            curator=council_a(),
            user=create_moderator(),
            fields=new_offer_fields(uk_wide=True, councils=[]),
        )
        self.assertTrue(offer.uk_wide)

    def test_refuses_to_create_for_another_organisation(self):
        with self.assertRaises(PermissionDenied):
            curation.create_offer(
                curator=council_b(), user=self.curator, fields=new_offer_fields(councils=[])
            )

    def test_refuses_fields_curators_do_not_set(self):
        with self.assertRaises(ValueError):
            curation.create_offer(
                curator=council_a(),
                user=self.curator,
                fields=new_offer_fields(status=OfferStatus.PUBLISHED),
            )


class UpdateOfferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.offer = create_offer(title="Old title", funding_max=Decimal("1000"))

    def test_saves_changes_raises_the_version_and_records_old_and_new(self):
        offer = curation.update_offer(
            offer=self.offer,
            changes={"title": "New title", "funding_max": Decimal("2000"), "sizes": ["micro"]},
            user=self.curator,
            expected_version=1,
        )

        offer.refresh_from_db()
        self.assertEqual((offer.title, offer.version), ("New title", 2))
        change = offer.changes.get()
        self.assertEqual(change.action, "updated")
        self.assertEqual(
            change.fields,
            {
                "title": ["Old title", "New title"],
                "funding_max": ["1000", "2000"],
                "sizes": ["", "micro"],
            },
        )

    def test_stale_version_is_refused_and_nothing_is_saved(self):
        curation.update_offer(
            offer=self.offer, changes={"title": "First tab"}, user=self.curator, expected_version=1
        )
        with self.assertRaises(StaleEditError) as raised:
            curation.update_offer(
                offer=self.offer,
                changes={"title": "Second tab"},
                user=self.curator,
                expected_version=1,
            )

        self.assertIn("Someone else changed this offer", str(raised.exception))
        self.offer.refresh_from_db()
        self.assertEqual((self.offer.title, self.offer.version), ("First tab", 2))
        self.assertEqual(self.offer.changes.count(), 1)

    def test_saving_without_changes_records_nothing(self):
        offer = curation.update_offer(
            offer=self.offer, changes={"title": "Old title"}, user=self.curator, expected_version=1
        )
        self.assertEqual(offer.version, 1)
        self.assertFalse(offer.changes.exists())

    def test_refuses_moving_the_offer_to_another_council(self):
        with self.assertRaises(ValidationError):
            curation.update_offer(
                offer=self.offer,
                changes={"councils": [get_council(gss_code=COUNCIL_B_GSS_CODE)]},
                user=self.curator,
                expected_version=1,
            )
        self.assertEqual(list(self.offer.councils.all()), list(council_a().councils.all()))

    def test_places_a_moderator_set_survive_a_curators_edit(self):
        self.offer.regions.set([get_region(itl_code="TLC")])
        curation.update_offer(
            offer=self.offer,
            changes={"title": "Kept", "regions": [get_region(itl_code="TLC")]},
            user=self.curator,
            expected_version=1,
        )
        self.assertEqual(list(self.offer.regions.all()), [get_region(itl_code="TLC")])

    def test_council_b_curator_cannot_update(self):
        from tests.factories import create_council_b_curator

        with self.assertRaises(PermissionDenied):
            curation.update_offer(
                offer=self.offer,
                changes={"title": "x"},
                user=create_council_b_curator(),
                expected_version=1,
            )


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.manager = create_council_a_manager()
        today = timezone.localdate()
        cls.offer = create_offer(
            last_reviewed=today - timedelta(days=400), review_due=today - timedelta(days=10)
        )

    def test_submit_publish_archive_each_record_a_change(self):
        curation.submit_offer_for_review(offer=self.offer, user=self.curator)
        curation.publish_offer(offer=self.offer, user=self.manager)
        curation.archive_offer(offer=self.offer, user=self.curator)

        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.ARCHIVED)
        self.assertEqual(self.offer.version, 4)
        self.assertEqual(
            list(self.offer.changes.order_by("at", "id").values_list("action", flat=True)),
            ["submitted", "published", "archived"],
        )

    def test_publishing_counts_as_a_review(self):
        offer = curation.publish_offer(offer=self.offer, user=self.manager)
        today = timezone.localdate()
        self.assertEqual((offer.last_reviewed, offer.review_due), (today, today + REVIEW_INTERVAL))
        self.assertIsNotNone(offer.published)

    def test_editor_cannot_publish(self):
        with self.assertRaises(PermissionDenied):
            curation.publish_offer(offer=self.offer, user=self.curator)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.DRAFT)

    def test_only_a_draft_can_be_submitted(self):
        curation.submit_offer_for_review(offer=self.offer, user=self.curator)
        with self.assertRaises(StatusError):
            curation.submit_offer_for_review(offer=self.offer, user=self.curator)

    def test_mark_reviewed_pushes_the_review_six_months_on(self):
        offer = curation.mark_reviewed(offer=self.offer, user=self.curator)
        today = timezone.localdate()
        self.assertEqual(offer.review_due, today + REVIEW_INTERVAL)
        self.assertEqual(offer.changes.get().action, "reviewed")

    def test_a_status_change_makes_an_open_edit_stale(self):
        curation.submit_offer_for_review(offer=self.offer, user=self.curator)
        with self.assertRaises(StaleEditError):
            curation.update_offer(
                offer=self.offer, changes={"title": "x"}, user=self.curator, expected_version=1
            )


class OfferQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        published = OfferStatus.PUBLISHED
        cls.due = create_offer(status=published, review_due=today + timedelta(days=20))
        cls.later = create_offer(status=published, review_due=today + timedelta(days=90))
        cls.overdue = create_offer(status=published, review_due=today - timedelta(days=1))
        cls.closing = create_offer(status=published, closes=today + timedelta(days=5))
        cls.closed = create_offer(status=published, closes=today - timedelta(days=1))
        cls.draft_overdue = create_offer(review_due=today - timedelta(days=1))

    def test_due_for_review_within_30_days(self):
        self.assertEqual(list(Offer.objects.due_for_review()), [self.due])

    def test_overdue_counts_published_offers_only(self):
        self.assertEqual(list(Offer.objects.overdue()), [self.overdue])

    def test_closing_soon_leaves_out_closed_offers(self):
        self.assertEqual(list(Offer.objects.closing_soon()), [self.closing])
