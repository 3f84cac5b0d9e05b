"""Posting: cluster bodies and buyers create, edit, publish, close and withdraw their
own organisation's contract opportunities; moderators approve a new organisation's.

Every function runs in one transaction, checks the permission rules again (whatever the
view allowed), records an OpportunityChange and raises the opportunity's ``version``.
An edit based on an older version is refused (``StaleOpportunityError``) and saves
nothing, so a stale browser tab never overwrites someone else's changes.

Moderation: an organisation a moderator has not verified (``needs_moderation``) has
every posting wait for a moderator, not only its first. Approving a posting does not
verify the organisation: a moderator does that, once they have checked who it is, in
the admin, and from then on its postings open at once.

Statuses and the moves between them::

    draft ──publish──▶ open ──close──▶ closed
      │      └(unverified)▶ pending ──approve──▶ open
      └── draft, pending, open ──withdraw──▶ withdrawn
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import (
    can_approve_opportunity,
    can_edit_opportunity,
    can_post_for,
    needs_moderation,
)
from portal.lib.history import history_text, places_text
from portal.lib.tasks import enqueue_on_commit
from portal.procurement.models import Lot, Opportunity, OpportunityChange, Status

# What a poster may set through create_opportunity and update_opportunity. Everything
# else (publisher, buyer organisation, status, ocid, version, source, dates of
# publication) is set here, whatever a request posts.
EDITABLE_FIELDS = (
    "title",
    "description",
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

# Statuses in which the poster may still change the opportunity's details.
EDITABLE_STATUSES = (Status.DRAFT, Status.PENDING, Status.OPEN)


class PostingError(Exception):
    """A refusal with a message for the person who asked (shown on the page)."""

    @property
    def message(self) -> str:
        return str(self)


class StaleOpportunityError(PostingError):
    """The opportunity changed since the version an edit was based on."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this opportunity while you were editing it. Your "
                "changes have not been saved. Reload the page to see their changes."
            )
        )


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


def _record(*, opportunity: Opportunity, user: User | None, action: str, fields=None):
    return OpportunityChange.objects.create(
        opportunity=opportunity, user=user, action=action, fields=fields or {}
    )


# Checks


def _check_known_fields(data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through posting: {', '.join(sorted(unknown))}")


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


def _bump_version(opportunity: Opportunity, expected_version: int) -> None:
    """Raise the version, or refuse if it is no longer the one the edit started from.

    A conditional UPDATE, so two saves racing on any database cannot both win.
    """
    now = timezone.now()
    bumped = Opportunity.objects.filter(pk=opportunity.pk, version=expected_version).update(
        version=F("version") + 1, last_changed=now
    )
    if not bumped:
        raise StaleOpportunityError()
    opportunity.version = expected_version + 1
    opportunity.last_changed = now


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
    user: User, organisation: Organisation, data: Mapping[str, Any]
) -> Opportunity:
    """A new draft opportunity posted by ``organisation``, which is also its buyer."""
    if not can_post_for(user, organisation):
        raise PermissionDenied("This user does not post for this organisation.")
    _check_known_fields(data)
    data = _normalise(data)
    _check_values(data, None)
    plain = {
        name: value for name, value in data.items() if name not in PLACE_FIELDS and name != "lots"
    }
    if not plain.get("buyer_name"):
        plain["buyer_name"] = organisation.name
    opportunity = Opportunity(
        publisher=organisation, buyer=organisation, status=Status.DRAFT, **plain
    )
    opportunity.ocid = f"{settings.OCDS_OCID_PREFIX}-{opportunity.public_id}"
    opportunity.full_clean(exclude=["regions", "councils"], validate_unique=False)
    opportunity.save()
    regions = list(data.get("regions", ()))
    councils = list(data.get("councils", ()))
    opportunity.regions.set(regions)
    opportunity.councils.set(councils)
    lots = data.get("lots", [])
    _set_lots(opportunity, lots)
    fields = {
        name: ["", history_text(value)] for name, value in plain.items() if value not in ("", None)
    }
    fields |= {
        name: ["", places_text(places)]
        for name, places in (("regions", regions), ("councils", councils))
        if places
    }
    if lots:
        fields["lots"] = ["", _lots_text(lots)]
    _record(opportunity=opportunity, user=user, action="created", fields=fields)
    return opportunity


@transaction.atomic
def update_opportunity(
    user: User, opportunity: Opportunity, data: Mapping[str, Any], *, version: int
) -> Opportunity:
    """Save a poster's edits, if nobody has saved the opportunity since ``version``.

    Refuses with StaleOpportunityError otherwise, saving nothing. Only the fields in
    ``data`` change; the posting organisation never does. Returns it as saved.
    """
    if not can_edit_opportunity(user, opportunity):
        raise PermissionDenied("This user may not edit this opportunity.")
    _check_known_fields(data)
    data = _normalise(data)
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.version != version:
        raise StaleOpportunityError()
    if current.status not in EDITABLE_STATUSES:
        raise PostingError(
            _("This opportunity is %(status)s, so it can no longer be changed.")
            % {"status": current.get_status_display().lower()}
        )
    _check_values(data, current)
    if (
        current.status in (Status.PENDING, Status.OPEN)
        and "deadline" in data
        and data["deadline"] != current.deadline
    ):
        try:
            _check_deadline_ahead(data["deadline"], now=timezone.now())
        except PostingError as error:
            raise ValidationError({"deadline": str(error)}) from None

    changed = {}
    plain_updates = []
    for name, new in data.items():
        if name in PLACE_FIELDS:
            old_places = list(getattr(current, name).all())
            if {place.pk for place in old_places} != {place.pk for place in new}:
                changed[name] = [places_text(old_places), places_text(new)]
            continue
        if name == "lots":
            old_lots = _lots_of(current)
            if old_lots != new:
                changed["lots"] = [_lots_text(old_lots), _lots_text(new)]
            continue
        if name == "buyer_name" and not new:
            new = current.publisher.name if current.publisher else current.buyer_name
        old = getattr(current, name)
        if old != new:
            changed[name] = [history_text(old), history_text(new)]
            setattr(current, name, new)
            plain_updates.append(name)
    if not changed:
        return current

    current.full_clean(exclude=["regions", "councils"], validate_unique=False)
    _bump_version(current, version)
    if plain_updates:
        current.save(update_fields=plain_updates)
    for name in PLACE_FIELDS:
        if name in changed:
            getattr(current, name).set(data[name])
    if "lots" in changed:
        _set_lots(current, data["lots"])
    _record(opportunity=current, user=user, action="updated", fields=changed)
    return current


