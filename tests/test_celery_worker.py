"""A real Celery worker process on Redis runs one of our tasks to the end.

Needs Redis (CELERY_TEST_BROKER_URL, default redis://127.0.0.1:6379/15) and a
database server the worker process can reach (the PostgreSQL run of CI): the
SQLite test database lives in this process's memory. Skipped otherwise, unless
REQUIRE_CELERY_WORKER is set (as CI does), when a missing piece fails instead.
"""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from celery import Celery
from django.db import connection

from tests.factories import create_user

PROJECT_DIR = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def skip_or_fail(reason):
    if os.environ.get("REQUIRE_CELERY_WORKER"):
        pytest.fail(reason)
    pytest.skip(reason)


def redis_is_reachable(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def database_url_for_worker():
    """The test database, as a DATABASE_URL another process can connect to."""
    database = connection.settings_dict
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


def test_worker_sends_the_welcome_email(tmp_path):
    if not redis_is_reachable(BROKER_URL):
        skip_or_fail(f"Redis is not reachable at {BROKER_URL}")
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs a database server: run with DATABASE_URL=postgres://…")

    user = create_user(email="worker.test@example.org", full_name="Worker Test")
    queue = f"waymark-test-{uuid.uuid4().hex}"
    mail_folder = tmp_path / "mail"
    worker_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url_for_worker(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "EMAIL_URL": f"file://{mail_folder}",
    }
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "--app", "portal", "worker"),
            *("--pool", "solo", "--queues", queue, "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=PROJECT_DIR,
        env=worker_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Celery("waymark-test-client", broker=BROKER_URL, backend=BROKER_URL)
    try:
        result = client.send_task(
            "portal.accounts.tasks.send_welcome_email", args=[user.pk], queue=queue
        )
        result.get(timeout=90)
        assert result.successful()
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        client.close()

    messages = "".join(path.read_text() for path in mail_folder.iterdir())
    assert "To: worker.test@example.org" in messages, output
    assert "Welcome to Waymark" in messages, output
