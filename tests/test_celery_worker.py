"""A real Celery worker process on Redis runs one of our tasks to the end.

Needs Redis and a database server the worker process can reach; see
tests/celery_worker.py for how the worker is started and when the test is skipped.
"""

import pytest

from tests.celery_worker import running_worker, sent_mail
from tests.factories import create_user

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_welcome_email(tmp_path):
    mail_folder = tmp_path / "mail"
    with running_worker(mail_folder=mail_folder) as worker:
        user = create_user(email="worker.test@example.org", full_name="Worker Test")
        result = worker.send_task("portal.accounts.tasks.send_welcome_email", args=[user.pk])
        result.get(timeout=90)
        assert result.successful()

    messages = sent_mail(mail_folder)
    assert "To: worker.test@example.org" in messages, worker.output
    assert "Welcome to Waymark" in messages, worker.output
