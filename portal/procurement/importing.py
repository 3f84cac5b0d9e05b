"""Importing OCDS releases into opportunities, recorded as an ImportRun.

``import_sources`` checks every source first (a source that cannot be read fails the
run before anything is saved; in a directory, such a file is skipped with a warning),
then streams the releases in chunks of ``CHUNK_SIZE``:

- one query finds the chunk's existing opportunities with the content hash of every
  release applied to each; an opportunity whose releases in the chunk were all applied
  before, with the same content, by the same mapping code (``MAPPING_VERSION``), is
  unchanged without mapping them again (the usual case of a scheduled feed);
- the other releases are mapped (``ocds.reading.map_release``) and those of each ocid
  merged in memory (``ocds.reading.MergeState``: the latest ``date`` wins each field,
  then the content hash, so the result never depends on the order releases are read
  in); a release whose id was seen with other content is reported as a conflict;
- the chunk is written in one transaction with the run's counts, new opportunities
  with bulk_create. Should it fail, each opportunity is written in its own, and the one
  that fails is reported as rejected: every opportunity is saved whole or not at all.

One release that cannot be read, mapped, merged or saved, for whatever reason, is
rejected and the others imported; the run records what was saved. While it works the
run keeps a heartbeat: a run silent for ``STALLED_AFTER`` (its process ended without a
word) is marked failed by the next run or by the periodic ``fail_stalled_runs``.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.lib import versions
from portal.procurement.models import ImportRun, Lot, Opportunity, Source, Status
from portal.procurement.ocds import reading
from portal.procurement.ocds.reading import (
    InvalidRelease,
    MappedRelease,
    MergeState,
    PlaceLookup,
    ReleaseItem,
    SourceError,
    SourceReader,
    map_release,
)

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
MAX_REJECTIONS_KEPT = 1000
MAX_CONFLICTS_KEPT = 200
MAX_WARNINGS_KEPT = 200
# A running run writes a heartbeat at least this often while it works...
HEARTBEAT_EVERY = timedelta(seconds=30)
# ...and one silent for this long has ended without saying so.
STALLED_AFTER = timedelta(minutes=10)
STALLED_ERROR = (
    "The import stopped without finishing: nothing was heard from it for 10 minutes (its "
    "process ended or was stopped). The releases counted were imported; import the "
    "source again to finish."
)


def _mapping_version() -> str:
    """Changes whenever the code or data that maps releases does, so that the next
    import maps every release again (and corrects what a fixed mapping got wrong)."""
    digest = hashlib.blake2b(digest_size=8)
    ocds_package = sorted(Path(reading.__file__).parent.glob("**/*.py"))
    for path in (*ocds_package, Path(__file__), reading.POSTCODE_AREAS_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()


MAPPING_VERSION = _mapping_version()

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


def import_sources(
    sources: list[str],
    *,
    feed: str = "",
    user_id: int | None = None,
    on_progress: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Import OCDS files, directories and http(s) URLs; the run is returned finished
    (outcome "succeeded", or "failed" with ``error`` saying which source could not be
    read). An unexpected error is recorded on the run, with what was saved before it,
    then raised. ``on_progress`` is called with the run after each chunk is saved."""
    fail_stalled_runs()
    run = ImportRun.objects.create(
        source=", ".join(sources)[:1000], feed=feed, started_by_id=user_id
    )
    importer = _Importer(run, on_progress=on_progress)
    try:
        with SourceReader(warn=importer.warn, progress=importer.beat) as reader:
            documents = reader.prepare(sources)
            if not documents:
                raise SourceError("No source was given.")
            importer.lookups()
            importer.import_items(reader.releases(documents))
    except SourceError as error:
        importer.finish(ImportRun.Outcome.FAILED, error=str(error))
    except BaseException as error:
        logger.exception("OCDS import %s failed", run.pk)
        saved = (
            f"what the {run.releases_read} releases read before it brought was saved; "
            "import the source again to finish"
            if run.releases_read
            else "nothing was imported"
        )
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        importer.finish(ImportRun.Outcome.FAILED, error=f"Unexpected error: {what} ({saved}).")
        raise
    else:
        importer.finish(ImportRun.Outcome.SUCCEEDED)
    return run


