"""The permission rules as a matrix: every persona against every rule."""

from portal.accounts.models import MembershipRequest, Role
from portal.accounts.permissions import (
    can_decide_membership_request,
    can_delete_own_account,
    can_download_own_data,
    can_manage_organisation,
    forget_memberships,
    is_manager,
    is_member,
    is_moderator,
    managers_of,
    membership_requests_decidable_by,
    membership_role,
    moderators,
    organisation_ids,
    organisations_needing_another_manager,
)
from tests.base import PersonasTestCase, permission_matrix
from tests.factories import (
    council_a,
    council_b,
    create_membership,
    create_membership_request,
    create_user,
)


def create_requests():
    requester = create_user(email="applicant@example.com")
    return {
        "a": create_membership_request(user=requester, organisation=council_a()),
        "b": create_membership_request(user=requester, organisation=council_b()),
    }


class PermissionQueriesTests(PersonasTestCase):
    create_objects = staticmethod(create_requests)

    def test_rules_read_a_users_memberships_once_per_user_object(self):
        manager = self.personas["council_a_manager"]
        organisation = council_a()
        with self.assertNumQueries(1):
            is_moderator(manager)
            is_member(manager, organisation)
            is_manager(manager, organisation)
            can_manage_organisation(manager, organisation)
            can_decide_membership_request(manager, self.objects["a"])
            can_decide_membership_request(manager, self.objects["b"])

    def test_forget_memberships_makes_the_next_rule_read_them_again(self):
        curator = self.personas["council_b_curator"]
        organisation = self.objects["a"].organisation
        self.assertFalse(is_member(curator, organisation))
        create_membership(user=curator, organisation=organisation)
        self.assertFalse(is_member(curator, organisation))  # still the cached answer
        forget_memberships(curator)
        self.assertTrue(is_member(curator, organisation))

    def test_organisation_ids_are_the_organisations_is_member_says_yes_to(self):
        organisations = [
            council_a(),
            council_b(),
            self.cluster_body,
            self.cluster_body_y,
            self.new_buyer,
            self.platform_team,
        ]
        for name, user in self.personas.items():
            with self.subTest(persona=name):
                self.assertEqual(
                    organisation_ids(user),
                    {org.pk for org in organisations if is_member(user, org)},
                )

    def test_moderators_query_agrees_with_is_moderator(self):
        expected = {user for user in self.personas.values() if is_moderator(user)}
        self.assertEqual(set(moderators()), expected)

    def test_managers_of_lists_active_managers_only(self):
        self.assertEqual(
            list(managers_of(self.objects["a"].organisation)),
            [self.personas["council_a_manager"]],
        )

    def test_nobody_decides_their_own_request(self):
        moderator = self.personas["moderator"]
        own_request = create_membership_request(
            user=moderator, organisation=self.objects["b"].organisation
        )
        self.assertFalse(can_decide_membership_request(moderator, own_request))
        self.assertNotIn(own_request, membership_requests_decidable_by(moderator))


# Each rule as a function of a user and the membership requests of create_requests().
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
    "can_download_own_data": lambda user, requests: can_download_own_data(user),
    "can_delete_own_account": lambda user, requests: can_delete_own_account(user),
    # Deleting the account would leave council A's other members without a manager.
    "must_hand_over_a": lambda user, requests: (
        council_a() in organisations_needing_another_manager(user)
    ),
}

# Each query against the rule it must agree with, on the candidates it may list.
QUERIES = {
    "membership_requests_decidable_by": (
        membership_requests_decidable_by,
        can_decide_membership_request,
        lambda requests: MembershipRequest.objects.all(),
    )
}

DENIED = dict.fromkeys(RULES, False) | {"role_in_a": None}
# Anyone signed in may download their data and delete their account (not admin staff).
SIGNED_IN = DENIED | {"can_download_own_data": True, "can_delete_own_account": True}
ADMIN_STAFF = DENIED | {"can_download_own_data": True}
EXPECTED = {
    "anonymous": DENIED,
    "council_a_curator": SIGNED_IN | {"is_member_of_a": True, "role_in_a": Role.EDITOR},
    "council_b_curator": SIGNED_IN,
    "council_a_manager": SIGNED_IN
    | {
        "must_hand_over_a": True,
        "is_member_of_a": True,
        "is_manager_of_a": True,
        "role_in_a": Role.MANAGER,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
    },
    "cluster_body_poster": SIGNED_IN,
    "moderator": ADMIN_STAFF
    | {
        "is_moderator": True,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
        "can_decide_request_to_b": True,
    },
    "superuser": ADMIN_STAFF
    | {
        "is_moderator": True,
        "can_manage_a": True,
        "can_decide_request_to_a": True,
        "can_decide_request_to_b": True,
    },
    "inactive_superuser": DENIED,
}


TestPermissionMatrix = permission_matrix(RULES, EXPECTED, QUERIES, create_requests)
