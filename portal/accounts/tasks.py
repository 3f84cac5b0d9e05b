"""Background work for accounts: each task takes an id and calls one function.

Services enqueue these by name after commit (``portal.lib.tasks.enqueue_on_commit``),
so a task never sees a row that was rolled back; a mail server's refusal is retried.
"""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.accounts import emails
from portal.accounts.models import MembershipRequest, RequestStatus, User
from portal.lib.tasks import email_task


@email_task("portal.accounts.tasks.send_welcome_email")
def send_welcome_email(user_id: int) -> None:
    """Send "Welcome to Waymark" to a new account.

    Running it twice sends the welcome twice. That is harmless for a welcome, so no
    "sent" flag is stored to prevent it; an account deleted or deactivated in the
    meantime gets nothing.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        emails.send_welcome_email(user=user)


@email_task("portal.accounts.tasks.send_membership_requested_email")
def send_membership_requested_email(membership_request_id: int) -> None:
    """Tell those who may decide a request about it, if it is still waiting.

    A second run sends the notification again, which is harmless; once the request is
    decided no run sends anything.
    """
    membership_request = (
        MembershipRequest.objects.pending()
        .select_related("user", "organisation")
        .filter(pk=membership_request_id)
        .first()
    )
    if membership_request is not None:
        emails.send_membership_requested_email(membership_request=membership_request)


@email_task("portal.accounts.tasks.send_membership_decided_email")
def send_membership_decided_email(membership_request_id: int) -> None:
    """Tell the person who asked what was decided. A second run repeats the email."""
    membership_request = (
        MembershipRequest.objects.exclude(status=RequestStatus.PENDING)
        .select_related("user", "organisation")
        .filter(pk=membership_request_id)
        .first()
    )
    if membership_request is not None:
        emails.send_membership_decided_email(membership_request=membership_request)


@email_task("portal.accounts.tasks.send_password_reset_email")
def send_password_reset_email(user_id: int) -> None:
    """Email a password reset link to an active account that has a password. A second
    run sends a second link, which is harmless: either works, once."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None and user.has_usable_password():
        emails.send_password_reset_email(user=user)


@email_task("portal.accounts.tasks.send_email_proof_email")
def send_email_proof_email(user_id: int) -> None:
    """Email an active account the link that proves its address (for "Download your
    data" and deleting the account). A second run sends a second link, which is
    harmless: either works, for an hour."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        emails.send_email_proof_email(user=user)


@shared_task(name="portal.accounts.tasks.delete_expired_sessions")
def delete_expired_sessions() -> int:
    """Daily: delete the sessions past their expiry (what ``clearsessions`` does for the
    database backend); returns how many. Running it again deletes nothing more."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