def fail_stalled_runs() -> int:
    """Mark failed the runs still "running" whose heartbeat stopped ``STALLED_AFTER``
    ago: their process ended without finishing them. Returns how many."""
    now = timezone.now()
    return ImportRun.objects.filter(
        outcome=ImportRun.Outcome.RUNNING, heartbeat__lt=now - STALLED_AFTER
    ).update(outcome=ImportRun.Outcome.FAILED, finished=now, error=STALLED_ERROR)


def summary_of(run: ImportRun) -> str:
    summary = (
        f"{run.releases_read} releases read: {run.created_count} created, "
        f"{run.updated_count} updated, {run.unchanged_count} unchanged, "
        f"{run.rejected_count} rejected"
    )
    if run.conflict_count:
        summary += f", {run.conflict_count} in conflict"
    return summary


# Keys sorted, so that the order a publisher writes them in does not count; a release
# read from JSON cannot refer to itself, so no check for circles.
CANONICAL_JSON = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str, check_circular=False
)


def content_hash(release) -> str:
    """A hash of a release's content, whatever the order of its keys."""
    text = CANONICAL_JSON.encode(release)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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
    # Nothing the opportunity shows changed: only the releases' hashes are recorded.
    hashes_only: bool = False


@dataclass
class _Read:
    """One release of a chunk, before it is mapped."""

    item: ReleaseItem
    ocid: str
    content_hash: str


def _all_applied(imported, reads: list[_Read]) -> bool:
    """Whether these releases were all applied before, with the same content (their
    id and, when they have none, the date and tag that derive one are part of it), by
    the mapping code of today: applying them again could change nothing."""
    if not imported or imported.get("mapping") != MAPPING_VERSION:
        return False
    applied = set((imported.get("releases") or {}).values())
    return all(read.content_hash in applied for read in reads)


# The run's figures that each chunk adds to (put back should a chunk fail midway).
COUNTERS = (
    "releases_read",
    "created_count",
    "updated_count",
    "unchanged_count",
    "rejected_count",
    "conflict_count",
)


