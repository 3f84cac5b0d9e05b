"""The accounts app's own rows in "Download your data" and in deleting an account, and
the inventory of the personal fields of the base (accounts, places, and Django's own
admin log, sessions and groups): registered by AccountsConfig.ready
(portal/accounts/personal_data.py).

What deleting an account does here:

- the account itself, its memberships and its membership requests: deleted (the user
  row is deleted last by ``services.delete_account``; the others go with it);
- decisions the person took on other people's requests: kept, the decider removed;
- the admin site's log of changes to the account, its memberships and its requests
  (a moderator's record of what they did): kept, with "Deleted account" in place of the
  person's address in each entry's description. Entries of what the person did in the
  admin go with the account (Django's log needs a user), which is why accounts that can
  use the admin site are not deleted from the site (permissions.can_delete_own_account).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.accounts.models import Membership, MembershipRequest, Organisation, User
from portal.accounts.personal_data import NotPersonal, PersonalField
from portal.places.models import Council, Region

UNTIL_DELETED = "Until the person deletes their account."

FIELDS = (
    # The account.
    PersonalField(User, "email", "Signing in, and the emails the service sends.", UNTIL_DELETED),
    PersonalField(
        User, "full_name", "How the service and colleagues address the person.", UNTIL_DELETED
    ),
    PersonalField(
        User, "password", "Signing in (a salted hash, never the password).", UNTIL_DELETED
    ),
    PersonalField(
        User, "last_login", "Shown to moderators: whether an account is in use.", UNTIL_DELETED
    ),
    PersonalField(User, "date_joined", "When the account was made.", UNTIL_DELETED),
    PersonalField(User, "is_active", "Whether the account may sign in.", UNTIL_DELETED),
    PersonalField(User, "is_staff", "Whether the person may use the admin site.", UNTIL_DELETED),
    PersonalField(
        User, "is_superuser", "Whether the person is a platform administrator.", UNTIL_DELETED
    ),
    PersonalField(
        Membership, "user", "Who belongs to an organisation, and in what role.", UNTIL_DELETED
    ),
    PersonalField(MembershipRequest, "user", "Who asked to join an organisation.", UNTIL_DELETED),
    PersonalField(
        MembershipRequest,
        "message",
        "What the person told the organisation's managers when asking to join.",
        UNTIL_DELETED,
    ),
    PersonalField(
        MembershipRequest,
        "decided_by",
        "Who decided a request to join an organisation.",
        "Until the decider deletes their account; the decision is kept.",
    ),
    # Django's own tables.
    PersonalField(
        LogEntry,
        "user",
        "The admin site's record of who changed what.",
        (
            "Kept; deleted with the account (accounts that can use the admin site are "
            "deleted by a moderator, not from the site)."
        ),
    ),
    PersonalField(
        LogEntry,
        "object_repr",
        "The admin log's description of what was changed (an account's is its address).",
        "Kept; the address is replaced when that account is deleted.",
    ),
    PersonalField(
        LogEntry,
        "change_message",
        "The admin log's list of the fields changed (their names, not their values).",
        "Kept with the log entry.",
    ),
    NotPersonal(LogEntry, "object_id", "The id of the row changed, nothing else."),
    # django-axes' tables: the sign-in lockout counts failures in the cache
    # (AXES_HANDLER), for 15 minutes, so these stay empty.
    *(
        NotPersonal(model, field, "Empty: the sign-in lockout keeps its counts in the cache.")
        for model, field in (
            (AccessAttempt, "ip_address"),
            (AccessFailureLog, "ip_address"),
            (AccessLog, "ip_address"),
            (AccessLog, "session_hash"),
        )
    ),
    PersonalField(
        Session,
        "session_key",
        "Keeping a person signed in, and a founder's place in the diagnostic.",
        (
            "Two weeks after the last visit (SESSION_COOKIE_AGE); deleted on signing "
            "out and on deleting the account; expired rows are deleted daily "
            "(accounts.tasks.delete_expired_sessions)."
        ),
    ),
    PersonalField(
        Session,
        "session_data",
        "What the session holds: the signed-in account's id, messages, the questionnaire "
        "in progress.",
        "As the session key.",
    ),
    # Names the inventory's scan picks out that are not people's.
    NotPersonal(Organisation, "name", "An organisation's name."),
    NotPersonal(Region, "name", "A nation or region's name."),
    NotPersonal(Council, "name", "A council's name."),
    NotPersonal(Council, "official_name", "A council's official name."),
    NotPersonal(Group, "name", "A permission group's name."),
    NotPersonal(Permission, "name", "A permission's name."),
)


def export_account(*, user, email: str) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": user.date_joined,
        "last_signed_in": user.last_login,
        "can_use_admin_site": user.is_staff,
    }


def export_memberships(*, user, email: str) -> list[dict]:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return [
        {
            "organisation": membership.organisation.name,
            "organisation_kind": membership.organisation.get_kind_display(),
            "role": membership.get_role_display(),
            "since": membership.created,
        }
        for membership in memberships.order_by("created", "pk")
    ]


def export_membership_requests(*, user, email: str) -> list[dict]:
    requests = MembershipRequest.objects.filter(user=user).select_related("organisation")
    return [
        {
            "organisation": membership_request.organisation.name,
            "message": membership_request.message,
            "status": membership_request.get_status_display(),
            "asked": membership_request.created,
            "decided": membership_request.decided_at,
        }
        for membership_request in requests.order_by("created", "pk")
    ]


def export_membership_decisions(*, user, email: str) -> list[dict]:
    """The requests the person decided: the organisation and the decision, not who asked
    (that is the other person's data)."""
    decided = MembershipRequest.objects.filter(decided_by=user).select_related("organisation")
    return [
        {
            "organisation": membership_request.organisation.name,
            "decision": membership_request.get_status_display(),
            "decided": membership_request.decided_at,
        }
        for membership_request in decided.order_by("decided_at", "pk")
    ]


def export_admin_actions(*, user, email: str) -> list[dict]:
    entries = LogEntry.objects.filter(user=user).select_related("content_type")
    return [
        {
            "when": entry.action_time,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag, ""),
            "what": entry.content_type.name if entry.content_type else "",
            "description": entry.object_repr,
        }
        for entry in entries.order_by("action_time", "pk")
    ]


def _log_entries_about(user) -> Q:
    """The admin log's entries about the account, its memberships and its requests."""
    content_types = ContentType.objects.get_for_models(User, Membership, MembershipRequest)
    about = Q(content_type=content_types[User], object_id=str(user.pk))
    for model, rows in (
        (Membership, Membership.objects.filter(user=user)),
        (MembershipRequest, MembershipRequest.objects.filter(user=user)),
    ):
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if ids:
            about |= Q(content_type=content_types[model], object_id__in=ids)
    return about


def erase_account(*, user, email: str) -> None:
    """The admin log's descriptions of the account, its memberships and its requests (the
    rows themselves go later, with the user row)."""
    LogEntry.objects.filter(_log_entries_about(user)).update(object_repr=_("Deleted account"))


def erase_memberships(*, user, email: str) -> None:
    Membership.objects.filter(user=user).delete()


def erase_membership_requests(*, user, email: str) -> None:
    MembershipRequest.objects.filter(user=user).delete()


def erase_membership_decisions(*, user, email: str) -> None:
    MembershipRequest.objects.filter(decided_by=user).update(decided_by=None)
