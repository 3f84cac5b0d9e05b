"""Background work for contract opportunities: OCDS imports, posting emails and alerts.

Each task takes ids (or nothing) and calls one service function, so it does the same in
process (no broker configured) as on a worker; services enqueue them by name after
commit (``portal.lib.tasks.enqueue_on_commit``). All of them are idempotent; the email
tasks are retried while the mail server refuses.
"""

from celery import shared_task

from portal.lib import subscriptions
from portal.lib.tasks import email_task
from portal.procurement import emails
from portal.procurement.importing.runs import fail_stalled_runs, import_feed, import_sources
from portal.procurement.models import Opportunity, SavedSearch, Status
from portal.procurement.services import alerts


@shared_task(name="portal.procurement.tasks.import_ocds")
def import_ocds(sources: list[str], *, feed: str = "", user_id: int | None = None) -> int:
    """Import OCDS files, directories or URLs; returns the ImportRun's id."""
    return import_sources(sources, feed=feed, user_id=user_id).pk


@shared_task(name="portal.procurement.tasks.import_ocds_feed")
def import_ocds_feed(feed: str) -> int:
    """Import one of the feeds in settings.OCDS_FEEDS (the periodic schedule)."""
    return import_feed(feed).pk


@shared_task(name="portal.procurement.tasks.fail_stalled_import_runs")
def fail_stalled_import_runs() -> int:
    """Mark failed the import runs whose process ended without finishing them (the
    periodic sweep; each import also runs it first). Returns how many."""
    return fail_stalled_runs()


@email_task("portal.procurement.tasks.send_pending_opportunity_emails")
def send_pending_opportunity_emails(opportunity_id: int) -> None:
    """Tell the moderators about a posting that waits for them, while it still waits.

    A retry after one moderator's message failed may repeat it to those already told,
    which is harmless; once the posting is decided no run sends anything."""
    opportunity = (
        Opportunity.objects.select_related("publisher")
        .filter(pk=opportunity_id, status=Status.PENDING)
        .first()
    )
    if opportunity is not None:
        emails.send_pending_opportunity_emails(opportunity=opportunity)


@email_task("portal.procurement.tasks.send_opportunity_approved_email")
def send_opportunity_approved_email(opportunity_id: int) -> None:
    """Tell the poster their posting is published, if it still is. A second run repeats
    the email, which is harmless."""
    opportunity = Opportunity.objects.filter(pk=opportunity_id, status=Status.OPEN).first()
    if opportunity is not None:
        emails.send_opportunity_approved_email(opportunity=opportunity)


@shared_task(name="portal.procurement.tasks.delete_unconfirmed_alerts")
def delete_unconfirmed_alerts() -> int:
    """Daily: saved searches never confirmed within 7 days are deleted."""
    return subscriptions.delete_unconfirmed(SavedSearch)


@shared_task(name="portal.procurement.tasks.send_alert_digests")
def send_alert_digests() -> int:
    """Send every saved search that is due its daily or weekly digest; returns how many."""
    return alerts.send_due_digests()


@email_task("portal.procurement.tasks.send_alert_digest")
def send_alert_digest(saved_search_id: int) -> int:
    """Send one saved search its digest, if it is still due (a retry of one that failed).
    Never sends it twice: see ``alerts.send_digest``."""
    return alerts.send_digest(saved_search_id=saved_search_id)


@shared_task(name="portal.procurement.tasks.send_closing_reminders")
def send_closing_reminders() -> int:
    """Remind users of saved opportunities closing within 7 days; returns how many."""
    return alerts.send_closing_reminders()


@email_task("portal.procurement.tasks.send_closing_reminder")
def send_closing_reminder(user_id: int) -> int:
    """Remind one user of their saved opportunities closing soon (a retry of one that
    failed); an opportunity already in a reminder is not sent again."""
    return alerts.send_closing_reminder(user_id=user_id)


@email_task("portal.procurement.tasks.send_alert_confirmation")
def send_alert_confirmation(saved_search_id: int) -> None:
    """The double opt-in email for a new saved search. A second run sends it again,
    which is harmless (the link confirms once)."""
    alerts.send_confirmation(saved_search_id=saved_search_id)
