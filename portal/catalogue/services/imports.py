"""Imports: offers from a curator's CSV file, and (feed_import.py, sharing the planning
and writing here) from an Open Referral UK feed.

A CSV file is atomic: a file with any bad row saves nothing (the curator fixes the file
and uploads it again), and the report names each bad row's line and column. A feed,
which its publisher keeps, is read service by service: a service that cannot become an
offer is reported and left out, the others are saved, all in one transaction, so a run
saves everything it reports as done or nothing. Rows are keyed by ``external_id`` within
the curating organisation, so importing the same file or feed again changes nothing.
New offers are drafts (archived, from a feed that says a service is not active); an
import never publishes, and only archives an existing offer when its feed says so.

Both imports read everything they need in a bounded number of queries (the curator's
offers, the places) and write with bulk queries, so 10,000 rows take seconds.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import Organisation, User
from portal.catalogue.csv_format import (
    COLUMNS,
    HEADERS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OPTIONAL_HEADERS,
    PlaceCodes,
)
from portal.catalogue.funding import FUNDING_FIELDS, funding_errors
from portal.catalogue.models import Offer, OfferChange, OfferStatus
from portal.catalogue.rules import (
    can_curate_for,
    can_list_offer_uk_wide,
    councils_user_may_list_offers_in,
    regions_user_may_list_offers_in,
)
from portal.lib import versions
from portal.lib.history import history_text
from portal.places.models import Council, Region

CSV_SOURCE = "csv"
PLACE_FIELDS = ("regions", "councils")
# Every Offer field an import sets; the rest (status, slug, dates of review) stay the
# curators' and the services'.
IMPORTED_FIELDS = tuple(column.name for column in COLUMNS if column.name != "external_id")
PLAIN_FIELDS = tuple(name for name in IMPORTED_FIELDS if name not in PLACE_FIELDS)


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class RowPlan:
    line: int
    external_id: str
    title: str
    action: str
    changed: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import did or, on a dry run, would do."""

    dry_run: bool
    problem: str = ""  # the whole file refused (size, encoding, columns...)
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    saved: bool = False
    # What was imported but needs a curator's eye (an offer with no link, say).
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem and not self.errors

    def _with(self, action: str) -> list[RowPlan]:
        return [row for row in self.rows if row.action == action]

    @property
    def to_create(self) -> list[RowPlan]:
        return self._with(Action.CREATE)

    @property
    def to_update(self) -> list[RowPlan]:
        return self._with(Action.UPDATE)

    @property
    def unchanged(self) -> list[RowPlan]:
        return self._with(Action.UNCHANGED)


@dataclass
class _Row:
    """One valid row: the values for an offer, its places as ids."""

    line: int
    external_id: str
    values: dict[str, Any]  # PLAIN_FIELDS
    regions: list[int]
    councils: list[int]
    source: str = CSV_SOURCE
    archived: bool = False  # a feed's service that is no longer active


class ImportRefused(Exception):
    """The whole file is refused; the message says why, for the curator."""


# Reading the file


