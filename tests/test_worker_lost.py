"""A worker process killed in the middle of an OCDS import: the task goes back on the
queue (acks_late with reject_on_worker_lost), runs again to the end, and leaves no
opportunity twice. A real Celery worker (prefork, one process) on Redis; see
tests/celery_worker.py for when this runs."""

import os
import signal
import time

import pytest

from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.synthetic import write_release_package
from tests.celery_worker import require_worker_prerequisites, running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

RELEASES = 4000


def wait_for(condition, *, timeout=180):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            return value
        time.sleep(0.1)
    return value


def test_an_import_whose_worker_is_killed_runs_again_to_the_end_with_no_duplicate(tmp_path):
    require_worker_prerequisites()
    package = write_release_package(tmp_path / "releases.json", RELEASES)

    with running_worker(mail_folder=tmp_path / "mail", pool="prefork") as worker:
        worker.send_task("portal.procurement.tasks.import_ocds", args=[[str(package)]])

        # Killed once the first chunk is saved: part of the work is done.
        started = wait_for(
            lambda: ImportRun.objects.filter(releases_read__gt=0, finished__isnull=True).first()
        )
        assert started is not None, worker.output
        children = worker.child_pids()
        assert children, worker.output
        for pid in children:
            os.kill(pid, signal.SIGKILL)

        finished = wait_for(
            lambda: ImportRun.objects.filter(outcome=ImportRun.Outcome.SUCCEEDED).first()
        )
        assert finished is not None, worker.output
        assert finished.pk != started.pk

    assert Opportunity.objects.count() == RELEASES
    assert Opportunity.objects.values("ocid").distinct().count() == RELEASES
    assert "WorkerLostError" in worker.output, worker.output
