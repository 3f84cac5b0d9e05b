"""Writes of the founder's side of advice requests: asking, withdrawing, and erasing
personal details (on withdrawal, 12 months after closing, with the founder's account).

Each write runs in one transaction and records what it did in the request's history
(AdviceEvent); emails go by task after commit. The staff's writes (assignment, notes,
status and outcome) follow the same pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.advice.choices import ErasureReason, EventKind, RequestStatus
from portal.advice.consent import CONSENT_VERSION
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest, AdviceTeam
from portal.lib.languages import current_language
from portal.lib.tasks import enqueue_on_commit

# Requests erased by the retention task in one transaction.
ERASE_BATCH = 500
# Requests one email address may send in a day: a form resubmitted over and over cannot
# flood a team's inbox.
MOST_REQUESTS_A_DAY = 3


class TooManyRequests(ValidationError):
    pass


class NotReceivingRequests(Exception):
    """The organisation no longer receives requests for that council (it changed its
    setting while the founder was filling in the form)."""


@dataclass(frozen=True)
class Snapshot:
    """What the founder agreed to share, as it was when they asked (shapes in
    portal/advice/models.py)."""

    profile: dict
    diagnostic: dict
    recommendations: list[dict]
    dimension: str = ""
    offer_kind: str = ""


def ask_for_advice(
    *,
    organisation,
    council_id: int,
    asked_from: str,
    details: dict,
    snapshot: Snapshot,
    assessment=None,
    offer=None,
    founder=None,
    now: datetime | None = None,
) -> AdviceRequest:
    """Save a consented request to ``organisation`` and announce it: a confirmation to
    the founder and a notice to the team's address, after commit. ``details`` are the
    form's name, email, phone, help_wanted and contact_preference; consent is recorded
    as given now, with the current wording's version. Raises TooManyRequests past
    MOST_REQUESTS_A_DAY from the same address in a day."""
    now = now or timezone.now()
    with transaction.atomic():
        today = AdviceRequest.objects.filter(
            email__iexact=details["email"], created__gte=now - timedelta(days=1)
        )
        if today.count() >= MOST_REQUESTS_A_DAY:
            raise TooManyRequests(
                _(
                    "You have sent %(count)s requests for advice today. The teams will "
                    "contact you about them; try again tomorrow if you need to."
                )
                % {"count": MOST_REQUESTS_A_DAY},
                code="too_many",
            )
        receiving = AdviceTeam.objects.covering(council_id).filter(organisation=organisation)
        if not receiving.exists():
            raise NotReceivingRequests(organisation)
        advice_request = AdviceRequest.objects.create(
            organisation=organisation,
            council_id=council_id,
            assessment=assessment,
            offer=offer,
            founder=founder if founder is not None and founder.is_authenticated else None,
            asked_from=asked_from,
            dimension=snapshot.dimension,
            offer_kind=snapshot.offer_kind,
            profile=snapshot.profile,
            diagnostic=snapshot.diagnostic,
            recommendations=snapshot.recommendations,
            consented_at=now,
            consent_version=CONSENT_VERSION,
            language=current_language(),
            created=now,
            updated=now,
            **details,
        )
        AdviceEvent.objects.create(
            request=advice_request,
            kind=EventKind.CREATED,
            details={"organisation": organisation.name},
            created=now,
        )
        enqueue_on_commit("portal.advice.tasks.send_request_confirmation", advice_request.pk)
        enqueue_on_commit("portal.advice.tasks.send_request_to_team", advice_request.pk)
    return advice_request


def _erase(advice_request: AdviceRequest, *, reason: str, now: datetime) -> None:
    """Blank the personal details and snapshots, delete the notes, record it. The caller
    holds the row (select_for_update) in a transaction."""
    for name, blank in AdviceRequest.ERASED_VALUES.items():
        setattr(advice_request, name, blank)
    advice_request.erased_at = now
    advice_request.updated = now
    advice_request.save(update_fields=[*AdviceRequest.ERASED_VALUES, "erased_at", "updated"])
    AdviceNote.objects.filter(request=advice_request).delete()
    AdviceEvent.objects.create(
        request=advice_request, kind=EventKind.ERASED, details={"reason": reason}, created=now
    )


def withdraw_request(*, advice_request: AdviceRequest, now: datetime | None = None) -> bool:
    """The founder withdraws their request (from its signed link): it is closed with no
    outcome and everything they shared is erased at once. False, and nothing changed,
    if it was withdrawn or erased already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
        if locked.is_withdrawn or locked.is_erased:
            return False
        previous = locked.status
        locked.status = RequestStatus.CLOSED
        locked.closed_at = locked.closed_at or now
        locked.withdrawn_at = now
        locked.updated = now
        locked.save(update_fields=["status", "closed_at", "withdrawn_at", "updated"])
        AdviceEvent.objects.create(
            request=locked, kind=EventKind.WITHDRAWN, details={"from": previous}, created=now
        )
        _erase(locked, reason=ErasureReason.WITHDRAWN, now=now)
    advice_request.refresh_from_db()
    return True


def retention_cutoff(now: datetime) -> datetime:
    """Twelve months before ``now`` (29 February → 28 February)."""
    try:
        return now.replace(year=now.year - 1)
    except ValueError:
        return now.replace(year=now.year - 1, day=28)


def erase_closed_requests(*, now: datetime | None = None) -> int:
    """Erase the personal details of every request closed more than 12 months ago, keeping
    its anonymous outcome; returns how many were erased. Run again, it erases nothing
    more: erased requests are no longer due. A fixed number of queries per batch."""
    now = now or timezone.now()
    due = AdviceRequest.objects.due_for_erasure(closed_before=retention_cutoff(now))
    erased = 0
    while True:
        with transaction.atomic():
            ids = list(
                due.select_for_update(skip_locked=True)
                .order_by("closed_at", "pk")
                .values_list("pk", flat=True)[:ERASE_BATCH]
            )
            if not ids:
                return erased
            _erase_many(ids, reason=ErasureReason.RETENTION, now=now)
            erased += len(ids)


def _erase_many(ids: list[int], *, reason: str, now: datetime) -> None:
    AdviceRequest.objects.filter(pk__in=ids).update(
        **AdviceRequest.ERASED_VALUES, erased_at=now, updated=now
    )
    AdviceNote.objects.filter(request_id__in=ids).delete()
    AdviceEvent.objects.bulk_create(
        AdviceEvent(request_id=pk, kind=EventKind.ERASED, details={"reason": reason}, created=now)
        for pk in ids
    )


def erase_requests_of(user, *, now: datetime | None = None) -> int:
    """With the founder's account: the requests they made while signed in lose their
    personal details, notes and history, and their link to the account; the anonymous
    request stays (organisation, council, dimension, outcome) with one history entry
    saying why it is blank. Returns how many requests there were. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            AdviceRequest.objects.select_for_update()
            .filter(founder=user)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        AdviceEvent.objects.filter(request_id__in=ids).delete()
        _erase_many(ids, reason=ErasureReason.ACCOUNT_DELETED, now=now)
        AdviceRequest.objects.filter(pk__in=ids).update(founder=None)
    return len(ids)
