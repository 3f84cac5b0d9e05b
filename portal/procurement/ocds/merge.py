"""Merging: mapped releases applied to an opportunity's fields as OCDS merging does.

For each field the release with the latest ``date`` wins (ties broken by release id,
then by a hash of the release's content, so that two releases with the same id, a
conflict, end the same whichever is read first), whatever order the releases are read
in; the (date, id) that set each field is kept in ``Opportunity.field_dates`` (with the
hash, in a conflict).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.procurement.ocds.mapping import MappedRelease


@dataclass
class MergeState:
    """An opportunity's merged fields; for each, the key of the release that set it
    (``field_dates``); and, for each release id, the greatest content hash applied.

    A release's key is (date, id, content hash): the latest date wins, then the id,
    then the hash, which orders two releases given the same id and date but different
    content (a conflict) the same whichever is read first. A key is kept short,
    [date, id], when its content is the one ``release_hashes`` holds for the id (always
    so but in a conflict), and in full otherwise. A short key kept with no hash known
    for its id (imported before hashes were) is the same release as any content with
    that date and id."""

    values: dict[str, Any]
    field_dates: dict[str, list]
    release_hashes: dict[str, str] = field(default_factory=dict)

    def conflicts_with(self, mapped: MappedRelease) -> bool:
        """Whether a release with this id but other content was applied before."""
        known = self.release_hashes.get(mapped.release_id)
        return known is not None and known != mapped.content_hash

    def _order(self, stored: list, key: tuple) -> int:
        """-1, 0 or 1 as the release whose key was kept as ``stored`` comes before, is,
        or comes after the release whose key is ``key``."""
        if len(stored) == 2:
            known = self.release_hashes.get(stored[1])
            if known is None:
                stored, key = tuple(stored), key[:2]
            else:
                stored = (stored[0], stored[1], known)
        else:
            stored = tuple(stored)
        return (stored > key) - (stored < key)

    def _record_hash(self, mapped: MappedRelease) -> None:
        release_id, digest = mapped.release_id, mapped.content_hash
        known = self.release_hashes.get(release_id)
        if known is not None and known >= digest:
            return
        if known is not None:
            # The short keys of this id stood for the content known until now.
            for name, stored in self.field_dates.items():
                short = stored[1:] if name == "published_at" else stored
                if len(short) == 2 and short[1] == release_id:
                    self.field_dates[name] = [*stored, known]
        self.release_hashes[release_id] = digest

    def apply(self, mapped: MappedRelease) -> bool:
        """Apply one release; True when any value or field date changed."""
        self._record_hash(mapped)
        key = mapped.key
        kept = list(key[:2]) if self.release_hashes[mapped.release_id] == key[2] else list(key)
        changed = False
        for name, value in mapped.fields.items():
            if name == "published_at":
                changed |= self._apply_published(value, mapped, kept)
                continue
            stored = self.field_dates.get(name)
            order = -1 if stored is None else self._order(stored, key)
            if order > 0:
                continue
            if order < 0:
                self.field_dates[name] = kept
                changed = True
            if self.values.get(name) != value or name not in self.values:
                self.values[name] = value
                changed = True
        return changed

    def _apply_published(self, value: datetime, mapped: MappedRelease, kept: list) -> bool:
        # A stated tender.datePublished beats a release date standing in for it; among
        # stated ones the latest release wins, among stand-ins the earliest date.
        stored = self.field_dates.get("published_at")
        current = self.values.get("published_at")
        if mapped.published_kind == "explicit":
            marker = ["explicit", *kept]
            if stored and stored[0] == "explicit":
                order = self._order(stored[1:], mapped.key)
                if order > 0 or (order == 0 and current == value):
                    return False
        else:
            marker = ["fallback"]
            if stored and stored[0] == "explicit":
                return False
            if stored and current is not None and current <= value:
                return False
        if stored == marker and current == value:
            return False
        self.field_dates["published_at"] = marker
        self.values["published_at"] = value
        return True
