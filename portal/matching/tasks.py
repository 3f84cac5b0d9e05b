"""Background work of the matcher: match alerts.

Each task takes ids (or nothing) and calls one function of ``alerts.py``; all are safe
to run twice, and the email tasks are retried while the mail server refuses.
"""

from celery import shared_task

from portal.lib import subscriptions
from portal.lib.tasks import email_task
from portal.matching import alerts
from portal.matching.models import MatchSubscription


@shared_task(name="portal.matching.tasks.delete_unconfirmed_match_alerts")
def delete_unconfirmed_match_alerts() -> int:
    """Daily: match alerts never confirmed within 7 days are deleted."""
    return subscriptions.delete_unconfirmed(MatchSubscription)


@shared_task(name="portal.matching.tasks.send_match_alert_digests")
def send_match_alert_digests() -> int:
    """Email every match alert that is due its weekly new matches; returns how many."""
    return alerts.send_due_digests()


@email_task("portal.matching.tasks.send_match_alert_digest")
def send_match_alert_digest(subscription_id: int) -> int:
    """Send one match alert its digest, if it is still due (a retry of one that failed).
    Never sends it twice: see ``portal.lib.subscriptions.Mailing.send_digest``."""
    return alerts.send_digest(subscription_id=subscription_id)


@email_task("portal.matching.tasks.send_match_alert_confirmation")
def send_match_alert_confirmation(subscription_id: int) -> None:
    """The double opt-in email of a new match alert. A second run sends it again, which
    is harmless (the link confirms once)."""
    alerts.send_confirmation(subscription_id=subscription_id)
