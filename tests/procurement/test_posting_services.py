"""Posting services: every transition, the rules they check again, optimistic locking
and the change history."""

from datetime import date, timedelta
from decimal import Decimal

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from portal.lib.versioning import StaleEditError, StatusError
from portal.procurement.models import Lot, Opportunity, OpportunityChange, Status
from portal.procurement.services import posting
from tests.factories import (
    cluster_body,
    cluster_body_y,
    create_cluster_body_poster,
    create_cluster_body_y_poster,
    create_moderator,
    create_new_buyer_poster,
    create_opportunity,
    get_council,
    get_region,
    new_buyer,
)


def opportunity_data(**overrides):
    data = {
        "title": "Website redesign for the tech cluster",
        "description": "A new accessible website.",
        "main_category": "services",
        "cpv_codes": ["72000000", "72413000"],
        "value_max": Decimal("45000"),
        "deadline": timezone.now() + timedelta(days=14),
        "uk_wide": False,
        "regions": [],
        "councils": [get_council()],
        "sme_suitable": True,
    }
    return data | overrides


@override_settings(OCDS_OCID_PREFIX="ocds-test1")
class CreateOpportunityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def test_creates_a_draft_posted_and_bought_by_the_organisation(self):
        opportunity = posting.create_opportunity(
            organisation=cluster_body(), user=self.poster, fields=opportunity_data()
        )

        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.DRAFT)
        self.assertEqual(opportunity.publisher, cluster_body())
        self.assertEqual(opportunity.buyer, cluster_body())
        self.assertEqual(opportunity.buyer_name, cluster_body().name)
        self.assertEqual(opportunity.ocid, f"ocds-test1-{opportunity.public_id}")
        self.assertEqual(opportunity.cpv_codes, ["72000000", "72413000"])
        self.assertEqual(list(opportunity.councils.all()), [get_council()])
        self.assertIsNone(opportunity.published_at)
        change = opportunity.changes.get()
        self.assertEqual((change.action, change.user), ("created", self.poster))
        self.assertEqual(change.fields["title"], ["", "Website redesign for the tech cluster"])

    def test_a_value_of_zero_is_not_stated(self):
        opportunity = posting.create_opportunity(
            organisation=cluster_body(),
            user=self.poster,
            fields=opportunity_data(value_min=Decimal("0"), value_max=0),
        )
        opportunity.refresh_from_db()
        self.assertIsNone(opportunity.value_min)
        self.assertIsNone(opportunity.value_max)

    def test_another_buyer_name_is_kept(self):
        opportunity = posting.create_opportunity(
            organisation=cluster_body(),
            user=self.poster,
            fields=opportunity_data(buyer_name="Gateshead College"),
        )
        self.assertEqual(opportunity.buyer_name, "Gateshead College")

    def test_lots_are_created(self):
        lots = [
            {
                "lot_id": "1",
                "title": "Design",
                "value": Decimal("20000"),
                "cpv_codes": ["79822500"],
            },
            {"lot_id": "2", "title": "Build", "value": None, "cpv_codes": []},
        ]
        opportunity = posting.create_opportunity(
            organisation=cluster_body(), user=self.poster, fields=opportunity_data(lots=lots)
        )
        self.assertEqual(
            list(opportunity.lots.values_list("lot_id", "title", "value", "cpv_codes")),
            [("1", "Design", Decimal("20000.00"), ["79822500"]), ("2", "Build", None, [])],
        )

    def test_refused_for_an_organisation_the_user_does_not_post_for(self):
        with self.assertRaises(PermissionDenied):
            posting.create_opportunity(
                organisation=cluster_body_y(), user=self.poster, fields=opportunity_data()
            )
        self.assertFalse(Opportunity.objects.exists())

    def test_fields_outside_the_posting_form_are_refused(self):
        for field in ("publisher", "status", "ocid", "version"):
            with self.subTest(field=field), self.assertRaises(ValueError):
                posting.create_opportunity(
                    organisation=cluster_body(),
                    user=self.poster,
                    fields=opportunity_data(**{field: "x"}),
                )
        self.assertFalse(Opportunity.objects.exists())

    def test_lowest_value_above_the_value_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            posting.create_opportunity(
                organisation=cluster_body(),
                user=self.poster,
                fields=opportunity_data(value_min=Decimal("9"), value_max=Decimal("5")),
            )
        self.assertIn("value_max", caught.exception.message_dict)
        self.assertFalse(Opportunity.objects.exists())

    def test_a_bad_lot_saves_nothing(self):
        lots = [{"lot_id": "1", "title": "A"}, {"lot_id": "1", "title": "B"}]
        with self.assertRaises(ValidationError):
            posting.create_opportunity(
                organisation=cluster_body(), user=self.poster, fields=opportunity_data(lots=lots)
            )
        self.assertFalse(Opportunity.objects.exists())
        self.assertFalse(Lot.objects.exists())


class UpdateOpportunityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def setUp(self):
        self.opportunity = posting.create_opportunity(
            organisation=cluster_body(), user=self.poster, fields=opportunity_data()
        )

    def test_saves_the_changes_raises_the_version_and_records_them(self):
        saved = posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={"title": "Website rebuild", "councils": [get_council(gss_code="E08000021")]},
            expected_version=1,
        )
        saved.refresh_from_db()
        self.assertEqual(saved.title, "Website rebuild")
        self.assertEqual(saved.version, 2)
        self.assertEqual(list(saved.councils.all()), [get_council(gss_code="E08000021")])
        change = saved.changes.filter(action="updated").get()
        self.assertEqual(change.user, self.poster)
        self.assertEqual(
            change.fields,
            {
                "title": ["Website redesign for the tech cluster", "Website rebuild"],
                "councils": ["Gateshead", "Newcastle upon Tyne"],
            },
        )

    def test_a_stale_version_is_refused_and_nothing_is_saved(self):
        posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={"title": "First"},
            expected_version=1,
        )

        with self.assertRaises(StaleEditError) as caught:
            posting.update_opportunity(
                opportunity=self.opportunity,
                user=self.poster,
                changes={"title": "Second", "regions": [get_region()], "lots": [{"lot_id": "1"}]},
                expected_version=1,
            )

        self.assertIn("Someone else changed this opportunity", str(caught.exception))
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.title, "First")
        self.assertEqual(self.opportunity.version, 2)
        self.assertFalse(self.opportunity.regions.exists())
        self.assertFalse(self.opportunity.lots.exists())
        self.assertEqual(self.opportunity.changes.filter(action="updated").count(), 1)

    def test_nothing_changed_records_nothing(self):
        posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={"title": self.opportunity.title},
            expected_version=1,
        )
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.version, 1)
        self.assertEqual(self.opportunity.changes.count(), 1)

    def test_lots_are_replaced(self):
        posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={
                "lots": [{"lot_id": "A", "title": "Alpha"}, {"lot_id": "B", "title": "Beta"}]
            },
            expected_version=1,
        )
        posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={"lots": [{"lot_id": "B", "title": "Beta"}]},
            expected_version=2,
        )
        self.assertEqual(list(self.opportunity.lots.values_list("lot_id", flat=True)), ["B"])
        self.assertEqual(
            self.opportunity.changes.filter(action="updated").first().fields["lots"],
            ["A Alpha; B Beta", "B Beta"],
        )

    def test_another_organisations_poster_is_refused(self):
        with self.assertRaises(PermissionDenied):
            posting.update_opportunity(
                opportunity=self.opportunity,
                user=create_cluster_body_y_poster(),
                changes={"title": "Mine"},
                expected_version=1,
            )
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.title, "Website redesign for the tech cluster")

    def test_the_posting_organisation_cannot_be_changed(self):
        with self.assertRaises(ValueError):
            posting.update_opportunity(
                opportunity=self.opportunity,
                user=self.poster,
                changes={"publisher": cluster_body_y()},
                expected_version=1,
            )

    def test_a_withdrawn_opportunity_cannot_be_changed(self):
        posting.withdraw_opportunity(opportunity=self.opportunity, user=self.poster)
        with self.assertRaises(posting.PostingError):
            posting.update_opportunity(
                opportunity=self.opportunity,
                user=self.poster,
                changes={"title": "X"},
                expected_version=2,
            )

    def test_an_open_opportunitys_deadline_cannot_move_into_the_past(self):
        published = posting.publish_opportunity(opportunity=self.opportunity, user=self.poster)
        with self.assertRaises(ValidationError) as caught:
            posting.update_opportunity(
                opportunity=published,
                user=self.poster,
                changes={"deadline": timezone.now() - timedelta(hours=1)},
                expected_version=published.version,
            )
        self.assertIn("deadline", caught.exception.message_dict)

    def test_contract_end_before_start_is_refused(self):
        with self.assertRaises(ValidationError):
            posting.update_opportunity(
                opportunity=self.opportunity,
                user=self.poster,
                changes={"contract_start": date(2027, 5, 1), "contract_end": date(2027, 4, 1)},
                expected_version=1,
            )


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.new_buyer_poster = create_new_buyer_poster()
        cls.moderator = create_moderator()

    def draft(self, *, organisation=None, user=None, **overrides):
        return posting.create_opportunity(
            organisation=organisation or cluster_body(),
            user=user or self.poster,
            fields=opportunity_data(**overrides),
        )

    def test_publishing_a_verified_organisations_draft_opens_it(self):
        before = timezone.now()
        opportunity = posting.publish_opportunity(opportunity=self.draft(), user=self.poster)
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.OPEN)
        self.assertGreaterEqual(opportunity.published_at, before)
        self.assertEqual(opportunity.tender_start, opportunity.published_at)
        self.assertEqual(opportunity.version, 2)
        self.assertEqual(opportunity.changes.first().action, "published")
        self.assertEqual(mail.outbox, [])

    def test_a_deadline_in_the_past_is_refused_with_a_clear_message(self):
        opportunity = self.draft()
        Opportunity.objects.filter(pk=opportunity.pk).update(
            deadline=timezone.now() - timedelta(minutes=1)
        )
        with self.assertRaises(posting.PostingError) as caught:
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)
        self.assertIn("deadline for tenders must be in the future", str(caught.exception))
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.DRAFT)
        self.assertEqual(opportunity.version, 1)

    def test_no_deadline_is_refused(self):
        opportunity = self.draft(deadline=None)
        with self.assertRaises(posting.PostingError) as caught:
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)
        self.assertIn("Enter the deadline", str(caught.exception))

    def test_an_unverified_organisations_posting_waits_and_moderators_are_emailed(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        with self.captureOnCommitCallbacks(execute=True):
            opportunity = posting.publish_opportunity(
                opportunity=opportunity, user=self.new_buyer_poster
            )
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.PENDING)
        self.assertIsNone(opportunity.published_at)
        self.assertEqual([message.to for message in mail.outbox], [[self.moderator.email]])
        message = mail.outbox[0]
        self.assertIn("Hexham Community Trust", message.subject)
        self.assertIn("/post/moderation/", message.body)
        self.assertEqual(message.alternatives[0][1], "text/html")

    def test_a_moderator_approves_and_the_organisation_stays_unverified(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        posting.publish_opportunity(opportunity=opportunity, user=self.new_buyer_poster)

        approved = posting.approve_opportunity(opportunity=opportunity, user=self.moderator)

        approved.refresh_from_db()
        self.assertEqual(approved.status, Status.OPEN)
        self.assertIsNotNone(approved.published_at)
        self.assertEqual(approved.changes.first().action, "approved")
        self.assertEqual(approved.changes.first().user, self.moderator)
        new_buyer().refresh_from_db()
        self.assertFalse(new_buyer().verified)
        # The next posting waits too.
        second = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        self.assertEqual(
            posting.publish_opportunity(opportunity=second, user=self.new_buyer_poster).status,
            Status.PENDING,
        )

    def test_the_poster_is_emailed_when_a_moderator_approves(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        posting.publish_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        with self.captureOnCommitCallbacks(execute=True):
            posting.approve_opportunity(opportunity=opportunity, user=self.moderator)
        self.assertEqual([message.to for message in mail.outbox], [["buyer@example.com"]])
        self.assertIn("is published", mail.outbox[0].subject)
        self.assertIn(f"/contracts/{opportunity.public_id}/", mail.outbox[0].body)

    def test_a_moderator_publishing_an_unverified_organisations_draft_opens_it(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        self.assertEqual(
            posting.publish_opportunity(opportunity=opportunity, user=self.moderator).status,
            Status.OPEN,
        )

    def test_a_poster_cannot_approve(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        posting.publish_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        with self.assertRaises(PermissionDenied):
            posting.approve_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.PENDING)

    def test_approving_after_the_deadline_passed_is_refused(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        posting.publish_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            deadline=timezone.now() - timedelta(hours=1)
        )
        with self.assertRaises(posting.PostingError) as caught:
            posting.approve_opportunity(opportunity=opportunity, user=self.moderator)
        self.assertIn("has passed", str(caught.exception))

    def test_only_pending_postings_are_approved(self):
        with self.assertRaises(StatusError):
            posting.approve_opportunity(opportunity=self.draft(), user=self.moderator)

    def test_close_an_open_opportunity(self):
        opportunity = posting.publish_opportunity(opportunity=self.draft(), user=self.poster)
        closed = posting.close_opportunity(opportunity=opportunity, user=self.poster)
        closed.refresh_from_db()
        self.assertEqual(closed.status, Status.CLOSED)
        self.assertEqual(closed.changes.first().fields, {"status": ["open", "closed"]})

    def test_a_draft_cannot_be_closed(self):
        with self.assertRaises(StatusError) as caught:
            posting.close_opportunity(opportunity=self.draft(), user=self.poster)
        self.assertIn("draft", str(caught.exception))

    def test_withdraw_from_draft_pending_and_open(self):
        draft = self.draft()
        pending = posting.publish_opportunity(
            opportunity=self.draft(organisation=new_buyer(), user=self.new_buyer_poster),
            user=self.new_buyer_poster,
        )
        opened = posting.publish_opportunity(opportunity=self.draft(), user=self.poster)
        for opportunity, user in (
            (draft, self.poster),
            (pending, self.new_buyer_poster),
            (opened, self.poster),
        ):
            with self.subTest(status=opportunity.status):
                withdrawn = posting.withdraw_opportunity(opportunity=opportunity, user=user)
                self.assertEqual(withdrawn.status, Status.WITHDRAWN)

    def test_closed_and_withdrawn_cannot_be_withdrawn_or_published(self):
        opportunity = posting.publish_opportunity(opportunity=self.draft(), user=self.poster)
        posting.close_opportunity(opportunity=opportunity, user=self.poster)
        with self.assertRaises(StatusError):
            posting.withdraw_opportunity(opportunity=opportunity, user=self.poster)
        with self.assertRaises(StatusError):
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)

    def test_another_organisations_poster_can_do_nothing(self):
        other = create_cluster_body_y_poster()
        opportunity = self.draft()
        for service in (
            posting.publish_opportunity,
            posting.close_opportunity,
            posting.withdraw_opportunity,
            posting.approve_opportunity,
        ):
            with self.subTest(service=service.__name__), self.assertRaises(PermissionDenied):
                service(opportunity=opportunity, user=other)
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.DRAFT)

    def test_imported_opportunities_are_not_changed_by_posting(self):
        imported = create_opportunity(publisher=None, source="imported")
        with self.assertRaises(PermissionDenied):
            posting.close_opportunity(opportunity=imported, user=self.moderator)

    def test_every_transition_is_recorded_with_its_user(self):
        opportunity = self.draft(organisation=new_buyer(), user=self.new_buyer_poster)
        posting.publish_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        posting.approve_opportunity(opportunity=opportunity, user=self.moderator)
        posting.close_opportunity(opportunity=opportunity, user=self.new_buyer_poster)
        self.assertEqual(
            list(
                OpportunityChange.objects.filter(opportunity=opportunity)
                .order_by("id")
                .values_list("action", "user__email")
            ),
            [
                ("created", "buyer@example.com"),
                ("submitted", "buyer@example.com"),
                ("approved", "moderator@example.com"),
                ("closed", "buyer@example.com"),
            ],
        )
