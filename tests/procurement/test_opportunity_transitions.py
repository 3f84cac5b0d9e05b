"""Opportunity.TRANSITIONS: where each status may go, the actions built on it, and the
edit page's buttons that follow it."""

from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse

from portal.lib.versioning import StatusError
from portal.procurement.models import Opportunity, Status
from portal.procurement.services import posting
from tests.factories import (
    create_cluster_body_poster,
    create_moderator,
    create_opportunity,
    new_buyer,
)

MOVES = {
    (Status.DRAFT, Status.PENDING),
    (Status.DRAFT, Status.OPEN),
    (Status.DRAFT, Status.WITHDRAWN),
    (Status.PENDING, Status.OPEN),
    (Status.PENDING, Status.WITHDRAWN),
    (Status.OPEN, Status.CLOSED),
    (Status.OPEN, Status.WITHDRAWN),
}


@pytest.mark.parametrize("start", Status.values)
@pytest.mark.parametrize("end", Status.values)
def test_can_become_follows_the_map(start, end):
    assert Opportunity(status=start).can_become(end) is ((start, end) in MOVES)


def test_closed_awarded_cancelled_and_withdrawn_go_nowhere():
    for status in (Status.CLOSED, Status.AWARDED, Status.CANCELLED, Status.WITHDRAWN):
        assert not any(Opportunity(status=status).can_become(end) for end in Status.values)


@pytest.mark.parametrize(
    ("status", "publish", "approve", "close", "withdraw"),
    [
        (Status.DRAFT, True, False, False, True),
        (Status.PENDING, False, True, False, True),
        (Status.OPEN, False, False, True, True),
        (Status.CLOSED, False, False, False, False),
        (Status.AWARDED, False, False, False, False),
        (Status.CANCELLED, False, False, False, False),
        (Status.WITHDRAWN, False, False, False, False),
    ],
)
def test_the_actions_flags(status, publish, approve, close, withdraw):
    opportunity = Opportunity(status=status)
    flags = (
        opportunity.can_be_published,
        opportunity.can_be_approved,
        opportunity.can_be_closed,
        opportunity.can_be_withdrawn,
    )
    assert flags == (publish, approve, close, withdraw)


class ServicesFollowTheMapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.moderator = create_moderator()

    def test_a_move_the_map_does_not_have_is_refused(self):
        opened = create_opportunity()
        cannot_close = {**Opportunity.TRANSITIONS, Status.OPEN: frozenset({Status.WITHDRAWN})}
        with (
            mock.patch.object(Opportunity, "TRANSITIONS", cannot_close),
            self.assertRaises(StatusError),
        ):
            posting.close_opportunity(opportunity=opened, user=self.poster)
        opened.refresh_from_db()
        self.assertEqual((opened.status, opened.version), (Status.OPEN, 1))
        self.assertFalse(opened.changes.exists())

    def test_a_moderator_cannot_publish_a_pending_posting_only_approve_it(self):
        pending = create_opportunity(status=Status.PENDING, publisher=new_buyer())
        with self.assertRaises(StatusError):
            posting.publish_opportunity(opportunity=pending, user=self.moderator)
        approved = posting.approve_opportunity(opportunity=pending, user=self.moderator)
        self.assertEqual(approved.status, Status.OPEN)
        self.assertEqual(approved.changes.get().action, "approved")


class EditPageButtonsTests(TestCase):
    """The "What happens next" column shows the actions the status allows; approving
    is for moderators (the permission rule the view passes)."""

    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.moderator = create_moderator()
        cls.opportunities = {status: create_opportunity(status=status) for status in Status}

    def buttons(self, user, opportunity) -> set[str]:
        self.client.force_login(user)
        kwargs = {"public_id": opportunity.public_id}
        response = self.client.get(reverse("procurement:opportunity-edit", kwargs=kwargs))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        return {
            name
            for name in ("publish", "approve", "close", "withdraw")
            if reverse(f"procurement:opportunity-{name}", kwargs=kwargs) in page
        }

    def test_each_status_shows_its_moves(self):
        expected = {
            Status.DRAFT: {"publish", "withdraw"},
            Status.PENDING: {"withdraw"},
            Status.OPEN: {"close", "withdraw"},
            Status.CLOSED: set(),
            Status.AWARDED: set(),
            Status.CANCELLED: set(),
            Status.WITHDRAWN: set(),
        }
        for status, buttons in expected.items():
            with self.subTest(status=status):
                self.assertEqual(self.buttons(self.poster, self.opportunities[status]), buttons)

    def test_a_moderator_also_sees_approve_on_a_pending_posting(self):
        self.assertEqual(
            self.buttons(self.moderator, self.opportunities[Status.PENDING]),
            {"approve", "withdraw"},
        )
        self.assertEqual(
            self.buttons(self.moderator, self.opportunities[Status.DRAFT]),
            {"publish", "withdraw"},
        )

    def test_the_buttons_follow_the_map_not_a_copy_of_it(self):
        open_stays_open = {**Opportunity.TRANSITIONS, Status.OPEN: frozenset()}
        with mock.patch.object(Opportunity, "TRANSITIONS", open_stays_open):
            self.assertEqual(self.buttons(self.poster, self.opportunities[Status.OPEN]), set())

    def test_the_confirmation_page_follows_the_map(self):
        self.client.force_login(self.poster)
        opened = self.opportunities[Status.OPEN]
        url = reverse("procurement:opportunity-close", kwargs={"public_id": opened.public_id})
        self.assertContains(self.client.get(url), "Close to bids</button>")
        open_stays_open = {**Opportunity.TRANSITIONS, Status.OPEN: frozenset()}
        with mock.patch.object(Opportunity, "TRANSITIONS", open_stays_open):
            response = self.client.get(url)
        self.assertContains(response, "so you cannot do this")
        self.assertNotContains(response, "Close to bids</button>")
