"""The permission rules as a matrix: every persona against every rule."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from portal.accounts.models import MembershipRequest, Role
from portal.accounts.permissions import (
    can_decide_membership_request,
    can_manage_organisation,
    forget_memberships,
    is_manager,
    is_member,
    is_moderator,
    managers_of,
    membership_requests_decidable_by,
    membership_role,
    moderators,
)
from tests.factories import (
    council_a,
    council_b,
    create_cluster_body_poster,
    create_council_a_curator,
    create_council_a_manager,
    create_council_b_curator,
    create_membership,
    create_membership_request,
    create_moderator,
    create_user,
)


def build_world():
    people = {
        "anonymous": AnonymousUser(),
        "council_a_curator": create_council_a_curator(),
        "council_b_curator": create_council_b_curator(),
        "council_a_manager": create_council_a_manager(),
        "cluster_body_poster": create_cluster_body_poster(),
        "moderator": create_moderator(),
        "superuser": create_user(email="root@example.com", is_superuser=True, is_staff=True),
        "inactive_superuser": create_user(
            email="gone@example.com", is_superuser=True, is_staff=True, is_active=False
        ),
    }
    # The inactive one was a manager of council A before leaving: still denied.
    create_membership(
        user=people["inactive_superuser"], organisation=council_a(), role=Role.MANAGER
    )
    requester = create_user(email="applicant@example.com")
    requests = {
        "a": create_membership_request(user=requester, organisation=council_a()),
        "b": create_membership_request(user=requester, organisation=council_b()),
    }
    return people, requests


RULES = {
    "is_moderator": lambda user, requests: is_moderator(user),
    "is_member_of_a": lambda user, requests: is_member(user, council_a()),
    "is_manager_of_a": lambda user, requests: is_manager(user, council_a()),
    "role_in_a": lambda user, requests: membership_role(user, council_a()),
    "can_manage_a": lambda user, requests: can_manage_organisation(user, council_a()),
    "can_decide_request_to_a": lambda user, requests: can_decide_membership_request(
        user, requests["a"]
    ),
    "can_decide_request_to_b": lambda user, requests: can_decide_membership_request(
        user, requests["b"]
    ),
}

DENIED = dict.fromkeys(RULES, False) | {"role_in_a": None}
EXPECTED = {
    "anonymous": DENIED,
    "council_a_curator": DENIED | {"is_member_of_a": True, "role_in_a": Role.EDITOR},
    "council_b_curator": DENIED,
    "council_a_manager": DENIED
    | {
        "is_member_of_a": True,
        "is_manager_of_a": True,
        "role_in_a": Role.MANAGER,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
    },
    "cluster_body_poster": DENIED,
    "moderator": DENIED
    | {
        "is_moderator": True,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
        "can_decide_request_to_b": True,
    },
    "superuser": DENIED
    | {
        "is_moderator": True,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
        "can_decide_request_to_b": True,
    },
    "inactive_superuser": DENIED,
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("persona", EXPECTED)
def test_permission_matrix(persona, rule):
    people, requests = build_world()
    assert RULES[rule](people[persona], requests) == EXPECTED[persona][rule]


class PermissionQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people, cls.requests = build_world()

    def test_rules_read_a_users_memberships_once_per_user_object(self):
        manager = self.people["council_a_manager"]
        organisation = council_a()
        with self.assertNumQueries(1):
            is_moderator(manager)
            is_member(manager, organisation)
            is_manager(manager, organisation)
            can_manage_organisation(manager, organisation)
            can_decide_membership_request(manager, self.requests["a"])
            can_decide_membership_request(manager, self.requests["b"])

    def test_forget_memberships_makes_the_next_rule_read_them_again(self):
        curator = self.people["council_b_curator"]
        organisation = self.requests["a"].organisation
        self.assertFalse(is_member(curator, organisation))
        create_membership(user=curator, organisation=organisation)
        self.assertFalse(is_member(curator, organisation))  # still the cached answer
        forget_memberships(curator)
        self.assertTrue(is_member(curator, organisation))

    def test_decidable_requests_query_agrees_with_the_rule_for_every_persona(self):
        every_request = list(MembershipRequest.objects.all())
        for persona, user in self.people.items():
            with self.subTest(persona=persona):
                self.assertEqual(
                    set(membership_requests_decidable_by(user)),
                    {r for r in every_request if can_decide_membership_request(user, r)},
                )

    def test_moderators_query_agrees_with_is_moderator(self):
        expected = {user for user in self.people.values() if is_moderator(user)}
        self.assertEqual(set(moderators()), expected)

    def test_managers_of_lists_active_managers_only(self):
        self.assertEqual(
            list(managers_of(self.requests["a"].organisation)),
            [self.people["council_a_manager"]],
        )

    def test_nobody_decides_their_own_request(self):
        moderator = self.people["moderator"]
        own_request = create_membership_request(
            user=moderator, organisation=self.requests["b"].organisation
        )
        self.assertFalse(can_decide_membership_request(moderator, own_request))
        self.assertNotIn(own_request, membership_requests_decidable_by(moderator))
