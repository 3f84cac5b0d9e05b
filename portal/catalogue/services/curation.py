"""Curation: creating, editing, reviewing and publishing support offers.

Every write records an OfferChange and raises the offer's ``version``: an edit based on
an older version is refused (``StaleEditError``) rather than overwriting someone else's
changes; a status moves only as ``Offer.TRANSITIONS`` allows (portal/lib/versioning.py).
Permissions and places are checked again here, whatever the form allowed, so a crafted
request cannot publish an offer or list it in another council's area.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Organisation, User
from portal.catalogue.funding import FUNDING_FIELDS, check_funding
from portal.catalogue.models import REVIEW_INTERVAL, Offer, OfferStatus
from portal.catalogue.rules import (
    can_curate_for,
    can_edit_offer,
    can_list_offer_uk_wide,
    can_publish_offer,
    councils_user_may_list_offers_in,
    regions_user_may_list_offers_in,
)
from portal.lib.history import initial_history, record_change
from portal.lib.tasks import enqueue_on_commit
from portal.lib.versioning import (
    StaleEditError,
    StatusError,
    StatusMove,
    assign,
    change_status,
    check_known_fields,
    lock,
    save_version,
)

# What a curator may change through create_offer and update_offer. Everything else
# (curator, status, version, slug, review dates, import ids) is set by the services.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "title_cy",
    "summary_cy",
    "description_cy",
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

# The status moves (Offer.TRANSITIONS says from where): any curator sends for review and
# archives; a manager of the organisation, or a moderator, publishes.
ALREADY = gettext_lazy("This offer is %(status)s already.")
NOT_A_DRAFT = gettext_lazy("This offer is %(status)s, so it cannot be sent for review.")
SEND_FOR_REVIEW = StatusMove(OfferStatus.IN_REVIEW, "submitted", can_edit_offer, NOT_A_DRAFT)
PUBLISH = StatusMove(OfferStatus.PUBLISHED, "published", can_publish_offer, ALREADY)
ARCHIVE = StatusMove(OfferStatus.ARCHIVED, "archived", can_edit_offer, ALREADY)


# Checks


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


def unique_slug(title: str) -> str:
    """The title's slug, or with a number after it when taken (also for demo.py)."""
    base = slugify(title)[:200] or "offer"
    slug, number = base, 2
    while Offer.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


# Services


@transaction.atomic
def create_offer(*, curator: Organisation, user: User, fields: Mapping[str, Any]) -> Offer:
    """A new draft offer curated by ``curator``."""
    if not can_curate_for(user, curator):
        raise PermissionDenied("This user does not curate for this organisation.")
    check_known_fields(fields, EDITABLE_FIELDS)
    _check_places(user=user, curator=curator, changes=fields)
    regions = list(fields.get("regions", ()))
    councils = list(fields.get("councils", ()))
    _check_places_given(uk_wide=bool(fields.get("uk_wide")), regions=regions, councils=councils)
    check_funding(fields)
    plain = {name: value for name, value in fields.items() if name not in PLACE_FIELDS}
    offer = Offer(curator=curator, status=OfferStatus.DRAFT, **plain)
    offer.slug = unique_slug(offer.title)
    offer.save()
    offer.regions.set(regions)
    offer.councils.set(councils)
    record_change(
        subject=offer, user=user, action="created", fields=initial_history(Offer, fields)
    )
    return offer


@transaction.atomic
def update_offer(
    *, offer: Offer, user: User, changes: Mapping[str, Any], expected_version: int
) -> Offer:
    """Save a curator's edits, if nobody has saved the offer since ``expected_version``.

    Refuses with StaleEditError otherwise, saving nothing. Returns the offer as saved.
    """
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    check_known_fields(changes, EDITABLE_FIELDS)
    current = lock(offer, "curator")
    if current.version != expected_version:
        raise StaleEditError(Offer)
    _check_places(user=user, curator=current.curator, changes=changes, offer=current)
    _check_places_given(
        uk_wide=changes.get("uk_wide", current.uk_wide),
        regions=changes["regions"] if "regions" in changes else current.regions.all(),
        councils=changes["councils"] if "councils" in changes else current.councils.all(),
    )
    # An edit of one amount is checked against the other as saved.
    if any(name in changes for name in FUNDING_FIELDS):
        check_funding({name: changes.get(name, getattr(current, name)) for name in FUNDING_FIELDS})
    changed = assign(current, changes)
    if changed:
        save_version(
            current, changed, user=user, action="updated", expected_version=expected_version
        )
    return current


def _reviewed_today() -> dict[str, Any]:
    today = timezone.localdate()
    return {"last_reviewed": today, "review_due": today + REVIEW_INTERVAL}


def _publication(current: Offer) -> dict[str, Any]:
    """Publishing counts as a review, and the first publication is remembered. An offer
    without a link to apply (imported from a feed that gave none) is not published."""
    if not current.application_url:
        raise StatusError(
            _(
                "Add a link to apply or find out more before publishing this offer: edit "
                "the offer to add one."
            )
        )
    values = _reviewed_today()
    if current.published is None:
        values["published"] = timezone.now()
    return values


@transaction.atomic
def submit_offer_for_review(*, offer: Offer, user: User) -> Offer:
    """A draft goes to the organisation's managers to publish; they are emailed."""
    current = change_status(offer, user=user, move=SEND_FOR_REVIEW)
    enqueue_on_commit("portal.catalogue.tasks.send_offer_in_review_emails", current.pk)
    return current


def publish_offer(*, offer: Offer, user: User) -> Offer:
    """Show the offer in public search; publishing counts as a review."""
    return change_status(offer, user=user, move=PUBLISH, effects=_publication)


def archive_offer(*, offer: Offer, user: User) -> Offer:
    """Take the offer out of search. Any curator may: out-of-date information should
    come down at once, without waiting for a manager."""
    return change_status(offer, user=user, move=ARCHIVE)


@transaction.atomic
def mark_reviewed(*, offer: Offer, user: User) -> Offer:
    """A curator checked the offer is still right: the next review is due in 6 months."""
    if not can_edit_offer(user, offer):
        raise PermissionDenied("This user may not edit this offer.")
    current = lock(offer)
    changed = assign(current, _reviewed_today())
    save_version(current, changed, user=user, action="reviewed", expected_version=current.version)
    return current
