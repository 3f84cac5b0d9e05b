"""portal/lib/versioning.py and the change history of portal/lib/history.py, on both of
the models that use them."""

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from portal.catalogue.models import Offer, OfferChange, OfferStatus
from portal.lib.history import initial_history, record_change
from portal.lib.versioning import (
    StaleEditError,
    StatusError,
    StatusMove,
    assign,
    bump_version,
    change_status,
    check_known_fields,
)
from portal.procurement.models import Opportunity, OpportunityChange, Status
from tests.factories import (
    create_cluster_body_poster,
    create_council_a_curator,
    create_offer,
    create_opportunity,
    get_council,
    get_region,
)


class StaleEditErrorTests(TestCase):
    def test_one_message_naming_what_changed(self):
        for model, thing in ((Offer, "offer"), (Opportunity, "opportunity")):
            with self.subTest(model=model.__name__):
                self.assertEqual(
                    str(StaleEditError(model)),
                    f"Someone else changed this {thing} while you were editing it. Your "
                    "changes have not been saved. Reload the page to see their changes.",
                )


class BumpVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_offer()
        cls.opportunity = create_opportunity()

    def test_raises_the_version_and_the_change_time_of_each_model(self):
        for instance, stamp in ((self.offer, "updated"), (self.opportunity, "last_changed")):
            with self.subTest(model=type(instance).__name__):
                before = getattr(instance, stamp)
                bump_version(instance, 1)
                self.assertEqual(instance.version, 2)
                saved = type(instance).objects.get(pk=instance.pk)
                self.assertEqual(saved.version, 2)
                self.assertEqual(getattr(saved, stamp), getattr(instance, stamp))
                self.assertGreater(getattr(saved, stamp), before)

    def test_refuses_an_older_version_and_changes_nothing(self):
        for instance in (self.offer, self.opportunity):
            with self.subTest(model=type(instance).__name__):
                bump_version(instance, 1)
                stale = type(instance).objects.get(pk=instance.pk)
                stale.version = 1
                with self.assertRaises(StaleEditError):
                    bump_version(stale, 1)
                self.assertEqual(type(instance).objects.get(pk=instance.pk).version, 2)


class AssignTests(TestCase):
    def test_sets_and_records_only_what_differs(self):
        offer = create_offer(title="Old", summary="Same", councils=[get_council()])
        changes = assign(
            offer,
            {"title": "New", "summary": "Same", "councils": [get_council()], "sizes": ["micro"]},
        )
        self.assertEqual(offer.title, "New")
        self.assertEqual(changes.plain, ["title", "sizes"])
        self.assertEqual(changes.history, {"title": ["Old", "New"], "sizes": ["", "micro"]})
        self.assertEqual(changes.related, {})

    def test_many_to_many_values_are_compared_as_sets_and_kept_for_saving(self):
        opportunity = create_opportunity()
        changes = assign(opportunity, {"regions": [get_region()]})
        self.assertEqual(changes.history, {"regions": ["", str(get_region())]})
        self.assertEqual(changes.related, {"regions": [get_region()]})
        self.assertFalse(opportunity.regions.exists())

    def test_nothing_changed_is_false(self):
        offer = create_offer(title="Same")
        self.assertFalse(assign(offer, {"title": "Same"}))


class CheckKnownFieldsTests(TestCase):
    def test_refuses_a_field_outside_the_list(self):
        check_known_fields({"title": "x"}, ("title", "summary"))
        with self.assertRaisesMessage(ValueError, "status, version"):
            check_known_fields({"title": "x", "version": 3, "status": "x"}, ("title",))


class ChangeStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.poster = create_cluster_body_poster()

    def test_moves_bumps_and_records_on_either_model(self):
        cases = (
            (create_offer(), self.curator, OfferStatus.IN_REVIEW),
            (create_opportunity(status=Status.DRAFT), self.poster, Status.WITHDRAWN),
        )
        for instance, user, to in cases:
            with self.subTest(model=type(instance).__name__):
                move = StatusMove(to, "moved", lambda user, obj: True, "%(status)s")
                moved = change_status(instance, user=user, move=move)
                self.assertEqual((moved.status, moved.version), (to, 2))
                change = instance.changes.get()
                self.assertEqual((change.user, change.action), (user, "moved"))
                self.assertEqual(change.fields, {"status": ["draft", to]})

    def test_refusals_name_the_status_and_save_nothing(self):
        offer = create_offer(status=OfferStatus.PUBLISHED)
        move = StatusMove(OfferStatus.IN_REVIEW, "moved", lambda user, obj: True, "is %(status)s")
        with self.assertRaisesMessage(StatusError, "is published"):
            change_status(offer, user=self.curator, move=move)
        with self.assertRaises(StatusError):
            change_status(
                create_offer(), user=self.curator, move=move, applies=lambda offer: False
            )
        self.assertFalse(OfferChange.objects.exists())

    def test_the_moves_permission_rule_is_checked(self):
        move = StatusMove(OfferStatus.IN_REVIEW, "moved", lambda user, obj: False, "")
        with self.assertRaises(PermissionDenied):
            change_status(create_offer(), user=self.curator, move=move)

    def test_effects_are_set_and_recorded_with_the_status(self):
        offer = create_offer()
        move = StatusMove(OfferStatus.IN_REVIEW, "moved", lambda user, obj: True, "")
        moved = change_status(
            offer, user=self.curator, move=move, effects=lambda current: {"cost_note": "Now"}
        )
        moved.refresh_from_db()
        self.assertEqual(moved.cost_note, "Now")
        self.assertEqual(offer.changes.get().fields["cost_note"], ["", "Now"])


class RecordChangeTests(TestCase):
    def test_records_on_either_models_history(self):
        curator = create_council_a_curator()
        for instance, model in (
            (create_offer(), OfferChange),
            (create_opportunity(), OpportunityChange),
        ):
            with self.subTest(model=model.__name__):
                change = record_change(
                    subject=instance, user=curator, action="noted", fields={"title": ["a", "b"]}
                )
                self.assertIsInstance(change, model)
                self.assertEqual(list(instance.changes.all()), [change])
                self.assertIn(instance.title, str(change))

    def test_initial_history_skips_empty_values_and_joins_places(self):
        history = initial_history(
            Opportunity,
            {"title": "T", "description": "", "sme_suitable": False, "councils": [get_council()]},
        )
        self.assertEqual(
            history,
            {"title": ["", "T"], "sme_suitable": ["", "no"], "councils": ["", str(get_council())]},
        )
