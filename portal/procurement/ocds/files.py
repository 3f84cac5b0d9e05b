"""One JSON or JSON Lines file: its encoding, its depth, its shape and its syntax, all
checked before any release is read; then read as a stream of UTF-8 bytes.

Encoding: UTF-8 with or without a byte order mark; a file that is not valid UTF-8 is
read as Windows-1252 (the bytes it leaves undefined as ISO-8859-1), with a warning.
Limits: a file nested more than ``MAX_DEPTH`` levels deep is refused before any parser
reads it (``nesting.NestingDepth``): a run holds one chunk of releases in memory, in
space that grows with their size only, never with the file's or its depth squared.
Shapes: a release or record package (its releases streamed with ijson, so a 100 MB file
is never held in memory), a bare release or record, a JSON array of any of these, and
JSON Lines.
"""

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson

from portal.procurement.ocds.nesting import NestingDepth

# A first line longer than this is not taken for JSON Lines (it may be a whole package).
JSON_LINES_PROBE_BYTES = 1024 * 1024
# OCDS nests about ten levels deep (package, record, release, tender, items, …): a file
# nested deeper than this is refused before any parser reads it (see NestingDepth).
MAX_DEPTH = 100
READ_CHUNK_BYTES = 1024 * 1024
NESTING_SLICE_BYTES = 64 * 1024


class SourceError(Exception):
    """A source cannot be read at all: missing, unreachable, not JSON, not OCDS."""


# Encodings


def _latin1_fallback(error: UnicodeDecodeError):
    """Windows-1252 leaves five bytes undefined; read them as ISO-8859-1 does."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("waymark-latin1", _latin1_fallback)

BOM = codecs.BOM_UTF8


def detect_encoding(path: Path, nesting: NestingDepth | None = None) -> str:
    """ "utf-8-sig" (a byte order mark), "utf-8", or "windows-1252" when some byte
    sequence is not UTF-8. Reads the file in chunks: never all of it at once. Given
    ``nesting``, every chunk is fed to it in the same read (the characters it counts are
    ASCII: the same bytes in every encoding read here); a file found too deep is not
    read further."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding = ""
    with path.open("rb") as stream:
        first = stream.read(len(BOM))
        has_bom = first == BOM
        chunk = b"" if has_bom else first
        while True:
            if nesting is not None:
                # In slices: the copies it makes of what it is fed stay small.
                for start in range(0, len(chunk), NESTING_SLICE_BYTES):
                    nesting.feed(chunk[start : start + NESTING_SLICE_BYTES])
                if nesting.too_deep:
                    break
            if not encoding:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    encoding = "windows-1252"
                    if nesting is None:
                        break
            chunk = stream.read(READ_CHUNK_BYTES)
            if not chunk:
                if not encoding:
                    try:
                        decoder.decode(b"", final=True)
                    except UnicodeDecodeError:
                        encoding = "windows-1252"
                break
    return encoding or ("utf-8-sig" if has_bom else "utf-8")


class _Utf8Stream:
    """A binary stream of UTF-8 bytes over a file in another encoding (ijson reads
    bytes). Windows-1252 is one byte a character, so chunks decode independently."""

    def __init__(self, raw, encoding: str):
        self.raw = raw
        self.encoding = encoding

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        return chunk.decode(self.encoding, errors="waymark-latin1").encode("utf-8")

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def open_utf8(path: Path, encoding: str):
    """The file as a binary stream of UTF-8 bytes, without its byte order mark."""
    raw = path.open("rb")
    if encoding == "utf-8-sig":
        raw.seek(len(BOM))
        return raw
    if encoding == "utf-8":
        return raw
    return _Utf8Stream(raw, encoding)


# Documents


@dataclass
class Document:
    """One JSON or JSON Lines file to read (a downloaded URL is a temporary file)."""

    path: Path
    label: str
    encoding: str
    # "package" (streamed: releases or records), "object", "array" or "lines".
    shape: str
    package_key: str = ""
    uri: str = ""
    next_url: str = ""


def _first_byte(stream) -> bytes:
    while True:
        byte = stream.read(1)
        if not byte or not byte.isspace():
            return byte


def _is_json_lines(path: Path, encoding: str) -> bool:
    """A first line that is a whole JSON object, followed by more: JSON Lines."""
    with open_utf8(path, encoding) as stream:
        head = stream.read(JSON_LINES_PROBE_BYTES + 1)
    text = head.decode("utf-8", errors="replace").lstrip()
    first, newline, rest = text.partition("\n")
    if not newline or not rest.strip() or len(head) > JSON_LINES_PROBE_BYTES and not rest:
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _top_level_value(path: Path, encoding: str, prefix: str):
    """The value at ``prefix`` (the first, if any), in one pass that ijson's C backend
    makes without Python handling each event; the pass also checks the syntax."""
    with open_utf8(path, encoding) as stream:
        values = list(ijson.items(stream, prefix))
    return values[0] if values else None


