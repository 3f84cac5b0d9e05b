"""python manage.py import_ocds PATH_OR_URL [PATH_OR_URL ...] [--feed NAME] [--async]"""

from django.core.management.base import BaseCommand, CommandError

from portal.procurement.importing.runs import UnknownFeed, import_feed, import_sources, summary_of
from portal.procurement.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import OCDS release packages, record packages, releases or records (JSON or JSON "
        "Lines) from files, directories or http(s) URLs, or a feed of settings.OCDS_FEEDS "
        "with --feed alone. Safe to run again: unchanged releases change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", metavar="PATH_OR_URL")
        parser.add_argument(
            "--feed",
            default="",
            help="the name of a feed in settings.OCDS_FEEDS: imported alone, or the label "
            "recorded for the sources given",
        )
        parser.add_argument(
            "--async",
            action="store_true",
            dest="run_async",
            help="queue the import as a Celery task instead of running it here",
        )

    def handle(self, *args, sources, feed, run_async, **options):
        if not sources and not feed:
            raise CommandError("Give at least one file, directory or URL, or --feed NAME.")
        if run_async:
            from portal.procurement.tasks import import_ocds, import_ocds_feed

            if sources:
                result = import_ocds.delay(sources, feed=feed)
            else:
                result = import_ocds_feed.delay(feed)
            self.stdout.write(f"Queued the import (task {result.id}).")
            return
        try:
            run = import_sources(sources, feed=feed) if sources else import_feed(feed)
        except UnknownFeed as error:
            raise CommandError(str(error)) from error
        for warning in run.warnings:
            self.stderr.write(f"Warning: {warning}")
        for rejection in run.rejections:
            self.stderr.write(f"{rejection['where']}: {rejection['reason']}")
        if run.outcome == ImportRun.Outcome.FAILED:
            raise CommandError(f"The import failed, nothing was imported: {run.error}")
        self.stdout.write(f"Import run {run.pk}: {summary_of(run)}.")
