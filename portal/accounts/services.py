"""Writes for accounts: signing up, joining organisations, and deleting an account.

Nothing else creates users through the site or decides membership requests. Each
function is atomic and enqueues its email tasks on commit (``enqueue_on_commit``), so
mail goes out only for work that was saved.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import (
    Membership,
    MembershipRequest,
    Organisation,
    OrganisationKind,
    RequestStatus,
    Role,
    User,
)
from portal.accounts.permissions import (
    can_decide_membership_request,
    can_delete_own_account,
    forget_memberships,
    organisations_needing_another_manager,
)
from portal.accounts.personal_data import erase_personal_data
from portal.lib.tasks import enqueue_on_commit


def _duplicate_email_error() -> ValidationError:
    # Says only what the person needs to carry on; nothing about the other account.
    return ValidationError(
        {
            "email": ValidationError(
                _(
                    "An account with this email address already exists. Sign in, or reset "
                    "your password if you have forgotten it."
                ),
                code="duplicate",
            )
        }
    )


def sign_up(*, email: str, password: str, full_name: str) -> User:
    """Create an account and send the welcome email once it is saved.

    Raises ValidationError naming ``email`` when the address is taken (in any letter
    case) and ``password`` when the password fails the configured validators.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    try:
        password_validation.validate_password(password, User(email=email, full_name=full_name))
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise _duplicate_email_error()
            user = User.objects.create_user(email=email, password=password, full_name=full_name)
            enqueue_on_commit("portal.accounts.tasks.send_welcome_email", user.pk)
    except IntegrityError:
        # Two sign-ups with one address at the same moment: the constraint decides.
        raise _duplicate_email_error() from None
    return user


def send_password_reset(*, users: Iterable[User]) -> None:
    """Email each of these accounts a link to set a new password (by a task, after
    commit). The page says the same whether there were any, so nobody learns which
    addresses have accounts."""
    for user in users:
        enqueue_on_commit("portal.accounts.tasks.send_password_reset_email", user.pk)


def request_membership(
    *, user: User, organisation: Organisation, message: str = ""
) -> MembershipRequest:
    """Ask to join an organisation; its managers (or, if none, the moderators) are told.

    Raises ValidationError naming ``organisation`` when the user is already a member,
    already has a request waiting, or asks to join the platform team (moderators add
    platform staff themselves).
    """

    def refuse(text: str, code: str) -> ValidationError:
        return ValidationError(
            {
                "organisation": ValidationError(
                    text, code=code, params={"organisation": organisation.name}
                )
            }
        )

    if organisation.kind == OrganisationKind.PLATFORM:
        raise refuse(
            _("%(organisation)s cannot be joined by request. Ask a moderator."), "platform"
        )
    already_waiting = refuse(
        _("You have already asked to join %(organisation)s. Its managers will decide soon."),
        "pending",
    )
    try:
        with transaction.atomic():
            if Membership.objects.filter(user=user, organisation=organisation).exists():
                raise refuse(_("You are already a member of %(organisation)s."), "member")
            if (
                MembershipRequest.objects.pending()
                .filter(user=user, organisation=organisation)
                .exists()
            ):
                raise already_waiting
            membership_request = MembershipRequest.objects.create(
                user=user, organisation=organisation, message=message.strip()
            )
            enqueue_on_commit(
                "portal.accounts.tasks.send_membership_requested_email", membership_request.pk
            )
    except IntegrityError:
        # The same request submitted twice at once: one pending request per organisation.
        raise already_waiting from None
    return membership_request


def _lock_for_decision(
    *, membership_request: MembershipRequest, decided_by: User
) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
    if not can_decide_membership_request(decided_by, locked):
        raise PermissionDenied(_("You cannot decide this membership request."))
    return locked


def _record_decision(
    *, membership_request: MembershipRequest, status: RequestStatus, decided_by: User
) -> None:
    membership_request.status = status
    membership_request.decided_by = decided_by
    membership_request.decided_at = timezone.now()
    membership_request.save(update_fields=["status", "decided_by", "decided_at"])
    enqueue_on_commit("portal.accounts.tasks.send_membership_decided_email", membership_request.pk)


