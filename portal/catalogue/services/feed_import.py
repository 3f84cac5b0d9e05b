"""Importing an Open Referral UK services feed into offers curated by an organisation.

One service that cannot become an offer is reported (its number in the feed, page, id
and field) and left out; the others are saved together in one transaction, with the
planning and bulk writing of the CSV import (imports/writing.py). Services are keyed by
their id, so a second run changes nothing. What needs a curator's eye is reported as a
warning: an offer with no link to apply (it cannot be published until one is added;
the curation queue lists it), a value left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.catalogue.csv_format import PlaceCodes
from portal.catalogue.openreferral.feeds import FeedUnavailable, read_feed
from portal.catalogue.openreferral.reading import (
    ImportedService,
    ServiceError,
    service_from_feed,
)
from portal.catalogue.openreferral.writing import UNITED_KINGDOM_GSS_CODE
from portal.catalogue.rules import can_import_feed_uk_wide, regions_covered_in_full
from portal.catalogue.services.imports.checking import place_codes
from portal.catalogue.services.imports.report import ImportReport, ImportRow, RowError
from portal.catalogue.services.imports.writing import (
    existing_offers,
    match,
    plan_rows,
    write_plan,
)
from portal.places.models import Council, Region

FEED_SOURCE = "openreferral"
UNITED_KINGDOM_NAMES = {"united kingdom", "uk"}


@dataclass(frozen=True)
class _Places:
    """What placing a feed's services needs to know, read once per import."""

    codes: PlaceCodes  # as the CSV import reads them, for the planning and writing
    councils: dict[str, int]  # GSS code or casefolded name → id
    regions: dict[str, int]  # ONS code or casefolded name → id
    covered: frozenset[int]  # the organisation's councils
    covered_by_region: dict[int, frozenset[int]]  # its councils in each region
    whole_regions: frozenset[int]  # the regions it covers in full
    uk_wide_allowed: bool


def _places(organisation: Organisation, user: User | None) -> _Places:
    codes = place_codes()
    councils = dict(codes.councils)
    for pk, name in Council.objects.active().values_list("pk", "name"):
        councils.setdefault(name.casefold(), pk)
    regions = dict(codes.regions)
    for pk, name in Region.objects.active().values_list("pk", "name"):
        regions.setdefault(name.casefold(), pk)
    covered_by_region: dict[int, set[int]] = {}
    for pk, region_id in organisation.councils.values_list("pk", "region_id"):
        covered_by_region.setdefault(region_id, set()).add(pk)
    return _Places(
        codes=codes,
        councils=councils,
        regions=regions,
        covered=frozenset(pk for pks in covered_by_region.values() for pk in pks),
        covered_by_region={region: frozenset(pks) for region, pks in covered_by_region.items()},
        whole_regions=frozenset(
            regions_covered_in_full(organisation).values_list("pk", flat=True)
        ),
        uk_wide_allowed=can_import_feed_uk_wide(user),
    )


def _placed(imported: ImportedService, places: _Places) -> tuple[bool, list[int], list[int]]:
    """(UK-wide, regions, councils) of the service, as far as the organisation may list
    it: its councils; its regions covered in full, else its councils in them; the UK
    when the import may say so, else all its councils. A service naming none of those
    is listed in all its councils (a curator narrows it before publishing)."""
    named = imported.area_codes | imported.area_names
    uk = UNITED_KINGDOM_GSS_CODE in imported.area_codes or bool(
        UNITED_KINGDOM_NAMES & imported.area_names
    )
    councils = {places.councils[key] for key in named if key in places.councils}
    councils &= places.covered
    regions = set()
    for region in {places.regions[key] for key in named if key in places.regions}:
        if region in places.whole_regions:
            regions.add(region)
        else:
            councils |= places.covered_by_region.get(region, frozenset())
    uk_wide = uk and places.uk_wide_allowed
    if uk and not uk_wide:
        councils = set(places.covered)
    if not (uk_wide or regions or councils):
        councils = set(places.covered)
    return uk_wide, sorted(regions), sorted(councils)


def _where(page: int, service_id: Any) -> dict[str, Any]:
    return {"page": page, "id": str(service_id)[:100]}