def read_csv_rows(file) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (line number, cells) of an uploaded CSV file.

    Raises ImportRefused for anything that is not a UTF-8 CSV file within the limits.
    """
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportRefused(_too_big_message())
    if hasattr(file, "seek"):
        file.seek(0)
    raw = file.read(MAX_FILE_BYTES + 1) if hasattr(file, "read") else bytes(file)
    if len(raw) > MAX_FILE_BYTES:
        raise ImportRefused(_too_big_message())
    if not raw.strip():
        raise ImportRefused(_("The selected file is empty"))
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if header is None:
                    header = [cell.strip().lower() for cell in cells]
                else:
                    rows.append((line, cells))
                    if len(rows) > MAX_ROWS:
                        raise ImportRefused(
                            _(
                                "The file has more than %(limit)s rows. Split it into files "
                                "of %(limit)s rows or fewer."
                            )
                            % {"limit": f"{MAX_ROWS:,}"}
                        )
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportRefused(
            _("The file is not a readable CSV file (line %(line)d: %(error)s)")
            % {"line": reader.line_num, "error": error}
        ) from None
    if header is None:
        raise ImportRefused(_("The selected file is empty"))
    _check_header(header)
    return header, rows


def _too_big_message() -> str:
    return _("The selected file must be smaller than %(size)d MB") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }


def _decode(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            _(
                "The selected file is a spreadsheet workbook, not a CSV file. In your "
                "spreadsheet, save it as “CSV UTF-8 (comma delimited)” and upload that."
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(
            _(
                "The selected file is UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” "
                "and upload that."
            )
        )
    try:
        return raw.decode("utf-8-sig")  # with or without a byte order mark
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportRefused(
            _(
                "The selected file is not UTF-8 text: line %(line)d has a character that "
                "is not. Save it as “CSV UTF-8 (comma delimited)” and upload it again."
            )
            % {"line": line}
        ) from None


def _check_header(header: list[str]) -> None:
    problems = []
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    missing = [name for name in HEADERS if name not in header and name not in OPTIONAL_HEADERS]
    unknown = [name for name in header if name not in HEADERS]
    if duplicates:
        problems.append(_("repeated columns: %(names)s") % {"names": ", ".join(duplicates)})
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        shown = ", ".join(name or _("(a column with no name)") for name in unknown)
        problems.append(_("unknown columns: %(names)s") % {"names": shown})
    if problems:
        raise ImportRefused(
            _(
                "The file’s first row must name the columns of the template. This file "
                "has %(problems)s. Download the template to see the columns."
            )
            % {"problems": "; ".join(problems)}
        )


# Checking rows


def _place_codes() -> PlaceCodes:
    return PlaceCodes(
        regions=dict(Region.objects.values_list("ons_code", "pk")),
        councils=dict(Council.objects.values_list("gss_code", "pk")),
    )


def _parse_rows(
    header: list[str], rows: list[tuple[int, list[str]]], places: PlaceCodes
) -> tuple[list[_Row], list[_Row], list[RowError]]:
    """The valid rows, the rows whose places could be read, and every error."""
    parsed, placed, errors = [], [], []
    # An optional column the file leaves out is not read: its offers keep their values.
    positions = {name: header.index(name) for name in HEADERS if name in header}
    first_line_of: dict[str, int] = {}
    for line, cells in rows:
        if len(cells) > len(header):
            errors.append(
                RowError(
                    line,
                    _("(whole row)"),
                    _("This row has %(cells)d cells but the first row has %(columns)d columns")
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        values, row_errors = {}, []
        for column in COLUMNS:
            if column.name not in positions:
                continue
            try:
                values[column.name] = column.parse(cells[positions[column.name]], places)
            except ValidationError as error:
                row_errors.extend(RowError(line, column.name, m) for m in error.messages)
        row_errors += _check_row(line, values)
        external_id = values.get("external_id", "")
        if external_id:
            if external_id in first_line_of:
                row_errors.append(
                    RowError(
                        line,
                        "external_id",
                        _("The id %(id)s is also used on line %(line)d: ids must be unique")
                        % {"id": external_id, "line": first_line_of[external_id]},
                    )
                )
            else:
                first_line_of[external_id] = line
        if all(name in values for name in ("external_id", "uk_wide", *PLACE_FIELDS)):
            row = _Row(
                line=line,
                external_id=values.pop("external_id"),
                regions=values.pop("regions"),
                councils=values.pop("councils"),
                values=values,
            )
            # Places are checked against the user's rights even on an otherwise bad row,
            # so that one upload reports every problem.
            placed.append(row)
            if not row_errors:
                parsed.append(row)
        errors.extend(row_errors)
    return parsed, placed, errors


def _check_row(line: int, values: Mapping[str, Any]) -> list[RowError]:
    """Rules between columns, checked once each column has been read."""
    errors = []
    if (
        "uk_wide" in values
        and not values["uk_wide"]
        and values.get("regions") == []
        and values.get("councils") == []
    ):
        errors.append(
            RowError(
                line,
                "councils",
                _("Give at least one council or region, or yes in uk_wide"),
            )
        )
    funding = {name: values[name] for name in FUNDING_FIELDS if name in values}
    errors += [RowError(line, name, message) for name, message in funding_errors(funding).items()]
    opens, closes = values.get("opens"), values.get("closes")
    if opens and closes and closes < opens:
        errors.append(RowError(line, "closes", _("The closing date must not be before opening")))
    return errors


# Planning and writing


@dataclass
class _Plan:
    rows: list[RowPlan]
    creates: list[_Row]
    updates: list[tuple[_Row, Offer, dict[str, list[str]]]]


def _existing_offers(organisation: Organisation, *, lock: bool) -> list[Offer]:
    offers = Offer.objects.filter(curator=organisation).prefetch_related("regions", "councils")
    return list(offers.select_for_update(of=("self",)) if lock else offers)


def _match(offers: list[Offer]):
    """Look-ups by external id and, for offers without one, by public id (see
    csv_format.offer_row)."""
    by_external_id = {offer.external_id: offer for offer in offers if offer.external_id}
    by_public_id = {str(offer.public_id): offer for offer in offers if not offer.external_id}
    return lambda external_id: (
        by_external_id.get(external_id) or by_public_id.get(external_id.lower())
    )


def _differences(row: _Row, offer: Offer, codes: dict[str, dict[int, str]]):
    changed = {}
    for name in row.values:  # a feed gives fewer fields than a CSV row: leave the rest
        old, new = getattr(offer, name), row.values[name]
        if old != new:
            changed[name] = [history_text(old), history_text(new)]
    for name in PLACE_FIELDS:
        old_ids = {place.pk for place in getattr(offer, name).all()}
        new_ids = set(getattr(row, name))
        if old_ids != new_ids:
            changed[name] = [
                ", ".join(sorted(codes[name][pk] for pk in old_ids)),
                ", ".join(sorted(codes[name][pk] for pk in new_ids)),
            ]
    return changed


def _plan(rows: list[_Row], offers: list[Offer], places: PlaceCodes) -> _Plan:
    find = _match(offers)
    codes = {
        "regions": {pk: code for code, pk in places.regions.items()},
        "councils": {pk: code for code, pk in places.councils.items()},
    }
    plan = _Plan(rows=[], creates=[], updates=[])
    for row in rows:
        offer = find(row.external_id)
        title = row.values["title"]
        if offer is None:
            plan.creates.append(row)
            plan.rows.append(RowPlan(row.line, row.external_id, title, Action.CREATE))
            continue
        changed = _differences(row, offer, codes)
        if row.archived and offer.status != OfferStatus.ARCHIVED:
            changed["status"] = [offer.status, OfferStatus.ARCHIVED]
        if changed:
            plan.updates.append((row, offer, changed))
            plan.rows.append(
                RowPlan(row.line, row.external_id, title, Action.UPDATE, tuple(changed))
            )
        else:
            plan.rows.append(RowPlan(row.line, row.external_id, title, Action.UNCHANGED))
    return plan


def _place_errors(
    rows: list[_Row], offers: list[Offer], *, user: User, organisation: Organisation
) -> list[RowError]:
    """Rows that list an offer where this user may not, for this organisation: the rules
    of portal/catalogue/rules.py, as the curation forms apply them. Places an existing
    offer already has (a moderator may have listed it more widely) may stay."""
    allowed_councils = set(
        councils_user_may_list_offers_in(user, organisation).values_list("pk", flat=True)
    )
    allowed_regions = set(
        regions_user_may_list_offers_in(user, organisation).values_list("pk", flat=True)
    )
    uk_wide_allowed = can_list_offer_uk_wide(user)
    find = _match(offers)
    errors = []
    for row in rows:
        offer = find(row.external_id)
        kept_councils = {c.pk for c in offer.councils.all()} if offer else set()
        kept_regions = {r.pk for r in offer.regions.all()} if offer else set()
        if row.values.get("uk_wide") and not uk_wide_allowed and not (offer and offer.uk_wide):
            errors.append(
                RowError(
                    row.line, "uk_wide", _("Only platform staff can list an offer across the UK")
                )
            )
        if set(row.councils) - allowed_councils - kept_councils:
            errors.append(
                RowError(row.line, "councils", _("List only councils your organisation covers"))
            )
        if set(row.regions) - allowed_regions - kept_regions:
            errors.append(
                RowError(
                    row.line,
                    "regions",
                    _("List only nations and regions your organisation covers in full"),
                )
            )
    return errors


def _unique_slugs(titles: list[str]) -> list[str]:
    """A slug per new offer: the title's, unless taken, then with a short suffix."""
    bases = [slugify(title)[:200] or "offer" for title in titles]
    taken = set(Offer.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = base
        while slug in taken:
            slug = f"{base}-{uuid.uuid4().hex[:6]}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _write(
    plan: _Plan, *, organisation: Organisation, user: User | None, places: PlaceCodes
) -> None:
    now = timezone.now()
    codes = {
        "regions": {pk: code for code, pk in places.regions.items()},
        "councils": {pk: code for code, pk in places.councils.items()},
    }
    new_offers = [
        Offer(
            curator=organisation,
            status=OfferStatus.ARCHIVED if row.archived else OfferStatus.DRAFT,
            external_id=row.external_id,
            source=row.source,
            created=now,
            updated=now,
            **row.values,
        )
        for row in plan.creates
    ]
    for offer, slug in zip(new_offers, _unique_slugs([o.title for o in new_offers]), strict=True):
        offer.slug = slug
    Offer.objects.bulk_create(new_offers, batch_size=500)
    # Bulk writes record no change one by one: the offers' data version rises here.
    versions.bump(Offer.DATA_VERSION)

    changed_offers, updated_fields = [], set()
    for row, offer, changed in plan.updates:
        for name, value in row.values.items():
            setattr(offer, name, value)
        updated_fields |= set(row.values)
        if "status" in changed:
            offer.status = OfferStatus.ARCHIVED
            updated_fields.add("status")
        offer.version += 1
        offer.updated = now
        changed_offers.append(offer)
    if changed_offers:
        Offer.objects.bulk_update(
            changed_offers, [*sorted(updated_fields), "version", "updated"], batch_size=500
        )

    # Places: replace the links of offers whose places changed, add those of new ones.
    for name in PLACE_FIELDS:
        through = getattr(Offer, name).through
        target = f"{'region' if name == 'regions' else 'council'}_id"
        replaced = [offer.pk for row, offer, changed in plan.updates if name in changed]
        if replaced:
            through.objects.filter(offer_id__in=replaced).delete()
        links = [
            through(offer_id=offer.pk, **{target: place_id})
            for row, offer in zip(plan.creates, new_offers, strict=True)
            for place_id in getattr(row, name)
        ] + [
            through(offer_id=offer.pk, **{target: place_id})
            for row, offer, changed in plan.updates
            if name in changed
            for place_id in getattr(row, name)
        ]
        through.objects.bulk_create(links, batch_size=1000)

    history = [
        OfferChange(
            offer=offer,
            user=user,
            action="imported",
            at=now,
            fields={name: ["", history_text(value)] for name, value in row.values.items() if value}
            | {
                name: ["", ", ".join(sorted(codes[name][pk] for pk in getattr(row, name)))]
                for name in PLACE_FIELDS
                if getattr(row, name)
            },
        )
        for row, offer in zip(plan.creates, new_offers, strict=True)
    ] + [
        OfferChange(offer=offer, user=user, action="imported", at=now, fields=changed)
        for row, offer, changed in plan.updates
    ]
    OfferChange.objects.bulk_create(history, batch_size=500)


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
    places = _place_codes()
    rows, placed, report.errors = _parse_rows(header, raw_rows, places)
    if dry_run:
        offers = _existing_offers(organisation, lock=False)
        report.errors = _sorted(
            report.errors + _place_errors(placed, offers, user=user, organisation=organisation)
        )
        if report.ok:
            report.rows = _plan(rows, offers, places).rows
        return report
    try:
        with transaction.atomic():
            offers = _existing_offers(organisation, lock=True)
            report.errors = _sorted(
                report.errors + _place_errors(placed, offers, user=user, organisation=organisation)
            )
            if not report.ok:
                return report
            plan = _plan(rows, offers, places)
            _write(plan, organisation=organisation, user=user, places=places)
            report.rows = plan.rows
            report.saved = True
    except IntegrityError:
        report.rows, report.saved = [], False
        report.problem = _(
            "Someone else changed these offers while the file was being imported, so "
            "nothing was saved. Upload the file again."
        )
    return report


def _sorted(errors: list[RowError]) -> list[RowError]:
    order = {name: index for index, name in enumerate(HEADERS)}
    return sorted(errors, key=lambda error: (error.line, order.get(error.column, -1)))


def summary_of(report: ImportReport) -> str:
    """One sentence saying what the import did or would do."""
    created, updated, unchanged = (
        len(report.to_create),
        len(report.to_update),
        len(report.unchanged),
    )
    parts = [
        ngettext("%(count)d new offer", "%(count)d new offers", created) % {"count": created},
        ngettext("%(count)d offer changed", "%(count)d offers changed", updated)
        % {"count": updated},
        ngettext("%(count)d unchanged", "%(count)d unchanged", unchanged) % {"count": unchanged},
    ]
    return ", ".join(parts)


def offers_for_export(organisation: Organisation) -> Iterable[Offer]:
    """The organisation's offers, with their places, for csv_format.offer_row."""
    return (
        Offer.objects.filter(curator=organisation)
        .order_by("title", "pk")
        .prefetch_related("regions", "councils")
    )
