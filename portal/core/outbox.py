"""The outbox: background tasks survive a broker that cannot be reached.

A service asks for a task with ``portal.lib.tasks.enqueue_on_commit``. With a broker
configured, that writes an ``OutboxTask`` row in the service's own transaction, so the
request for the task commits or rolls back with the change that caused it; once the
transaction commits, the task is sent to the broker and its row deleted. If the broker
does not answer then (Redis restarting, the network down), the change is still saved and
the person's request still succeeds: the row stays, and ``send_waiting`` (every minute,
CELERY_BEAT_SCHEDULE) sends it once the broker is back.

A task may reach the broker twice, never zero times: if the row's deletion fails after
the send, the sweep sends it again. Every task here is safe to run twice (they say so),
which is what makes that the right way round. With no broker (tasks run in process) there
is no outbox: the task runs at commit, as before.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.core.models import OutboxTask
from portal.lib.tasks import registered_task

logger = logging.getLogger(__name__)

# The sweep leaves rows younger than this to the commit that wrote them.
SWEEP_AFTER = timedelta(seconds=30)
BATCH = 100


def hold(name: str, args: tuple) -> None:
    """Write the task's row in the current transaction; send it once that commits."""
    row = OutboxTask.objects.create(name=name, args=list(args))
    transaction.on_commit(lambda: _send(row.pk, name, list(args)), robust=True)


def _publish(name: str, args: list) -> None:
    # retry=False: an unreachable broker fails at once, instead of holding up the
    # request that committed the change; the sweep tries again.
    registered_task(name).apply_async(args, retry=False)


def _send(pk: int, name: str, args: list) -> bool:
    try:
        _publish(name, args)
    except Exception as error:
        logger.warning("Task %s kept in the outbox: the broker did not take it (%s)", name, error)
        OutboxTask.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:300]
        )
        return False
    OutboxTask.objects.filter(pk=pk).delete()
    return True


def send_waiting(*, now=None) -> int:
    """Send the tasks whose commit could not send them; returns how many were sent.
    Stops at the first the broker refuses (it is down: the next sweep goes on). Rows are
    locked while they are sent, so two sweeps never send the same one."""
    cutoff = (now or timezone.now()) - SWEEP_AFTER
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(created__lt=cutoff)
                .order_by("created", "pk")[:BATCH]
            )
            if not rows:
                return sent
            for row in rows:
                if not _send(row.pk, row.name, row.args):
                    return sent
                sent += 1