class _Importer:
    def __init__(self, run: ImportRun, on_progress: Callable[[ImportRun], None] | None = None):
        self.run = run
        self.on_progress = on_progress
        self.derived_ids = 0
        self.dropped_warnings = 0
        self.unexpected_errors = 0
        self.last_beat = run.heartbeat

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

    def reject_unexpected(self, item: ReleaseItem, error: Exception, doing: str) -> None:
        """A release that broke the importer itself: rejected, and logged (the first
        few of a run, with their traceback) so that the bug can be fixed."""
        self.unexpected_errors += 1
        if self.unexpected_errors <= 3:
            logger.exception("OCDS import %s: %s failed at %s", self.run.pk, doing, item.where)
        self.reject(
            item,
            f"Rejected: it could not be {doing} (an unexpected {type(error).__name__}: {error}).",
        )

    def conflict(self, item: ReleaseItem, mapped: MappedRelease) -> None:
        self.run.conflict_count += 1
        if len(self.run.conflicts) < MAX_CONFLICTS_KEPT:
            self.run.conflicts.append(
                {
                    "where": item.where,
                    "reason": f"Release {mapped.release_id} of {mapped.ocid} has the same id "
                    "as another release of it, with different content. Each field was "
                    "taken from the latest of the two (by date, then by content), "
                    "whichever was read first.",
                }
            )

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
        if self.run.conflict_count > len(self.run.conflicts):
            self.warn(
                f"Only the first {len(self.run.conflicts)} of "
                f"{self.run.conflict_count} conflicting releases are listed."
            )
        if self.dropped_warnings:
            self.run.warnings.append(f"And {self.dropped_warnings} more warnings.")
        self.run.outcome = outcome
        self.run.error = error
        self.run.finished = self.run.heartbeat = timezone.now()
        self.run.save()

    def save_progress(self) -> None:
        self.run.heartbeat = self.last_beat = timezone.now()
        self.run.save(
            update_fields=[
                *COUNTERS,
                "rejections",
                "conflicts",
                "warnings",
                "heartbeat",
            ]
        )

    def beat(self) -> None:
        """Tell that the run is alive, at most every ``HEARTBEAT_EVERY``."""
        now = timezone.now()
        if now - self.last_beat >= HEARTBEAT_EVERY:
            self.run.heartbeat = self.last_beat = now
            ImportRun.objects.filter(pk=self.run.pk).update(heartbeat=now)

    def _counters(self) -> tuple:
        return (
            *(getattr(self.run, name) for name in COUNTERS),
            len(self.run.rejections),
            len(self.run.conflicts),
            self.derived_ids,
        )

    def _restore(self, counters: tuple) -> None:
        *figures, rejections, conflicts, self.derived_ids = counters
        for name, value in zip(COUNTERS, figures, strict=True):
            setattr(self.run, name, value)
        del self.run.rejections[rejections:]
        del self.run.conflicts[conflicts:]

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
        """Import one chunk; should it fail midway (the database gone, say), the run's
        figures are put back to what was saved before it, then the error raised."""
        before = self._counters()
        try:
            self._import_chunk(chunk)
        except BaseException:
            self._restore(before)
            raise
        if self.on_progress is not None:
            self.on_progress(self.run)

    def _import_chunk(self, chunk: list[ReleaseItem]) -> None:
        self.run.releases_read += len(chunk)
        read_by_ocid: dict[str, list[_Read]] = {}
        to_map: list[ReleaseItem] = []
        for item in chunk:
            if item.problem:
                self.reject(item, f"Rejected: {item.problem}.")
                continue
            try:
                read = self._read(item)
            except Exception as error:  # noqa: BLE001 - one release, whatever broke
                self.reject_unexpected(item, error, "read")
                continue
            if read is None:
                to_map.append(item)  # mapping says what is wrong with it
            else:
                read_by_ocid.setdefault(read.ocid, []).append(read)

        # First only what tells whether the releases were all imported before (the
        # usual case of a scheduled feed): those are unchanged without mapping them.
        known = {
            ocid: (source, imported)
            for ocid, source, imported in Opportunity.objects.filter(ocid__in=list(read_by_ocid))
            .order_by()
            .values_list("ocid", "source", "imported_releases")
        }
        hashes_by_read: dict[int, str] = {}
        for ocid, reads in read_by_ocid.items():
            source, imported = known.get(ocid, (None, None))
            if source == Source.IMPORTED and _all_applied(imported, reads):
                self._count([(read.item, "unchanged") for read in reads])
                continue
            for read in reads:
                to_map.append(read.item)
                hashes_by_read[id(read.item)] = read.content_hash

        by_ocid: dict[str, list[tuple[ReleaseItem, MappedRelease]]] = {}
        for item in to_map:
            try:
                mapped = map_release(item.release, places=self.places, source_uri=item.source_uri)
                mapped.content_hash = hashes_by_read.get(id(item)) or content_hash(item.release)
            except InvalidRelease as error:
                self.reject(item, f"Rejected: {error}.")
                continue
            except Exception as error:  # noqa: BLE001 - one release, whatever broke
                self.reject_unexpected(item, error, "read")
                continue
            self.derived_ids += mapped.id_derived
            for note in mapped.notes:
                self.warn(f"{item.where}: {note}")
            by_ocid.setdefault(mapped.ocid, []).append((item, mapped))

        # Of the ocids read above, only those found there exist.
        to_load = [ocid for ocid in by_ocid if ocid in known or ocid not in read_by_ocid]
        existing = (
            {
                opportunity.ocid: opportunity
                for opportunity in Opportunity.objects.filter(ocid__in=to_load).order_by()
            }
            if to_load
            else {}
        )
        imported = [item for item in existing.values() if item.source == Source.IMPORTED]
        places, lots = self._existing_places_and_lots(imported)
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
            try:
                unit = self._merge(ocid, opportunity, releases, places, lots)
            except Exception as error:  # noqa: BLE001 - one opportunity, whatever broke
                for item, _mapped in releases:
                    self.reject_unexpected(item, error, "merged")
                continue
            if unit is not None:
                pending.append(unit)
        self._write(pending)

    def _read(self, item: ReleaseItem) -> _Read | None:
        """The ocid and content hash of a release; None when it has no ocid (mapping
        it says what is wrong)."""
        release = item.release
        if not isinstance(release, dict):
            return None
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid.strip():
            return None
        return _Read(item, ocid.strip(), content_hash(release))

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
        return MergeState(
            values=values,
            field_dates=dict(opportunity.field_dates or {}),
            release_hashes=dict((opportunity.imported_releases or {}).get("releases", {})),
        )

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
            if state.conflicts_with(mapped):
                self.conflict(item, mapped)
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
        imported = {"mapping": MAPPING_VERSION, "releases": state.release_hashes}
        if not is_new and before == state.values and before_dates == state.field_dates:
            if opportunity.imported_releases == imported:
                self._count(outcomes)
                return None
            # Nothing to show for it: recorded, so that the next import skips them.
            opportunity.imported_releases = imported
            return _Pending(
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
        self._assign(opportunity, state)
        opportunity.imported_releases = imported
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
        """Write the chunk and the run's figures in one transaction; should that fail,
        each opportunity in its own, the one that fails rejected."""
        if not pending:
            self.save_progress()
            return
        before = self._counters()
        try:
            with transaction.atomic():
                self._write_units(pending)
                for unit in pending:
                    self._count(unit.outcomes)
                self.save_progress()
            return
        except Exception:  # noqa: BLE001 - retried one by one, which says what failed
            self._restore(before)
            logger.warning(
                "OCDS import %s: a chunk failed, saving one by one", self.run.pk, exc_info=True
            )
        for unit in pending:
            if unit.is_new:
                unit.opportunity.pk = None
                unit.opportunity._state.adding = True
            try:
                with transaction.atomic():
                    self._write_units([unit])
            except Exception as error:  # noqa: BLE001 - one opportunity, whatever broke
                if not connection.is_usable():
                    raise  # not this opportunity's fault: the run cannot go on
                for item, _outcome in unit.outcomes:
                    reason = (
                        f"({error})"
                        if isinstance(error, DatabaseError)
                        else f"(an unexpected {type(error).__name__}: {error})"
                    )
                    self.reject(item, f"Rejected: it could not be saved {reason}.")
                continue
            self._count(unit.outcomes)
        self.save_progress()

    def _write_units(self, units: list[_Pending]) -> None:
        shown = [unit for unit in units if not unit.hashes_only]
        if shown:
            # Bulk writes record no change one by one: the data version rises here.
            versions.bump(Opportunity.DATA_VERSION)
        now = timezone.now()
        new = [unit for unit in shown if unit.is_new]
        for unit in new:
            unit.opportunity.created = now
            unit.opportunity.last_changed = now
        if new:
            Opportunity.objects.bulk_create([unit.opportunity for unit in new])
        for unit in shown:
            if unit.is_new:
                continue
            opportunity = unit.opportunity
            opportunity.last_changed = now
            opportunity.version = unit.base_version + 1
            fields = {"field_dates", "imported_releases", "last_changed", "version", "buyer"}
            fields |= unit.changed & set(SIMPLE_FIELDS)
            if "value" in unit.changed:
                fields |= {"value_max", "currency"}
            if "places" in unit.changed:
                fields.add("uk_wide")
            opportunity.save(update_fields=sorted(fields))
        recorded = [unit.opportunity for unit in units if unit.hashes_only]
        if recorded:
            Opportunity.objects.bulk_update(recorded, ["imported_releases"])
        self._write_places(shown)
        self._write_lots(shown)

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
