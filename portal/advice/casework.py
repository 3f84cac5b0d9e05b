"""The staff's writes on an advice request: assigning it, adding a note, changing its
status, and recording its outcome as it is closed.

Each runs in one transaction on the request's row, locked, so two colleagues acting at
once both see what the other did; each records what it changed in the request's history
(AdviceEvent) in the same transaction, so nothing is half-saved. The views check who
may act (portal/advice/rules.py); these check what the request allows now, and raise
``CaseError`` with a message for the person acting when it no longer does (the founder
has withdrawn it, a colleague has moved it on meanwhile).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.advice import rules
from portal.advice.choices import EventKind, OutcomeKind, RequestStatus, may_become
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from portal.catalogue.models import Offer


class CaseError(Exception):
    """The change is not possible now; the message says why, for the person acting."""


def _locked(advice_request: AdviceRequest) -> AdviceRequest:
    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=advice_request.pk)
    )
    if locked.is_withdrawn:
        raise CaseError(_("The founder has withdrawn this request: it can no longer change."))
    if locked.is_erased:
        raise CaseError(
            _("This request’s personal details have been erased: it can no longer change.")
        )
    return locked


def _record(advice_request, *, kind: str, by, details: dict, now: datetime) -> AdviceEvent:
    return AdviceEvent.objects.create(
        request=advice_request, actor=by, kind=kind, details=details, created=now
    )


def _saved(advice_request: AdviceRequest, fields: list[str]) -> None:
    advice_request.save(update_fields=[*fields, "updated"])


def assign_request(
    *, advice_request: AdviceRequest, assignee, by, now: datetime | None = None
) -> bool:
    """Give the request to ``assignee`` (None: to nobody). Only a member of the
    organisation it went to may be given it (``rules.can_be_assigned_request``). False,
    and nothing recorded, when it is theirs already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(advice_request)
        if assignee is not None and not rules.can_be_assigned_request(assignee, locked):
            raise CaseError(
                _("%(person)s is not a member of %(organisation)s: choose one of its members.")
                % {"person": assignee.get_full_name(), "organisation": locked.organisation.name}
            )
        assignee_id = assignee.pk if assignee is not None else None
        if locked.assigned_to_id == assignee_id:
            return False
        locked.assigned_to = assignee
        locked.updated = now
        _saved(locked, ["assigned_to"])
        _record(
            locked,
            kind=EventKind.ASSIGNED,
            by=by,
            details={
                "assignee_id": assignee_id,
                "assignee": assignee.get_full_name() if assignee is not None else "",
            },
            now=now,
        )
    return True


def add_note(
    *, advice_request: AdviceRequest, text: str, by, now: datetime | None = None
) -> AdviceNote:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(advice_request)
        note = AdviceNote.objects.create(request=locked, author=by, text=text, created=now)
        locked.updated = now
        _saved(locked, [])
        _record(locked, kind=EventKind.NOTE_ADDED, by=by, details={"note_id": note.pk}, now=now)
    return note


def _move(locked: AdviceRequest, status: str, *, by, now: datetime) -> list[str]:
    """Move the locked request to ``status`` (checked against STATUS_TRANSITIONS) and
    record it; returns the fields changed."""
    if locked.status == status:
        raise CaseError(
            _("This request is %(status)s already.")
            % {"status": RequestStatus(status).label.lower()}
        )
    if not may_become(locked.status, status):
        raise CaseError(
            _("A request that is %(current)s cannot become %(new)s.")
            % {
                "current": RequestStatus(locked.status).label.lower(),
                "new": RequestStatus(status).label.lower(),
            }
        )
    previous = locked.status
    locked.status = status
    changed = ["status"]
    if locked.first_contacted_at is None:
        # The first move out of "new": the founder has been contacted (or the request
        # closed without), which ends the wait that makes a request overdue.
        locked.first_contacted_at = now
        changed.append("first_contacted_at")
    if previous == RequestStatus.CLOSED:
        # Reopened: what came of it is no longer known.
        changed += _set_outcome(locked)
    _record(
        locked,
        kind=EventKind.STATUS_CHANGED,
        by=by,
        details={"from": previous, "to": status},
        now=now,
    )
    return changed


def _set_outcome(
    request: AdviceRequest,
    *,
    kind: str = "",
    text: str = "",
    offer_id: int | None = None,
    at: datetime | None = None,
) -> list[str]:
    """Record what came of the request and close it at ``at``; with nothing given, clear
    them (reopened). The fields it changed."""
    request.outcome_kind = kind
    request.outcome_text = text
    request.outcome_offer_id = offer_id
    request.outcome_recorded_at = at
    request.closed_at = at
    return ["outcome_kind", "outcome_text", "outcome_offer", "outcome_recorded_at", "closed_at"]


def change_status(
    *, advice_request: AdviceRequest, status: str, by, now: datetime | None = None
) -> None:
    """Move the request along ``choices.STATUS_TRANSITIONS``. Closing goes through
    ``close_request``, which records the outcome; reopening a closed request (to "in
    progress") clears its outcome."""
    now = now or timezone.now()
    if status == RequestStatus.CLOSED:
        raise CaseError(_("Record what came of the request to close it."))
    with transaction.atomic():
        locked = _locked(advice_request)
        changed = _move(locked, status, by=by, now=now)
        locked.updated = now
        _saved(locked, changed)


def close_request(
    *,
    advice_request: AdviceRequest,
    outcome_kind: str,
    outcome_text: str = "",
    outcome_offer_id: int | None = None,
    by,
    now: datetime | None = None,
) -> None:
    """Record what came of the request ("referred to X", "applied to Y"...), with the
    offer it concerns when it is one of the recommendations, and close it."""
    now = now or timezone.now()
    if outcome_kind not in OutcomeKind.values:
        raise CaseError(_("Choose what came of the request."))
    with transaction.atomic():
        locked = _locked(advice_request)
        if outcome_offer_id is not None and not Offer.objects.filter(pk=outcome_offer_id).exists():
            raise CaseError(
                _("That support is no longer listed on the site: choose another, or none.")
            )
        changed = _move(locked, RequestStatus.CLOSED, by=by, now=now)
        changed += _set_outcome(
            locked, kind=outcome_kind, text=outcome_text, offer_id=outcome_offer_id, at=now
        )
        locked.updated = now
        _saved(locked, sorted(set(changed)))
        _record(
            locked,
            kind=EventKind.OUTCOME_RECORDED,
            by=by,
            details={"kind": outcome_kind, "offer_id": outcome_offer_id},
            now=now,
        )
