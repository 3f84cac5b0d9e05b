"""Staff sessions end after 30 minutes without a request (portal/accounts/idle.py)."""

import re
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import TestCase
from django.urls import reverse

from portal.accounts import idle
from tests.factories import (
    DEFAULT_PASSWORD,
    create_council_a_curator,
    create_moderator,
    create_user,
)

CURATION = reverse("catalogue:offer-list")
ACCOUNT = reverse("accounts:account")
STATUS = reverse("accounts:session-status")
KEEP_ALIVE = reverse("accounts:keep-alive")
THIRTY_MINUTES = 30 * 60


class StaffIdleTimeoutTests(TestCase):
    def sign_in(self, user):
        response = self.client.post(
            reverse("accounts:sign-in"), {"username": user.email, "password": DEFAULT_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def idle_for(self, seconds):
        session = self.client.session
        session[idle.LAST_SEEN_KEY] = int(time.time()) - seconds
        session.save()

    def test_a_curator_idle_for_30_minutes_is_signed_out_and_sent_to_sign_in(self):
        self.sign_in(create_council_a_curator())
        self.idle_for(THIRTY_MINUTES + 1)

        response = self.client.get(CURATION + "?status=draft")

        self.assertRedirects(
            response,
            f"{reverse('accounts:sign-in')}?next={CURATION}%3Fstatus%3Ddraft",
            fetch_redirect_response=False,
        )
        self.assertNotIn(SESSION_KEY, self.client.session)
        page = self.client.get(response.url)
        self.assertContains(page, "had not done anything for 30 minutes")

    def test_a_curator_active_within_30_minutes_stays_signed_in_and_the_clock_restarts(self):
        self.sign_in(create_council_a_curator())
        self.idle_for(THIRTY_MINUTES - 60)

        self.assertEqual(self.client.get(CURATION).status_code, 200)

        left = self.client.get(STATUS).json()["seconds_left"]
        self.assertGreater(left, THIRTY_MINUTES - 5)

    def test_a_moderator_is_timed_out_too(self):
        self.sign_in(create_moderator())
        self.idle_for(THIRTY_MINUTES + 1)

        self.assertEqual(self.client.get(ACCOUNT).status_code, 302)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_a_founder_keeps_the_long_session(self):
        founder = create_user(email="nia@example.com")
        self.sign_in(founder)
        self.idle_for(THIRTY_MINUTES * 10)

        self.assertEqual(self.client.get(ACCOUNT).status_code, 200)
        self.assertEqual(self.client.get(STATUS).json(), {"signed_in": True, "seconds_left": None})

    def test_asking_how_long_is_left_does_not_count_as_activity(self):
        self.sign_in(create_council_a_curator())
        self.idle_for(THIRTY_MINUTES - 100)

        first = self.client.get(STATUS).json()["seconds_left"]
        second = self.client.get(STATUS).json()["seconds_left"]

        self.assertLessEqual(second, first)
        self.assertLess(first, 101)

    def test_the_status_says_signed_out_once_the_time_is_up(self):
        self.sign_in(create_council_a_curator())
        self.idle_for(THIRTY_MINUTES + 1)

        self.assertEqual(self.client.get(STATUS).json(), {"signed_in": False, "seconds_left": 0})
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_stay_signed_in_restarts_the_clock(self):
        self.sign_in(create_council_a_curator())
        self.idle_for(THIRTY_MINUTES - 30)

        response = self.client.post(KEEP_ALIVE)

        self.assertEqual(response.json(), {"signed_in": True, "seconds_left": THIRTY_MINUTES})
        self.assertGreater(self.client.get(STATUS).json()["seconds_left"], THIRTY_MINUTES - 5)

    def test_staff_pages_carry_the_warning_dialog_and_founders_pages_do_not(self):
        self.sign_in(create_council_a_curator())
        self.assertContains(self.client.get(CURATION), 'id="idle-timeout-warning"')
        self.client.post(reverse("accounts:sign-out"))

        self.sign_in(create_user(email="nia@example.com"))
        self.assertNotContains(self.client.get(ACCOUNT), 'id="idle-timeout-warning"')

    def test_every_word_the_warning_shows_is_the_templates_to_translate(self):
        self.sign_in(create_council_a_curator())

        page = self.client.get(CURATION)

        # The countdown's counts, each worded (plural forms and all), and the sentences.
        self.assertContains(page, '<span data-seconds="1">1 second</span>', html=False)
        self.assertContains(page, '<span data-seconds="59">59 seconds</span>', html=False)
        self.assertContains(page, '<span data-minutes="1">1 minute</span>', html=False)
        self.assertContains(page, '<span data-minutes="2">2 minutes</span>', html=False)
        self.assertNotContains(page, 'data-minutes="3"')
        self.assertContains(page, 'data-minutes-and-seconds="%(minutes)s %(seconds)s"')
        self.assertContains(page, 'data-announcement="We will sign you out in %(time)s."')
        # The script has no words of its own: none of its strings has a space.
        script = (settings.BASE_DIR / "static/js/idle-timeout.js").read_text()
        code = "\n".join(
            line for line in script.splitlines() if not line.lstrip().startswith("//")
        )
        strings = re.findall(r'"([^"\\\n]*)"|`([^`]*)`', code)
        self.assertGreater(len(strings), 10)
        for quoted, template in strings:
            text = re.sub(r"\$\{[^}]*\}", "", quoted or template)
            with self.subTest(string=text):
                self.assertNotIn(" ", text)

    def test_a_request_within_the_minute_writes_nothing_to_the_session(self):
        self.sign_in(create_council_a_curator())
        self.client.get(CURATION)
        before = self.client.session[idle.LAST_SEEN_KEY]
        self.client.get(CURATION)
        self.assertEqual(self.client.session[idle.LAST_SEEN_KEY], before)
