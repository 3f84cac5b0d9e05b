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
import shutil
import socket
import subprocess
import sys
import time
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
    def __init__(self, *, client: Celery, queue: str, process: subprocess.Popen):
        self.client = client
        self.queue = queue
        self.process = process
        self.output = ""

    def child_pids(self) -> list[int]:
        """The pool's processes (prefork), read from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def send_task(self, name: str, **kwargs):
        """Send a task by name to this worker's own queue."""
        return self.client.send_task(name, queue=self.queue, **kwargs)


@contextmanager
def running_worker(
    *, mail_folder: Path, broker_url: str = BROKER_URL, queue: str = "", pool: str = "solo"
):
    """A worker on a queue of its own (or ``queue``: "celery" is where tasks sent
    without one go), sending email as files into `mail_folder`."""
    require_worker_prerequisites()
    queue = queue or f"waymark-test-{uuid.uuid4().hex}"
    worker_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url_for_worker(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        # The test process's keys on a shared cache (tests/settings.py).
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "EMAIL_URL": f"file://{mail_folder}",
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "--app", "portal", "worker"),
            *("--pool", pool, "--concurrency", "1", "--queues", queue, "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=PROJECT_DIR,
        env=worker_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Not the current app: tasks looked up by name in this process must stay Waymark's.
    client = Celery(
        "waymark-test-client", broker=broker_url, backend=broker_url, set_as_current=False
    )
    worker = RunningWorker(client=client, queue=queue, process=process)
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, which the test may stop and
    start again (never the shared one the rest of the suite uses). Nothing is saved to
    disk: a restart starts empty, as a broker that lost its queue would."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if redis_is_reachable(self.url):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        skip_or_fail(f"a private redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@contextmanager
def private_redis():
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextmanager
def publishing_to(broker_url: str):
    """This process's Celery app sends tasks to ``broker_url`` instead of running them
    in process (as the web processes of a deployment with a broker do)."""
    from kombu import pools

    from portal.celery import app

    def reset_pools():
        # Kombu keeps its connection pools in a registry of its own: empty it, so the
        # next send opens a connection to the broker now configured.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = broker_url, False
    reset_pools()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset_pools()
