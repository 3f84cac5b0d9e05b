"""Import runs: one started over some sources (or a configured feed) and finished,
succeeded or failed with the reason; and the runs whose heartbeat stopped, failed."""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from portal.procurement.importing.chunks import import_releases
from portal.procurement.importing.recording import RunRecorder
from portal.procurement.models import ImportRun
from portal.procurement.ocds.files import SourceError
from portal.procurement.ocds.sources import SourceReader

logger = logging.getLogger(__name__)

# A running run silent for this long has ended without saying so.
STALLED_AFTER = timedelta(minutes=10)
STALLED_ERROR = (
    "The import stopped without finishing: nothing was heard from it for 10 minutes (its "
    "process ended or was stopped). The releases counted were imported; import the "
    "source again to finish."
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
    recorder = RunRecorder(run)
    try:
        with SourceReader(warn=recorder.warn, progress=recorder.beat) as reader:
            documents = reader.prepare(sources)
            if not documents:
                raise SourceError("No source was given.")
            import_releases(reader.releases(documents), recorder=recorder, on_progress=on_progress)
    except SourceError as error:
        recorder.finish(ImportRun.Outcome.FAILED, error=str(error))
    except BaseException as error:
        logger.exception("OCDS import %s failed", run.pk)
        saved = (
            f"what the {run.releases_read} releases read before it brought was saved; "
            "import the source again to finish"
            if run.releases_read
            else "nothing was imported"
        )
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        recorder.finish(ImportRun.Outcome.FAILED, error=f"Unexpected error: {what} ({saved}).")
        raise
    else:
        recorder.finish(ImportRun.Outcome.SUCCEEDED)
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
