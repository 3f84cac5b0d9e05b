"""What the imports share: a checked row, a row's error, a row's plan, and the report a
curator reads of what an import did or, on a dry run, would do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import ngettext

from portal.catalogue.csv_format import COLUMNS

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
class ImportRow:
    """One valid row: the values for an offer, its places as ids."""

    line: int
    external_id: str
    values: dict[str, Any]  # PLAIN_FIELDS
    regions: list[int]
    councils: list[int]
    source: str = CSV_SOURCE
    archived: bool = False  # a feed's service that is no longer active


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
