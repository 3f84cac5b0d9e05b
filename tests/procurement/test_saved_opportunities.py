"""Saved opportunities: the save button (with and without htmx), the list of them, and
the closing reminder, sent once."""

from datetime import timedelta

from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import SavedOpportunity
from portal.procurement.services import alerts
from tests.factories import (
    cluster_body_y,
    create_cluster_body_poster,
    create_opportunity,
    create_user,
)
from tests.queries import assert_queries_do_not_grow, fetch


def save_url(opportunity):
    return reverse("procurement:opportunity-save", args=[opportunity.public_id])


def detail_url(opportunity):
    return reverse("procurement:detail", args=[opportunity.public_id])


class SaveButtonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.founder = create_user(email="founder@example.com", full_name="Fran Founder")
        cls.opportunity = create_opportunity(title="Cloud hosting for the libraries")

    def render_button(self, user):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get(detail_url(self.opportunity))
        request.user = user or AnonymousUser()
        return render_to_string(
            "procurement/alerts/save_button.html", {"opportunity": self.opportunity}, request
        )

    def test_anonymous_users_are_asked_to_sign_in(self):
        html = self.render_button(None)

        self.assertIn("Sign in to save this opportunity", html)
        self.assertIn("/account/sign-in/?next=", html)
        self.assertNotIn("<form", html)

    def test_a_signed_in_user_sees_save_then_remove(self):
        self.assertIn("Save this opportunity", self.render_button(self.founder))

        SavedOpportunity.objects.create(user=self.founder, opportunity=self.opportunity)

        html = self.render_button(self.founder)
        self.assertIn("Remove from saved opportunities", html)
        self.assertIn('name="action" value="unsave"', html)

    def test_the_opportunity_page_has_the_button(self):
        anonymous = self.client.get(detail_url(self.opportunity))
        self.assertContains(anonymous, "Sign in to save this opportunity")

        self.client.force_login(self.founder)
        self.assertContains(self.client.get(detail_url(self.opportunity)), "Save this opportunity")
        self.client.post(save_url(self.opportunity), {"action": "save"})
        self.assertContains(
            self.client.get(detail_url(self.opportunity)), "Remove from saved opportunities"
        )

    def test_save_and_unsave_without_javascript(self):
        self.client.force_login(self.founder)

        response = self.client.post(save_url(self.opportunity), {"action": "save"})

        self.assertRedirects(response, detail_url(self.opportunity), fetch_redirect_response=False)
        self.assertTrue(
            SavedOpportunity.objects.filter(
                user=self.founder, opportunity=self.opportunity
            ).exists()
        )
        # Saving twice keeps one.
        self.client.post(save_url(self.opportunity), {"action": "save"})
        self.assertEqual(SavedOpportunity.objects.count(), 1)

        self.client.post(save_url(self.opportunity), {"action": "unsave"})
        self.assertFalse(SavedOpportunity.objects.exists())

    def test_goes_back_to_a_safe_next_page_only(self):
        self.client.force_login(self.founder)

        back = self.client.post(
            save_url(self.opportunity), {"action": "save", "next": "/contracts/saved/"}
        )
        away = self.client.post(
            save_url(self.opportunity), {"action": "save", "next": "https://evil.example/"}
        )

        self.assertEqual(back.url, "/contracts/saved/")
        self.assertEqual(away.url, detail_url(self.opportunity))

    def test_htmx_gets_the_button_back(self):
        self.client.force_login(self.founder)

        response = self.client.post(
            save_url(self.opportunity), {"action": "save"}, headers={"HX-Request": "true"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="save-opportunity"')
        self.assertContains(response, "Remove from saved opportunities")
        self.assertContains(response, "We will remind you by email")
        self.assertContains(response, f'name="next" value="{detail_url(self.opportunity)}"')
        self.assertNotContains(response, "<html")

    def test_anonymous_post_goes_to_sign_in(self):
        response = self.client.post(save_url(self.opportunity), {"action": "save"})

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:sign-in"), response.url)
        self.assertFalse(SavedOpportunity.objects.exists())

    def test_anonymous_htmx_post_is_sent_to_sign_in_as_a_whole_page(self):
        response = self.client.post(
            save_url(self.opportunity), {"action": "save"}, headers={"HX-Request": "true"}
        )

        self.assertEqual(response.status_code, 204)
        self.assertTrue(response["HX-Redirect"].startswith(reverse("accounts:sign-in")))
        self.assertFalse(SavedOpportunity.objects.exists())

    def test_a_draft_of_another_organisation_cannot_be_saved(self):
        draft = create_opportunity(publisher=cluster_body_y(), status="draft")
        self.client.force_login(create_cluster_body_poster())

        response = self.client.post(save_url(draft), {"action": "save"})

        self.assertEqual(response.status_code, 404)
        self.assertFalse(SavedOpportunity.objects.exists())

    def test_get_is_not_allowed_and_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.founder)

        self.assertEqual(client.get(save_url(self.opportunity)).status_code, 405)
        self.assertEqual(client.post(save_url(self.opportunity)).status_code, 403)
        self.assertFalse(SavedOpportunity.objects.exists())


class SavedOpportunitiesPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.founder = create_user(email="founder@example.com")

    def save(self, count, **fields):
        for _number in range(count):
            SavedOpportunity.objects.create(
                user=self.founder, opportunity=create_opportunity(**fields)
            )

    def test_lists_the_users_saved_opportunities_only(self):
        mine = create_opportunity(title="Mine", value_max=25000)
        closed = create_opportunity(title="Already closed", status="closed")
        theirs = create_opportunity(title="Theirs")
        SavedOpportunity.objects.create(user=self.founder, opportunity=mine)
        SavedOpportunity.objects.create(user=self.founder, opportunity=closed)
        SavedOpportunity.objects.create(user=create_user(), opportunity=theirs)
        self.client.force_login(self.founder)

        response = self.client.get(reverse("procurement:saved-opportunities"))

        self.assertContains(response, "Mine")
        self.assertContains(response, "£25,000")
        self.assertContains(response, "Already closed")
        self.assertContains(response, "govuk-tag--grey")
        self.assertNotContains(response, "Theirs")

    def test_needs_signing_in(self):
        response = self.client.get(reverse("procurement:saved-opportunities"))

        self.assertEqual(response.status_code, 302)

    def test_empty(self):
        self.client.force_login(self.founder)

        response = self.client.get(reverse("procurement:saved-opportunities"))

        self.assertContains(response, "You have not saved any opportunities yet")

    def test_query_count_holds_at_10_and_50(self):
        self.client.force_login(self.founder)
        saved = fetch(self.client, reverse("procurement:saved-opportunities"))
        self.save(10)
        small, _large = assert_queries_do_not_grow(saved, grow=lambda: self.save(40))
        # Session, user, count, the page (one join), the header's memberships.
        self.assertEqual(small, 5)
        self.assertContains(saved(), "govuk-pagination")


class ClosingReminderTests(TestCase):
    def setUp(self):
        self.now = timezone.now()
        self.founder = create_user(email="founder@example.com", full_name="Fran Founder")

    def saved(self, *, user=None, days, **fields):
        opportunity = create_opportunity(deadline=self.now + timedelta(days=days), **fields)
        return SavedOpportunity.objects.create(user=user or self.founder, opportunity=opportunity)

    def test_one_email_per_user_listing_what_closes_within_7_days_and_never_twice(self):
        soon = self.saved(days=3, title="Closes in three days")
        sooner = self.saved(days=1, title="Closes tomorrow", value_max=0)
        later = self.saved(days=12, title="Closes in twelve days")
        other = self.saved(user=create_user(email="other@example.com"), days=5)

        self.assertEqual(alerts.send_closing_reminders(now=self.now), 2)
        self.assertEqual(alerts.send_closing_reminders(now=self.now), 0)

        founder_mail = next(m for m in mail.outbox if m.to == ["founder@example.com"])
        self.assertEqual(
            founder_mail.subject, "2 contract opportunities you saved close within 7 days"
        )
        self.assertIn("Closes tomorrow", founder_mail.body)
        self.assertIn("Closes in three days", founder_mail.body)
        self.assertLess(
            founder_mail.body.index("Closes tomorrow"), founder_mail.body.index("Closes in three")
        )
        self.assertIn("Value not stated", founder_mail.body)
        self.assertNotIn("Closes in twelve days", founder_mail.body)
        self.assertIn("/contracts/saved/", founder_mail.body)
        [(html, _mimetype)] = founder_mail.alternatives
        self.assertIn("Closes tomorrow", html)
        self.assertEqual(len(mail.outbox), 2)
        for item in (soon, sooner, other):
            item.refresh_from_db()
            self.assertEqual(item.reminded_at, self.now)
        later.refresh_from_db()
        self.assertIsNone(later.reminded_at)

        # Five days on, the twelve-day one is within 7 days: reminded, alone.
        self.assertEqual(alerts.send_closing_reminders(now=self.now + timedelta(days=5)), 1)
        self.assertIn("Closes in twelve days", mail.outbox[-1].body)
        self.assertNotIn("Closes tomorrow", mail.outbox[-1].body)
        self.assertEqual(
            mail.outbox[-1].subject, "A contract opportunity you saved closes within 7 days"
        )

    def test_closed_withdrawn_and_past_deadlines_are_not_reminded(self):
        self.saved(days=3, status="withdrawn")
        self.saved(days=3, status="closed")
        self.saved(days=-1)

        self.assertEqual(alerts.send_closing_reminders(now=self.now), 0)
        self.assertEqual(mail.outbox, [])

    def test_the_task(self):
        from portal.procurement.tasks import send_closing_reminders

        self.saved(days=2)

        self.assertEqual(send_closing_reminders.delay().get(), 1)
        self.assertEqual(send_closing_reminders.delay().get(), 0)
