"""Merging a chunk's mapped releases into opportunities: each opportunity's merged state
read back from what is saved, its releases applied (``ocds.merge.MergeState``), and what
changed made ready to save (``Pending``)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.accounts.models import Organisation
from portal.procurement import ocds
from portal.procurement.importing.recording import RunRecorder
from portal.procurement.models import Lot, Opportunity, Source, Status
from portal.procurement.ocds.mapping import MappedRelease
from portal.procurement.ocds.merge import MergeState
from portal.procurement.ocds.places import POSTCODE_AREAS_FILE, PlaceLookup
from portal.procurement.ocds.sources import ReleaseItem


def _mapping_version() -> str:
    """Changes whenever the code or data that maps releases does, so that the next
    import maps every release again (and corrects what a fixed mapping got wrong)."""
    digest = hashlib.blake2b(digest_size=8)
    ocds_package = sorted(Path(ocds.__file__).parent.glob("**/*.py"))
    importing_package = sorted(Path(__file__).parent.glob("*.py"))
    for path in (*ocds_package, *importing_package, POSTCODE_AREAS_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()


MAPPING_VERSION = _mapping_version()

# Merged fields kept in one model attribute of the same name.

# Merged fields kept in one model attribute of the same name.
SIMPLE_FIELDS = (
    "title",
    "description",
    "buyer_name",
    "buyer_type",
    "contact_name",
    "contact_email",
    "main_category",
    "procedure",
    "procedure_details",
    "cpv_codes",
    "value_min",
    "published_at",
    "tender_start",
    "deadline",
    "contract_start",
    "contract_end",
    "delivery_location",
    "sme_suitable",
    "vcse_suitable",
    "stage",
    "status",
    "notice_url",
    "documents",
    "release_id",
    "source_uri",
)
LOT_FIELDS = (
    "lot_id",
    "title",
    "description",
    "value",
    "currency",
    "cpv_codes",
    "sme_suitable",
    "vcse_suitable",
)


@dataclass(frozen=True)
class Lookups:
    """What a run looks up once: places, and Waymark's organisations by name (an
    imported opportunity's buyer, when it is one of them)."""

    places: PlaceLookup
    organisations: dict[str, int]
    region_codes: dict[int, str]  # pk → ITL code
    council_codes: dict[int, str]  # pk → GSS code

    @classmethod
    def from_database(cls) -> "Lookups":
        places = PlaceLookup.from_database()
        return cls(
            places=places,
            organisations={
                name.strip().lower(): pk
                for pk, name in Organisation.objects.values_list("pk", "name")
            },
            region_codes={pk: code for code, pk in places.region_ids.items()},
            council_codes={pk: code for code, pk in places.council_ids.items()},
        )


@dataclass
class Pending:
    """One opportunity to save, and what its releases did."""

    opportunity: Opportunity
    is_new: bool
    changed: set[str]
    places: tuple | None  # set when the places changed
    lots: tuple | None  # set when the lots changed
    outcomes: list[tuple[ReleaseItem, str]] = field(default_factory=list)
    base_version: int = 1
    # Nothing the opportunity shows changed: only the releases' hashes are recorded.
    hashes_only: bool = False


def all_applied(imported, content_hashes: Iterable[str]) -> bool:
    """Whether releases with these content hashes were all applied before (their id
    and, when they have none, the date and tag that derive one are part of it), by the
    mapping code of today: applying them again could change nothing."""
    if not imported or imported.get("mapping") != MAPPING_VERSION:
        return False
    applied = set((imported.get("releases") or {}).values())
    return all(digest in applied for digest in content_hashes)


def existing_places_and_lots(opportunities, lookups: Lookups) -> tuple[dict, dict]:
    """The places and lots saved for these opportunities, as merging keeps them."""
    ids = [opportunity.pk for opportunity in opportunities]
    regions: dict[int, set[str]] = {pk: set() for pk in ids}
    councils: dict[int, set[str]] = {pk: set() for pk in ids}
    lots: dict[int, list[tuple]] = {pk: [] for pk in ids}
    if ids:
        for pk, region_id in Opportunity.regions.through.objects.filter(
            opportunity_id__in=ids
        ).values_list("opportunity_id", "region_id"):
            regions[pk].add(lookups.region_codes.get(region_id, ""))
        for pk, council_id in Opportunity.councils.through.objects.filter(
            opportunity_id__in=ids
        ).values_list("opportunity_id", "council_id"):
            councils[pk].add(lookups.council_codes.get(council_id, ""))
        for row in (
            Lot.objects.filter(opportunity_id__in=ids)
            .order_by("pk")
            .values_list("opportunity_id", *LOT_FIELDS)
        ):
            lot = list(row[1:])
            lot[5] = tuple(lot[5])
            lots[row[0]].append(tuple(lot))
    places = {
        opportunity.pk: (
            opportunity.uk_wide,
            tuple(sorted(regions[opportunity.pk])),
            tuple(sorted(councils[opportunity.pk])),
        )
        for opportunity in opportunities
    }
    return places, {pk: tuple(rows) for pk, rows in lots.items()}


