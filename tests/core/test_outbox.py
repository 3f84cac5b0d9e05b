"""Tasks wait in the outbox (portal/core/outbox.py) when the broker cannot take them,
and only ever about changes that committed."""

import pytest
from django.core import mail
from django.db import transaction

from portal.accounts import services
from portal.core import outbox
from portal.core.models import OutboxTask
from portal.lib.tasks import enqueue_on_commit
from tests.celery_worker import free_port, publishing_to, redis_is_reachable

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_REDIS = "redis://127.0.0.1:6379/12"


def sign_up(email="nia@example.com"):
    return services.sign_up(email=email, password="heather-kettle-orbit-71", full_name="Nia")


def test_a_task_asked_for_in_a_transaction_that_rolls_back_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        sign_up()
        raise RuntimeError("the change fails after asking for the welcome email")

    assert mail.outbox == []


def test_with_the_broker_unreachable_the_change_is_saved_and_the_task_waits():
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        user = sign_up()

    assert user.pk is not None
    waiting = OutboxTask.objects.get()
    assert waiting.name == "portal.accounts.tasks.send_welcome_email"
    assert waiting.args == [user.pk]
    assert waiting.attempts == 1
    assert waiting.last_error
    assert mail.outbox == []


def test_a_rolled_back_change_leaves_no_task_in_the_outbox():
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    with publishing_to(unreachable), pytest.raises(RuntimeError), transaction.atomic():
        sign_up()
        raise RuntimeError("rolled back")

    assert not OutboxTask.objects.exists()


@pytest.fixture
def shared_broker():
    if not redis_is_reachable(SHARED_REDIS):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    client = redis.Redis.from_url(SHARED_REDIS)
    client.delete("celery")
    yield client
    client.delete("celery")
    client.close()


def test_with_the_broker_up_the_task_is_sent_at_commit_and_its_row_deleted(shared_broker):
    with publishing_to(SHARED_REDIS):
        sign_up()

    assert not OutboxTask.objects.exists()
    assert shared_broker.llen("celery") == 1


def test_the_sweep_sends_what_waited_once_the_broker_is_back(shared_broker):
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        sign_up()
    OutboxTask.objects.update(created=OutboxTask.objects.get().created - outbox.SWEEP_AFTER * 2)

    with publishing_to(SHARED_REDIS):
        assert outbox.send_waiting() == 1
        assert outbox.send_waiting() == 0

    assert not OutboxTask.objects.exists()
    assert shared_broker.llen("celery") == 1


def test_the_sweep_leaves_young_rows_to_the_commit_that_wrote_them(shared_broker):
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        sign_up()

    with publishing_to(SHARED_REDIS):
        assert outbox.send_waiting() == 0

    assert OutboxTask.objects.count() == 1


def test_in_process_tasks_need_no_outbox():
    with transaction.atomic():
        enqueue_on_commit("portal.accounts.tasks.send_welcome_email", sign_up().pk)

    assert not OutboxTask.objects.exists()
    assert len(mail.outbox) == 2  # the one sign_up asked for, and this one
