"""A curator's CSV file of offers: checked, and saved whole or not at all; and the
organisation's offers for the export that the same file format reads back."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.catalogue.models import Offer
from portal.catalogue.rules import can_curate_for
from portal.catalogue.services.imports.checking import (
    parse_rows,
    place_codes,
    place_errors,
    sorted_errors,
)
from portal.catalogue.services.imports.reading import ImportRefused, read_csv_rows
from portal.catalogue.services.imports.report import ImportReport
from portal.catalogue.services.imports.writing import existing_offers, plan_rows, write_plan


def import_offers_csv(
    *, file, organisation: Organisation, user: User, dry_run: bool
) -> ImportReport:
    """Check a curator's CSV file and, unless ``dry_run``, save every row or none.

    Returns a report: the file refused (``problem``), or each bad row's line, column and
    message (``errors``), or what each row does (create, update, unchanged).
    """
    if not can_curate_for(user, organisation):
        raise PermissionDenied("This user does not curate for this organisation.")
    report = ImportReport(dry_run=dry_run)
    try:
        header, raw_rows = read_csv_rows(file)
    except ImportRefused as refused:
        report.problem = str(refused)
        return report
    if not raw_rows:
        report.problem = _("The file has the columns but no rows of offers")
        return report
    places = place_codes()
    rows, placed, report.errors = parse_rows(header, raw_rows, places)
    if dry_run:
        offers = existing_offers(organisation, lock=False)
        report.errors = sorted_errors(
            report.errors + place_errors(placed, offers, user=user, organisation=organisation)
        )
        if report.ok:
            report.rows = plan_rows(rows, offers, places).rows
        return report
    try:
        with transaction.atomic():
            offers = existing_offers(organisation, lock=True)
            report.errors = sorted_errors(
                report.errors + place_errors(placed, offers, user=user, organisation=organisation)
            )
            if not report.ok:
                return report
            plan = plan_rows(rows, offers, places)
            write_plan(plan, organisation=organisation, user=user, places=places)
            report.rows = plan.rows
            report.saved = True
    except IntegrityError:
        report.rows, report.saved = [], False
        report.problem = _(
            "Someone else changed these offers while the file was being imported, so "
            "nothing was saved. Upload the file again."
        )
    return report


def offers_for_export(organisation: Organisation) -> Iterable[Offer]:
    """The organisation's offers, with their places, for csv_format.offer_row."""
    return (
        Offer.objects.filter(curator=organisation)
        .order_by("title", "pk")
        .prefetch_related("regions", "councils")
    )
