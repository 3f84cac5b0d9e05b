"""The managers' daily digest of requests waiting for a first contact: at most once a
day per organisation, on working days from 8 in the morning, to its managers only, with
the overdue requests flagged and no founder's details."""

from datetime import datetime

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from portal.accounts.models import Role
from portal.advice import digest, tasks
from portal.advice.models import AdviceTeam
from tests.advice.factories import create_advice_request
from tests.advice.queue_world import create_queue_world, create_request_b
from tests.factories import (
    council_a,
    create_council_a_curator,
    create_council_a_manager,
    create_membership,
    create_user,
)


def local(*args):
    return timezone.make_aware(datetime(*args))


# Tuesday 16 June 2026.
TUESDAY_9AM = local(2026, 6, 16, 9, 0)


class DigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        world = create_queue_world()
        cls.team_a = world["team_a"]
        cls.manager = create_council_a_manager()
        cls.curator = create_council_a_curator()  # an editor: no digest
        cls.second_manager = create_user(
            email="second.manager@example.com", full_name="Sam Second"
        )
        create_membership(user=cls.second_manager, organisation=council_a(), role=Role.MANAGER)
        # Council A's: the world's request (new, asked just now in real time, so after
        # the digest's day: moved to dates that fit), one overdue, one contacted.
        cls.new = world["request_a"]
        cls.new.created = local(2026, 6, 15, 11, 0)
        cls.new.save(update_fields=["created"])
        cls.overdue = create_advice_request(
            name="Olive Overdue",
            email="olive@example.com",
            created=local(2026, 6, 5, 16, 0),
            assigned_to=cls.curator,
        )
        create_advice_request(
            status="contacted", created=local(2026, 6, 1), first_contacted_at=local(2026, 6, 2)
        )

    def send_due(self, now):
        """The digests due at ``now``, with the emails the commit enqueues."""
        with self.captureOnCommitCallbacks(execute=True):
            return digest.send_due_digests(now=now)

    def sent_to(self):
        return sorted(address for message in mail.outbox for address in message.to)

    def test_the_managers_get_the_overdue_and_new_requests_once_a_day(self):
        sent = self.send_due(TUESDAY_9AM)

        # Council B's organisation has no manager: its digest goes to nobody.
        self.assertEqual(sent, 2)
        self.assertEqual(self.sent_to(), ["manager.a@example.com", "second.manager@example.com"])
        message = next(m for m in mail.outbox if m.to == ["manager.a@example.com"])
        self.assertEqual(
            message.subject,
            "Advice requests to Gateshead Council waiting for contact: 1 new, 1 overdue",
        )
        body = message.body
        self.assertIn("Overdue: 1 request", body)
        self.assertIn(f"Request {self.overdue.pk}, asked on 5 June 2026 from Gateshead", body)
        self.assertIn("Assigned to Alice Curator.", body)
        self.assertIn("New: 1 request", body)
        self.assertIn(f"/advice/cases/{self.new.pk}/", body)
        self.assertIn("/advice/queue/council-a/", body)
        self.assertLess(body.index("Overdue:"), body.index("New:"))
        self.assertEqual(
            AdviceTeam.objects.get(pk=self.team_a.pk).digest_sent_on.isoformat(), "2026-06-16"
        )

        # Again the same day, by the hourly task: nothing more.
        mail.outbox.clear()
        self.assertEqual(self.send_due(local(2026, 6, 16, 15, 0)), 0)
        self.assertEqual(mail.outbox, [])

        # The next working day, again.
        self.assertEqual(self.send_due(local(2026, 6, 17, 8, 5)), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_the_digest_names_no_founder_and_nothing_they_shared(self):
        self.send_due(TUESDAY_9AM)

        for message in mail.outbox:
            content = message.body + message.alternatives[0].content
            for private in (
                "Olive Overdue",
                "olive@example.com",
                "Ann Asker",
                "Help choosing a grant",
                "01632",
            ):
                self.assertNotIn(private, content)

    def test_nothing_goes_before_eight_or_at_the_weekend(self):
        self.assertEqual(self.send_due(local(2026, 6, 16, 7, 59)), 0)
        self.assertEqual(self.send_due(local(2026, 6, 20, 10, 0)), 0)  # Saturday
        self.assertEqual(self.send_due(local(2026, 6, 21, 10, 0)), 0)  # Sunday
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(AdviceTeam.objects.get(pk=self.team_a.pk).digest_sent_on)

    def test_no_digest_when_nothing_is_waiting(self):
        from portal.advice.models import AdviceRequest

        AdviceRequest.objects.filter(status="new").update(
            status="contacted", first_contacted_at=TUESDAY_9AM
        )

        self.assertEqual(self.send_due(TUESDAY_9AM), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_manager_who_left_meanwhile_gets_nothing(self):
        self.second_manager.memberships.all().delete()

        self.assertEqual(
            digest.send_digest(
                team_id=self.team_a.pk, user_id=self.second_manager.pk, day="2026-06-16"
            ),
            0,
        )
        self.assertEqual(
            digest.send_digest(team_id=self.team_a.pk, user_id=self.curator.pk, day="2026-06-16"),
            0,
        )
        self.assertEqual(mail.outbox, [])

    def test_the_hourly_task_sends_todays_digests(self):
        from unittest import mock

        with mock.patch("django.utils.timezone.now", return_value=TUESDAY_9AM):
            with self.captureOnCommitCallbacks(execute=True):
                tasks.send_manager_digests.delay()
            with self.captureOnCommitCallbacks(execute=True):
                tasks.send_manager_digests.delay()

        self.assertEqual(len(mail.outbox), 2)

    def test_long_lists_link_to_the_rest(self):
        for day in range(1, 25):
            create_request_b(created=local(2026, 5, day))  # another organisation's
            create_advice_request(created=local(2026, 5, day))

        found = digest.collect_digest(council_a().pk, today=TUESDAY_9AM.date())

        self.assertEqual(found.overdue_count, 25)
        self.assertEqual(len(found.overdue), digest.LISTED)
        self.assertEqual(found.overdue[0].asked, "1 May 2026")  # the oldest first
        self.assertEqual(found.new_count, 1)
        self.send_due(TUESDAY_9AM)
        message = next(m for m in mail.outbox if m.to == ["manager.a@example.com"])
        self.assertIn("And 5 more:", message.body)
        self.assertIn("?status=overdue&sort=oldest", message.body)


def test_the_digest_task_is_scheduled_hourly():
    from django.conf import settings

    from portal.celery import app

    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "portal.advice.tasks.send_manager_digests"
    ]
    assert entry["schedule"] == 60 * 60
    assert "portal.advice.tasks.send_manager_digest" in app.tasks