def approve_membership_request(
    *, request: MembershipRequest, decided_by: User, role: Role = Role.EDITOR
) -> MembershipRequest:
    """Let the person in with ``role`` and email them.

    Approving an approved request again changes nothing and sends nothing, so a
    double-submitted form is harmless. Raises PermissionDenied when ``decided_by`` may
    not decide it and ValidationError when it was already declined.
    """
    role = Role(role)
    with transaction.atomic():
        membership_request = _lock_for_decision(membership_request=request, decided_by=decided_by)
        if membership_request.status == RequestStatus.APPROVED:
            return membership_request
        if membership_request.status == RequestStatus.DECLINED:
            raise ValidationError(
                _("This request has already been declined."), code="already-decided"
            )
        # A moderator may have added the membership in the admin meanwhile: keep it.
        Membership.objects.get_or_create(
            user_id=membership_request.user_id,
            organisation_id=membership_request.organisation_id,
            defaults={"role": role},
        )
        _record_decision(
            membership_request=membership_request,
            status=RequestStatus.APPROVED,
            decided_by=decided_by,
        )
    return membership_request


def decline_membership_request(
    *, request: MembershipRequest, decided_by: User
) -> MembershipRequest:
    """Turn the request down and email the person who asked.

    Declining a declined request again changes nothing and sends nothing. Raises
    PermissionDenied when ``decided_by`` may not decide it and ValidationError when it
    was already approved.
    """
    with transaction.atomic():
        membership_request = _lock_for_decision(membership_request=request, decided_by=decided_by)
        if membership_request.status == RequestStatus.DECLINED:
            return membership_request
        if membership_request.status == RequestStatus.APPROVED:
            raise ValidationError(
                _("This request has already been approved."), code="already-decided"
            )
        _record_decision(
            membership_request=membership_request,
            status=RequestStatus.DECLINED,
            decided_by=decided_by,
        )
    return membership_request


# How often the link that proves an address may be emailed to one account.
EMAIL_PROOF_RESEND_AFTER = timedelta(minutes=5)


def send_email_proof_link(*, user: User) -> bool:
    """Email the account's address the link that shows the mailbox is the person's
    (``personal_data.prove_email``), by a task after commit. At most once every
    EMAIL_PROOF_RESEND_AFTER per account, so nobody can make us mail an address over and
    over: False when one went a moment ago and this one is not sent."""
    key = f"accounts.email-proof:{user.pk}"
    if not cache.add(key, 1, timeout=int(EMAIL_PROOF_RESEND_AFTER.total_seconds())):
        return False
    enqueue_on_commit("portal.accounts.tasks.send_email_proof_email", user.pk)
    return True


def delete_account(*, user: User, email: str = "") -> None:
    """Delete the account, and erase what every app holds about the person through the
    registry of portal/accounts/personal_data.py: their rows are deleted, or detached
    from them where they belong to an organisation or feed anonymous figures. ``email``
    is the account's address when the person has proved it is theirs
    (``personal_data.proven_email``): rows held under it without an account go too;
    with "" those stay.

    All or nothing, in one transaction. Raises PermissionDenied when the account may not
    be deleted from the site (``can_delete_own_account``), and ValidationError naming the
    organisations it is the only manager of while other people belong to them.
    """
    if email and email.lower() != user.email.lower():
        raise ValueError("Only the account's own address can be proved for it.")
    if not can_delete_own_account(user):
        raise PermissionDenied(
            _("Accounts that can use the admin site are removed by a moderator.")
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        # Two managers of one organisation deleting their accounts at once: the second
        # waits here, then finds the first gone and itself the only manager.
        managed = Membership.objects.filter(user=locked, role=Role.MANAGER)
        list(
            Membership.objects.select_for_update()
            .filter(organisation_id__in=managed.values("organisation_id"))
            .values_list("pk", flat=True)
        )
        alone = list(organisations_needing_another_manager(locked).values_list("name", flat=True))
        if alone:
            raise ValidationError(
                _(
                    "You are the only manager of %(organisations)s. Ask a moderator to make "
                    "another member a manager first, then delete your account."
                ),
                code="only-manager",
                params={"organisations": ", ".join(alone)},
            )
        erase_personal_data(user=locked, email=email)
        locked.delete()
    forget_memberships(user)
