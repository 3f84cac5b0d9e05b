"""The alert pages: saving a search, "check your email", the confirmation link,
unsubscribing (also RFC 8058 one-click) and the manage page, all signed out."""

import re
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement import alert_links
from portal.procurement.models import SavedSearch
from portal.procurement.services import alerts
from tests.factories import create_saved_search, create_user, get_council


class AlertCreateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code="E08000037")

    def setUp(self):
        cache.clear()

    def url(self, query="closing=14&council=E08000037"):
        return reverse("procurement:alert-create") + (f"?{query}" if query else "")

    def test_the_list_page_links_here_with_its_search(self):
        response = self.client.get(
            reverse("procurement:list"), {"closing": "14", "council": "E08000037", "page": "1"}
        )

        self.assertContains(
            response, 'href="/contracts/alerts/new/?council=E08000037&amp;closing=14"'
        )
        self.assertContains(response, "Get emails about new opportunities like these")

    def test_shows_the_search_being_saved(self):
        response = self.client.get(self.url())

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Get emails about new opportunities like these")
        self.assertContains(response, "Closing within 14 days")
        self.assertContains(response, "In Gateshead")
        self.assertContains(
            response,
            'action="/contracts/alerts/new/?council=E08000037&amp;closing=14"',
        )

    def test_an_empty_search_is_every_opportunity(self):
        response = self.client.get(self.url(query=""))

        self.assertContains(response, "All open contract opportunities")

    def test_errors_are_shown_in_the_summary(self):
        response = self.client.post(self.url(), {"email": "not an email", "frequency": ""})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Error:", html=False)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(
            response, "Enter an email address in the correct format, like name@example.com"
        )
        self.assertContains(response, "Choose how often you want emails")
        self.assertFalse(SavedSearch.objects.exists())

    def test_saves_the_normalised_search_and_sends_the_confirmation(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.url("closing=14&council=e08000037&page=3&sort=newest&bogus=1"),
                {"email": "founder@example.com", "frequency": "weekly"},
            )

        self.assertRedirects(response, reverse("procurement:alert-sent"))
        saved_search = SavedSearch.objects.get()
        self.assertEqual(saved_search.query, "council=E08000037&closing=14")
        self.assertEqual(saved_search.frequency, "weekly")
        self.assertIsNone(saved_search.user)
        self.assertIsNone(saved_search.confirmed_at)
        [message] = mail.outbox
        self.assertEqual(message.to, ["founder@example.com"])

        sent = self.client.get(response.url)
        self.assertContains(sent, "Check your email")
        self.assertContains(sent, "founder@example.com")

    def test_a_signed_in_user_gets_their_email_prefilled_and_linked(self):
        user = create_user(email="pat@example.com")
        self.client.force_login(user)

        page = self.client.get(self.url())
        self.assertContains(page, 'value="pat@example.com"')
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url(), {"email": "pat@example.com", "frequency": "daily"})

        self.assertEqual(SavedSearch.objects.get().user, user)

    def test_too_many_in_a_day_is_a_clear_error(self):
        for days in range(alerts.MAX_UNCONFIRMED_PER_DAY):
            create_saved_search(email="spam@example.com", query=f"closing={days}")

        response = self.client.post(
            self.url(), {"email": "spam@example.com", "frequency": "daily"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You have asked for too many alerts")
        self.assertEqual(SavedSearch.objects.count(), alerts.MAX_UNCONFIRMED_PER_DAY)

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)

        response = client.post(self.url(), {"email": "founder@example.com", "frequency": "daily"})

        self.assertEqual(response.status_code, 403)
        self.assertFalse(SavedSearch.objects.exists())


class ConfirmLinkTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_the_emailed_link_asks_and_its_button_confirms_signed_out(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("procurement:alert-create") + "?sme=1",
                {"email": "founder@example.com", "frequency": "daily"},
            )
        [message] = mail.outbox
        link = re.search(r"http://\S+/contracts/alerts/confirm/\S+/", message.body).group(0)
        path = link.removeprefix("http://127.0.0.1:8000")
        self.assertTrue(path.startswith("/contracts/alerts/confirm/"), link)
        browser = Client(enforce_csrf_checks=True)

        # Following the link (or a mail scanner's HEAD of it) changes nothing.
        self.assertEqual(browser.head(path).status_code, 200)
        with self.assertNumQueries(1):  # the saved search (a new browser: no session)
            page = browser.get(path)

        self.assertContains(page, "Confirm your email alert")
        self.assertContains(page, "Once a day, we will email founder@example.com")
        self.assertContains(page, "Suitable for small and medium-sized enterprises")
        self.assertContains(page, f'<form method="post" action="{path}"', html=False)
        self.assertContains(page, ">Confirm</button>", html=False)
        self.assertIsNone(SavedSearch.objects.get().confirmed_at)
        # Posted without the page's token: refused.
        self.assertEqual(Client(enforce_csrf_checks=True).post(path).status_code, 403)
        self.assertIsNone(SavedSearch.objects.get().confirmed_at)

        response = browser.post(path, {"csrfmiddlewaretoken": str(page.context["csrf_token"])})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Your email alert is set up")
        self.assertContains(response, "Suitable for small and medium-sized enterprises")
        saved_search = SavedSearch.objects.get()
        self.assertIsNotNone(saved_search.confirmed_at)
        self.assertEqual(saved_search.last_sent_at, saved_search.confirmed_at)

        again = Client().get(path)
        self.assertContains(again, "You had already confirmed this alert")
        self.assertContains(Client().post(path), "You had already confirmed this alert")

    def test_an_unsubscribed_alerts_link_says_so_and_confirms_nothing(self):
        saved_search = create_saved_search(unsubscribed_at=timezone.now())
        url = reverse(
            "procurement:alert-confirm", args=[alert_links.make_confirm_token(saved_search)]
        )

        for response in (self.client.get(url), self.client.post(url)):
            self.assertContains(response, "You have unsubscribed from this alert")
        saved_search.refresh_from_db()
        self.assertIsNone(saved_search.confirmed_at)

    def test_a_tampered_link_gets_a_clear_page(self):
        saved_search = create_saved_search()
        token = alert_links.make_confirm_token(saved_search)

        for bad in (
            token[:-3] + "abc",
            "nonsense",
            alert_links.make_unsubscribe_token(saved_search),
        ):
            url = reverse("procurement:alert-confirm", args=[bad])
            for response in (self.client.get(url), self.client.post(url)):
                self.assertContains(response, "This link has not worked", status_code=404)
        saved_search.refresh_from_db()
        self.assertIsNone(saved_search.confirmed_at)

    def test_an_expired_link_says_so(self):
        saved_search = create_saved_search()
        token = alert_links.make_confirm_token(saved_search)
        later = timezone.now().timestamp() + timedelta(days=8).total_seconds()

        url = reverse("procurement:alert-confirm", args=[token])
        with mock.patch("django.core.signing.time.time", return_value=later):
            responses = [self.client.get(url), self.client.post(url)]

        for response in responses:
            self.assertContains(response, "This link has expired", status_code=404)
        saved_search.refresh_from_db()
        self.assertIsNone(saved_search.confirmed_at)

    def test_a_deleted_saved_search_gets_a_clear_page(self):
        saved_search = create_saved_search()
        token = alert_links.make_confirm_token(saved_search)
        saved_search.delete()

        response = self.client.get(reverse("procurement:alert-confirm", args=[token]))

        self.assertContains(response, "This link has not worked", status_code=404)


class UnsubscribeTests(TestCase):
    def setUp(self):
        self.saved_search = create_saved_search(
            confirmed_at=timezone.now(), last_sent_at=timezone.now(), query="sme=1"
        )
        self.url = reverse(
            "procurement:alert-unsubscribe",
            args=[alert_links.make_unsubscribe_token(self.saved_search)],
        )

    def test_get_asks_and_changes_nothing(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Unsubscribe from this alert")
        self.assertContains(response, f'action="{self.url}"')
        self.saved_search.refresh_from_db()
        self.assertIsNone(self.saved_search.unsubscribed_at)

    def test_the_button_unsubscribes_once_signed_out(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.url)
        csrf_token = page.context["csrf_token"]

        first = client.post(self.url, {"csrfmiddlewaretoken": str(csrf_token)})
        second = client.post(self.url, {"csrfmiddlewaretoken": str(csrf_token)})

        self.assertContains(first, "You have unsubscribed")
        self.assertContains(second, "You have already unsubscribed")
        self.saved_search.refresh_from_db()
        self.assertIsNotNone(self.saved_search.unsubscribed_at)
        self.assertContains(client.get(self.url), "You have already unsubscribed")

    def test_one_click_post_from_a_mail_client(self):
        # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no CSRF token.
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            self.url,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )

        self.assertEqual(response.status_code, 200)
        self.saved_search.refresh_from_db()
        self.assertIsNotNone(self.saved_search.unsubscribed_at)

    def test_unsubscribed_searches_get_no_digest(self):
        self.client.post(self.url)

        self.assertEqual(alerts.send_due_digests(now=timezone.now() + timedelta(days=2)), 0)

    def test_a_bad_token_gets_a_clear_page(self):
        for bad in ("x", alert_links.make_confirm_token(self.saved_search)):
            url = reverse("procurement:alert-unsubscribe", args=[bad])
            self.assertContains(self.client.post(url), "This link has not worked", status_code=404)
            self.assertContains(self.client.get(url), "This link has not worked", status_code=404)
        self.saved_search.refresh_from_db()
        self.assertIsNone(self.saved_search.unsubscribed_at)


class ManageTests(TestCase):
    def setUp(self):
        self.daily = create_saved_search(
            email="founder@example.com", query="sme=1", confirmed_at=timezone.now()
        )
        self.unconfirmed = create_saved_search(email="Founder@example.com", query="closing=7")
        self.gone = create_saved_search(
            email="founder@example.com", query="vcse=1", unsubscribed_at=timezone.now()
        )
        self.someone_else = create_saved_search(email="other@example.com", query="buyer=private")
        self.token = alert_links.make_manage_token("founder@example.com")
        self.url = reverse("procurement:alert-manage", args=[self.token])

    def test_lists_every_saved_search_of_the_address_signed_out(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Manage your email alerts")
        self.assertContains(response, "Suitable for small and medium-sized enterprises")
        self.assertContains(response, "Closing within 7 days")
        self.assertContains(response, "Not confirmed yet")
        self.assertNotContains(response, "Suitable for voluntary")
        self.assertNotContains(response, "Private sector buyers")
        self.assertNotContains(response, str(self.someone_else.public_id))

    def test_change_how_often(self):
        response = self.client.post(
            self.url,
            {"saved_search": self.daily.public_id, "action": "frequency", "frequency": "weekly"},
            follow=True,
        )

        self.assertRedirects(response, self.url)
        self.assertContains(response, "frequency has been changed")
        self.daily.refresh_from_db()
        self.assertEqual(self.daily.frequency, "weekly")

    def test_unsubscribe_one(self):
        self.client.post(self.url, {"saved_search": self.daily.public_id, "action": "unsubscribe"})

        self.daily.refresh_from_db()
        self.assertIsNotNone(self.daily.unsubscribed_at)
        self.unconfirmed.refresh_from_db()
        self.assertIsNone(self.unconfirmed.unsubscribed_at)

    def test_unsubscribing_twice_says_so(self):
        data = {"saved_search": self.daily.public_id, "action": "unsubscribe"}
        self.client.post(self.url, data)

        response = self.client.post(self.url, data, follow=True)

        self.assertContains(response, "You had already unsubscribed from that alert")

    def test_cannot_touch_another_address_search(self):
        response = self.client.post(
            self.url, {"saved_search": self.someone_else.public_id, "action": "unsubscribe"}
        )

        self.assertEqual(response.status_code, 404)
        self.someone_else.refresh_from_db()
        self.assertIsNone(self.someone_else.unsubscribed_at)

    def test_a_bad_form_is_a_message_not_an_error(self):
        response = self.client.post(
            self.url, {"saved_search": self.daily.public_id, "action": "frequency"}, follow=True
        )

        self.assertContains(response, "Choose how often you want emails")
        self.daily.refresh_from_db()
        self.assertEqual(self.daily.frequency, "daily")

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            self.url, {"saved_search": self.daily.public_id, "action": "unsubscribe"}
        )

        self.assertEqual(response.status_code, 403)

    def test_bad_and_expired_tokens_get_a_clear_page(self):
        bad = reverse("procurement:alert-manage", args=[self.token[:-2] + "zz"])
        self.assertContains(self.client.get(bad), "This link has not worked", status_code=404)

        later = timezone.now().timestamp() + timedelta(days=91).total_seconds()
        with mock.patch("django.core.signing.time.time", return_value=later):
            response = self.client.get(self.url)
        self.assertContains(response, "This link has expired", status_code=404)

    def test_the_digest_links_open_the_manage_and_unsubscribe_pages(self):
        self.daily.last_sent_at = timezone.now() - timedelta(days=2)
        self.daily.save(update_fields=["last_sent_at"])
        from tests.factories import create_opportunity

        create_opportunity(
            title="SME friendly", sme_suitable=True, published_at=timezone.now() - timedelta(1)
        )
        alerts.send_due_digests()
        [message] = mail.outbox
        paths = [
            link.removeprefix("http://127.0.0.1:8000")
            for link in re.findall(r"http://\S+", message.body)
        ]

        manage = next(path for path in paths if "/alerts/manage/" in path)
        unsubscribe = next(path for path in paths if "/alerts/unsubscribe/" in path)
        self.assertContains(Client().get(manage), "Manage your email alerts")
        self.assertContains(Client().post(unsubscribe), "You have unsubscribed")
