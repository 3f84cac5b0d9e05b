"""portal/lib/admin.py, through the admins that use it: a subscription shows every field
read-only but the one that stops it, and only to whom the app's rule allows; a record
is read-only; an action runs the service on each object and warns of refusals."""

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from portal.matching.models import MatchSubscription
from tests.factories import create_match_subscription, create_user, get_council


class SubscriptionAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = create_user(is_superuser=True, is_staff=True)
        # Staff with every permission on match alerts, but no moderator.
        cls.staff = create_user(is_staff=True)
        cls.staff.user_permissions.set(
            Permission.objects.filter(content_type__app_label="matching")
        )
        cls.subscription = create_match_subscription(council=get_council(gss_code="E08000037"))
        cls.url = reverse("admin:matching_matchsubscription_change", args=[cls.subscription.pk])

    def test_every_field_is_read_only_but_the_one_that_stops_it(self):
        self.client.force_login(self.superuser)

        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="unsubscribed_at_0"')
        for name in ("email", "size", "stage", "council", "frequency"):
            with self.subTest(name=name):
                self.assertNotContains(response, f'name="{name}"')
        # The digest that finds the same alert again is no one's to read.
        self.assertNotContains(response, "profile_key")
        self.assertNotContains(response, "Profile key")

    def test_nobody_adds_one_here(self):
        self.client.force_login(self.superuser)

        response = self.client.get(reverse("admin:matching_matchsubscription_add"))

        self.assertEqual(response.status_code, 403)

    def test_staff_the_rule_does_not_allow_see_nothing(self):
        self.client.force_login(self.staff)

        self.assertEqual(self.client.get(self.url).status_code, 403)
        changelist = reverse("admin:matching_matchsubscription_changelist")
        self.assertEqual(self.client.get(changelist).status_code, 403)
        delete = reverse("admin:matching_matchsubscription_delete", args=[self.subscription.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(MatchSubscription.objects.filter(pk=self.subscription.pk).exists())

    def test_a_moderator_may_delete_one_when_asked_to_remove_data(self):
        self.client.force_login(self.superuser)
        delete = reverse("admin:matching_matchsubscription_delete", args=[self.subscription.pk])

        self.client.post(delete, {"post": "yes"})

        self.assertFalse(MatchSubscription.objects.filter(pk=self.subscription.pk).exists())


class EveryAdminDecidesByTheRulesTests(TestCase):
    """Every registered admin's permissions are an app's rule (RuleMixin), every inline's
    its page's (PageRuleInlineMixin): a moderator needs no Django model permission."""

    def test_every_model_admin_and_inline_uses_the_rules(self):
        from django.contrib import admin

        from portal.lib.admin import PageRuleInlineMixin, RuleMixin

        for model, model_admin in admin.site._registry.items():
            with self.subTest(model=model._meta.label):
                self.assertIsInstance(model_admin, RuleMixin)
                for inline in model_admin.inlines:
                    self.assertTrue(issubclass(inline, PageRuleInlineMixin), inline)

    def test_a_moderator_without_model_permissions_moderates_and_only_looks_at_accounts(self):
        from tests.factories import council_a, create_moderator

        moderator = create_moderator()
        self.assertFalse(moderator.is_superuser or moderator.get_all_permissions())
        self.client.force_login(moderator)

        index = self.client.get(reverse("admin:index"))
        for app in ("accounts", "catalogue", "procurement", "matching", "places"):
            with self.subTest(app=app):
                self.assertContains(index, reverse("admin:app_list", args=[app]))
        organisation = reverse("admin:accounts_organisation_change", args=[council_a().pk])
        page = self.client.get(organisation)
        self.assertContains(page, 'name="verified"')  # may approve an organisation
        self.assertContains(page, 'name="memberships-TOTAL_FORMS"')  # and its members
        # People's accounts: looked up, never changed, added or given a password.
        account = self.client.get(reverse("admin:accounts_user_change", args=[moderator.pk]))
        self.assertEqual(account.status_code, 200)
        self.assertNotContains(account, 'name="is_superuser"')
        for url in (
            reverse("admin:accounts_user_add"),
            reverse("admin:auth_user_password_change", args=[moderator.pk]),
            reverse("admin:auth_group_changelist"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(
            reverse("admin:accounts_user_change", args=[moderator.pk]),
            {"email": moderator.email, "is_superuser": "on", "is_staff": "on"},
        )
        self.assertEqual(response.status_code, 403)
        moderator.refresh_from_db()
        self.assertFalse(moderator.is_superuser)


class AdminSignInTests(TestCase):
    def test_head_sends_signed_in_staff_on_as_get_does(self):
        from tests.factories import create_moderator

        url = reverse("admin:login")
        self.assertEqual(self.client.head(url).status_code, 200)
        self.client.force_login(create_moderator())
        for method in ("get", "head"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(url)
                self.assertRedirects(response, reverse("admin:index"))
