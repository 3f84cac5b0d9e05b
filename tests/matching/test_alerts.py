"""Match alerts: asked for from "Recommended for you" or the results page, double opt-in,
weekly digests of only the new matches (each sent once), one-click unsubscribe, clear
pages for bad links, the daily limit, and who may ask."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from diagnostics.access import SESSION_KEY
from portal.accounts.models import User
from portal.lib.subscriptions import Frequency
from portal.matching import alerts, candidates
from portal.matching.models import MatchDelivery, MatchSubscription
from portal.matching.rules import (
    can_ask_for_match_alerts,
    can_ask_for_match_alerts_for,
    can_manage_match_alerts,
)
from portal.procurement import alert_links
from tests.base import permission_matrix
from tests.diagnostics.peer_data import complete_assessment
from tests.factories import (
    create_assessment,
    create_offer,
    create_opportunity,
    create_saved_search,
    create_user,
    get_council,
)

GATESHEAD = "E08000037"
PROFILE = {"council": GATESHEAD, "size": "micro", "stage": "growing", "sic_section": "J"}
QUERY = "council=E08000037&size=micro&stage=growing&sic_section=J"
LINK = re.compile(r"https?://[^\s<>\"]+")


def links(message, part: str) -> list[str]:
    return [urlsplit(link).path for link in LINK.findall(message.body) if part in link]


def offer(title: str, **fields):
    fields.setdefault("dimensions", ["data"])
    fields.setdefault("kind", "training_course")
    return create_offer(title=title, status="published", uk_wide=True, **fields)


def opportunity(title: str, **fields):
    return create_opportunity(title=title, uk_wide=True, sme_suitable=True, **fields)


class MatchAlertTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)
        cls.data_basics = offer("Data basics")
        cls.cloud_contract = opportunity("Cloud hosting for the council")

    def setUp(self):
        cache.clear()
        candidates.forget()

    def ask(self, email="founder@example.com", query=QUERY, **data):
        url = reverse("matching:alert-create") + (f"?{query}" if query else "")
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"alert-email": email, **data})

    def confirm(self):
        """Follow the emailed link and press Confirm on the page it opens."""
        [path] = links(mail.outbox[-1], "/confirm/")
        client = Client(enforce_csrf_checks=True)
        page = client.get(path)
        token = page.context["csrf_token"] if page.status_code == 200 else ""
        return client.post(path, {"csrfmiddlewaretoken": str(token)})

    def later(self, days: float):
        return timezone.now() + timedelta(days=days)

    def digests(self, days: float) -> int:
        # A new offer or opportunity made by a factory bumps no data version: rebuild.
        candidates.forget()
        return alerts.send_due_digests(now=self.later(days))


class SignUpTests(MatchAlertTestCase):
    def test_the_recommended_page_offers_the_form_for_its_profile(self):
        response = self.client.get(reverse("matching:recommended"), {**PROFILE, "kind": "grant"})

        self.assertContains(response, "Get new matches by email")
        self.assertContains(response, "Email me new matches")
        # The profile goes with the form; the page's filters do not.
        self.assertContains(
            response, f'action="/recommended/alerts/new/?{QUERY.replace("&", "&amp;")}"'
        )
        self.assertContains(response, 'name="alert-email"')

    def test_asking_sends_only_the_confirmation_and_says_check_your_email(self):
        response = self.ask()

        self.assertRedirects(response, reverse("matching:alert-sent"))
        sent = self.client.get(response.url)
        self.assertContains(sent, "Check your email")
        self.assertContains(sent, "founder@example.com")
        subscription = MatchSubscription.objects.get()
        self.assertEqual(
            (subscription.email, subscription.size, subscription.stage, subscription.sic_section),
            ("founder@example.com", "micro", "growing", "J"),
        )
        self.assertEqual(subscription.council.gss_code, GATESHEAD)
        self.assertEqual(subscription.frequency, Frequency.WEEKLY)
        self.assertIsNone(subscription.scores)
        self.assertIsNone(subscription.confirmed_at)
        [message] = mail.outbox
        self.assertEqual(message.to, ["founder@example.com"])
        self.assertEqual(message.subject, "Confirm your email alert for new support and contracts")
        self.assertIn("In Gateshead", message.body)
        self.assertIn("Micro (0 to 9 staff)", message.body)
        self.assertNotIn("List-Unsubscribe", message.extra_headers)

    def test_the_form_page_shows_errors_in_the_summary(self):
        response = self.ask(email="not an email")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Error:", html=False)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(
            response, "Enter an email address in the correct format, like name@example.com"
        )
        self.assertContains(response, "In Gateshead")
        self.assertFalse(MatchSubscription.objects.exists())

    def test_without_a_profile_or_diagnostic_it_goes_to_the_profile_page(self):
        response = self.ask(query="")

        self.assertRedirects(
            response, reverse("matching:recommended"), fetch_redirect_response=False
        )
        self.assertFalse(MatchSubscription.objects.exists())

    def test_the_same_address_and_business_again_is_one_alert(self):
        self.ask(email="Founder@Example.com")
        self.ask(email="founder@example.COM")

        self.assertEqual(MatchSubscription.objects.count(), 1)
        # The confirmation is sent again only after a while.
        self.assertEqual(len(mail.outbox), 1)

    def test_too_many_in_a_day_is_a_clear_error(self):
        for stage in ("pre_start", "start_up", "growing", "established", "scaling"):
            self.ask(email="spam@example.com", query=QUERY.replace("growing", stage))

        response = self.ask(email="spam@example.com", query=QUERY.replace("micro", "small"))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You have asked for too many alerts")
        self.assertEqual(MatchSubscription.objects.count(), 5)

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            reverse("matching:alert-create") + f"?{QUERY}", {"alert-email": "a@example.com"}
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(MatchSubscription.objects.exists())

    def test_a_signed_in_founder_gets_their_address_prefilled(self):
        self.client.force_login(create_user(email="pat@example.com"))

        response = self.client.get(reverse("matching:recommended"), PROFILE)

        self.assertContains(response, 'value="pat@example.com"')


class FromTheDiagnosticTests(MatchAlertTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.assessment = complete_assessment()

    def grant(self):
        session = self.client.session
        session[SESSION_KEY] = [str(self.assessment.public_id)]
        session.save()

    def test_the_results_page_offers_the_form_for_its_assessment(self):
        self.grant()

        response = self.client.get(
            reverse("diagnostics:results", args=[self.assessment.public_id])
        )

        self.assertContains(response, "Email me new matches")
        self.assertContains(response, f'value="{self.assessment.public_id}"')

    def test_the_alert_keeps_the_scores_and_flags_but_no_answers(self):
        self.grant()

        response = self.ask(query="", **{"alert-assessment": str(self.assessment.public_id)})

        self.assertRedirects(response, reverse("matching:alert-sent"))
        subscription = MatchSubscription.objects.get()
        result = self.assessment.result
        self.assertEqual(set(subscription.scores), {"dimensions", "bands", "flags"})
        self.assertEqual(
            subscription.scores["dimensions"],
            {key: round(value, 1) for key, value in result["dimensions"].items()},
        )
        self.assertEqual(subscription.scores["flags"], sorted(result["flags"]))
        self.assertEqual(subscription.council_id, self.assessment.council_id)
        self.assertIn("Ranked for the gaps your diagnostic found", mail.outbox[0].body)
        # Rebuilt, the business ranks as the assessment does.
        from portal.matching.recommendations import business_from_assessment

        self.assertEqual(
            alerts.business_of(subscription), business_from_assessment(self.assessment)
        )

    def test_the_recommended_page_uses_the_visitors_latest_assessment(self):
        self.grant()

        response = self.client.get(reverse("matching:recommended"))

        self.assertContains(response, f'value="{self.assessment.public_id}"')
        self.ask(query="", **{"alert-assessment": str(self.assessment.public_id)})
        self.assertIsNotNone(MatchSubscription.objects.get().scores)

    def test_someone_elses_assessment_is_a_404(self):
        response = self.ask(**{"alert-assessment": str(self.assessment.public_id)})

        self.assertEqual(response.status_code, 404)
        self.assertFalse(MatchSubscription.objects.exists())
        self.assertEqual(mail.outbox, [])


class DigestTests(MatchAlertTestCase):
    def test_nothing_is_sent_before_the_link_is_followed(self):
        self.ask()
        offer("Cyber security for small firms", dimensions=["cyber"])

        self.assertEqual(self.digests(8), 0)
        self.assertEqual(self.digests(30), 0)
        self.assertEqual(len(mail.outbox), 1)  # the confirmation alone
        self.assertFalse(MatchDelivery.objects.exists())

    def test_following_the_link_changes_nothing_and_asks_to_confirm(self):
        self.ask()
        [path] = links(mail.outbox[-1], "/confirm/")

        head = self.client.head(path)
        with self.assertNumQueries(3):  # the session, the alert, its council and region
            page = self.client.get(path)

        self.assertEqual(head.status_code, 200)
        self.assertContains(page, "Confirm your email alert")
        self.assertContains(page, "founder@example.com")
        self.assertContains(page, "In Gateshead")
        self.assertContains(page, f'<form method="post" action="{path}"', html=False)
        self.assertContains(page, ">Confirm</button>", html=False)
        self.assertIsNone(MatchSubscription.objects.get().confirmed_at)
        self.assertFalse(MatchDelivery.objects.exists())
        # Posted without the page's CSRF token: refused, nothing confirmed.
        refused = Client(enforce_csrf_checks=True).post(path)
        self.assertEqual(refused.status_code, 403)
        self.assertIsNone(MatchSubscription.objects.get().confirmed_at)

    def test_confirming_records_what_matches_now_as_seen(self):
        self.ask()

        response = self.confirm()

        self.assertContains(response, "Your match alert is set up")
        subscription = MatchSubscription.objects.get()
        self.assertIsNotNone(subscription.confirmed_at)
        seen = MatchDelivery.objects.filter(subscription=subscription)
        self.assertEqual(
            {(row.offer_id, row.opportunity_id, row.emailed) for row in seen},
            {(self.data_basics.pk, None, False), (None, self.cloud_contract.pk, False)},
        )
        # Confirming again, or following the link again, changes nothing.
        self.assertContains(self.confirm(), "You had already confirmed this alert")
        [path] = links(mail.outbox[-1], "/confirm/")
        self.assertContains(self.client.get(path), "You had already confirmed this alert")
        self.assertEqual(seen.count(), 2)

    def test_only_new_matches_are_sent_weekly_and_each_once(self):
        self.ask()
        self.confirm()
        offer("Cyber security for small firms", dimensions=["cyber"], cost="free")
        opportunity("Website accessibility audit")

        self.assertEqual(self.digests(3), 0)  # weekly: not yet
        self.assertEqual(self.digests(7), 1)
        self.assertEqual(self.digests(7), 0)  # run twice: nothing more

        digest = mail.outbox[-1]
        self.assertEqual(digest.to, ["founder@example.com"])
        self.assertEqual(digest.subject, "2 new matches for your business: support and contracts")
        self.assertIn("Cyber security for small firms", digest.body)
        self.assertIn("Website accessibility audit", digest.body)
        self.assertNotIn("Data basics", digest.body)
        self.assertNotIn("Cloud hosting for the council", digest.body)
        # With the reasons, worded as the pages word them.
        self.assertIn("- Open to micro businesses across the UK", digest.body)
        self.assertIn("- Free", digest.body)
        [(html, _mimetype)] = digest.alternatives
        self.assertIn("Cyber security for small firms", html)
        [unsubscribe] = links(digest, "/unsubscribe/")
        self.assertTrue(digest.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>"))
        self.assertEqual(
            digest.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )

        # A week later nothing new: no email. Then only the one new match.
        self.assertEqual(self.digests(14), 0)
        offer("Data protection clinic", dimensions=["data"])
        self.assertEqual(self.digests(21), 1)
        self.assertIn("Data protection clinic", mail.outbox[-1].body)
        self.assertNotIn("Cyber security for small firms", mail.outbox[-1].body)
        self.assertEqual(len(mail.outbox), 3)  # confirmation and two digests
        self.assertEqual(MatchDelivery.objects.filter(emailed=True).count(), 3)

    def test_a_match_that_leaves_and_comes_back_is_not_sent_again(self):
        self.ask()
        self.confirm()
        self.data_basics.status = "archived"
        self.data_basics.save(update_fields=["status"])
        self.assertEqual(self.digests(7), 0)
        self.data_basics.status = "published"
        self.data_basics.save(update_fields=["status"])

        self.assertEqual(self.digests(14), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_closed_opportunity_is_no_match(self):
        self.ask()
        self.confirm()
        opportunity("Closes before the digest", deadline=timezone.now() + timedelta(days=8))

        self.assertEqual(self.digests(7), 0)

    def test_the_task_sends_the_due_digests_and_is_scheduled(self):
        from django.conf import settings

        from portal.matching.tasks import send_match_alert_digests

        self.ask()
        self.confirm()
        MatchSubscription.objects.update(confirmed_at=self.later(-8), last_sent_at=self.later(-8))
        offer("Cyber security for small firms", dimensions=["cyber"])
        candidates.forget()

        self.assertEqual(send_match_alert_digests.delay().get(), 1)
        self.assertEqual(send_match_alert_digests.delay().get(), 0)
        scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertIn("portal.matching.tasks.send_match_alert_digests", scheduled)

    def test_queries_per_alert_are_bounded(self):
        for number in range(3):
            self.ask(email=f"founder{number}@example.com")
            self.confirm()
        for number in range(5):
            offer(f"New offer {number}")
            opportunity(f"New opportunity {number}")
        candidates.forget()
        alerts.send_due_digests(now=self.later(7))  # builds the candidates
        MatchSubscription.objects.update(last_sent_at=self.later(-1))
        MatchDelivery.objects.filter(emailed=True).delete()
        mail.outbox.clear()

        # Per alert: a savepoint, lock it, its council, what it was sent, the offers'
        # and opportunities' fields, restart the period, record the deliveries, release.
        with self.assertNumQueries(1 + 3 * 9):
            self.assertEqual(alerts.send_due_digests(now=self.later(7)), 3)


class UnsubscribeTests(MatchAlertTestCase):
    def confirmed_alert(self):
        self.ask()
        self.confirm()
        return MatchSubscription.objects.get()

    def test_get_asks_and_the_button_unsubscribes(self):
        subscription = self.confirmed_alert()
        url = reverse(
            "matching:alert-unsubscribe", args=[alerts.LINKS.unsubscribe_token(subscription)]
        )

        page = self.client.get(url)
        self.assertContains(page, "Unsubscribe from match alerts")
        subscription.refresh_from_db()
        self.assertIsNone(subscription.unsubscribed_at)

        done = self.client.post(url)
        self.assertContains(done, "You have unsubscribed")
        again = self.client.post(url)
        self.assertContains(again, "You have already unsubscribed")
        subscription.refresh_from_db()
        self.assertIsNotNone(subscription.unsubscribed_at)

    def test_one_click_from_a_mail_client_needs_no_csrf_token_and_stops_the_emails(self):
        self.confirmed_alert()
        offer("Cyber security for small firms", dimensions=["cyber"])
        self.digests(7)
        [unsubscribe] = links(mail.outbox[-1], "/unsubscribe/")
        client = Client(enforce_csrf_checks=True)

        response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})

        self.assertEqual(response.status_code, 200)
        offer("Data protection clinic")
        self.assertEqual(self.digests(14), 0)
        self.assertEqual(len(mail.outbox), 2)

    def test_bad_and_expired_links_get_a_clear_page(self):
        subscription = self.confirmed_alert()
        confirm = alerts.LINKS.confirm_token(subscription)
        saved_search = create_saved_search()
        cases = {
            "confirm, tampered": ("alert-confirm", confirm[:-2] + "xx"),
            "confirm, an unsubscribe token": (
                "alert-confirm",
                alerts.LINKS.unsubscribe_token(subscription),
            ),
            "unsubscribe, junk": ("alert-unsubscribe", "junk"),
            "unsubscribe, a contract alert's token": (
                "alert-unsubscribe",
                alert_links.make_unsubscribe_token(saved_search),
            ),
        }
        for case, (view, token) in cases.items():
            for method in ("get", "post"):
                with self.subTest(case, method=method):
                    url = reverse(f"matching:{view}", args=[token])
                    response = getattr(self.client, method)(url)
                    self.assertContains(response, "This link has not worked", status_code=404)

        later = timezone.now().timestamp() + timedelta(days=8).total_seconds()
        with mock.patch("django.core.signing.time.time", return_value=later):
            url = reverse("matching:alert-confirm", args=[confirm])
            for response in (self.client.get(url), self.client.post(url)):
                self.assertContains(response, "This link has expired", status_code=404)

    def test_confirming_after_unsubscribing_does_not_resubscribe(self):
        self.ask()
        subscription = MatchSubscription.objects.get()
        alerts.unsubscribe(subscription=subscription)

        response = self.confirm()

        self.assertContains(response, "You have unsubscribed from this alert")
        subscription.refresh_from_db()
        self.assertIsNone(subscription.confirmed_at)


def create_assessments():
    founder = User.objects.get(email="founder.persona@example.com")
    return {
        "founders": create_assessment(user=founder),
        "anonymous": create_assessment(),
    }


RULES = {
    "can_ask_for_match_alerts": lambda user, o: can_ask_for_match_alerts(user),
    "for_the_founders_assessment": lambda user, o: can_ask_for_match_alerts_for(
        user, o["founders"], granted=frozenset()
    ),
    "for_an_assessment_this_session_started": lambda user, o: can_ask_for_match_alerts_for(
        user, o["anonymous"], granted=frozenset({o["anonymous"].public_id})
    ),
    "for_an_assessment_of_another_session": lambda user, o: can_ask_for_match_alerts_for(
        user, o["anonymous"], granted=frozenset()
    ),
    "can_manage_match_alerts": lambda user, o: can_manage_match_alerts(user),
}
ANYONE = {
    "can_ask_for_match_alerts": True,
    "for_the_founders_assessment": False,
    "for_an_assessment_this_session_started": True,
    "for_an_assessment_of_another_session": False,
    "can_manage_match_alerts": False,
}
EXPECTED = {
    "anonymous": ANYONE,
    "founder": ANYONE | {"for_the_founders_assessment": True},
    "council_a_curator": ANYONE,
    "cluster_body_poster": ANYONE,
    # Moderators may stop an alert in the admin, but not read anyone's assessment.
    "moderator": ANYONE | {"can_manage_match_alerts": True},
    "superuser": ANYONE | {"can_manage_match_alerts": True},
    "inactive_superuser": ANYONE,
}

TestMatchAlertRules = permission_matrix(RULES, EXPECTED, create_objects=create_assessments)
