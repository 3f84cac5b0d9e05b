"""Importing releases chunk by chunk: each chunk's releases read, those applied before
skipped by their content hash, the others mapped, merged by ocid and saved."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portal.procurement.importing.merging import (
    Lookups,
    all_applied,
    existing_places_and_lots,
    merge_releases,
)
from portal.procurement.importing.recording import RunRecorder
from portal.procurement.importing.saving import save_chunk
from portal.procurement.models import ImportRun, Opportunity, Source
from portal.procurement.ocds.mapping import MappedRelease, map_release
from portal.procurement.ocds.sources import ReleaseItem
from portal.procurement.ocds.values import InvalidRelease

CHUNK_SIZE = 500

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
class _Read:
    """One release of a chunk, before it is mapped."""

    item: ReleaseItem
    ocid: str
    content_hash: str


def import_releases(
    items: Iterable[ReleaseItem],
    *,
    recorder: RunRecorder,
    on_progress: Callable[[ImportRun], None] | None = None,
) -> None:
    """Import releases in chunks of ``CHUNK_SIZE``; ``on_progress`` is called with the
    run after each chunk is saved."""
    lookups = Lookups.from_database()
    chunk: list[ReleaseItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK_SIZE:
            import_chunk(chunk, recorder=recorder, lookups=lookups, on_progress=on_progress)
            chunk = []
    if chunk:
        import_chunk(chunk, recorder=recorder, lookups=lookups, on_progress=on_progress)


def import_chunk(
    chunk: list[ReleaseItem],
    *,
    recorder: RunRecorder,
    lookups: Lookups,
    on_progress: Callable[[ImportRun], None] | None = None,
) -> None:
    """Import one chunk; should it fail midway (the database gone, say), the run's
    figures are put back to what was saved before it, then the error raised."""
    before = recorder.counters()
    try:
        _import_chunk(chunk, recorder, lookups)
    except BaseException:
        recorder.restore(before)
        raise
    if on_progress is not None:
        on_progress(recorder.run)


def _import_chunk(chunk: list[ReleaseItem], recorder: RunRecorder, lookups: Lookups) -> None:
    recorder.run.releases_read += len(chunk)
    read_by_ocid: dict[str, list[_Read]] = {}
    to_map: list[ReleaseItem] = []
    for item in chunk:
        if item.problem:
            recorder.reject(item, f"Rejected: {item.problem}.")
            continue
        try:
            read = _read(item)
        except Exception as error:  # noqa: BLE001 - one release, whatever broke
            recorder.reject_unexpected(item, error, "read")
            continue
        if read is None:
            to_map.append(item)  # mapping says what is wrong with it
        else:
            read_by_ocid.setdefault(read.ocid, []).append(read)

    # First only what tells whether the releases were all imported before (the usual
    # case of a scheduled feed): those are unchanged without mapping them.
    known = {
        ocid: (source, imported)
        for ocid, source, imported in Opportunity.objects.filter(ocid__in=list(read_by_ocid))
        .order_by()
        .values_list("ocid", "source", "imported_releases")
    }
    hashes_by_read: dict[int, str] = {}
    for ocid, reads in read_by_ocid.items():
        source, imported = known.get(ocid, (None, None))
        if source == Source.IMPORTED and all_applied(
            imported, (read.content_hash for read in reads)
        ):
            recorder.count([(read.item, "unchanged") for read in reads])
            continue
        for read in reads:
            to_map.append(read.item)
            hashes_by_read[id(read.item)] = read.content_hash

    by_ocid: dict[str, list[tuple[ReleaseItem, MappedRelease]]] = {}
    for item in to_map:
        try:
            mapped = map_release(item.release, places=lookups.places, source_uri=item.source_uri)
            mapped.content_hash = hashes_by_read.get(id(item)) or content_hash(item.release)
        except InvalidRelease as error:
            recorder.reject(item, f"Rejected: {error}.")
            continue
        except Exception as error:  # noqa: BLE001 - one release, whatever broke
            recorder.reject_unexpected(item, error, "read")
            continue
        recorder.derived_ids += mapped.id_derived
        for note in mapped.notes:
            recorder.warn(f"{item.where}: {note}")
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
    places, lots = existing_places_and_lots(imported, lookups)
    pending = []
    for ocid, releases in by_ocid.items():
        opportunity = existing.get(ocid)
        if opportunity is not None and opportunity.source != Source.IMPORTED:
            for item, _mapped in releases:
                recorder.reject(
                    item,
                    f"Rejected: {ocid} is an opportunity posted on Waymark; imports do "
                    "not change it.",
                )
            continue
        try:
            unit = merge_releases(
                ocid, opportunity, releases, places, lots, recorder=recorder, lookups=lookups
            )
        except Exception as error:  # noqa: BLE001 - one opportunity, whatever broke
            for item, _mapped in releases:
                recorder.reject_unexpected(item, error, "merged")
            continue
        if unit is not None:
            pending.append(unit)
    save_chunk(pending, recorder=recorder, places=lookups.places)


def _read(item: ReleaseItem) -> _Read | None:
    """The ocid and content hash of a release; None when it has no ocid (mapping it
    says what is wrong)."""
    release = item.release
    if not isinstance(release, dict):
        return None
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        return None
    return _Read(item, ocid.strip(), content_hash(release))