def _change_status(
    *,
    opportunity: Opportunity,
    user: User,
    to: Status,
    allowed_from: Iterable[Status],
    action: str,
    refusal: str,
    check=None,
) -> Opportunity:
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.status not in allowed_from:
        raise PostingError(refusal % {"status": current.get_status_display().lower()})
    if check is not None:
        check(current)
    changed = {"status": [current.status, to.value]}
    update_fields = ["status"]
    current.status = to
    if to == Status.OPEN:
        now = timezone.now()
        changed["published_at"] = [history_text(current.published_at), history_text(now)]
        current.published_at = now
        update_fields.append("published_at")
        if current.tender_start is None:
            # OCDS tender.tenderPeriod.startDate: bids are taken from now.
            changed["tender_start"] = ["", history_text(now)]
            current.tender_start = now
            update_fields.append("tender_start")
    _bump_version(current, current.version)
    current.save(update_fields=update_fields)
    _record(opportunity=current, user=user, action=action, fields=changed)
    return current


def waits_for_moderator(user: User, opportunity: Opportunity) -> bool:
    """Whether publishing it now sends it to the moderators rather than opening it: its
    organisation is not verified, and the user is not a moderator (who would approve
    it anyway)."""
    return needs_moderation(opportunity.publisher) and not can_approve_opportunity(
        user, opportunity
    )


@transaction.atomic
def publish_opportunity(user: User, opportunity: Opportunity) -> Opportunity:
    """Open a draft to bids, or, for an organisation a moderator has not verified yet,
    send it to the moderators (status pending), who are emailed.

    Refused (PostingError) unless the deadline for tenders is in the future.
    """
    if not can_edit_opportunity(user, opportunity):
        raise PermissionDenied("This user may not publish this opportunity.")
    pending = waits_for_moderator(user, opportunity)
    published = _change_status(
        opportunity=opportunity,
        user=user,
        to=Status.PENDING if pending else Status.OPEN,
        allowed_from=(Status.DRAFT,),
        action="submitted" if pending else "published",
        refusal=_("This opportunity is %(status)s, so it cannot be published."),
        check=lambda current: _check_deadline_ahead(current.deadline, now=timezone.now()),
    )
    if pending:
        enqueue_on_commit("portal.procurement.tasks.send_pending_opportunity_emails", published.pk)
    return published


@transaction.atomic
def approve_opportunity(user: User, opportunity: Opportunity) -> Opportunity:
    """A moderator opens a posting that was waiting for one. The organisation stays
    unverified (see the module's docstring)."""
    if not can_approve_opportunity(user, opportunity):
        raise PermissionDenied("Only moderators approve opportunities.")

    def deadline_still_ahead(current):
        try:
            _check_deadline_ahead(current.deadline, now=timezone.now())
        except PostingError:
            raise PostingError(
                _(
                    "The deadline for tenders of this opportunity has passed. Ask the "
                    "organisation to change it, or withdraw the opportunity."
                )
            ) from None

    approved = _change_status(
        opportunity=opportunity,
        user=user,
        to=Status.OPEN,
        allowed_from=(Status.PENDING,),
        action="approved",
        refusal=_("This opportunity is %(status)s, so there is nothing to approve."),
        check=deadline_still_ahead,
    )
    enqueue_on_commit("portal.procurement.tasks.send_opportunity_approved_email", approved.pk)
    return approved


@transaction.atomic
def close_opportunity(user: User, opportunity: Opportunity) -> Opportunity:
    """Stop taking bids before the deadline: it leaves the public list at once."""
    if not can_edit_opportunity(user, opportunity):
        raise PermissionDenied("This user may not close this opportunity.")
    return _change_status(
        opportunity=opportunity,
        user=user,
        to=Status.CLOSED,
        allowed_from=(Status.OPEN,),
        action="closed",
        refusal=_("This opportunity is %(status)s, so it cannot be closed."),
    )


@transaction.atomic
def withdraw_opportunity(user: User, opportunity: Opportunity) -> Opportunity:
    """Take it down altogether: withdrawn opportunities are not shown to the public."""
    if not can_edit_opportunity(user, opportunity):
        raise PermissionDenied("This user may not withdraw this opportunity.")
    return _change_status(
        opportunity=opportunity,
        user=user,
        to=Status.WITHDRAWN,
        allowed_from=(Status.DRAFT, Status.PENDING, Status.OPEN),
        action="withdrawn",
        refusal=_("This opportunity is %(status)s, so it cannot be withdrawn."),
    )
