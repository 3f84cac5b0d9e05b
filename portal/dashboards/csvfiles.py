"""The published tables as CSV: the same cells as the page, numbers left as numbers,
and any text cell starting with = + - @ (or a tab or carriage return) neutralised with a
leading apostrophe so a spreadsheet does not run it as a formula."""

import csv
import io

from portal.lib.disclosure import Shown

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(cell):
    if isinstance(cell, Shown):
        cell = cell.csv_value()
    if isinstance(cell, bool):
        return int(cell)
    if isinstance(cell, int | float):
        return cell
    text = str(cell)
    if text.startswith(DANGEROUS_STARTS):
        return "'" + text
    return text


def table_rows(table) -> list[list]:
    return [[cell_value(c) for c in table.columns]] + [
        [cell_value(c) for c in row] for row in table.rows
    ]


def write_table(table, out) -> None:
    writer = csv.writer(out)
    writer.writerows(table_rows(table))


def table_csv(table) -> str:
    out = io.StringIO()
    write_table(table, out)
    return out.getvalue()
