"""The broker goes down: a founder's sign-up is still saved, and the welcome email is
delivered once the broker is back, exactly once. Against a real redis-server of the
test's own that it stops and starts, and a real Celery worker (see tests/celery_worker.py
for when this runs)."""

import time

import pytest
from django.db.models import F

from portal.accounts import services
from portal.accounts.models import User
from portal.core import outbox
from portal.core.models import OutboxTask
from tests.celery_worker import (
    private_redis,
    publishing_to,
    require_worker_prerequisites,
    running_worker,
    sent_mail,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, *, timeout=90):
    """Poll ``condition`` until it holds (the worker is another process)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_an_email_asked_for_while_the_broker_is_down_arrives_once_it_is_back(tmp_path):
    require_worker_prerequisites()
    mail_folder = tmp_path / "mail"
    with private_redis() as redis:
        redis.stop()
        with publishing_to(redis.url):
            services.sign_up(
                email="nia@example.com", password="heather-kettle-orbit-71", full_name="Nia"
            )

        assert User.objects.filter(email="nia@example.com").exists()
        assert OutboxTask.objects.count() == 1

        redis.start()
        with running_worker(
            mail_folder=mail_folder, broker_url=redis.url, queue="celery"
        ) as worker:
            # As the beat's sweep does once the row is older than a commit's own send.
            OutboxTask.objects.update(created=F("created") - outbox.SWEEP_AFTER * 2)
            with publishing_to(redis.url):
                assert outbox.send_waiting() == 1
            delivered = wait_for(lambda: "Subject: Welcome" in sent_mail(mail_folder))
        assert delivered, worker.output

    messages = sent_mail(mail_folder)
    assert messages.count("Subject: Welcome") == 1, messages
    assert "To: nia@example.com" in messages
    assert not OutboxTask.objects.exists()
