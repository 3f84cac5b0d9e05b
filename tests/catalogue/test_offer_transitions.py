"""Offer.TRANSITIONS: where each status may go, and the edit page's buttons that follow it."""

from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.services import curation
from portal.lib.versioning import StatusError
from tests.factories import create_council_a_curator, create_council_a_manager, create_offer

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = (
    OfferStatus.DRAFT,
    OfferStatus.IN_REVIEW,
    OfferStatus.PUBLISHED,
    OfferStatus.ARCHIVED,
)
MOVES = {
    (DRAFT, IN_REVIEW),
    (DRAFT, PUBLISHED),
    (DRAFT, ARCHIVED),
    (IN_REVIEW, PUBLISHED),
    (IN_REVIEW, ARCHIVED),
    (PUBLISHED, ARCHIVED),
    (ARCHIVED, PUBLISHED),
}


@pytest.mark.parametrize("start", OfferStatus.values)
@pytest.mark.parametrize("end", OfferStatus.values)
def test_can_become_follows_the_map(start, end):
    assert Offer(status=start).can_become(end) is ((start, end) in MOVES)


def test_every_status_is_in_the_map_and_none_stays_put():
    assert set(Offer.TRANSITIONS) == set(OfferStatus.values)
    assert all(status not in targets for status, targets in Offer.TRANSITIONS.items())


@pytest.mark.parametrize(
    ("status", "submit", "publish", "archive"),
    [
        (DRAFT, True, True, True),
        (IN_REVIEW, False, True, True),
        (PUBLISHED, False, False, True),
        (ARCHIVED, False, True, False),
    ],
)
def test_the_buttons_flags_ask_can_become(status, submit, publish, archive):
    offer = Offer(status=status)
    assert (offer.can_be_submitted, offer.can_be_published, offer.can_be_archived) == (
        submit,
        publish,
        archive,
    )


class ServicesFollowTheMapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.manager = create_council_a_manager()

    def test_a_move_the_map_does_not_have_is_refused(self):
        offer = create_offer(status=ARCHIVED)
        without_republishing = {**Offer.TRANSITIONS, ARCHIVED: frozenset()}
        with (
            mock.patch.object(Offer, "TRANSITIONS", without_republishing),
            self.assertRaises(StatusError),
        ):
            curation.publish_offer(offer=offer, user=self.manager)
        offer.refresh_from_db()
        self.assertEqual((offer.status, offer.version), (ARCHIVED, 1))
        self.assertFalse(offer.changes.exists())

    def test_a_move_the_map_has_is_taken(self):
        offer = curation.publish_offer(offer=create_offer(status=ARCHIVED), user=self.manager)
        self.assertEqual((offer.status, offer.version), (PUBLISHED, 2))


class EditPageButtonsTests(TestCase):
    """The "What happens next" column shows the buttons the offer's status allows; the
    permission rules (can_publish) decide only who sees Publish."""

    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.manager = create_council_a_manager()
        cls.offers = {status: create_offer(status=status) for status in OfferStatus.values}

    def buttons(self, user, offer) -> set[str]:
        self.client.force_login(user)
        response = self.client.get(
            reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})
        )
        self.assertEqual(response.status_code, 200)
        return {
            name
            for name in ("submit", "publish", "archive")
            if reverse(f"catalogue:offer-{name}", kwargs={"public_id": offer.public_id})
            in response.content.decode()
        }

    def test_a_manager_sees_each_status_s_moves(self):
        expected = {
            DRAFT: {"submit", "publish", "archive"},
            IN_REVIEW: {"publish", "archive"},
            PUBLISHED: {"archive"},
            ARCHIVED: {"publish"},
        }
        for status, buttons in expected.items():
            with self.subTest(status=status):
                self.assertEqual(self.buttons(self.manager, self.offers[status]), buttons)

    def test_a_curator_never_sees_publish(self):
        expected = {
            DRAFT: {"submit", "archive"},
            IN_REVIEW: {"archive"},
            PUBLISHED: {"archive"},
            ARCHIVED: set(),
        }
        for status, buttons in expected.items():
            with self.subTest(status=status):
                self.assertEqual(self.buttons(self.curator, self.offers[status]), buttons)

    def test_the_buttons_follow_the_map_not_a_copy_of_it(self):
        published_stays = {**Offer.TRANSITIONS, PUBLISHED: frozenset()}
        draft_goes_nowhere = {**Offer.TRANSITIONS, DRAFT: frozenset()}
        with mock.patch.object(Offer, "TRANSITIONS", published_stays):
            self.assertEqual(self.buttons(self.manager, self.offers[PUBLISHED]), set())
        with mock.patch.object(Offer, "TRANSITIONS", draft_goes_nowhere):
            self.assertEqual(self.buttons(self.manager, self.offers[DRAFT]), set())
