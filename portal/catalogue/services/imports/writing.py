"""Planning and writing an import's valid rows: which offers each creates, changes or
leaves as they are, then bulk writes of the offers, their places and their history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from portal.accounts.models import Organisation, User
from portal.catalogue.csv_format import PlaceCodes
from portal.catalogue.models import Offer, OfferChange, OfferStatus
from portal.catalogue.services.imports.report import PLACE_FIELDS, Action, ImportRow, RowPlan
from portal.lib import versions
from portal.lib.history import history_text


@dataclass
class Plan:
    rows: list[RowPlan]
    creates: list[ImportRow]
    updates: list[tuple[ImportRow, Offer, dict[str, list[str]]]]


def existing_offers(organisation: Organisation, *, lock: bool) -> list[Offer]:
    offers = Offer.objects.filter(curator=organisation).prefetch_related("regions", "councils")
    return list(offers.select_for_update(of=("self",)) if lock else offers)


def match(offers: list[Offer]):
    """Look-ups by external id and, for offers without one, by public id (see
    csv_format.offer_row)."""
    by_external_id = {offer.external_id: offer for offer in offers if offer.external_id}
    by_public_id = {str(offer.public_id): offer for offer in offers if not offer.external_id}
    return lambda external_id: (
        by_external_id.get(external_id) or by_public_id.get(external_id.lower())
    )


def _differences(row: ImportRow, offer: Offer, codes: dict[str, dict[int, str]]):
    changed = {}
    for name in row.values:  # a feed gives fewer fields than a CSV row: leave the rest
        old, new = getattr(offer, name), row.values[name]
        if old != new:
            changed[name] = [history_text(old), history_text(new)]
    for name in PLACE_FIELDS:
        old_ids = {place.pk for place in getattr(offer, name).all()}
        new_ids = set(getattr(row, name))
        if old_ids != new_ids:
            changed[name] = [
                ", ".join(sorted(codes[name][pk] for pk in old_ids)),
                ", ".join(sorted(codes[name][pk] for pk in new_ids)),
            ]
    return changed


def plan_rows(rows: list[ImportRow], offers: list[Offer], places: PlaceCodes) -> Plan:
    find = match(offers)
    codes = {
        "regions": {pk: code for code, pk in places.regions.items()},
        "councils": {pk: code for code, pk in places.councils.items()},
    }
    plan = Plan(rows=[], creates=[], updates=[])
    for row in rows:
        offer = find(row.external_id)
        title = row.values["title"]
        if offer is None:
            plan.creates.append(row)
            plan.rows.append(RowPlan(row.line, row.external_id, title, Action.CREATE))
            continue
        changed = _differences(row, offer, codes)
        if row.archived and offer.status != OfferStatus.ARCHIVED:
            changed["status"] = [offer.status, OfferStatus.ARCHIVED]
        if changed:
            plan.updates.append((row, offer, changed))
            plan.rows.append(
                RowPlan(row.line, row.external_id, title, Action.UPDATE, tuple(changed))
            )
        else:
            plan.rows.append(RowPlan(row.line, row.external_id, title, Action.UNCHANGED))
    return plan


def _unique_slugs(titles: list[str]) -> list[str]:
    """A slug per new offer: the title's, unless taken, then with a short suffix."""
    bases = [slugify(title)[:200] or "offer" for title in titles]
    taken = set(Offer.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = base
        while slug in taken:
            slug = f"{base}-{uuid.uuid4().hex[:6]}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def write_plan(
    plan: Plan, *, organisation: Organisation, user: User | None, places: PlaceCodes
) -> None:
    now = timezone.now()
    codes = {
        "regions": {pk: code for code, pk in places.regions.items()},
        "councils": {pk: code for code, pk in places.councils.items()},
    }
    new_offers = [
        Offer(
            curator=organisation,
            status=OfferStatus.ARCHIVED if row.archived else OfferStatus.DRAFT,
            external_id=row.external_id,
            source=row.source,
            created=now,
            updated=now,
            **row.values,
        )
        for row in plan.creates
    ]
    for offer, slug in zip(new_offers, _unique_slugs([o.title for o in new_offers]), strict=True):
        offer.slug = slug
    Offer.objects.bulk_create(new_offers, batch_size=500)
    # Bulk writes record no change one by one: the offers' data version rises here.
    versions.bump(Offer.DATA_VERSION)

    changed_offers, updated_fields = [], set()
    for row, offer, changed in plan.updates:
        for name, value in row.values.items():
            setattr(offer, name, value)
        updated_fields |= set(row.values)
        if "status" in changed:
            offer.status = OfferStatus.ARCHIVED
            updated_fields.add("status")
        offer.version += 1
        offer.updated = now
        changed_offers.append(offer)
    if changed_offers:
        Offer.objects.bulk_update(
            changed_offers, [*sorted(updated_fields), "version", "updated"], batch_size=500
        )

    # Places: replace the links of offers whose places changed, add those of new ones.
    for name in PLACE_FIELDS:
        through = getattr(Offer, name).through
        target = f"{'region' if name == 'regions' else 'council'}_id"
        replaced = [offer.pk for row, offer, changed in plan.updates if name in changed]
        if replaced:
            through.objects.filter(offer_id__in=replaced).delete()
        links = [
            through(offer_id=offer.pk, **{target: place_id})
            for row, offer in zip(plan.creates, new_offers, strict=True)
            for place_id in getattr(row, name)
        ] + [
            through(offer_id=offer.pk, **{target: place_id})
            for row, offer, changed in plan.updates
            if name in changed
            for place_id in getattr(row, name)
        ]
        through.objects.bulk_create(links, batch_size=1000)

    history = [
        OfferChange(
            offer=offer,
            user=user,
            action="imported",
            at=now,
            fields={name: ["", history_text(value)] for name, value in row.values.items() if value}
            | {
                name: ["", ", ".join(sorted(codes[name][pk] for pk in getattr(row, name)))]
                for name in PLACE_FIELDS
                if getattr(row, name)
            },
        )
        for row, offer in zip(plan.creates, new_offers, strict=True)
    ] + [
        OfferChange(offer=offer, user=user, action="imported", at=now, fields=changed)
        for row, offer, changed in plan.updates
    ]
    OfferChange.objects.bulk_create(history, batch_size=500)
