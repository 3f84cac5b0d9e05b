"""The emails the accounts app sends, built on ``portal.lib.mail``.

Tasks in ``tasks.py`` call these; nothing here writes to the database.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts.models import MembershipRequest, RequestStatus, User
from portal.accounts.permissions import managers_of, moderators
from portal.accounts.personal_data import make_email_proof_token
from portal.lib.mail import absolute_url, send_email


def send_welcome_email(*, user: User) -> None:
    send_email(
        to=user.email,
        subject=_("Welcome to %(service_name)s") % {"service_name": settings.SERVICE_NAME},
        template="welcome",
        context={
            "user": user,
            "account_url": absolute_url("accounts:account"),
            "organisations_url": absolute_url("accounts:organisations"),
        },
    )


def send_membership_requested_email(*, membership_request: MembershipRequest) -> None:
    """Tell the organisation's managers, or the moderators if it has none, who asked."""
    organisation = membership_request.organisation
    recipients = list(managers_of(organisation).values_list("email", flat=True)) or list(
        moderators().values_list("email", flat=True)
    )
    subject = _("%(person)s asked to join %(organisation)s") % {
        "person": membership_request.user.get_full_name(),
        "organisation": organisation.name,
    }
    for address in sorted(set(recipients) - {membership_request.user.email}):
        send_email(
            to=address,
            subject=subject,
            template="membership_requested",
            context={
                "membership_request": membership_request,
                "requests_url": absolute_url("accounts:membership-requests"),
            },
        )


def send_membership_decided_email(*, membership_request: MembershipRequest) -> None:
    """Tell the person who asked whether they were let in."""
    approved = membership_request.status == RequestStatus.APPROVED
    if approved:
        subject = _("You are now a member of %(organisation)s")
    else:
        subject = _("Your request to join %(organisation)s was declined")
    send_email(
        to=membership_request.user.email,
        subject=subject % {"organisation": membership_request.organisation.name},
        template="membership_approved" if approved else "membership_declined",
        context={
            "membership_request": membership_request,
            "account_url": absolute_url("accounts:account"),
        },
    )


def send_password_reset_email(*, user: User) -> None:
    """The link to set a new password: Django's token, made now, so it works once and for
    PASSWORD_RESET_TIMEOUT from when the email is sent."""
    send_email(
        to=user.email,
        template="password_reset",
        context={
            "email": user.email,
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def send_email_proof_email(*, user: User) -> None:
    """The link that shows the mailbox is the person's, made now, so it works for an hour
    from when the email is sent (personal_data.EMAIL_PROOF_MAX_AGE)."""
    send_email(
        to=user.email,
        subject=_("Confirm your email address for %(service_name)s")
        % {"service_name": settings.SERVICE_NAME},
        template="email_proof",
        context={
            "email": user.email,
            "proof_url": absolute_url(
                "accounts:your-data-prove-email", make_email_proof_token(user)
            ),
        },
    )
