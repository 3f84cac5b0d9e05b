"""Curation: creating, editing, reviewing and publishing support offers.

Every write records an OfferChange and raises the offer's ``version``: an edit based on
an older version is refused (``StaleOfferError``) rather than overwriting someone else's
changes. Permissions and places are checked again here, whatever the form allowed, so a
crafted request cannot publish an offer or list it in another council's area.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import (
    can_curate_for,
    can_edit_offer,
    can_list_offer_uk_wide,
    can_publish_offer,
    councils_user_may_list_offers_in,
    regions_user_may_list_offers_in,
)
from portal.catalogue.models import REVIEW_INTERVAL, Offer, OfferChange, OfferStatus
from portal.lib.history import history_text, places_text

# What a curator may change through create_offer and update_offer. Everything else
# (curator, status, version, slug, review dates, import ids) is set by the services.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "provider_name",
    "kind",
    "dimensions",
    "maturity_levels",
    "sizes",
    "stages",
    "sic_sections",
    "eligibility_note",
    "uk_wide",
    "regions",
    "councils",
    "cost",
    "cost_note",
    "funding_min",
    "funding_max",
    "currency",
    "delivery",
    "always_open",
    "opens",
    "closes",
    "next_intake",
    "application_url",
    "contact_email",
    "contact_phone",
)
PLACE_FIELDS = ("regions", "councils")


class StaleOfferError(Exception):
    """The offer changed since the version an edit was based on."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this offer while you were editing it. Your changes "
                "have not been saved. Reload the page to see their changes."
            )
        )


class OfferStateError(Exception):
    """The action does not apply to an offer with this status."""


# Recording changes


def _record(*, offer: Offer, user: User | None, action: str, fields=None) -> OfferChange:
    return OfferChange.objects.create(offer=offer, user=user, action=action, fields=fields or {})


# Checks


def _check_known_fields(changes: Mapping[str, Any]) -> None:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through curation: {', '.join(sorted(unknown))}")


def _check_places(*, user: User, curator: Organisation, changes: Mapping[str, Any], offer=None):
    """Refuse places the curating organisation does not cover, and UK-wide for non-staff.

    Only the places being set are checked, so an offer a moderator listed more widely
    can still have its other fields edited by the council's curators.
    """
    errors = {}
    if (
        changes.get("uk_wide")
        and not (offer and offer.uk_wide)
        and not can_list_offer_uk_wide(user)
    ):
        errors["uk_wide"] = _("Only platform staff can list an offer across the UK")
    if "councils" in changes:
        allowed = set(councils_user_may_list_offers_in(user, curator).values_list("pk", flat=True))
        kept = set(offer.councils.values_list("pk", flat=True)) if offer else set()
        if {council.pk for council in changes["councils"]} - allowed - kept:
            errors["councils"] = _("Select only councils your organisation covers")
    if "regions" in changes:
        allowed = set(regions_user_may_list_offers_in(user, curator).values_list("pk", flat=True))
        kept = set(offer.regions.values_list("pk", flat=True)) if offer else set()
        if {region.pk for region in changes["regions"]} - allowed - kept:
            errors["regions"] = _(
                "Select only nations and regions your organisation covers in full"
            )
    if errors:
        raise ValidationError(errors)


def _check_places_given(*, uk_wide: bool, regions, councils) -> None:
    if not uk_wide and not regions and not councils:
        raise ValidationError(
            {"councils": _("Select at least one council or region where the offer is available")}
        )


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "offer"
    slug, number = base, 2
    while Offer.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _bump_version(offer: Offer, expected_version: int) -> None:
    """Raise the version, or refuse if it is no longer the one the edit started from.

    A conditional UPDATE, so two saves racing on any database cannot both win.
    """
    bumped = Offer.objects.filter(pk=offer.pk, version=expected_version).update(
        version=F("version") + 1, updated=timezone.now()
    )
    if not bumped:
        raise StaleOfferError()
    offer.refresh_from_db(fields=["version", "updated"])


# Services


@transaction.atomic
def create_offer(*, curator: Organisation, user: User, fields: Mapping[str, Any]) -> Offer:
    """A new draft offer curated by ``curator``."""
    if not can_curate_for(user, curator):
        raise PermissionDenied("This user does not curate for this organisation.")
    _check_known_fields(fields)
    _check_places(user=user, curator=curator, changes=fields)
    regions = list(fields.get("regions", ()))
    councils = list(fields.get("councils", ()))
    _check_places_given(uk_wide=bool(fields.get("uk_wide")), regions=regions, councils=councils)
    plain = {name: value for name, value in fields.items() if name not in PLACE_FIELDS}
    offer = Offer(curator=curator, status=OfferStatus.DRAFT, **plain)
    offer.slug = _unique_slug(offer.title)
    offer.save()
    offer.regions.set(regions)
    offer.councils.set(councils)
    _record(
        offer=offer,
        user=user,
        action="created",
        fields={name: ["", history_text(value)] for name, value in plain.items() if value}
        | {
            name: ["", places_text(places)]
            for name, places in (("regions", regions), ("councils", councils))
            if places
        },
    )
    return offer


