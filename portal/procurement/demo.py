"""Demo contract opportunities, so a fresh site has a contract portal to try.

``data/demo_opportunities.json`` holds 170 opportunities posted by the cluster bodies and
buyers that ``seed_demo`` creates (council procurement teams and buying partnerships),
for themselves or for fictional buyers, across every nation and region (at least six
open in each): digital and IT work mostly, with marketing, training,
facilities, works and consultancy. Its dates are days relative to the day of loading
(``closes_in_days`` and so on), turned into dates and times here, so the demo is never
out of date: run it again on a later day and the dates move with it.

Each demo opportunity's public id is derived from its key in the file, and so is its
ocid, so running it again matches the same rows: it creates only the missing ones and
brings the others back to the file's values (raising their version only when something
changed).
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.lib.history import record_change
from portal.places.models import Council, Region
from portal.procurement.models import Lot, Opportunity
from portal.procurement.services.posting import EDITABLE_FIELDS

DEMO_FILE = Path(__file__).parent / "data" / "demo_opportunities.json"
# Demo public ids are uuid5(DEMO_NAMESPACE, key): the same on every machine and run.
DEMO_NAMESPACE = uuid.UUID("6f1c2b8e-5d0a-4c4e-9a51-7b0f3e2d9c10")
PUBLISHED_AT = datetime.time(9, 0)
CLOSES_AT = datetime.time(12, 0)
# The fields a poster sets that the demo file gives in its own terms, or leaves out.
WORKED_OUT_FIELDS = {
    *("deadline", "contract_start", "contract_end"),  # days from today
    *("value_min", "value_max", "currency"),  # amounts in pounds
    *("regions", "councils", "lots"),  # place codes, and lots of their own
    *("buyer_name", "notice_url"),  # the publisher unless named; none
}
# The others it gives as they are, and the status a moderator would have given.
PLAIN_FIELDS = (*(name for name in EDITABLE_FIELDS if name not in WORKED_OUT_FIELDS), "status")


def load_demo_opportunities() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["opportunities"]


def demo_public_id(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, key)


def _money(amount) -> Decimal | None:
    # 0 is "not stated", as everywhere else: never a £0 opportunity.
    if amount in (None, 0, "0"):
        return None
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


def _values(entry: dict, *, publisher: Organisation, today: datetime.date) -> dict:
    values = {name: entry.get(name) for name in PLAIN_FIELDS}
    for name in ("description", "title_cy", "description_cy", "delivery_location"):
        values[name] = values[name] or ""
    for name in ("procedure", "procedure_details"):
        values[name] = values[name] or ""
    for name in ("contact_name", "contact_email"):
        values[name] = values[name] or ""
    # In the order the field keeps them, so a second run compares equal.
    field = Opportunity._meta.get_field("cpv_codes")
    values["cpv_codes"] = field.to_python(field.get_prep_value(values["cpv_codes"]))
    values["uk_wide"] = bool(values["uk_wide"])
    values["buyer_name"] = entry.get("buyer_name") or publisher.name
    # The buyer is our organisation only when the publisher buys for itself.
    values["buyer"] = None if entry.get("buyer_name") else publisher
    values["value_min"] = _money(entry.get("value_min"))
    values["value_max"] = _money(entry.get("value_max"))
    published = today - datetime.timedelta(days=entry["published_days_ago"])
    values["published_at"] = _at(published, PUBLISHED_AT)
    values["tender_start"] = values["published_at"]
    closes = entry.get("closes_in_days")
    values["deadline"] = (
        None if closes is None else _at(today + datetime.timedelta(days=closes), CLOSES_AT)
    )
    starts = entry.get("contract_starts_in_days")
    if starts is None:
        values["contract_start"] = values["contract_end"] = None
    else:
        values["contract_start"] = today + datetime.timedelta(days=starts)
        values["contract_end"] = _add_months(values["contract_start"], entry["contract_months"])
    return values


def _lot_values(lot: dict) -> dict:
    field = Lot._meta.get_field("cpv_codes")
    return {
        "title": lot.get("title", ""),
        "description": lot.get("description", ""),
        "value": _money(lot.get("value")),
        "cpv_codes": field.to_python(field.get_prep_value(lot.get("cpv_codes") or [])),
        "sme_suitable": lot.get("sme_suitable"),
        "vcse_suitable": lot.get("vcse_suitable"),
    }


def _sync_lots(opportunity: Opportunity, lots: list[dict]) -> bool:
    wanted = {str(number): _lot_values(lot) for number, lot in enumerate(lots, start=1)}
    existing = {lot.lot_id: lot for lot in opportunity.lots.all()}
    changed = False
    for lot_id, lot in existing.items():
        if lot_id not in wanted:
            lot.delete()
            changed = True
    for lot_id, values in wanted.items():
        lot = existing.get(lot_id)
        if lot is None:
            Lot.objects.create(opportunity=opportunity, lot_id=lot_id, **values)
            changed = True
            continue
        differing = [name for name, value in values.items() if getattr(lot, name) != value]
        if differing:
            for name in differing:
                setattr(lot, name, values[name])
            lot.save(update_fields=differing)
            changed = True
    return changed


@transaction.atomic
def create_demo_opportunities(*, today: datetime.date | None = None) -> int:
    """Post the demo opportunities; returns how many were created.

    Needs the demo organisations (seed_demo creates them first); raises LookupError
    naming any that are missing.
    """
    entries = load_demo_opportunities()
    slugs = {entry["publisher"] for entry in entries}
    publishers = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    missing = sorted(slugs - set(publishers))
    if missing:
        raise LookupError(f"Demo organisations missing (run seed_demo): {', '.join(missing)}")
    regions = {region.ons_code: region for region in Region.objects.all()}
    councils = {council.gss_code: council for council in Council.objects.all()}
    existing = {
        opportunity.public_id: opportunity
        for opportunity in Opportunity.objects.filter(
            public_id__in=[demo_public_id(entry["key"]) for entry in entries]
        )
        .select_related("publisher", "buyer")
        .prefetch_related("regions", "councils", "lots")
    }
    today = today or timezone.localdate()
    now = timezone.now()
    created = 0
    for entry in entries:
        publisher = publishers[entry["publisher"]]
        values = _values(entry, publisher=publisher, today=today)
        public_id = demo_public_id(entry["key"])
        ocid = f"{settings.OCDS_OCID_PREFIX}-{public_id}"
        wanted_regions = [regions[code] for code in entry.get("regions", ())]
        wanted_councils = [councils[code] for code in entry.get("councils", ())]
        opportunity = existing.get(public_id)
        is_new = opportunity is None
        if is_new:
            opportunity = Opportunity.objects.create(
                public_id=public_id,
                ocid=ocid,
                publisher=publisher,
                created=values["published_at"],
                last_changed=now,
                **values,
            )
            record_change(
                subject=opportunity, user=None, action="created", fields={"source": ["", "demo"]}
            )
            created += 1
            changed = False
        else:
            changed_fields = [
                name for name, value in values.items() if getattr(opportunity, name) != value
            ]
            for name in changed_fields:
                setattr(opportunity, name, values[name])
            # Kept in line with the settings and the file, like the fields above.
            for name, value in (("publisher", publisher), ("ocid", ocid)):
                if getattr(opportunity, name) != value:
                    setattr(opportunity, name, value)
                    changed_fields.append(name)
            changed = bool(changed_fields)
            if changed:
                opportunity.save(update_fields=changed_fields)
        if {r.pk for r in opportunity.regions.all()} != {r.pk for r in wanted_regions}:
            opportunity.regions.set(wanted_regions)
            changed = True
        if {c.pk for c in opportunity.councils.all()} != {c.pk for c in wanted_councils}:
            opportunity.councils.set(wanted_councils)
            changed = True
        changed = _sync_lots(opportunity, entry.get("lots", [])) or changed
        if changed and not is_new:
            opportunity.version += 1
            opportunity.last_changed = now
            opportunity.save(update_fields=["version", "last_changed"])
    return created


def seed_demo(options) -> str:
    """What seed_demo runs (portal/lib/registry.py); the line it prints."""
    created = create_demo_opportunities()
    return (
        f"Demo contract opportunities: {created} posted "
        f"({len(load_demo_opportunities())} in all; existing ones brought up to date)."
    )
