"""What an import run records as it works: its counts, rejections, conflicts and
warnings (each list capped), its heartbeat, and how it finishes."""

import logging
from datetime import timedelta

from django.utils import timezone

from portal.procurement.models import ImportRun
from portal.procurement.ocds.mapping import MappedRelease
from portal.procurement.ocds.sources import ReleaseItem

logger = logging.getLogger(__name__)

MAX_REJECTIONS_KEPT = 1000
MAX_CONFLICTS_KEPT = 200
MAX_WARNINGS_KEPT = 200
# A running run writes a heartbeat at least this often while it works.
HEARTBEAT_EVERY = timedelta(seconds=30)


class RunRecorder:
    """Keeps one run's record, in memory until ``save_progress`` or ``finish``."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.derived_ids = 0
        self.dropped_warnings = 0
        self.unexpected_errors = 0
        self.last_beat = run.heartbeat

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

    def count(self, outcomes) -> None:
        """Count releases by what they did: (item, "created" / "updated" / "unchanged")."""
        for _item, outcome in outcomes:
            if outcome == "created":
                self.run.created_count += 1
            elif outcome == "updated":
                self.run.updated_count += 1
            else:
                self.run.unchanged_count += 1

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
                *ImportRun.COUNTERS,
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

    # The figures a chunk adds to, put back should it fail midway.

    def counters(self) -> tuple:
        return (
            *(getattr(self.run, name) for name in ImportRun.COUNTERS),
            len(self.run.rejections),
            len(self.run.conflicts),
            self.derived_ids,
        )

    def restore(self, counters: tuple) -> None:
        *figures, rejections, conflicts, self.derived_ids = counters
        for name, value in zip(ImportRun.COUNTERS, figures, strict=True):
            setattr(self.run, name, value)
        del self.run.rejections[rejections:]
        del self.run.conflicts[conflicts:]
