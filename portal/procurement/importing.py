"""Importing OCDS releases into opportunities, recorded as an ImportRun.

``import_sources`` checks every source first (a source that cannot be read fails the
run before anything is saved), then streams the releases in chunks of ``CHUNK_SIZE``:
one query finds the chunk's existing opportunities, the releases of each ocid are
merged in memory (``ocds.reading.MergeState``: the latest ``date`` wins each field),
and the chunk is written in one transaction, new opportunities with bulk_create.
Should the chunk's transaction fail, each opportunity is written in its own, and the
one that fails is reported as rejected: every opportunity is saved whole or not at all.
Importing the same files again finds every release unchanged and writes nothing.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.lib import versions
from portal.procurement.models import ImportRun, Lot, Opportunity, Source, Status
from portal.procurement.ocds.reading import (
    InvalidRelease,
    MappedRelease,
    MergeState,
    PlaceLookup,
    ReleaseItem,
    SourceError,
    SourceReader,
    already_applied,
    map_release,
)

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
MAX_REJECTIONS_KEPT = 1000
MAX_WARNINGS_KEPT = 200

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


class UnknownFeed(Exception):
    pass


def import_feed(name: str) -> ImportRun:
    """Import one of the feeds configured in ``settings.OCDS_FEEDS`` (name → URL)."""
    feeds = settings.OCDS_FEEDS
    if name not in feeds:
        known = ", ".join(sorted(feeds)) or "none"
        raise UnknownFeed(f"No OCDS feed is called {name!r} (configured feeds: {known}).")
    return import_sources([feeds[name]], feed=name)


def import_sources(sources: list[str], *, feed: str = "", user_id: int | None = None) -> ImportRun:
    """Import OCDS files, directories and http(s) URLs; the run is returned finished
    (outcome "succeeded", or "failed" with ``error`` saying which source could not be
    read). An unexpected error is recorded on the run, then raised."""
    run = ImportRun.objects.create(
        source=", ".join(sources)[:1000], feed=feed, started_by_id=user_id
    )
    importer = _Importer(run)
    try:
        with SourceReader(warn=importer.warn) as reader:
            documents = reader.prepare(sources)
            if not documents:
                raise SourceError("No source was given.")
            importer.lookups()
            importer.import_items(reader.releases(documents))
    except SourceError as error:
        importer.finish(ImportRun.Outcome.FAILED, error=str(error))
    except Exception as error:
        logger.exception("OCDS import %s failed", run.pk)
        importer.finish(ImportRun.Outcome.FAILED, error=f"Unexpected error: {error}")
        raise
    else:
        importer.finish(ImportRun.Outcome.SUCCEEDED)
    return run


def summary_of(run: ImportRun) -> str:
    return (
        f"{run.releases_read} releases read: {run.created_count} created, "
        f"{run.updated_count} updated, {run.unchanged_count} unchanged, "
        f"{run.rejected_count} rejected"
    )


@dataclass
class _Pending:
    """One opportunity to write, and what its releases did."""

    opportunity: Opportunity
    is_new: bool
    changed: set[str]
    places: tuple | None  # set when the places changed
    lots: tuple | None  # set when the lots changed
    outcomes: list[tuple[ReleaseItem, str]] = field(default_factory=list)
    base_version: int = 1


class _Importer:
    def __init__(self, run: ImportRun):
        self.run = run
        self.derived_ids = 0
        self.dropped_warnings = 0

    # Reporting

    def warn(self, message: str) -> None:
        if len(self.run.warnings) < MAX_WARNINGS_KEPT:
            self.run.warnings.append(message)
        else:
            self.dropped_warnings += 1

    def reject(self, item: ReleaseItem, reason: str) -> None:
        self.run.rejected_count += 1
        if len(self.run.rejections) < MAX_REJECTIONS_KEPT:
            self.run.rejections.append({"where": item.where, "reason": reason})

    def finish(self, outcome: str, *, error: str = "") -> None:
        if self.derived_ids:
            self.warn(
                f"{self.derived_ids} releases had no id: each was given one derived from "
                "its ocid, date and tag (it starts “derived-”)."
            )
        if self.run.rejected_count > len(self.run.rejections):
            self.warn(
                f"Only the first {len(self.run.rejections)} of "
                f"{self.run.rejected_count} rejected releases are listed."
            )
        if self.dropped_warnings:
            self.run.warnings.append(f"And {self.dropped_warnings} more warnings.")
        self.run.outcome = outcome
        self.run.error = error
        self.run.finished = timezone.now()
        self.run.save()

    def save_progress(self) -> None:
        self.run.save(
            update_fields=[
                "releases_read",
                "created_count",
                "updated_count",
                "unchanged_count",
                "rejected_count",
                "rejections",
                "warnings",
            ]
        )

    # Lookups, once per run

    def lookups(self) -> None:
        self.places = PlaceLookup.from_database()
        self.region_ids = self.places.region_ids
        self.region_codes = {pk: code for code, pk in self.region_ids.items()}
        self.council_ids = self.places.council_ids
        self.council_codes = {pk: code for code, pk in self.council_ids.items()}
        self.organisations = {
            name.strip().lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")
        }

    # The import

    def import_items(self, items) -> None:
        chunk: list[ReleaseItem] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= CHUNK_SIZE:
                self.import_chunk(chunk)
                chunk = []
        if chunk:
            self.import_chunk(chunk)

    def import_chunk(self, chunk: list[ReleaseItem]) -> None:
        self.run.releases_read += len(chunk)
        by_ocid: dict[str, list[tuple[ReleaseItem, MappedRelease]]] = {}
        for item in chunk:
            if item.problem:
                self.reject(item, f"Rejected: {item.problem}.")
                continue
            try:
                mapped = map_release(item.release, places=self.places, source_uri=item.source_uri)
            except InvalidRelease as error:
                self.reject(item, f"Rejected: {error}.")
                continue
            self.derived_ids += mapped.id_derived
            for note in mapped.notes:
                self.warn(f"{item.where}: {note}")
            by_ocid.setdefault(mapped.ocid, []).append((item, mapped))

        # First only what tells whether the releases were all imported before (the
        # usual case of a scheduled feed): those are unchanged without loading more.
        known = {
            opportunity.ocid: opportunity
            for opportunity in Opportunity.objects.filter(ocid__in=list(by_ocid)).only(
                "pk", "ocid", "source", "field_dates", "published_at"
            )
        }
        to_load = []
        for ocid, releases in list(by_ocid.items()):
            opportunity = known.get(ocid)
            if opportunity is None:
                continue
            if opportunity.source == Source.IMPORTED and all(
                already_applied(opportunity.field_dates, opportunity.published_at, mapped)
                for _item, mapped in releases
            ):
                self._count([(item, "unchanged") for item, _mapped in releases])
                del by_ocid[ocid]
            else:
                to_load.append(ocid)
        existing = (
            {
                opportunity.ocid: opportunity
                for opportunity in Opportunity.objects.filter(ocid__in=to_load)
            }
            if to_load
            else {}
        )
        places, lots = self._existing_places_and_lots(existing.values())
        pending = []
        for ocid, releases in by_ocid.items():
            opportunity = existing.get(ocid)
            if opportunity is not None and opportunity.source != Source.IMPORTED:
                for item, _mapped in releases:
                    self.reject(
                        item,
                        f"Rejected: {ocid} is an opportunity posted on Waymark; imports do "
                        "not change it.",
                    )
                continue
            unit = self._merge(ocid, opportunity, releases, places, lots)
            if unit is not None:
                pending.append(unit)
        self._write(pending)
        self.save_progress()

    def _existing_places_and_lots(self, opportunities):
        ids = [opportunity.pk for opportunity in opportunities]
        regions: dict[int, set[str]] = {pk: set() for pk in ids}
        councils: dict[int, set[str]] = {pk: set() for pk in ids}
        lots: dict[int, list[tuple]] = {pk: [] for pk in ids}
        if ids:
            for pk, region_id in Opportunity.regions.through.objects.filter(
                opportunity_id__in=ids
            ).values_list("opportunity_id", "region_id"):
                regions[pk].add(self.region_codes.get(region_id, ""))
            for pk, council_id in Opportunity.councils.through.objects.filter(
                opportunity_id__in=ids
            ).values_list("opportunity_id", "council_id"):
                councils[pk].add(self.council_codes.get(council_id, ""))
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

    def _snapshot(self, opportunity: Opportunity, places, lots) -> MergeState:
        values: dict[str, Any] = {name: getattr(opportunity, name) for name in SIMPLE_FIELDS}
        values["cpv_codes"] = sorted(opportunity.cpv_codes)
        values["value"] = (
            (opportunity.value_max, opportunity.currency)
            if opportunity.value_max is not None
            else None
        )
        values["places"] = places[opportunity.pk]
        values["lots"] = lots[opportunity.pk]
        return MergeState(values=values, field_dates=dict(opportunity.field_dates or {}))

    def _merge(self, ocid, opportunity, releases, places, lots) -> _Pending | None:
        is_new = opportunity is None
        state = (
            MergeState(values={}, field_dates={})
            if is_new
            else self._snapshot(opportunity, places, lots)
        )
        before = dict(state.values)
        before_dates = dict(state.field_dates)
        outcomes = []
        for position, (item, mapped) in enumerate(releases):
            changed = state.apply(mapped)
            if is_new and position == 0:
                outcomes.append((item, "created"))
            else:
                outcomes.append((item, "updated" if changed else "unchanged"))
        if is_new and not state.values.get("title"):
            for item, _outcome in outcomes:
                self.reject(
                    item,
                    f"Rejected: no title. Neither this release nor another of {ocid} "
                    "gives tender.title.",
                )
            return None
        if not is_new and before == state.values and before_dates == state.field_dates:
            self._count(outcomes)
            return None
        if is_new:
            opportunity = Opportunity(
                ocid=ocid,
                source=Source.IMPORTED,
                publisher=None,
                status=Status.OPEN,
                buyer_name="",
            )
        changed = {name for name in state.values if state.values[name] != before.get(name)}
        self._assign(opportunity, state)
        return _Pending(
            opportunity=opportunity,
            is_new=is_new,
            changed=changed,
            places=state.values.get("places", (False, (), ())) if "places" in changed else None,
            lots=state.values.get("lots", ()) if "lots" in changed else None,
            outcomes=outcomes,
            base_version=opportunity.version,
        )

    def _assign(self, opportunity: Opportunity, state: MergeState) -> None:
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
        opportunity.buyer_id = self.organisations.get(opportunity.buyer_name.strip().lower())
        opportunity.field_dates = state.field_dates

    def _count(self, outcomes) -> None:
        for _item, outcome in outcomes:
            if outcome == "created":
                self.run.created_count += 1
            elif outcome == "updated":
                self.run.updated_count += 1
            else:
                self.run.unchanged_count += 1

    # Writing

    def _write(self, pending: list[_Pending]) -> None:
        if not pending:
            return
        try:
            with transaction.atomic():
                self._write_units(pending)
        except DatabaseError:
            logger.warning("OCDS import %s: a chunk failed, saving one by one", self.run.pk)
            for unit in pending:
                if unit.is_new:
                    unit.opportunity.pk = None
                try:
                    with transaction.atomic():
                        self._write_units([unit])
                except DatabaseError as error:
                    for item, _outcome in unit.outcomes:
                        self.reject(item, f"Rejected: it could not be saved ({error}).")
                    continue
                self._count(unit.outcomes)
        else:
            for unit in pending:
                self._count(unit.outcomes)

    def _write_units(self, units: list[_Pending]) -> None:
        # Bulk writes record no change one by one: the data version rises here.
        versions.bump(Opportunity.DATA_VERSION)
        now = timezone.now()
        new = [unit for unit in units if unit.is_new]
        for unit in new:
            unit.opportunity.created = now
            unit.opportunity.last_changed = now
        if new:
            Opportunity.objects.bulk_create([unit.opportunity for unit in new])
        for unit in units:
            if unit.is_new:
                continue
            opportunity = unit.opportunity
            opportunity.last_changed = now
            opportunity.version = unit.base_version + 1
            fields = {"field_dates", "last_changed", "version", "buyer"}
            fields |= unit.changed & set(SIMPLE_FIELDS)
            if "value" in unit.changed:
                fields |= {"value_max", "currency"}
            if "places" in unit.changed:
                fields.add("uk_wide")
            opportunity.save(update_fields=sorted(fields))
        self._write_places(units)
        self._write_lots(units)

    def _write_places(self, units: list[_Pending]) -> None:
        regions_through = Opportunity.regions.through
        councils_through = Opportunity.councils.through
        replaced = [unit.opportunity.pk for unit in units if unit.places and not unit.is_new]
        if replaced:
            regions_through.objects.filter(opportunity_id__in=replaced).delete()
            councils_through.objects.filter(opportunity_id__in=replaced).delete()
        region_rows, council_rows = [], []
        for unit in units:
            if not unit.places:
                continue
            _uk_wide, regions, councils = unit.places
            region_rows += [
                regions_through(
                    opportunity_id=unit.opportunity.pk, region_id=self.region_ids[code]
                )
                for code in regions
                if code in self.region_ids
            ]
            council_rows += [
                councils_through(
                    opportunity_id=unit.opportunity.pk, council_id=self.council_ids[code]
                )
                for code in councils
                if code in self.council_ids
            ]
        regions_through.objects.bulk_create(region_rows)
        councils_through.objects.bulk_create(council_rows)

    def _write_lots(self, units: list[_Pending]) -> None:
        replaced = [
            unit.opportunity.pk for unit in units if unit.lots is not None and not unit.is_new
        ]
        if replaced:
            Lot.objects.filter(opportunity_id__in=replaced).delete()
        rows = []
        for unit in units:
            for lot in unit.lots or ():
                values = dict(zip(LOT_FIELDS, lot, strict=True))
                values["cpv_codes"] = list(values["cpv_codes"])
                rows.append(Lot(opportunity_id=unit.opportunity.pk, **values))
        Lot.objects.bulk_create(rows)
