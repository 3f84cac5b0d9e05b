"""The fixed vocabularies of advice requests, shared by the founder's side (asking,
withdrawing) and the staff's side (the queue, status changes, outcomes): one source of
truth for models, forms, services and the dashboards' counts.

A request's status moves only along ``STATUS_TRANSITIONS`` (see portal/advice/models.py
for the whole lifecycle).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


# Where each status may go next. Closing needs an outcome (services check it), except
# when the founder withdraws, which closes a request from any status. A closed request
# may be reopened to "in progress" (its outcome and closed_at are then cleared) as long
# as its personal details have not been erased.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.NEW: frozenset(
        {RequestStatus.CONTACTED, RequestStatus.IN_PROGRESS, RequestStatus.CLOSED}
    ),
    RequestStatus.CONTACTED: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.CLOSED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.CONTACTED, RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset({RequestStatus.IN_PROGRESS}),
}

# The statuses of requests still being worked on: the queue's default view.
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.IN_PROGRESS)


def may_become(current: str, new: str) -> bool:
    """Whether a request in status ``current`` may be moved to ``new``."""
    return new in STATUS_TRANSITIONS.get(current, frozenset())


class OutcomeKind(models.TextChoices):
    """What came of a request, recorded when it is closed. ``outcome_text`` says to whom
    or to what ("referred to X", "applied to Y"); ``outcome_offer`` is the offer it
    concerns, when it is one of Waymark's."""

    REFERRED = "referred", _("Referred to another service")
    APPLIED = "applied", _("Applied for support")
    NO_FURTHER_HELP = "no_further_help", _("No further help wanted")
    OTHER = "other", _("Other")


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    EITHER = "either", _("Either")


class EventKind(models.TextChoices):
    """The entries of a request's history. ``details`` (JSON) holds, per kind:

    - created: {"organisation": name}
    - assigned: {"assignee_id": id or null, "assignee": name or ""} (null/"": unassigned)
    - note_added: {"note_id": id}
    - status_changed: {"from": status, "to": status}
    - outcome_recorded: {"kind": OutcomeKind, "offer_id": id or null}
    - withdrawn: {"from": the status it had} (the founder, from their signed link)
    - erased: {"reason": "withdrawn" | "retention" | "account_deleted"}
    - emailed: {"to": "founder" | "team" | "managers"}
    Never personal details of the founder: the history outlives their erasure.
    """

    CREATED = "created", _("Request received")
    ASSIGNED = "assigned", _("Assigned")
    NOTE_ADDED = "note_added", _("Note added")
    STATUS_CHANGED = "status_changed", _("Status changed")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn by the founder")
    ERASED = "erased", _("Personal details erased")
    EMAILED = "emailed", _("Email sent")


class AskedFrom(models.TextChoices):
    """The page the founder asked from: anonymous, kept for the dashboards."""

    RESULTS = "results", _("Diagnostic results")
    RECOMMENDED = "recommended", _("Recommended for you")
    OFFER = "offer", _("A support offer")


class ErasureReason(models.TextChoices):
    WITHDRAWN = "withdrawn", _("The founder withdrew the request")
    RETENTION = "retention", _("12 months after it was closed")
    ACCOUNT_DELETED = "account_deleted", _("The founder deleted their account")
