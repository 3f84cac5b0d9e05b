"""The founder's signed link: it opens that request only; bad or expired links are 404;
withdrawing erases what was shared and records it; CSRF on the withdrawal."""

import time
from unittest import mock

from django.test import Client, TestCase
from django.urls import reverse

from portal.advice import services
from portal.advice.choices import EventKind, RequestStatus
from portal.advice.models import AdviceNote, AdviceRequest
from portal.advice.tokens import LINK_MAX_AGE, make_request_token
from tests.advice.factories import create_advice_request
from tests.factories import create_moderator, create_user


def link(advice_request, name="advice:request", token=None):
    token = token or make_request_token(advice_request.public_id)
    return reverse(name, args=[advice_request.public_id, token])


class RequestLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mine = create_advice_request(name="Fay Founder", help_wanted="Grant help")
        cls.other = create_advice_request(name="Olly Other", help_wanted="Loan help")

    def test_the_link_shows_that_request_only(self):
        response = self.client.get(link(self.mine))

        self.assertContains(response, "Your request for advice")
        self.assertContains(response, "Fay Founder")
        self.assertContains(response, "Grant help")
        self.assertNotContains(response, "Olly Other")
        self.assertContains(response, "Withdraw my request")

    def test_another_requests_token_or_a_bad_token_is_a_404(self):
        other_token = make_request_token(self.other.public_id)
        for name in ("advice:request", "advice:sent"):
            for token in (other_token, "nonsense", other_token[:-2] + "xx"):
                with self.subTest(page=name, token=token):
                    self.assertEqual(
                        self.client.get(link(self.mine, name, token)).status_code, 404
                    )
        response = self.client.post(link(self.mine, "advice:withdraw", other_token))
        self.assertEqual(response.status_code, 404)
        self.mine.refresh_from_db()
        self.assertFalse(self.mine.is_withdrawn)

    def test_an_expired_link_is_a_404(self):
        made = time.time() - LINK_MAX_AGE.total_seconds() - 60
        with mock.patch("django.core.signing.time.time", return_value=made):
            old_token = make_request_token(self.mine.public_id)

        self.assertEqual(self.client.get(link(self.mine, token=old_token)).status_code, 404)
        self.assertEqual(self.client.get(link(self.mine)).status_code, 200)

    def test_signed_in_people_other_than_the_link_holder_get_nothing_without_it(self):
        token = "x"
        for user in (create_moderator(), create_user()):
            client = Client()
            client.force_login(user)
            with self.subTest(user=user):
                self.assertEqual(client.get(link(self.mine, token=token)).status_code, 404)


class WithdrawTests(TestCase):
    def setUp(self):
        self.advice_request = create_advice_request(
            status=RequestStatus.CONTACTED, name="Fay Founder", email="fay@example.com"
        )
        AdviceNote.objects.create(request=self.advice_request, text="Called Fay on Monday.")
        # One token for the test: two made a second apart differ (they carry the time).
        self.token = make_request_token(self.advice_request.public_id)

    def link(self, name="advice:request"):
        return link(self.advice_request, name, self.token)

    def test_withdrawing_erases_the_shared_data_and_records_it(self):
        response = self.client.post(self.link("advice:withdraw"), follow=True)

        self.assertRedirects(response, self.link())
        self.assertContains(response, "You have withdrawn your request.")
        withdrawn = AdviceRequest.objects.get(pk=self.advice_request.pk)
        self.assertEqual(withdrawn.status, RequestStatus.CLOSED)
        self.assertIsNotNone(withdrawn.withdrawn_at)
        self.assertIsNotNone(withdrawn.closed_at)
        self.assertIsNotNone(withdrawn.erased_at)
        for name, blank in AdviceRequest.ERASED_VALUES.items():
            self.assertEqual(getattr(withdrawn, name), blank, name)
        self.assertFalse(AdviceNote.objects.filter(request=withdrawn).exists())
        # The anonymous facts stay.
        self.assertEqual(withdrawn.organisation_id, self.advice_request.organisation_id)
        self.assertEqual(withdrawn.council_id, self.advice_request.council_id)
        events = list(withdrawn.events.values_list("kind", "details"))
        self.assertEqual(
            events,
            [
                (EventKind.WITHDRAWN, {"from": RequestStatus.CONTACTED}),
                (EventKind.ERASED, {"reason": "withdrawn"}),
            ],
        )
        page = self.client.get(self.link())
        self.assertContains(page, "We have erased your details and everything you shared.")
        self.assertNotContains(page, "Fay Founder")
        self.assertNotContains(page, "Withdraw my request")

    def test_withdrawing_twice_changes_nothing_more(self):
        self.client.post(self.link("advice:withdraw"))
        first = AdviceRequest.objects.get(pk=self.advice_request.pk)

        response = self.client.post(self.link("advice:withdraw"))

        self.assertRedirects(response, self.link())
        again = AdviceRequest.objects.get(pk=self.advice_request.pk)
        self.assertEqual(again.withdrawn_at, first.withdrawn_at)
        self.assertEqual(again.events.count(), 2)
        self.assertFalse(services.withdraw_request(advice_request=again))

    def test_csrf_is_enforced_on_withdrawing(self):
        client = Client(enforce_csrf_checks=True)

        response = client.post(self.link("advice:withdraw"))

        self.assertEqual(response.status_code, 403)
        self.advice_request.refresh_from_db()
        self.assertFalse(self.advice_request.is_withdrawn)
        self.assertEqual(self.advice_request.name, "Fay Founder")

    def test_withdrawing_is_a_post(self):
        response = self.client.get(self.link("advice:withdraw"))

        self.assertEqual(response.status_code, 405)
