"""PostgreSQL stops under a running site: /readyz answers 503 while it is down, and the
site recovers by itself once it is back, with no restart. Against a PostgreSQL cluster
of the test's own (initdb and pg_ctl in a temporary folder, run as the postgres user),
never the shared one, and the site under gunicorn in another process. Runs in CI's
PostgreSQL pass (root, with PostgreSQL's binaries); skipped elsewhere unless
REQUIRE_CELERY_WORKER asks for every service test."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.celery_worker import PROJECT_DIR, free_port, skip_or_fail

pytestmark = pytest.mark.celery_worker


def postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return versions[-1].parent if versions else None


class PrivatePostgres:
    def __init__(self, folder: Path, bin_dir: Path):
        self.folder, self.bin = folder, bin_dir
        self.data = folder / "data"
        self.port = free_port()

    def as_postgres(self, *command, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=check,
            capture_output=True,
            text=True,
        )

    def init(self):
        self.as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )

    def start(self):
        self.as_postgres(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.folder / "log"), "-w", "start"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
        )

    def stop(self):
        self.as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for_status(url: str, status: int, *, timeout: float) -> float | None:
    """Seconds until ``url`` answered ``status``, polling; None if it never did."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if status_of(url) == status:
            return time.monotonic() - start
        time.sleep(0.2)
    return None


@pytest.fixture
def private_postgres():
    bin_dir = postgres_bin()
    if connection.vendor != "postgresql" or bin_dir is None or os.geteuid() != 0:
        skip_or_fail("needs PostgreSQL's binaries and root (runuser) to run a private cluster")
    folder = Path(tempfile.mkdtemp(prefix="waymark-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    cluster = PrivatePostgres(folder, bin_dir)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop() if (cluster.data / "postmaster.pid").exists() else None
        shutil.rmtree(folder, ignore_errors=True)


def test_readyz_says_503_while_postgresql_is_down_and_the_site_recovers_alone(
    private_postgres, capsys
):
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": private_postgres.url,
        "CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "",
        "CACHE_URL": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=PROJECT_DIR,
        env=environment,
        check=True,
    )
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"),
        ],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    readyz = f"http://127.0.0.1:{port}/readyz"
    home = f"http://127.0.0.1:{port}/support/"
    try:
        assert wait_for_status(readyz, 200, timeout=60) is not None
        assert status_of(home) == 200

        private_postgres.stop()
        assert wait_for_status(readyz, 503, timeout=30) is not None

        private_postgres.start()
        recovered = wait_for_status(readyz, 200, timeout=60)
        assert recovered is not None, "the site did not recover within 60 s"
        assert status_of(home) == 200
        with capsys.disabled():
            print(f"\nrecovered {recovered:.1f} s after PostgreSQL came back (aim: 10 s)")
    finally:
        server.terminate()
        server.wait(timeout=30)
