"""Validating an import's rows: each column as csv_format reads it, the rules between
columns, unique ids, and the places a row names against what the user may list offers
in (portal/catalogue/rules.py). Every problem is a RowError naming the line and column,
so one upload reports them all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.catalogue.csv_format import COLUMNS, HEADERS, PlaceCodes
from portal.catalogue.funding import FUNDING_FIELDS, funding_errors
from portal.catalogue.models import Offer
from portal.catalogue.rules import (
    can_list_offer_uk_wide,
    councils_user_may_list_offers_in,
    regions_user_may_list_offers_in,
)
from portal.catalogue.services.imports.report import PLACE_FIELDS, ImportRow, RowError
from portal.catalogue.services.imports.writing import match
from portal.places.models import Council, Region


def place_codes() -> PlaceCodes:
    return PlaceCodes(
        regions=dict(Region.objects.values_list("ons_code", "pk")),
        councils=dict(Council.objects.values_list("gss_code", "pk")),
    )


def parse_rows(
    header: list[str], rows: list[tuple[int, list[str]]], places: PlaceCodes
) -> tuple[list[ImportRow], list[ImportRow], list[RowError]]:
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
            row = ImportRow(
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


def place_errors(
    rows: list[ImportRow], offers: list[Offer], *, user: User, organisation: Organisation
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
    find = match(offers)
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


def sorted_errors(errors: list[RowError]) -> list[RowError]:
    order = {name: index for index, name in enumerate(HEADERS)}
    return sorted(errors, key=lambda error: (error.line, order.get(error.column, -1)))
