"""Reading a curator's upload: a UTF-8 CSV file within the limits, with the template's
columns, as a header and its non-blank rows; anything else is refused whole."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from portal.catalogue.csv_format import HEADERS, MAX_FILE_BYTES, MAX_ROWS, OPTIONAL_HEADERS


class ImportRefused(Exception):
    """The whole file is refused; the message says why, for the curator."""


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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2].count(b"\x00") == 1:
        raise ImportRefused(
            _(
                "The selected file is UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” "
                "and upload that."
            )
        )
    if b"\x00" in raw:
        raise ImportRefused(
            _(
                "The selected file is not a text CSV file (it holds binary data). Save it "
                "as “CSV UTF-8 (comma delimited)” and upload that."
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
