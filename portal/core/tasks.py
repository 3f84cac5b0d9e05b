"""Background work of the core: the outbox's sweep."""

from celery import shared_task

from portal.core import outbox


@shared_task(name="portal.core.tasks.send_outbox")
def send_outbox() -> int:
    """Every minute: send the tasks that could not reach the broker when their change
    committed (portal/core/outbox.py); returns how many were sent."""
    return outbox.send_waiting()