def _snapshot(opportunity: Opportunity, places, lots) -> MergeState:
    values: dict[str, Any] = {name: getattr(opportunity, name) for name in SIMPLE_FIELDS}
    values["cpv_codes"] = sorted(opportunity.cpv_codes)
    values["value"] = (
        (opportunity.value_max, opportunity.currency)
        if opportunity.value_max is not None
        else None
    )
    values["places"] = places[opportunity.pk]
    values["lots"] = lots[opportunity.pk]
    return MergeState(
        values=values,
        field_dates=dict(opportunity.field_dates or {}),
        release_hashes=dict((opportunity.imported_releases or {}).get("releases", {})),
    )


def merge_releases(
    ocid: str,
    opportunity: Opportunity | None,
    releases: list[tuple[ReleaseItem, MappedRelease]],
    places: dict,
    lots: dict,
    *,
    recorder: RunRecorder,
    lookups: Lookups,
) -> Pending | None:
    """Apply one ocid's releases to its opportunity (None: a new one); what to save, or
    None when there is nothing to (their outcomes are counted, or they are rejected)."""
    is_new = opportunity is None
    state = (
        MergeState(values={}, field_dates={}) if is_new else _snapshot(opportunity, places, lots)
    )
    before = dict(state.values)
    before_dates = dict(state.field_dates)
    outcomes = []
    for position, (item, mapped) in enumerate(releases):
        if state.conflicts_with(mapped):
            recorder.conflict(item, mapped)
        changed = state.apply(mapped)
        if is_new and position == 0:
            outcomes.append((item, "created"))
        else:
            outcomes.append((item, "updated" if changed else "unchanged"))
    if is_new and not state.values.get("title"):
        for item, _outcome in outcomes:
            recorder.reject(
                item,
                f"Rejected: no title. Neither this release nor another of {ocid} "
                "gives tender.title.",
            )
        return None
    imported = {"mapping": MAPPING_VERSION, "releases": state.release_hashes}
    if not is_new and before == state.values and before_dates == state.field_dates:
        if opportunity.imported_releases == imported:
            recorder.count(outcomes)
            return None
        # Nothing to show for it: recorded, so that the next import skips them.
        opportunity.imported_releases = imported
        return Pending(
            opportunity=opportunity,
            is_new=False,
            changed=set(),
            places=None,
            lots=None,
            outcomes=outcomes,
            hashes_only=True,
        )
    if is_new:
        opportunity = Opportunity(
            ocid=ocid,
            source=Source.IMPORTED,
            publisher=None,
            status=Status.OPEN,
            buyer_name="",
        )
    changed = {name for name in state.values if state.values[name] != before.get(name)}
    _assign(opportunity, state, lookups)
    opportunity.imported_releases = imported
    return Pending(
        opportunity=opportunity,
        is_new=is_new,
        changed=changed,
        places=state.values.get("places", (False, (), ())) if "places" in changed else None,
        lots=state.values.get("lots", ()) if "lots" in changed else None,
        outcomes=outcomes,
        base_version=opportunity.version,
    )


def _assign(opportunity: Opportunity, state: MergeState, lookups: Lookups) -> None:
    values = state.values
    for name in SIMPLE_FIELDS:
        if name in values:
            value = values[name]
            setattr(opportunity, name, "" if value is None and name == "buyer_name" else value)
    if "value" in values:
        amount, currency = values["value"] or (None, opportunity.currency)
        opportunity.value_max = amount
        opportunity.currency = currency
    if "places" in values:
        opportunity.uk_wide = values["places"][0]
    opportunity.buyer_id = lookups.organisations.get(opportunity.buyer_name.strip().lower())
    opportunity.field_dates = state.field_dates
