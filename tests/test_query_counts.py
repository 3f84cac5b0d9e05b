"""The query-count check of tests/queries.py fails when it should, and says why."""

from django.test import TestCase

from portal.accounts.models import User
from tests.factories import create_membership, create_user
from tests.queries import assert_queries_do_not_grow


def list_users_in_one_query():
    return [user.email for user in User.objects.all()]


def list_users_with_a_query_each():
    return [user.memberships.count() for user in User.objects.all()]


def add_users(count=3):
    for _ in range(count):
        create_membership(user=create_user())


class AssertQueriesDoNotGrowTests(TestCase):
    def setUp(self):
        add_users(1)

    def test_passes_and_returns_both_counts_when_the_queries_stay_the_same(self):
        self.assertEqual(
            assert_queries_do_not_grow(list_users_in_one_query, grow=add_users), (1, 1)
        )

    def test_fails_naming_both_counts_when_a_query_per_row_appears(self):
        with self.assertRaises(AssertionError) as failure:
            assert_queries_do_not_grow(list_users_with_a_query_each, grow=add_users)
        message = str(failure.exception)
        self.assertIn("2 queries at the small size, 5 at the large", message)
        self.assertIn("accounts_membership", message)  # the queries at the large size

    def test_fails_past_the_maximum_even_when_the_queries_stay_the_same(self):
        with self.assertRaisesRegex(AssertionError, r"1 at the large \(at most 0 allowed\)"):
            assert_queries_do_not_grow(list_users_in_one_query, grow=add_users, maximum=0)

    def test_names_the_callable_that_grew_among_several(self):
        runs = {"one query": list_users_in_one_query, "a query each": list_users_with_a_query_each}
        with self.assertRaisesRegex(AssertionError, "^a query each: 2 queries") as failure:
            assert_queries_do_not_grow(runs, grow=add_users)
        self.assertNotIn("one query:", str(failure.exception))

    def test_sizes_pass_the_size_to_the_callable(self):
        add_users(3)

        def first_users_memberships(count):
            return [user.memberships.count() for user in User.objects.all()[:count]]

        self.assertEqual(assert_queries_do_not_grow(first_users_memberships, sizes=(2, 2)), (3, 3))
        with self.assertRaisesRegex(AssertionError, "2 queries at the small size, 4 at the large"):
            assert_queries_do_not_grow(first_users_memberships, sizes=(1, 3))

    def test_grow_or_sizes_not_both(self):
        with self.assertRaises(TypeError):
            assert_queries_do_not_grow(list_users_in_one_query)
        with self.assertRaises(TypeError):
            assert_queries_do_not_grow(list_users_in_one_query, grow=add_users, sizes=(1, 2))