@transaction.atomic
def update_offer(
    *, offer: Offer, changes: Mapping[str, Any], user: User, expected_version: int
) -> Offer:
    """Save a curator's edits, if nobody has saved the offer since ``expected_version``.

    Refuses with StaleOfferError otherwise, saving nothing. Returns the offer as saved.
    """
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    _check_known_fields(changes)
    current = Offer.objects.select_for_update().select_related("curator").get(pk=offer.pk)
    if current.version != expected_version:
        raise StaleOfferError()
    _check_places(user=user, curator=current.curator, changes=changes, offer=current)

    changed = {}
    plain_updates = []
    for name, new in changes.items():
        if name in PLACE_FIELDS:
            old_places = list(getattr(current, name).all())
            if {place.pk for place in old_places} != {place.pk for place in new}:
                changed[name] = [places_text(old_places), places_text(new)]
            continue
        old = getattr(current, name)
        if old != new:
            changed[name] = [history_text(old), history_text(new)]
            setattr(current, name, new)
            plain_updates.append(name)

    _check_places_given(
        uk_wide=changes.get("uk_wide", current.uk_wide),
        regions=changes["regions"] if "regions" in changes else current.regions.all(),
        councils=changes["councils"] if "councils" in changes else current.councils.all(),
    )
    if not changed:
        return current

    _bump_version(current, expected_version)
    if plain_updates:
        current.save(update_fields=plain_updates)
    for name in PLACE_FIELDS:
        if name in changed:
            getattr(current, name).set(changes[name])
    _record(offer=current, user=user, action="updated", fields=changed)
    return current


def _change_status(
    *,
    offer: Offer,
    user: User,
    to: OfferStatus,
    allowed_from: set[OfferStatus],
    action: str,
    refusal: str,
) -> Offer:
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    if current.status not in allowed_from:
        raise OfferStateError(refusal % {"status": current.get_status_display().lower()})
    changed = {"status": [current.status, to.value]}
    today = timezone.localdate()
    current.status = to
    update_fields = ["status"]
    if to == OfferStatus.PUBLISHED:
        changed["review_due"] = [
            history_text(current.review_due),
            history_text(today + REVIEW_INTERVAL),
        ]
        current.last_reviewed = today
        current.review_due = today + REVIEW_INTERVAL
        update_fields += ["last_reviewed", "review_due"]
        if current.published is None:
            current.published = timezone.now()
            update_fields.append("published")
    _bump_version(current, current.version)
    current.save(update_fields=update_fields)
    _record(offer=current, user=user, action=action, fields=changed)
    return current


@transaction.atomic
def submit_offer_for_review(*, offer: Offer, user: User) -> Offer:
    """A draft goes to the organisation's managers to publish."""
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    return _change_status(
        offer=offer,
        user=user,
        to=OfferStatus.IN_REVIEW,
        allowed_from={OfferStatus.DRAFT},
        action="submitted",
        refusal=_("This offer is %(status)s, so it cannot be sent for review."),
    )


@transaction.atomic
def publish_offer(*, offer: Offer, user: User) -> Offer:
    """Show the offer in public search; publishing counts as a review."""
    if not can_publish_offer(user, offer):
        raise PermissionDenied("Only a manager of the organisation or a moderator publishes.")
    return _change_status(
        offer=offer,
        user=user,
        to=OfferStatus.PUBLISHED,
        allowed_from={OfferStatus.DRAFT, OfferStatus.IN_REVIEW, OfferStatus.ARCHIVED},
        action="published",
        refusal=_("This offer is %(status)s already."),
    )


@transaction.atomic
def archive_offer(*, offer: Offer, user: User) -> Offer:
    """Take the offer out of search. Any curator may: out-of-date information should
    come down at once, without waiting for a manager."""
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    return _change_status(
        offer=offer,
        user=user,
        to=OfferStatus.ARCHIVED,
        allowed_from={OfferStatus.DRAFT, OfferStatus.IN_REVIEW, OfferStatus.PUBLISHED},
        action="archived",
        refusal=_("This offer is %(status)s already."),
    )


@transaction.atomic
def mark_reviewed(*, offer: Offer, user: User) -> Offer:
    """A curator checked the offer is still right: the next review is due in 6 months."""
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    today = timezone.localdate()
    changed = {
        "last_reviewed": [history_text(current.last_reviewed), history_text(today)],
        "review_due": [history_text(current.review_due), history_text(today + REVIEW_INTERVAL)],
    }
    current.last_reviewed = today
    current.review_due = today + REVIEW_INTERVAL
    _bump_version(current, current.version)
    current.save(update_fields=["last_reviewed", "review_due"])
    _record(offer=current, user=user, action="reviewed", fields=changed)
    return current
