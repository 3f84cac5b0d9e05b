"""The match alert digest run through a real Celery worker on Redis: twice in a row, it
sends the subscriber one digest with the new match. Skipped on SQLite, required in CI
(see tests/celery_worker.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.matching.models import MatchDelivery, MatchSubscription
from tests.celery_worker import running_worker, sent_mail
from tests.factories import create_offer, get_council

# serialized_rollback: the flush after the test would otherwise leave later tests without
# the data migrations' rows (places, CPV codes).
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DIGEST_TASK = "portal.matching.tasks.send_match_alert_digests"


def test_worker_sends_the_new_match_once(tmp_path):
    mail_folder = tmp_path / "mail"
    with running_worker(mail_folder=mail_folder) as worker:
        council = get_council(gss_code="E08000037")
        eight_days_ago = timezone.now() - timedelta(days=8)
        subscription = MatchSubscription.objects.create(
            email="founder@example.org",
            council=council,
            region=council.region,
            size="micro",
            stage="growing",
            sic_section="J",
            profile_key="test",
            confirmed_at=eight_days_ago,
            last_sent_at=eight_days_ago,
        )
        create_offer(
            title="Data skills bootcamp for Gateshead",
            status="published",
            uk_wide=True,
            dimensions=["data"],
        )

        first = worker.send_task(DIGEST_TASK)
        assert first.get(timeout=90) == 1, worker.output
        second = worker.send_task(DIGEST_TASK)
        assert second.get(timeout=90) == 0, worker.output

    messages = sent_mail(mail_folder)
    assert messages.count("To: founder@example.org") == 1, worker.output
    assert "Data skills bootcamp for Gateshead" in messages, worker.output
    assert "List-Unsubscribe: <http" in messages
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in messages
    assert MatchDelivery.objects.filter(subscription=subscription, emailed=True).count() == 1
