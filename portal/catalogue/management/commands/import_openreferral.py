"""python manage.py import_openreferral SOURCE --organisation SLUG [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from portal.accounts.models import Organisation
from portal.catalogue.services.feed_import import import_openreferral_feed
from portal.catalogue.services.imports.report import summary_of


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK services feed (a URL, a JSON file or a directory of "
        "page files) into draft offers curated by an organisation. A service that cannot "
        "become an offer is reported and left out. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="URL, file or directory of the feed")
        parser.add_argument(
            "--organisation", required=True, help="slug of the curating organisation"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; save nothing"
        )

    def handle(self, *args, source, organisation, dry_run=False, **options):
        curator = Organisation.objects.filter(slug=organisation).first()
        if curator is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        report = import_openreferral_feed(organisation=curator, source=source, dry_run=dry_run)
        if report.problem:
            raise CommandError(report.problem)
        for error in report.errors:
            self.stderr.write(f"Left out: service {error.line}: {error.message}")
        for warning in report.warnings:
            self.stderr.write(f"Check: service {warning.line}: {warning.message}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} for {curator.name}: {summary_of(report)}.")
        if report.errors:
            self.stdout.write(f"{len(report.errors)} services left out (listed above).")
        if report.warnings:
            self.stdout.write(f"{len(report.warnings)} notes for the curators (listed above).")
