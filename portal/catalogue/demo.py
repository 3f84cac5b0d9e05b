"""Demo offers: real UK business support programmes, so a fresh site has a catalogue.

``data/demo_offers.json`` holds public facts about each programme (name, provider, kind,
where, who for, link, and ``source_url``: where the facts were read, kept in the file for
whoever checks them, not stored on the offer). ``create_demo_offers`` publishes them,
curated by the demo councils that ``seed_demo`` creates: a programme for one nation or
region goes to the demo council there when there is one; the others are shared out among
the demo councils by a hash of their id, so each always lands on the same one. Running it
again creates only the missing offers and brings the others back to the file's values.

Programmes that run in rounds or cohorts give their dates as days from the day of loading
(``opens_in_days``, ``closes_in_days``, ``next_intake_in_days``), as the demo
opportunities do, so the demo always has a round open or coming whatever the day: they
show the shape of the programme's cycle, not its real dates. An offer with any of them is
not always open unless it says so.
"""

from __future__ import annotations

import datetime
import json
import zlib
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.catalogue.models import REVIEW_INTERVAL, Offer, OfferStatus
from portal.catalogue.services.curation import EDITABLE_FIELDS, PLACE_FIELDS, unique_slug
from portal.lib.history import record_change
from portal.places.models import Council, Region

DEMO_FILE = Path(__file__).parent / "data" / "demo_offers.json"
DEMO_SOURCE = "demo"
# The local authorities seed_demo creates, by slug, and the region each is the home of.
DEMO_CURATORS = (
    "cardiff-council",
    "gateshead-council",
    "glasgow-city-council",
    "manchester-city-council",
    "newcastle-city-council",
    "north-east-combined-authority",
)
HOME_REGIONS = {
    "E12000001": "north-east-combined-authority",
    "E12000002": "manchester-city-council",
    "W92000004": "cardiff-council",
    "S92000003": "glasgow-city-council",
}
# Dates as days from the day of loading, and the date field each sets.
DAY_OFFSETS = {
    "opens_in_days": "opens",
    "closes_in_days": "closes",
    "next_intake_in_days": "next_intake",
}
# Fields a curator edits that the file does not hold: the offers keep their defaults.
NOT_IN_FILE = ("currency", "contact_email", "contact_phone")
# The fields an entry gives as they are: those a curator edits, but its places (codes,
# placed below), its dates (DAY_OFFSETS) and those not in the file.
PLAIN_FIELDS = tuple(
    name
    for name in EDITABLE_FIELDS
    if name not in {*PLACE_FIELDS, *DAY_OFFSETS.values(), *NOT_IN_FILE}
)
# Keys an entry may have besides the fields: a misspelt key is an error, not a fact lost.
OTHER_KEYS = frozenset({"external_id", "regions", "councils", "source_url", *DAY_OFFSETS})


def load_demo_offers() -> list[dict]:
    """The file's offers; raises ValueError naming an offer with a key the loader does
    not know."""
    offers = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["offers"]
    for entry in offers:
        unknown = sorted(set(entry) - set(PLAIN_FIELDS) - OTHER_KEYS)
        if unknown:
            raise ValueError(
                f"Demo offer {entry.get('external_id')!r} has unknown keys: {', '.join(unknown)}"
            )
    return offers


def _curator_slug(entry: dict, council_homes: dict[str, str]) -> str:
    for code in entry.get("councils", ()):
        if code in council_homes:
            return council_homes[code]
    regions = entry.get("regions", ())
    if len(regions) == 1 and regions[0] in HOME_REGIONS:
        return HOME_REGIONS[regions[0]]
    index = zlib.crc32(entry["external_id"].encode()) % len(DEMO_CURATORS)
    return DEMO_CURATORS[index]


def _values(entry: dict, *, today: datetime.date) -> dict:
    values = {name: entry.get(name) for name in PLAIN_FIELDS}
    for name in ("dimensions", "maturity_levels", "sizes", "stages", "sic_sections"):
        # In the vocabulary's order, as the field stores them, so a rerun compares equal.
        field = Offer._meta.get_field(name)
        values[name] = field.to_python(field.get_prep_value(values[name] or []))
    for name in ("description", "eligibility_note", "cost_note"):
        values[name] = values[name] or ""
    for name in ("title_cy", "summary_cy", "description_cy"):
        values[name] = values[name] or ""
    for name in ("funding_min", "funding_max"):
        if values[name] is not None:
            values[name] = Decimal(values[name]).quantize(Decimal("0.01"))
    values["uk_wide"] = bool(values["uk_wide"])
    dated = False
    for key, name in DAY_OFFSETS.items():
        days = entry.get(key)
        values[name] = None if days is None else today + datetime.timedelta(days=days)
        dated = dated or days is not None
    values["always_open"] = entry.get("always_open", not dated)
    return values


@transaction.atomic
def create_demo_offers(*, today: datetime.date | None = None) -> int:
    """Publish the demo programmes; returns how many offers were created.

    Needs the demo organisations (run by seed_demo after creating them); raises
    LookupError naming any that are missing.
    """
    curators = {o.slug: o for o in Organisation.objects.filter(slug__in=DEMO_CURATORS)}
    missing = sorted(set(DEMO_CURATORS) - set(curators))
    if missing:
        raise LookupError(f"Demo organisations missing (run seed_demo): {', '.join(missing)}")
    council_homes = {
        gss_code: slug
        for slug, gss_code in Council.objects.filter(
            organisations__slug__in=DEMO_CURATORS
        ).values_list("organisations__slug", "gss_code")
        # A combined authority covers its members' councils too: the council's own
        # organisation is the better curator.
        if slug != "north-east-combined-authority"
    }
    regions = {region.ons_code: region for region in Region.objects.all()}
    councils = {council.gss_code: council for council in Council.objects.all()}
    existing = {
        offer.external_id: offer
        for offer in Offer.objects.filter(source=DEMO_SOURCE).prefetch_related(
            "regions", "councils"
        )
    }
    today = today or timezone.localdate()
    now = timezone.now()
    created = 0
    for entry in load_demo_offers():
        values = _values(entry, today=today)
        offer_regions = [regions[code] for code in entry.get("regions", ())]
        offer_councils = [councils[code] for code in entry.get("councils", ())]
        offer = existing.get(entry["external_id"])
        if offer is None:
            offer = Offer.objects.create(
                curator=curators[_curator_slug(entry, council_homes)],
                slug=unique_slug(values["title"]),
                status=OfferStatus.PUBLISHED,
                published=now,
                last_reviewed=today,
                review_due=today + REVIEW_INTERVAL,
                source=DEMO_SOURCE,
                external_id=entry["external_id"],
                **values,
            )
            record_change(
                subject=offer, user=None, action="created", fields={"source": ["", "demo"]}
            )
            created += 1
        else:
            changed = [name for name, value in values.items() if getattr(offer, name) != value]
            if changed:
                for name in changed:
                    setattr(offer, name, values[name])
                offer.version += 1
                offer.updated = now
                offer.save(update_fields=[*changed, "version", "updated"])
        if {r.pk for r in offer.regions.all()} != {r.pk for r in offer_regions}:
            offer.regions.set(offer_regions)
        if {c.pk for c in offer.councils.all()} != {c.pk for c in offer_councils}:
            offer.councils.set(offer_councils)
    return created


def seed_demo(options) -> str:
    """What seed_demo runs (portal/lib/registry.py); the line it prints."""
    created = create_demo_offers()
    return (
        f"Demo support offers: {created} published "
        f"({len(load_demo_offers())} real UK programmes; existing ones kept)."
    )
