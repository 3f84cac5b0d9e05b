"""Posting: cluster bodies and buyers create, edit, publish, close and withdraw their
own organisation's contract opportunities; moderators approve a new organisation's.

Every function runs in one transaction, checks the permission rules again (whatever the
view allowed), records an OpportunityChange and raises the opportunity's ``version``.
An edit based on an older version is refused (``StaleEditError``) and saves nothing, so
a stale browser tab never overwrites someone else's changes. A status moves only as
``Opportunity.TRANSITIONS`` allows (see portal/lib/versioning.py).

Moderation: an organisation a moderator has not verified (``needs_moderation``) has
every posting wait for a moderator, not only its first. Approving a posting does not
verify the organisation: a moderator does that, once they have checked who it is, in
the admin, and from then on its postings open at once.

The statuses and the moves between them are drawn beside ``Opportunity.TRANSITIONS``.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Organisation, User
from portal.lib.history import history_text, initial_history, record_change
from portal.lib.tasks import enqueue_on_commit
from portal.lib.versioning import (
    StaleEditError,
    StatusMove,
    WorkflowError,
    assign,
    change_status,
    check_known_fields,
    lock,
    save_version,
)
from portal.procurement.models import Lot, Opportunity, Status
from portal.procurement.rules import (
    can_approve_opportunity,
    can_edit_opportunity,
    can_post_for,
    needs_moderation,
)

# What a poster may set through create_opportunity and update_opportunity. Everything
# else (publisher, buyer organisation, status, ocid, version, source, dates of
# publication) is set here, whatever a request posts.
EDITABLE_FIELDS = (
    "title",
    "description",
    "title_cy",
    "description_cy",
    "buyer_name",
    "buyer_type",
    "main_category",
    "cpv_codes",
    "value_min",
    "value_max",
    "currency",
    "deadline",
    "contract_start",
    "contract_end",
    "uk_wide",
    "regions",
    "councils",
    "delivery_location",
    "sme_suitable",
    "vcse_suitable",
    "procedure",
    "procedure_details",
    "stage",
    "notice_url",
    "contact_name",
    "contact_email",
    "lots",
)
PLACE_FIELDS = ("regions", "councils")
LOT_FIELDS = ("lot_id", "title", "value", "cpv_codes")
MAX_LOTS = 10

# The status moves (Opportunity.TRANSITIONS says from where): a member of the posting
# organisation, or a moderator, publishes, closes and withdraws; a moderator approves.
NOT_PUBLISHABLE = gettext_lazy("This opportunity is %(status)s, so it cannot be published.")
NOT_PENDING = gettext_lazy("This opportunity is %(status)s, so there is nothing to approve.")
NOT_OPEN = gettext_lazy("This opportunity is %(status)s, so it cannot be closed.")
GONE = gettext_lazy("This opportunity is %(status)s, so it cannot be withdrawn.")
PUBLISH = StatusMove(Status.OPEN, "published", can_edit_opportunity, NOT_PUBLISHABLE)
SEND_TO_MODERATOR = StatusMove(Status.PENDING, "submitted", can_edit_opportunity, NOT_PUBLISHABLE)
APPROVE = StatusMove(Status.OPEN, "approved", can_approve_opportunity, NOT_PENDING)
CLOSE = StatusMove(Status.CLOSED, "closed", can_edit_opportunity, NOT_OPEN)
WITHDRAW = StatusMove(Status.WITHDRAWN, "withdrawn", can_edit_opportunity, GONE)

# Statuses in which the poster may still change the opportunity's details.
EDITABLE_STATUSES = (Status.DRAFT, Status.PENDING, Status.OPEN)


class PostingError(WorkflowError):
    """A refusal of what posting asks of an opportunity's details (its deadline, its
    status for an edit)."""


# Recording changes


def _lots_text(lots: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join(
        " ".join(
            part
            for part in (
                lot["lot_id"],
                lot.get("title") or "",
                history_text(lot.get("value")),
                history_text(lot.get("cpv_codes") or []),
            )
            if part
        )
        for lot in lots
    )


# Checks


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """An amount of 0 means "not stated": kept as None, never as £0."""
    data = dict(data)
    for name in ("value_min", "value_max"):
        if name in data and not data[name]:
            data[name] = None
    if "lots" in data:
        lots = []
        for lot in data["lots"]:
            lot = {name: lot.get(name) for name in LOT_FIELDS}
            lot["lot_id"] = str(lot["lot_id"] or "").strip()
            lot["title"] = lot["title"] or ""
            lot["value"] = lot["value"] or None
            lot["cpv_codes"] = list(lot["cpv_codes"] or [])
            lots.append(lot)
        data["lots"] = lots
    return data


def _check_values(data: Mapping[str, Any], current: Opportunity | None) -> None:
    """The rules the form also checks, checked again on what will be saved."""

    def value(name):
        if name in data:
            return data[name]
        return getattr(current, name) if current else None

    errors = {}
    smallest, largest = value("value_min"), value("value_max")
    if smallest is not None and largest is not None and smallest > largest:
        errors["value_max"] = _("The highest value must be the same as or more than the lowest")
    starts, ends = value("contract_start"), value("contract_end")
    if starts and ends and ends <= starts:
        errors["contract_end"] = _("The contract end date must be after its start date")
    if "lots" in data:
        lots = data["lots"]
        if len(lots) > MAX_LOTS:
            errors["lots"] = _("An opportunity can have at most %(count)d lots") % {
                "count": MAX_LOTS
            }
        ids = [lot["lot_id"] for lot in lots]
        if any(not lot_id for lot_id in ids):
            errors["lots"] = _("Enter an id for every lot, like 1 or LOT-1")
        elif len(set(ids)) != len(ids):
            errors["lots"] = _("Give each lot a different id")
    if errors:
        raise ValidationError(errors)


def _check_deadline_ahead(deadline: datetime | None, *, now: datetime) -> None:
    if deadline is None:
        raise PostingError(_("Enter the deadline for tenders before you publish"))
    if deadline <= now:
        raise PostingError(
            _("The deadline for tenders must be in the future. Change it, then publish again.")
        )


def _lots_of(opportunity: Opportunity) -> list[dict[str, Any]]:
    return [
        {name: getattr(lot, name) for name in LOT_FIELDS}
        for lot in opportunity.lots.order_by("id")
    ]


def _set_lots(opportunity: Opportunity, lots: list[Mapping[str, Any]]) -> None:
    opportunity.lots.all().delete()
    Lot.objects.bulk_create(
        Lot(opportunity=opportunity, currency=opportunity.currency, **lot) for lot in lots
    )


# Services


@transaction.atomic
def create_opportunity(
    *, organisation: Organisation, user: User, fields: Mapping[str, Any]
) -> Opportunity:
    """A new draft opportunity posted by ``organisation``, which is also its buyer."""
    if not can_post_for(user, organisation):
        raise PermissionDenied("This user does not post for this organisation.")
    check_known_fields(fields, EDITABLE_FIELDS)
    fields = _normalise(fields)
    _check_values(fields, None)
    plain = {
        name: value
        for name, value in fields.items()
        if name not in PLACE_FIELDS and name != "lots"
    }
    if not plain.get("buyer_name"):
        plain["buyer_name"] = organisation.name
    opportunity = Opportunity(
        publisher=organisation, buyer=organisation, status=Status.DRAFT, **plain
    )
    opportunity.ocid = f"{settings.OCDS_OCID_PREFIX}-{opportunity.public_id}"
    opportunity.full_clean(exclude=["regions", "councils"], validate_unique=False)
    opportunity.save()
    places = {name: list(fields.get(name, ())) for name in PLACE_FIELDS}
    for name, chosen in places.items():
        getattr(opportunity, name).set(chosen)
    lots = fields.get("lots", [])
    _set_lots(opportunity, lots)
    history = initial_history(Opportunity, plain | places)
    if lots:
        history["lots"] = ["", _lots_text(lots)]
    record_change(subject=opportunity, user=user, action="created", fields=history)
    return opportunity


@transaction.atomic
def update_opportunity(
    *, opportunity: Opportunity, user: User, changes: Mapping[str, Any], expected_version: int
) -> Opportunity:
    """Save a poster's edits, if nobody has saved the opportunity since
    ``expected_version``.

    Refuses with StaleEditError otherwise, saving nothing. Only the fields in
    ``changes`` change; the posting organisation never does. Returns it as saved.
    """
    if not can_edit_opportunity(user, opportunity):
        raise PermissionDenied("This user may not edit this opportunity.")
    check_known_fields(changes, EDITABLE_FIELDS)
    changes = _normalise(changes)
    current = lock(opportunity)
    if current.version != expected_version:
        raise StaleEditError(Opportunity)
    if current.status not in EDITABLE_STATUSES:
        raise PostingError(
            _("This opportunity is %(status)s, so it can no longer be changed.")
            % {"status": current.get_status_display().lower()}
        )
    _check_values(changes, current)
    if (
        current.status in (Status.PENDING, Status.OPEN)
        and "deadline" in changes
        and changes["deadline"] != current.deadline
    ):
        try:
            _check_deadline_ahead(changes["deadline"], now=timezone.now())
        except PostingError as error:
            raise ValidationError({"deadline": str(error)}) from None

    values = {name: value for name, value in changes.items() if name != "lots"}
    if "buyer_name" in values and not values["buyer_name"]:
        values["buyer_name"] = current.publisher.name if current.publisher else current.buyer_name
    changed = assign(current, values)
    if "lots" in changes:
        old_lots = _lots_of(current)
        if old_lots != changes["lots"]:
            changed.history["lots"] = [_lots_text(old_lots), _lots_text(changes["lots"])]
    if not changed:
        return current

    current.full_clean(exclude=["regions", "councils"], validate_unique=False)
    save_version(current, changed, user=user, action="updated", expected_version=expected_version)
    if "lots" in changed.history:
        _set_lots(current, changes["lots"])
    return current


def _opening(current: Opportunity) -> dict[str, Any]:
    """Opening to bids: refused unless the deadline is ahead; bids are taken from now."""
    now = timezone.now()
    _check_deadline_ahead(current.deadline, now=now)
    values = {"published_at": now}
    if current.tender_start is None:
        # OCDS tender.tenderPeriod.startDate.
        values["tender_start"] = now
    return values


def waits_for_moderator(user: User, opportunity: Opportunity) -> bool:
    """Whether publishing it now sends it to the moderators rather than opening it: its
    organisation is not verified, and the user is not a moderator (who would approve
    it anyway). An imported opportunity has no posting organisation: nobody publishes
    it here."""
    return (
        opportunity.publisher is not None
        and needs_moderation(opportunity.publisher)
        and not can_approve_opportunity(user, opportunity)
    )


@transaction.atomic
def publish_opportunity(*, opportunity: Opportunity, user: User) -> Opportunity:
    """Open a draft to bids, or, for an organisation a moderator has not verified yet,
    send it to the moderators (status pending), who are emailed.

    Refused (PostingError) unless the deadline for tenders is in the future.
    """
    pending = waits_for_moderator(user, opportunity)

    def deadline_ahead(current):
        _check_deadline_ahead(current.deadline, now=timezone.now())
        return {}

    published = change_status(
        opportunity,
        user=user,
        move=SEND_TO_MODERATOR if pending else PUBLISH,
        applies=lambda current: current.can_be_published,
        effects=deadline_ahead if pending else _opening,
    )
    if pending:
        enqueue_on_commit("portal.procurement.tasks.send_pending_opportunity_emails", published.pk)
    return published


@transaction.atomic
def approve_opportunity(*, opportunity: Opportunity, user: User) -> Opportunity:
    """A moderator opens a posting that was waiting for one. The organisation stays
    unverified (see the module's docstring)."""

    def opening_while_deadline_ahead(current):
        try:
            return _opening(current)
        except PostingError:
            raise PostingError(
                _(
                    "The deadline for tenders of this opportunity has passed. Ask the "
                    "organisation to change it, or withdraw the opportunity."
                )
            ) from None

    approved = change_status(
        opportunity,
        user=user,
        move=APPROVE,
        applies=lambda current: current.can_be_approved,
        effects=opening_while_deadline_ahead,
    )
    enqueue_on_commit("portal.procurement.tasks.send_opportunity_approved_email", approved.pk)
    return approved


def close_opportunity(*, opportunity: Opportunity, user: User) -> Opportunity:
    """Stop taking bids before the deadline: it leaves the public list at once, and its
    page, still reachable by its link, says it is closed."""
    return change_status(opportunity, user=user, move=CLOSE)


def withdraw_opportunity(*, opportunity: Opportunity, user: User) -> Opportunity:
    """Take it down altogether: withdrawn opportunities are not shown to the public,
    not even by their link, and cannot be published again."""
    return change_status(opportunity, user=user, move=WITHDRAW)