def _feed_rows(
    pages: Iterable[Any], *, organisation: Organisation, places: _Places
) -> tuple[list[ImportRow], list[RowError], list[RowError], dict[str, RowError]]:
    """One row per service of the feed, numbered through the feed from 1; the errors;
    the warnings; and, by external id, the warning for each offer that has no link."""
    rows, errors, warnings, without_link = [], [], [], {}
    first_number_of: dict[str, int] = {}
    number = 0
    for page_number, page in enumerate(pages, start=1):
        contents = page.get("contents") if isinstance(page, Mapping) else None
        if not isinstance(contents, list):
            errors.append(
                RowError(
                    number,
                    "contents",
                    _("page %(page)d is not a page of services (no “contents” list)")
                    % {"page": page_number},
                )
            )
            continue
        for service in contents:
            number += 1
            service_id = service.get("id", "?") if isinstance(service, Mapping) else "?"
            where = _where(page_number, service_id)
            try:
                imported = service_from_feed(service, default_provider=organisation.name)
            except ServiceError as error:
                errors.append(
                    RowError(
                        number,
                        error.field,
                        _("page %(page)d, service %(id)s: %(field)s %(message)s")
                        % {**where, "field": error.field, "message": error.message},
                    )
                )
                continue
            if imported.external_id in first_number_of:
                errors.append(
                    RowError(
                        number,
                        "id",
                        _("page %(page)d: service %(id)s is also service %(first)d of the feed")
                        % {**where, "first": first_number_of[imported.external_id]},
                    )
                )
                continue
            first_number_of[imported.external_id] = number
            warnings += [
                RowError(
                    number,
                    field,
                    _("page %(page)d, service %(id)s: %(message)s") % {**where, "message": text},
                )
                for field, text in imported.warnings
            ]
            if not imported.has_link:
                without_link[imported.external_id] = RowError(
                    number,
                    "url",
                    _(
                        "page %(page)d, service %(id)s: no web address, and none for its "
                        "organisation. The offer has no link to apply: add one before it "
                        "is published."
                    )
                    % where,
                )
            uk_wide, regions, councils = _placed(imported, places)
            rows.append(
                ImportRow(
                    line=number,
                    external_id=imported.external_id,
                    values={**imported.values, "uk_wide": uk_wide},
                    regions=regions,
                    councils=councils,
                    source=FEED_SOURCE,
                    archived=imported.archived,
                )
            )
    return rows, errors, warnings, without_link


def import_openreferral_feed(
    *,
    organisation: Organisation,
    pages: Iterable[Mapping[str, Any]] | None = None,
    source: str | None = None,
    user: User | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read an Open Referral UK services feed into offers curated by ``organisation``
    (drafts, or archived for a service that is not active), keyed by each service's
    id: a second run changes nothing.

    Give the feed's ``pages`` (dicts with ``contents``) or its ``source`` (a URL, a file
    or a directory of page files; see openreferral.feeds.read_feed). ``user`` is who
    asked, if anyone: see rules.can_import_feed_uk_wide. Each service that cannot become
    an offer is an error of the report; the rest are saved (``saved``) unless
    ``dry_run``.
    """
    report = ImportReport(dry_run=dry_run)
    if pages is None:
        try:
            pages = read_feed(source or "")
        except FeedUnavailable as error:
            report.problem = str(error)
            return report
    places = _places(organisation, user)
    rows, report.errors, report.warnings, without_link = _feed_rows(
        pages, organisation=organisation, places=places
    )
    try:
        with transaction.atomic():
            offers = existing_offers(organisation, lock=not dry_run)
            plan = plan_rows(rows, offers, places.codes)
            find = match(offers)
            for external_id, warning in without_link.items():
                existing = find(external_id)
                if existing is None or not existing.application_url:
                    report.warnings.append(warning)
            report.warnings.sort(key=lambda warning: warning.line)
            report.rows = plan.rows
            if not dry_run:
                write_plan(plan, organisation=organisation, user=user, places=places.codes)
                report.saved = True
    except IntegrityError:
        report.rows, report.saved = [], False
        report.problem = _(
            "Someone else changed these offers while the feed was being imported, so "
            "nothing was saved. Run the import again."
        )
    return report
