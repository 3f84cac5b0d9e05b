"""Background work for contract opportunities: OCDS imports and email alerts.

Each task is a thin wrapper over a service function, so it does the same in process
(no broker configured) as on a worker. All of them are idempotent.
"""

from celery import shared_task


@shared_task
def import_ocds(sources: list[str], *, feed: str = "", user_id: int | None = None) -> int:
    """Import OCDS files, directories or URLs; returns the ImportRun's id."""
    from portal.procurement.importing import import_sources

    return import_sources(sources, feed=feed, user_id=user_id).pk


@shared_task
def import_ocds_feed(feed: str) -> int:
    """Import one of the feeds in settings.OCDS_FEEDS (the periodic schedule)."""
    from portal.procurement.importing import import_feed

    return import_feed(feed).pk


@shared_task
def send_alert_digests() -> int:
    """Send every saved search that is due its daily or weekly digest; returns how many."""
    from portal.procurement.alerts import send_due_digests

    return send_due_digests()


@shared_task
def send_closing_reminders() -> int:
    """Remind users of saved opportunities closing within 7 days; returns how many."""
    from portal.procurement.alerts import send_closing_reminders as send

    return send()


@shared_task
def send_alert_confirmation(saved_search_id: int) -> None:
    """The double opt-in email for a new saved search."""
    from portal.procurement.alerts import send_confirmation

    send_confirmation(saved_search_id)
