"""A real Celery worker process on Redis, for the tests that run a task end to end.

Needs Redis (CELERY_TEST_BROKER_URL, default redis://127.0.0.1:6379/15) and a
database server the worker process can reach (the PostgreSQL run of CI): the
SQLite test database lives in this process's memory. Tests are skipped otherwise,
unless REQUIRE_CELERY_WORKER is set (as CI does), when a missing piece fails instead.

    with running_worker(mail_folder=tmp_path / "mail") as worker:
        result = worker.send_task("portal.accounts.tasks.send_welcome_email", args=[1])
        result.get(timeout=90)
    worker.output  # the worker's log, for assertion messages
"""

import os
import socket
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


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


def require_worker_prerequisites():
    """Skip (or fail, under REQUIRE_CELERY_WORKER) unless Redis and a database server
    the worker can reach are there."""
    if not redis_is_reachable(BROKER_URL):
        skip_or_fail(f"Redis is not reachable at {BROKER_URL}")
    if connection.vendor != "postgresql":
        skip_or_fail("the worker needs a database server: run with DATABASE_URL=postgres://…")


def database_url_for_worker():
    """The test database, as a DATABASE_URL another process can connect to."""
    database = connection.settings_dict
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


class RunningWorker:
    def __init__(self, *, client: Celery, queue: str):
        self.client = client
        self.queue = queue
        self.output = ""

    def send_task(self, name: str, **kwargs):
        """Send a task by name to this worker's own queue."""
        return self.client.send_task(name, queue=self.queue, **kwargs)


@contextmanager
def running_worker(*, mail_folder: Path):
    """A worker on a queue of its own, sending email as files into `mail_folder`."""
    require_worker_prerequisites()
    queue = f"waymark-test-{uuid.uuid4().hex}"
    worker_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url_for_worker(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        # The test process's keys on a shared cache (tests/settings.py).
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "EMAIL_URL": f"file://{mail_folder}",
    }
    process = subprocess.Popen(
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
    worker = RunningWorker(client=client, queue=queue)
    try:
        yield worker
    finally:
        process.terminate()
        worker.output, _ = process.communicate(timeout=30)
        client.close()


def sent_mail(mail_folder: Path) -> str:
    """Every message the worker wrote, one after the other."""
    if not mail_folder.exists():
        return ""
    return "".join(path.read_text() for path in sorted(mail_folder.iterdir()))
