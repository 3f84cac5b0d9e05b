"""Delete your account: the password asked for, every personal row gone or detached, the
anonymous figures unchanged, and nothing deleted when anything is refused."""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test import Client, TestCase
from django.urls import reverse

from diagnostics.models import Answer, Assessment
from portal.accounts import personal_data, services
from portal.accounts.models import Membership, MembershipRequest, Organisation, Role, User
from portal.catalogue.models import OfferChange
from portal.matching.models import MatchDelivery, MatchSubscription
from portal.procurement.models import (
    AlertDelivery,
    ImportRun,
    OpportunityChange,
    SavedOpportunity,
    SavedSearch,
)
from tests.accounts.personal_rows import (
    anonymous_figures,
    create_anonymous_activity,
    create_person_with_rows,
    log_moderator_change_to,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    create_completed_assessments,
    create_membership,
    create_moderator,
    create_organisation,
    create_user,
)

DELETE_URL = reverse("accounts:delete-account")
DELETED_URL = reverse("accounts:account-deleted")
ANN = "ann.deleting@example.com"


def personal_rows(user_id: int, email: str) -> dict[str, int]:
    """How many rows of each model still hold the person: a foreign key to their account,
    or their address in any text, email or JSON field."""
    user_model = apps.get_model(User._meta.label)
    found = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is user_model:
                lookup = {field.name: user_id}
            elif isinstance(field, models.CharField | models.TextField | models.JSONField):
                lookup = {f"{field.name}__icontains": email}
            else:
                continue
            count = model._default_manager.filter(**lookup).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def counts() -> dict[str, int]:
    """Rows of every model, to show a refusal deleted nothing."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


class DeleteAccountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = create_moderator()
        cls.ann = create_person_with_rows(email=ANN, full_name="Ann Deleting")
        cls.admin_entry = log_moderator_change_to(cls.ann, cls.moderator)
        cls.bob = create_person_with_rows(email="bob.staying@example.com", full_name="Bob Staying")
        # Bob had his results sent to Ann's address.
        [cls.bobs_sent_to_ann] = create_completed_assessments(1)
        cls.bobs_sent_to_ann.user = cls.bob
        cls.bobs_sent_to_ann.email = ANN
        cls.bobs_sent_to_ann.save(update_fields=["user", "email"])
        create_completed_assessments(3)
        create_anonymous_activity()

    def setUp(self):
        self.client.force_login(self.ann)

    def delete(self, password=DEFAULT_PASSWORD, **extra):
        return self.client.post(DELETE_URL, {"password": password}, **extra)

    def test_page_warns_and_asks_for_the_password(self):
        response = self.client.get(DELETE_URL)

        self.assertContains(response, "govuk-warning-text")
        self.assertContains(response, "You cannot undo this.")
        self.assertContains(response, 'type="password"')
        self.assertContains(response, f"Joined organisation 0 of {self.ann.pk}")
        self.assertContains(response, "not your account, and are not deleted")
        self.assertIn("no-store", response["Cache-Control"])

    def test_account_page_links_to_both_pages(self):
        response = self.client.get(reverse("accounts:account"))

        self.assertContains(response, reverse("accounts:your-data"))
        self.assertContains(response, DELETE_URL)

    def test_deleting_signs_out_and_leaves_nothing_personal(self):
        self.client.get(
            reverse(
                "accounts:your-data-prove-email",
                args=[personal_data.make_email_proof_token(self.ann)],
            )
        )
        ann_id = self.ann.pk
        self.assertTrue(personal_rows(ann_id, ANN))
        figures = anonymous_figures()
        bob_rows = personal_rows(self.bob.pk, self.bob.email)
        ann_assessments = list(
            Assessment.objects.filter(user=self.ann).values_list("pk", "public_id")
        )
        ann_assessments += list(
            Assessment.objects.filter(email=ANN, user=None).values_list("pk", "public_id")
        )

        response = self.delete()

        self.assertRedirects(response, DELETED_URL)
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(personal_rows(ann_id, ANN), {})
        self.assertEqual(personal_rows(ann_id, "Ann Deleting"), {})
        self.assertEqual(anonymous_figures(), figures)
        self.assertEqual(personal_rows(self.bob.pk, self.bob.email), bob_rows)
        # Model by model.
        self.assertFalse(User.objects.filter(pk=ann_id).exists())
        self.assertFalse(Membership.objects.filter(user_id=ann_id).exists())
        self.assertFalse(MembershipRequest.objects.filter(user_id=ann_id).exists())
        decided = MembershipRequest.objects.get(
            organisation__name=f"Joined organisation 0 of {ann_id}"
        )
        self.assertIsNone(decided.decided_by_id)
        self.assertEqual(decided.status, "approved")
        self.assertFalse(LogEntry.objects.filter(user_id=ann_id).exists())
        self.admin_entry.refresh_from_db()
        self.assertEqual(self.admin_entry.object_repr, "Deleted account")
        self.assertFalse(SavedSearch.objects.filter(email__iexact=ANN).exists())
        self.assertFalse(SavedSearch.objects.filter(user_id=ann_id).exists())
        self.assertFalse(MatchSubscription.objects.filter(email__iexact=ANN).exists())
        self.assertFalse(SavedOpportunity.objects.filter(user_id=ann_id).exists())
        self.assertEqual(AlertDelivery.objects.filter(saved_search__email__iexact=ANN).count(), 0)
        self.assertEqual(MatchDelivery.objects.filter(subscription__email__iexact=ANN).count(), 0)
        # Kept, detached: the organisations' listings' histories, the import run, the
        # diagnostics (with their answers) under new public ids.
        self.assertEqual(OpportunityChange.objects.filter(user__isnull=True).count(), 1)
        self.assertEqual(OfferChange.objects.filter(user__isnull=True).count(), 1)
        self.assertTrue(
            ImportRun.objects.filter(
                source="https://example.org/feed-0.json", started_by=None
            ).exists()
        )
        self.assertTrue(
            Organisation.objects.filter(name=f"Joined organisation 0 of {ann_id}").exists()
        )
        kept = Assessment.objects.in_bulk([pk for pk, _ in ann_assessments])
        self.assertEqual(len(kept), 3)
        for pk, public_id in ann_assessments:
            self.assertIsNone(kept[pk].user_id)
            self.assertEqual(kept[pk].email, "")
            self.assertEqual(kept[pk].drafts, {})
            self.assertNotEqual(kept[pk].public_id, public_id)
        self.assertTrue(Answer.objects.filter(assessment_id__in=kept).exists())
        # Someone else's assessment that had Ann's address: still theirs, without it.
        self.bobs_sent_to_ann.refresh_from_db()
        self.assertEqual((self.bobs_sent_to_ann.user, self.bobs_sent_to_ann.email), (self.bob, ""))

    def test_the_page_after_says_it_is_done_once(self):
        response = self.delete(follow=True)

        self.assertContains(response, "Your account has been deleted")
        self.assertContains(response, "You have been signed out")
        again = self.client.get(DELETED_URL)
        self.assertRedirects(again, reverse("core:home"), fetch_redirect_response=False)

    def test_without_proving_the_address_what_is_held_under_it_stays(self):
        self.delete()

        self.assertEqual(MatchSubscription.objects.filter(email__iexact=ANN).count(), 1)
        self.assertEqual(SavedSearch.objects.filter(email__iexact=ANN, user=None).count(), 1)
        self.assertEqual(Assessment.objects.filter(email=ANN, user=None).count(), 1)
        self.assertEqual(Assessment.objects.filter(email=ANN, user=self.bob).count(), 1)
        self.assertFalse(User.objects.filter(email=ANN).exists())

    def test_wrong_password_is_refused_with_a_message_and_nothing_deleted(self):
        before = counts()

        response = self.delete(password="not-the-password")

        self.assertContains(
            response, "The password is not right. Enter the password you sign in with"
        )
        self.assertContains(response, "There is a problem")
        self.assertEqual(counts(), before)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.ann.pk))

    def test_no_password_is_refused_with_a_message(self):
        before = counts()

        response = self.delete(password="")

        self.assertContains(response, "Enter your password")
        self.assertEqual(counts(), before)

    def test_deleting_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.ann)
        before = counts()

        response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        self.assertEqual(response.status_code, 403)
        self.assertEqual(counts(), before)

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        self.client.logout()

        response = self.client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:sign-in")))
        self.assertTrue(User.objects.filter(pk=self.ann.pk).exists())


class WhoMayDeleteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team = create_organisation(name="Tyneside Growth Hub")
        cls.manager = create_user(email="only.manager@example.com")
        create_membership(user=cls.manager, organisation=cls.team, role=Role.MANAGER)
        create_membership(user=create_user(), organisation=cls.team, role=Role.EDITOR)
        cls.alone = create_organisation(name="One Person Trust")
        cls.sole = create_user(email="sole.member@example.com")
        create_membership(user=cls.sole, organisation=cls.alone, role=Role.MANAGER)
        cls.moderator = create_moderator()

    def test_the_only_manager_of_an_organisation_others_belong_to_is_told_why_not(self):
        self.client.force_login(self.manager)

        page = self.client.get(DELETE_URL)
        response = self.client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        for shown in (page, response):
            self.assertContains(shown, "You are the only manager of:")
            self.assertContains(shown, "Tyneside Growth Hub")
            self.assertNotContains(shown, 'type="password"')
        self.assertTrue(User.objects.filter(pk=self.manager.pk).exists())

    def test_with_a_second_manager_the_first_may_go(self):
        create_membership(user=create_user(), organisation=self.team, role=Role.MANAGER)
        self.client.force_login(self.manager)

        response = self.client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        self.assertRedirects(response, DELETED_URL)
        self.assertFalse(User.objects.filter(pk=self.manager.pk).exists())

    def test_the_service_refuses_the_only_manager_too(self):
        with self.assertRaises(ValidationError) as raised:
            services.delete_account(user=self.manager)

        self.assertIn(
            "You are the only manager of Tyneside Growth Hub", raised.exception.messages[0]
        )
        self.assertTrue(User.objects.filter(pk=self.manager.pk).exists())

    def test_the_only_member_may_go_and_the_organisation_stays(self):
        self.client.force_login(self.sole)

        response = self.client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        self.assertRedirects(response, DELETED_URL)
        self.assertTrue(Organisation.objects.filter(pk=self.alone.pk).exists())
        self.assertFalse(Membership.objects.filter(organisation=self.alone).exists())

    def test_people_who_can_use_the_admin_site_are_sent_to_a_moderator(self):
        self.client.force_login(self.moderator)

        page = self.client.get(DELETE_URL)
        refused = self.client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

        self.assertContains(page, "Ask another moderator")
        self.assertNotContains(page, 'type="password"')
        self.assertNotContains(self.client.get(reverse("accounts:account")), DELETE_URL)
        self.assertEqual(refused.status_code, 403)
        self.assertTrue(User.objects.filter(pk=self.moderator.pk).exists())
        with self.assertRaises(PermissionDenied):
            services.delete_account(user=self.moderator)

    def test_an_address_that_is_not_the_accounts_cannot_be_erased_with_it(self):
        with self.assertRaises(ValueError):
            services.delete_account(user=self.sole, email="someone.else@example.com")
        self.assertTrue(User.objects.filter(pk=self.sole.pk).exists())