# Keys of a release or record package that a bare record does not have.
PACKAGE_METADATA = frozenset(
    {"uri", "version", "publisher", "publishedDate", "extensions", "license", "links"}
)


def _scan_package(path: Path, encoding: str) -> tuple[str, str, str, set[str]]:
    """The top level's keys, ``uri`` and ``links.next``; the whole document's syntax is
    checked before anything is imported. The head (up to the big array, if any) is read
    event by event; the rest only by ijson's C backend, several times faster."""
    keys: set[str] = set()
    uri = next_url = None
    big_array = ""
    with open_utf8(path, encoding) as stream:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "" and event == "map_key":
                keys.add(value)
            elif prefix == "uri" and event == "string":
                uri = value
            elif prefix == "links.next" and event == "string":
                next_url = value
            elif prefix in ("releases", "records") and event == "start_array":
                big_array = prefix
                break
    if big_array:
        # Each pass reads the whole document (the first checks its syntax): only those
        # that can find something the head did not say.
        if "links" in keys:
            _top_level_value(path, encoding, "-")
        else:
            links = _top_level_value(path, encoding, "links")
            next_url = links.get("next") if isinstance(links, dict) else None
        if uri is None:
            uri = _top_level_value(path, encoding, "uri")
        # A bare record may name its ocid after its releases; a package says what it is
        # before its releases (its metadata) and has none.
        if not keys & PACKAGE_METADATA and _top_level_value(path, encoding, "ocid") is not None:
            keys.add("ocid")
        keys.add(big_array)
    package_key = ""
    if "ocid" not in keys:
        package_key = "records" if "records" in keys else "releases" if "releases" in keys else ""
    uri = uri if isinstance(uri, str) else ""
    next_url = next_url if isinstance(next_url, str) else ""
    return package_key, uri, next_url, keys


def inspect_document(path: Path, label: str, warn: Callable[[str], None]) -> Document:
    """Work out the encoding and the shape of one file, checking it is JSON."""
    nesting = NestingDepth(MAX_DEPTH)
    encoding = detect_encoding(path, nesting)
    if nesting.too_deep:
        raise SourceError(
            f"{label} is nested more than {MAX_DEPTH} levels deep (arrays or objects "
            "inside each other): OCDS data never is, so it was not read."
        )
    if encoding == "windows-1252":
        warn(
            f"{label} is not valid UTF-8: it was read as Windows-1252 (ISO-8859-1). "
            "Check its accented letters and symbols."
        )
    with open_utf8(path, encoding) as stream:
        first = _first_byte(stream)
    if not first:
        raise SourceError(f"{label} is empty.")
    if first not in (b"{", b"["):
        raise SourceError(
            f"{label} is not JSON: it should start with {{ or [ but starts with {first!r}."
        )
    if first == b"{" and _is_json_lines(path, encoding):
        return Document(path=path, label=label, encoding=encoding, shape="lines")
    try:
        if first == b"[":
            # A prefix nothing has: one pass in C that checks the syntax.
            _top_level_value(path, encoding, "-")
            return Document(path=path, label=label, encoding=encoding, shape="array")
        package_key, uri, next_url, keys = _scan_package(path, encoding)
    except ijson.JSONError as error:
        # yajl's message goes on with a picture of where: its first line says what.
        reason = (str(error).strip().splitlines() or ["parse error"])[0]
        raise SourceError(f"{label} is not valid JSON: {reason}.") from error
    except UnicodeDecodeError as error:
        raise SourceError(f"{label} could not be decoded: {error}") from error
    if package_key:
        return Document(
            path=path,
            label=label,
            encoding=encoding,
            shape="package",
            package_key=package_key,
            uri=uri if isinstance(uri, str) else "",
            next_url=next_url if isinstance(next_url, str) else "",
        )
    if "ocid" not in keys:
        raise SourceError(f"{label} is JSON but not OCDS: it has no releases, records or ocid.")
    return Document(path=path, label=label, encoding=encoding, shape="object")


def stream_lines(stream) -> Iterator[str]:
    """Lines of a UTF-8 binary stream, decoded, one at a time. A long line's pieces are
    joined once, when its end comes (not copied again with every chunk)."""
    pending: list[bytes] = []
    while chunk := stream.read(READ_CHUNK_BYTES):
        *lines, rest = chunk.split(b"\n")
        if lines:
            lines[0] = b"".join([*pending, lines[0]])
            pending = []
            for line in lines:
                yield line.decode("utf-8")
        pending.append(rest)
    last = b"".join(pending)
    if last:
        yield last.decode("utf-8")
