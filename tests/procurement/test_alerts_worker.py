"""The alert digest run through a real Celery worker on Redis: twice in a row, it sends
the subscriber one digest. Skipped on SQLite, required in CI (see tests/celery_worker.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.procurement.models import AlertDelivery
from tests.celery_worker import running_worker, sent_mail
from tests.factories import create_opportunity, create_saved_search

# serialized_rollback: the flush after the test would otherwise leave later tests without
# the data migrations' rows (places, CPV codes).
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DIGEST_TASK = "portal.procurement.tasks.send_alert_digests"


def test_worker_sends_the_digest_once(tmp_path):
    mail_folder = tmp_path / "mail"
    with running_worker(mail_folder=mail_folder) as worker:
        two_days_ago = timezone.now() - timedelta(days=2)
        saved_search = create_saved_search(
            email="subscriber@example.org",
            query="sme=1",
            frequency="daily",
            confirmed_at=two_days_ago,
            last_sent_at=two_days_ago,
        )
        create_opportunity(
            title="Digital inclusion programme for Gateshead",
            sme_suitable=True,
            published_at=timezone.now() - timedelta(days=1),
        )
        create_opportunity(
            title="Not for SMEs", sme_suitable=False, published_at=timezone.now() - timedelta(1)
        )

        first = worker.send_task(DIGEST_TASK)
        assert first.get(timeout=90) == 1, worker.output
        second = worker.send_task(DIGEST_TASK)
        assert second.get(timeout=90) == 0, worker.output

    messages = sent_mail(mail_folder)
    assert messages.count("To: subscriber@example.org") == 1, worker.output
    assert "Digital inclusion programme for Gateshead" in messages, worker.output
    assert "Not for SMEs" not in messages
    assert "List-Unsubscribe: <http" in messages
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in messages
    assert AlertDelivery.objects.filter(saved_search=saved_search).count() == 1
