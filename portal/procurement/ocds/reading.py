"""Reading OCDS: sources → releases → opportunity fields, and merging releases.

Three steps, each a plain function or class with no database access:

1. ``SourceReader`` opens files, directories (every ``*.json`` and ``*.jsonl``, sorted)
   and http(s) URLs (downloaded, streaming, to a temporary file; a package's
   ``links.next`` is followed up to ``MAX_PAGES``). It checks each document's syntax
   before anything is imported, then streams its releases with ijson, so a 100 MB file
   is never held in memory. It accepts release packages, record packages, bare
   releases, bare records, a JSON array of any of these, and JSON Lines. A record's
   releases are embedded (whole releases, with ``ocid`` and ``id``) or linked (a
   ``url``, ``date`` and ``tag`` pointing to a release published elsewhere, and no
   ``ocid`` or ``id``): its embedded releases are read when they are all it has, else
   its ``compiledRelease``; a record with neither is skipped with a warning naming it,
   and one with only a ``versionedRelease`` is rejected, saying so.
   Encoding: UTF-8 with or without a byte order mark; a file that is not valid UTF-8 is
   read as Windows-1252 (the bytes it leaves undefined as ISO-8859-1), with a warning.
   Limits: a file nested more than ``MAX_DEPTH`` levels deep is refused before any
   parser reads it (``NestingDepth``): a run holds one chunk of releases in memory, in
   space that grows with their size only, never with the file's or its depth squared.
   A file of a directory that cannot be read (empty, not JSON, too deep) is skipped
   with a warning; a file that breaks while its releases are streamed (it changed
   since it was checked) is reported and the next one read.

2. ``map_release`` turns one release into the fields it states, following the table
   in ``portal/procurement/ocds/__init__.py``, or raises ``InvalidRelease`` with a
   reason. Only what a release states is returned: a field it leaves out keeps the
   value an earlier release gave it. The quirks it survives:

   - amounts of 0 (``tender.value``, ``tender.minValue``, a lot's value) mean "not
     stated" and are never kept as £0;
   - HTML entities (``&amp;``, ``&#39;``, ``&pound;``) are unescaped, and ``\\r\\n`` and
     ``\\r`` become ``\\n``, in every text;
   - SME and VCSE suitability, first found wins: ``tender.suitability.sme`` / ``.vcse``
     (suitability extension); then any lot's ``suitability.sme`` / ``.vcse`` (true if
     any lot says so); then the older UK flags, these keys of ``tender``, of the
     release, or of their ``xClassifications`` object (Contracts Finder's
     ``{"isSuitableForSme": true, "isSuitableForVco": false}``), compared without
     case: ``suitableForSME``, ``isSuitableForSme``, ``suitableForSmes``,
     ``smeSuitable``, ``isSmeSuitable`` (and the same with VCSE, or with VCO, the
     voluntary and community organisations VCSE names), as JSON booleans or the
     strings "true"/"yes"/"false"/"no"; then ``tender.additionalClassifications`` and
     the ``xClassifications`` lists of ``tender`` and of the release, entries whose
     ``scheme`` or ``id`` mentions "SME" (or "VCSE", "VCO") (true, unless the entry's
     id or description is "false", "no" or starts with "not");
   - places, from the location extension (``tender.deliveryAddresses``,
     ``tender.deliveryLocations``, and ``deliveryAddress(es)`` / ``deliveryLocation(s)``
     of ``tender.items``), else the buyer's address: a region named ("North East",
     without case, "Yorkshire & the Humber" and other spellings), a NUTS code ("UKC1"
     → its first three characters → the region with that NUTS 1 code), an ITL code
     ("TLC3" → TLC), a nation ("England": its nine regions; "Wales"), a council's
     name or GSS code, a region's ONS code, or only a postcode (its area, the letters
     it starts with, through ``portal/procurement/data/postcode_areas.json``); "GB",
     "UK" or "United Kingdom" alone means anywhere in the UK; NUTS and ITL codes are
     kept out of the description of where the work is (``delivery_location``);
   - dates: a date-time is kept in UTC; a date-only field (the contract's start and
     end) is the day as the publisher wrote it, in its own offset
     (``2025-04-01T00:00:00+01:00`` is 1 April); the contract's dates come from the
     lots' ``contractPeriod`` (earliest start, latest end) where the tender gives
     none; a date-time within a day of the ends of years 1 and 9999 once in UTC is
     refused (``9999-12-31T23:59:59-05:00`` is in year 10000);
   - the notice is the document of type ``tenderNotice``, else ``contractNotice``
     (Public Contracts Scotland, Sell2Wales);
   - up to ``MAX_CPV_CODES`` CPV codes and ``MAX_DESCRIPTION`` characters of a
     description are kept; what is cut is reported (``MappedRelease.notes``);
   - a versioned release (values kept as lists of versions) is refused, saying so;
   - a release with no ``id`` gets a stable one, ``derived-`` and a hash of its ocid,
     date and tag (the importer records a warning saying how many);
   - no ``tender.datePublished``: the release's ``date`` stands in for it (the
     earliest such date wins, so a later release does not move it);
   - lots (``tender.lots``) with their values and the CPV codes of the items whose
     ``relatedLot`` is the lot's id.

3. ``MergeState`` applies mapped releases to an opportunity's fields as OCDS merging
   does: for each field the release with the latest ``date`` wins (ties broken by
   release id, then by a hash of the release's content, so that two releases with the
   same id, a conflict, end the same whichever is read first), whatever order the
   releases are read in; the (date, id) that set each field is kept in
   ``Opportunity.field_dates`` (with the hash, in a conflict).
"""

import codecs
import hashlib
import html
import json
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import ijson
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.procurement.display import is_place_code
from portal.procurement.models import (
    CPV_CODES_KEPT,
    BuyerType,
    MainCategory,
    NoticeStage,
    Procedure,
    Status,
)

# The vocabularies, once: TextChoices.values builds a new list (with lazy labels) each call.
BUYER_TYPES = frozenset(BuyerType.values)
MAIN_CATEGORIES = frozenset(MainCategory.values)
PROCEDURES = frozenset(Procedure.values)

MAX_PAGES = 100
URL_TIMEOUT_SECONDS = 60
MAX_DOWNLOAD_BYTES = 2 * 1024**3
# A first line longer than this is not taken for JSON Lines (it may be a whole package).
JSON_LINES_PROBE_BYTES = 1024 * 1024
# As many as the model's column holds; a release with more has the rest reported.
MAX_CPV_CODES = CPV_CODES_KEPT
# A description longer than this (some feeds paste whole specifications) is cut, and the
# cut reported: the notice keeps the full text.
MAX_DESCRIPTION = 20_000
# OCDS nests about ten levels deep (package, record, release, tender, items, …): a file
# nested deeper than this is refused before any parser reads it (see NestingDepth).
MAX_DEPTH = 100
READ_CHUNK_BYTES = 1024 * 1024
NESTING_SLICE_BYTES = 64 * 1024
POSTCODE_AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "postcode_areas.json"
MAX_LENGTHS = {
    "title": 300,
    "buyer_name": 300,
    "delivery_location": 300,
    "procedure_details": 300,
    "contact_name": 200,
    "contact_email": 254,
    "notice_url": 1000,
    "source_uri": 1000,
    "release_id": 300,
    "lot_id": 100,
    "lot_title": 300,
}
# A moment this far from the ends of year 1 and year 9999 can be shown in any time zone.
EARLIEST_MOMENT = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST_MOMENT = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
# Values at or over this do not fit the model's DecimalField(max_digits=16, places=2).
MAX_AMOUNT = Decimal("1e14")


class SourceError(Exception):
    """A source cannot be read at all: missing, unreachable, not JSON, not OCDS."""


class InvalidRelease(Exception):
    """One release cannot be imported; the message says why."""


@dataclass
class ReleaseItem:
    """One release read from a source, with where it was found (for messages)."""

    release: Any
    where: str
    source_uri: str
    # Set when the thing read could not even be parsed (a bad JSON line).
    problem: str = ""


# Encodings


def _latin1_fallback(error: UnicodeDecodeError):
    """Windows-1252 leaves five bytes undefined; read them as ISO-8859-1 does."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("waymark-latin1", _latin1_fallback)

BOM = codecs.BOM_UTF8


def detect_encoding(path: Path, nesting: "NestingDepth | None" = None) -> str:
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


# 1 for what opens an array or object, -1 for what closes one, by byte value.
DEPTH_STEPS = [0] * 256
DEPTH_STEPS[ord("[")] = 1
DEPTH_STEPS[ord("]")] = -1
NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
# Objects nest as arrays do: one kind of bracket is enough to count.
OBJECTS_AS_ARRAYS = bytes.maketrans(b"{}", b"[]")
# Up to this many backslashes in what is fed, escapes are found one by one.
FEW_BACKSLASHES = 256


def _drop_quoting_escapes(text: bytes) -> bytes:
    """``text`` without its escaped quotes and backslashes (``\\"``, ``\\\\``): the
    escapes that would change where a string ends. Others (``\\n``) are left."""
    if text.count(b"\\") > FEW_BACKSLASHES:
        return text.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces, start = [], 0
    at = text.find(b"\\")
    while at >= 0:
        if text[at + 1 : at + 2] in (b'"', b"\\"):
            pieces.append(text[start:at])
            start = at + 2
        at = text.find(b"\\", at + 2)
    if not pieces:
        return text
    pieces.append(text[start:])
    return b"".join(pieces)


class NestingDepth:
    """Whether the JSON fed to it, chunk by chunk, nests arrays and objects more than
    ``limit`` deep, in memory that does not grow with the depth: it runs before any
    parser does. (ijson builds a prefix for every level, ``item.item.…``, so its memory
    grows with the square of the depth: 200 KB of ``[`` would take 24 GB; Python's json
    recurses.)

    Only brackets outside strings count: the escapes that could end a string early are
    dropped first (one cut by a chunk's end is carried to the next), then the quotes
    split strings from the rest. Exact for valid JSON; invalid JSON is refused by the
    syntax check that follows, which stops where the syntax breaks.

    Counting bracket by bracket is the slow part, so a cheaper bound comes first: each
    pass that removes the innermost pairs (``[]``) lowers the deepest point by at most
    one, and what no pair is left in (``]]][[``) is read at a glance."""

    def __init__(self, limit: int):
        self.limit = limit
        self.depth = 0
        self.too_deep = False
        self.in_string = False
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        chunk = self._carry + chunk
        trailing = len(chunk) - len(chunk.rstrip(b"\\"))
        if trailing % 2:
            chunk, self._carry = chunk[:-1], b"\\"
        else:
            self._carry = b""
        chunk = _drop_quoting_escapes(chunk)
        # Two quotes side by side hold nothing between them (an empty string, or no
        # brackets between two strings): dropping them keeps the rest as it was.
        structure = chunk.translate(OBJECTS_AS_ARRAYS, NOT_STRUCTURE).replace(b'""', b"")
        parts = structure.split(b'"')
        outside = b"".join(parts[1::2] if self.in_string else parts[0::2])
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        if not outside:
            return
        if not self.too_deep:
            self.too_deep = self._deeper_than_limit(outside)
        opened = outside.count(b"[")
        self.depth += opened - (len(outside) - opened)

    def _deeper_than_limit(self, brackets: bytes) -> bool:
        reduced, passes = brackets, 0
        while passes <= self.limit:
            shorter = reduced.replace(b"[]", b"")
            if len(shorter) == len(reduced):
                break
            reduced, passes = shorter, passes + 1
        else:
            return True  # a pair nested deeper than the limit
        closed = reduced.count(b"]")
        bound = max(self.depth, self.depth - closed + len(reduced) - closed) + passes
        if bound <= self.limit:
            return False
        running = accumulate(map(DEPTH_STEPS.__getitem__, brackets), initial=self.depth)
        return max(running) > self.limit


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


# Sources


def _is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


class SourceReader:
    """Opens sources (all of them are checked in ``prepare`` before any release is
    read) and streams their releases. Use as a context manager: downloads are kept in
    a temporary directory removed on exit."""

    def __init__(self, warn: Callable[[str], None], progress: Callable[[], None] = lambda: None):
        self.warn = warn
        # Called now and then while sources are downloaded and checked (a heartbeat).
        self.progress = progress
        self._directory: tempfile.TemporaryDirectory | None = None
        self._downloads = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def prepare(self, sources: Iterable[str]) -> list[Document]:
        documents: list[Document] = []
        for source in sources:
            source = source.strip()
            if not source:
                continue
            if _is_url(source):
                documents.extend(self._prepare_url(source))
            else:
                documents.extend(self._prepare_path(Path(source)))
        return documents

    def _prepare_path(self, path: Path) -> list[Document]:
        if path.is_dir():
            files = sorted(
                candidate
                for candidate in path.iterdir()
                if candidate.is_file() and candidate.suffix.lower() in (".json", ".jsonl")
            )
            if not files:
                raise SourceError(f"{path} is a directory with no .json or .jsonl files.")
        elif not path.exists():
            raise SourceError(f"{path} does not exist.")
        elif not path.is_file():
            raise SourceError(f"{path} is not a file or a directory.")
        else:
            files = [path]
        documents, skipped = [], []
        for file in files:
            try:
                try:
                    documents.append(inspect_document(file, str(file), self.warn))
                except OSError as error:
                    raise SourceError(f"{file} cannot be read: {error.strerror}.") from error
            except SourceError as error:
                # A file named alone must be read; one in a directory is skipped.
                if not path.is_dir():
                    raise
                skipped.append(str(error))
            self.progress()
        if skipped and not documents:
            raise SourceError(f"No file in {path} could be read: {' '.join(skipped)}")
        for reason in skipped:
            self.warn(f"Skipped a file of {path}: {reason} The other files were read.")
        return documents

    def _download(self, url: str) -> Path:
        if self._directory is None:
            self._directory = tempfile.TemporaryDirectory(prefix="waymark-ocds-")
        self._downloads += 1
        target = Path(self._directory.name) / f"page-{self._downloads}.json"
        request = urllib.request.Request(
            url, headers={"User-Agent": "Waymark OCDS importer", "Accept": "application/json"}
        )
        try:
            with (
                urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response,
                target.open("wb") as out,
            ):
                copied = 0
                while chunk := response.read(READ_CHUNK_BYTES):
                    self.progress()
                    copied += len(chunk)
                    if copied > MAX_DOWNLOAD_BYTES:
                        raise SourceError(f"{url} is larger than {MAX_DOWNLOAD_BYTES} bytes.")
                    out.write(chunk)
        except urllib.error.HTTPError as error:
            raise SourceError(f"{url} answered HTTP {error.code} {error.reason}.") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SourceError(f"{url} could not be fetched: {reason}.") from error
        return target

    def _prepare_url(self, url: str) -> list[Document]:
        documents = []
        seen = set()
        while url and url not in seen:
            if len(documents) >= MAX_PAGES:
                self.warn(
                    f"Stopped following links.next after {MAX_PAGES} pages; "
                    f"the next page not read is {url}."
                )
                break
            seen.add(url)
            document = inspect_document(self._download(url), url, self.warn)
            self.progress()
            documents.append(document)
            # links.next may be relative to the page it is on.
            next_url = urllib.parse.urljoin(url, document.next_url) if document.next_url else ""
            url = next_url if _is_url(next_url) else ""
        return documents

    # Releases

    def releases(self, documents: Iterable[Document]) -> Iterator[ReleaseItem]:
        for document in documents:
            read = 0
            try:
                for item in self._document_releases(document):
                    read += 1
                    yield item
            except (ijson.JSONError, OSError, UnicodeDecodeError) as error:
                # It was whole when checked: it changed since, or the disk failed.
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                self.warn(
                    f"{document.label} could not be read to its end ({reason}): its first "
                    f"{read} releases were read, the rest were not."
                )

    def _document_releases(self, document: Document) -> Iterator[ReleaseItem]:
        label = document.label
        source_uri = document.uri or label
        if document.shape == "package":
            noun = "record" if document.package_key == "records" else "release"
            with open_utf8(document.path, document.encoding) as stream:
                items = ijson.items(stream, f"{document.package_key}.item", use_float=False)
                for position, item in enumerate(items, start=1):
                    where = f"{label} {noun} {position}"
                    if noun == "record":
                        yield from self._record_releases(item, where, source_uri)
                    else:
                        yield ReleaseItem(item, where, source_uri)
        elif document.shape == "array":
            with open_utf8(document.path, document.encoding) as stream:
                for position, item in enumerate(ijson.items(stream, "item"), start=1):
                    yield from self._any_releases(item, f"{label} item {position}", source_uri)
        elif document.shape == "lines":
            with open_utf8(document.path, document.encoding) as stream:
                for number, line in enumerate(stream_lines(stream), start=1):
                    if not line.strip():
                        continue
                    where = f"{label} line {number}"
                    try:
                        item = json.loads(line, parse_float=Decimal)
                    except ValueError as error:
                        yield ReleaseItem(
                            None, where, source_uri, problem=f"the line is not JSON ({error})"
                        )
                        continue
                    yield from self._any_releases(item, where, source_uri)
        else:
            with open_utf8(document.path, document.encoding) as stream:
                item = next(ijson.items(stream, ""))
            yield from self._any_releases(item, label, source_uri)

    def _any_releases(self, item, where: str, source_uri: str) -> Iterator[ReleaseItem]:
        """A release, a record, or a package, already in memory."""
        if isinstance(item, dict) and "ocid" not in item:
            uri = item.get("uri") if isinstance(item.get("uri"), str) else ""
            if isinstance(item.get("records"), list):
                for position, record in enumerate(item["records"], start=1):
                    yield from self._record_releases(
                        record, f"{where} record {position}", uri or source_uri
                    )
                return
            if isinstance(item.get("releases"), list):
                for position, release in enumerate(item["releases"], start=1):
                    yield ReleaseItem(release, f"{where} release {position}", uri or source_uri)
                return
        if is_record(item):
            yield from self._record_releases(item, where, source_uri)
        else:
            yield ReleaseItem(item, where, source_uri)

    def _record_releases(self, record, where: str, source_uri: str) -> Iterator[ReleaseItem]:
        """A record's releases: its embedded ones; its ``compiledRelease`` when some or
        all of its releases are linked (a ``url``, ``date`` and ``tag`` that point to a
        release published elsewhere); a versioned release is refused."""
        if not isinstance(record, dict):
            yield ReleaseItem(record, where, source_uri)
            return
        ocid = record.get("ocid")
        named = f"{where} (ocid {ocid})" if isinstance(ocid, str) and ocid.strip() else where
        listed = record.get("releases") if isinstance(record.get("releases"), list) else []
        linked = sum(1 for release in listed if is_linked_release(release))
        embedded = [release for release in listed if not is_linked_release(release)]
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict) and (linked or not embedded):
            yield ReleaseItem(compiled, f"{where} compiledRelease", source_uri)
            return
        if embedded:
            if linked:
                self.warn(
                    f"{named}: its {_linked_releases(linked)} (each a url to a release "
                    "published elsewhere) could not be read, and it has no "
                    "compiledRelease; its embedded releases were read."
                )
            for position, release in enumerate(embedded, start=1):
                yield ReleaseItem(release, f"{where} release {position}", source_uri)
            return
        if record.get("versionedRelease") is not None:
            yield ReleaseItem(
                None,
                named,
                source_uri,
                problem=(
                    "the record has only a versionedRelease (an OCDS versioned release), "
                    "which Waymark does not read: publish its compiledRelease or its "
                    "releases in full"
                ),
            )
            return
        if linked:
            reason = (
                f"{_linked_releases(linked)} (each a url to a release published "
                "elsewhere) and no compiledRelease"
            )
        else:
            reason = "no releases and no compiledRelease"
        self.warn(f"{named} was skipped: it has {reason}, so there is nothing to import.")


def _linked_releases(count: int) -> str:
    return "1 linked release" if count == 1 else f"{count} linked releases"


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


def is_linked_release(release) -> bool:
    """A record's linked release: an object with a ``url`` (and, as the standard shows
    them, a ``date`` and ``tag``) but no ``ocid`` or ``id``, which every release has."""
    return (
        isinstance(release, dict)
        and "url" in release
        and "ocid" not in release
        and "id" not in release
    )


def is_record(item) -> bool:
    if not isinstance(item, dict) or "ocid" not in item:
        return False
    if "compiledRelease" in item or "versionedRelease" in item:
        return True
    return isinstance(item.get("releases"), list) and "tag" not in item and "date" not in item


# Places


@dataclass
class PlaceLookup:
    """How the names and codes of places map to region ITL codes and council GSS
    codes. Built once per import from the database (``from_database``)."""

    regions_by_name: dict[str, str]
    regions_by_code: dict[str, str]  # NUTS 1, ITL1 and ONS codes → ITL1 code
    councils_by_name: dict[str, str]  # lower-case names and GSS codes → GSS code
    region_ids: dict[str, int] = field(default_factory=dict)  # ITL1 code → pk
    council_ids: dict[str, int] = field(default_factory=dict)  # GSS code → pk
    # A nation's name (normalised) → the ITL1 codes of its regions ("england" → nine).
    nations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    postcode_areas: dict[str, str] = field(default_factory=lambda: postcode_areas())

    @classmethod
    def from_database(cls) -> "PlaceLookup":
        from portal.places.models import Council, Nation, Region

        regions_by_name, regions_by_code, region_ids, council_ids = {}, {}, {}, {}
        nation_regions: dict[str, list[str]] = {}
        for pk, name, itl, nuts, ons, nation in Region.objects.values_list(
            "pk", "name", "itl_code", "nuts_code", "ons_code", "nation"
        ):
            region_ids[itl] = pk
            regions_by_name[normalise_place_name(name)] = itl
            for code in (itl, nuts, ons):
                regions_by_code[code.upper()] = itl
            nation_regions.setdefault(nation, []).append(itl)
        nations = {
            normalise_place_name(str(label)): tuple(sorted(nation_regions[value]))
            for value, label in Nation.choices
            if value in nation_regions
        }
        for alias, itl in REGION_ALIASES.items():
            if itl in regions_by_code:
                regions_by_name.setdefault(normalise_place_name(alias), itl)
        councils = {}
        for pk, name, official, gss in Council.objects.values_list(
            "pk", "name", "official_name", "gss_code"
        ):
            council_ids[gss] = pk
            councils[normalise_place_name(name)] = gss
            councils[normalise_place_name(official)] = gss
            councils[gss.lower()] = gss
        return cls(
            regions_by_name,
            regions_by_code,
            councils,
            region_ids=region_ids,
            council_ids=council_ids,
            nations=nations,
        )


REGION_ALIASES = {
    "North East England": "TLC",
    "North West England": "TLD",
    "Yorkshire and Humber": "TLE",
    "Yorkshire and Humberside": "TLE",
    "Yorkshire": "TLE",
    "East Midlands England": "TLF",
    "West Midlands England": "TLG",
    "East of England": "TLH",
    "East": "TLH",
    "Eastern": "TLH",
    "East Anglia": "TLH",
    "Greater London": "TLI",
    "London England": "TLI",
    "South East England": "TLJ",
    "South West England": "TLK",
    "Cymru": "TLL",
    "Alba": "TLM",
}
UK_WIDE_NAMES = {"gb", "uk", "united kingdom", "great britain", "uk wide", "gbr"}


def normalise_place_name(text: str) -> str:
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [word for word in text.split() if word != "the"]
    return " ".join(words)


@cache
def postcode_areas() -> dict[str, str]:
    with POSTCODE_AREAS_FILE.open(encoding="utf-8") as stream:
        areas = json.load(stream)["areas"]
    return {area: entry["itl_code"] for area, entry in areas.items()}


POSTCODE_AREA = re.compile(r"^\s*([A-Za-z]{1,2})[0-9]")
NUTS_OR_ITL = re.compile(r"^(UK[C-N]|TL[C-N])[0-9A-Z]{0,3}$")


@dataclass
class Places:
    uk_wide: bool = False
    regions: set[str] = field(default_factory=set)
    councils: set[str] = field(default_factory=set)

    def __bool__(self):
        return self.uk_wide or bool(self.regions) or bool(self.councils)

    def as_value(self) -> tuple:
        return (self.uk_wide, tuple(sorted(self.regions)), tuple(sorted(self.councils)))


def _place_of_text(text: str, places: Places, lookup: PlaceLookup) -> bool:
    """A region or council named or coded by ``text``; True when it was recognised."""
    text = text.strip()
    if not text:
        return False
    code = text.upper().replace(" ", "")
    if NUTS_OR_ITL.match(code):
        itl = lookup.regions_by_code.get(code[:3])
        if itl:
            places.regions.add(itl)
            return True
    if code in lookup.regions_by_code:
        places.regions.add(lookup.regions_by_code[code])
        return True
    name = normalise_place_name(text)
    if name in UK_WIDE_NAMES:
        places.uk_wide = True
        return True
    if name in lookup.regions_by_name:
        places.regions.add(lookup.regions_by_name[name])
        return True
    if name in lookup.nations:
        places.regions.update(lookup.nations[name])
        return True
    if name in lookup.councils_by_name:
        places.councils.add(lookup.councils_by_name[name])
        return True
    return False


def _place_of_postcode(postcode: str, places: Places, lookup: PlaceLookup) -> bool:
    match = POSTCODE_AREA.match(postcode or "")
    if match:
        itl = lookup.postcode_areas.get(match.group(1).upper())
        if itl and itl in lookup.regions_by_code:
            places.regions.add(itl)
            return True
    return False


def _place_of_address(address, places: Places, lookup: PlaceLookup) -> bool:
    if not isinstance(address, dict):
        return False
    found = False
    for key in ("locality", "region"):  # the council, when the locality names one
        if isinstance(address.get(key), str) and _place_of_text(address[key], places, lookup):
            found = True
            break
    if not found and isinstance(address.get("postalCode"), str):
        found = _place_of_postcode(address["postalCode"], places, lookup)
    if not found:
        country = address.get("countryName") or address.get("country")
        only_country = not any(
            address.get(key) for key in ("region", "locality", "postalCode", "streetAddress")
        )
        if isinstance(country, str) and only_country:
            name = normalise_place_name(country)
            if name in UK_WIDE_NAMES:
                places.uk_wide = True
                found = True
            elif name in lookup.nations:
                places.regions.update(lookup.nations[name])
                found = True
    return found


def _place_of_location(location, places: Places, lookup: PlaceLookup) -> bool:
    if not isinstance(location, dict):
        return False
    found = False
    gazetteer = location.get("gazetteer")
    if isinstance(gazetteer, dict) and isinstance(gazetteer.get("identifiers"), list):
        for identifier in gazetteer["identifiers"]:
            if isinstance(identifier, str | int) and _place_of_text(
                str(identifier), places, lookup
            ):
                found = True
    if not found and isinstance(location.get("description"), str):
        found = _place_of_text(location["description"], places, lookup)
    return found


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _delivery(tender: dict) -> tuple[list, list]:
    """Delivery addresses and locations of the tender and of its items."""
    holders = [tender] + [item for item in _as_list(tender.get("items")) if isinstance(item, dict)]
    addresses, locations = [], []
    for holder in holders:
        addresses += _as_list(holder.get("deliveryAddresses")) + _as_list(
            holder.get("deliveryAddress")
        )
        locations += _as_list(holder.get("deliveryLocations")) + _as_list(
            holder.get("deliveryLocation")
        )
    return addresses, locations


def _describe_address(address: dict) -> str:
    parts = [
        address.get(key)
        for key in ("streetAddress", "locality", "region", "postalCode")
        if isinstance(address.get(key), str)
        and address.get(key).strip()
        and not is_place_code(address[key])
    ]
    return ", ".join(clean_text(part) for part in parts)


# Values


def clean_text(value, *, limit: int | None = None) -> str:
    """Entities unescaped (twice-escaped ones too), line ends normalised, trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        else:
            raise InvalidRelease(f"a text field holds {type(value).__name__}, not a string")
    text = html.unescape(value)
    if "&" in text and text != value:
        text = html.unescape(text)
    # PostgreSQL refuses NUL characters in text; some feeds have them.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _parse_as_written(value, *, what: str) -> datetime:
    """An RFC 3339 date-time (or a plain date) in the offset it was written in (UTC if
    none), or InvalidRelease."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRelease(f"{what} is not a date: {value!r}")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRelease(f"{what} is not a date: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_datetime(value, *, what: str) -> datetime:
    """An aware datetime in UTC from an RFC 3339 date-time (or a plain date). One that
    falls outside what every time zone can show (a day short of year 1 or year 9999
    in UTC: ``9999-12-31T23:59:59-05:00`` is past the end of year 9999) is refused."""
    parsed = _parse_as_written(value, what=what)
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST_MOMENT <= moment <= LATEST_MOMENT:
        raise InvalidRelease(
            f"{what} is out of range: {value!r} (dates must fall between "
            "2 January 0001 and 30 December 9999)"
        )
    return moment


def parse_date(value, *, what: str) -> date:
    """The calendar date of an RFC 3339 date-time as the publisher wrote it, in its own
    offset: ``2025-04-01T00:00:00+01:00`` is 1 April (in UTC it would be 31 March)."""
    return _parse_as_written(value, what=what).date()


def date_key(moment: datetime) -> str:
    """A fixed-width UTC text that sorts as the datetimes do (isoformat writes years
    before 1000 with four digits, as strftime does not everywhere)."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def _amount(value, *, what: str) -> Decimal | None:
    """An OCDS Value's amount; 0 (and no amount) is "not stated"."""
    if not isinstance(value, dict):
        return None
    amount = value.get("amount")
    if amount is None or amount == "":
        return None
    if isinstance(amount, bool):
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}")
    try:
        number = Decimal(str(amount).replace(",", ""))
    except InvalidOperation:
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}") from None
    if not number.is_finite():
        raise InvalidRelease(f"{what}.amount is not a number: {amount!r}")
    if number <= 0:
        return None
    if number >= MAX_AMOUNT:
        raise InvalidRelease(f"{what}.amount is too large: {amount!r}")
    return number.quantize(Decimal("0.01"))


def _currency(value) -> str:
    if isinstance(value, dict) and isinstance(value.get("currency"), str):
        currency = value["currency"].strip().upper()
        if len(currency) == 3 and currency.isalpha():
            return currency
    return "GBP"


def cpv_of(classification) -> str | None:
    """The 8-digit code of a CPV classification ("72000000-5" → "72000000")."""
    if not isinstance(classification, dict):
        return None
    scheme = classification.get("scheme")
    if not isinstance(scheme, str) or scheme.strip().upper() not in ("CPV", "CPVS"):
        return None
    code = str(classification.get("id", "")).strip()
    digits = code.split("-", 1)[0].strip()
    if len(digits) == 8 and digits.isdigit():
        return digits
    return None


def _cpv_codes(classifications: Iterable) -> list[str]:
    return sorted({code for code in map(cpv_of, classifications) if code})


TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
FLAG_KEYS = {
    "sme": {
        "suitableforsme",
        "issuitableforsme",
        "suitableforsmes",
        "smesuitable",
        "issmesuitable",
    },
    # Contracts Finder says "Vco" (voluntary and community organisation) for VCSE.
    "vcse": {
        "suitableforvcse",
        "issuitableforvcse",
        "suitableforvcses",
        "vcsesuitable",
        "isvcsesuitable",
        "suitableforvco",
        "issuitableforvco",
        "suitableforvcos",
        "vcosuitable",
        "isvcosuitable",
    },
}
# The words a classification's scheme or id may use for each.
FLAG_WORDS = {"sme": ("SME",), "vcse": ("VCSE", "VCO")}


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _suitability(release: dict, tender: dict, lots: list, kind: str) -> bool | None:
    suitability = tender.get("suitability")
    if isinstance(suitability, dict) and _flag(suitability.get(kind)) is not None:
        return _flag(suitability.get(kind))
    lot_flags = [
        _flag(lot["suitability"].get(kind))
        for lot in lots
        if isinstance(lot, dict) and isinstance(lot.get("suitability"), dict)
    ]
    lot_flags = [flag for flag in lot_flags if flag is not None]
    if lot_flags:
        return any(lot_flags)
    # Contracts Finder: tender.xClassifications is an object of flags,
    # {"isSuitableForSme": true, "isSuitableForVco": false}.
    holders = [tender, release]
    for holder in (tender, release):
        if isinstance(holder.get("xClassifications"), dict):
            holders.append(holder["xClassifications"])
    for holder in holders:
        for key, value in holder.items():
            if key.lower() in FLAG_KEYS[kind] and _flag(value) is not None:
                return _flag(value)
    entries = list(_as_list(tender.get("additionalClassifications")))
    for holder in (tender, release):
        if isinstance(holder.get("xClassifications"), list):
            entries += holder["xClassifications"]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        scheme = str(entry.get("scheme", "")).upper()
        identifier = str(entry.get("id", "")).upper()
        if not any(word in scheme or word in identifier for word in FLAG_WORDS[kind]):
            continue
        for text in (identifier, str(entry.get("description", "")).upper()):
            word = text.strip().lower()
            if word in FALSE_WORDS or word.startswith("not"):
                return False
        return True
    return None


STATUS_OF_TENDER = {
    "active": Status.OPEN,
    "cancelled": Status.CANCELLED,
    "withdrawn": Status.WITHDRAWN,
    "unsuccessful": Status.CLOSED,
    "planning": Status.OPEN,
    "planned": Status.OPEN,
}


def _stage(tags: list[str], release: dict, tender: dict) -> str:
    lowered = {tag.lower() for tag in tags}
    if any(tag.startswith(("award", "contract", "implementation")) for tag in lowered):
        return NoticeStage.AWARD
    if any(tag.startswith("tender") for tag in lowered):
        return NoticeStage.TENDER
    if any(tag.startswith("planning") for tag in lowered):
        return NoticeStage.PLANNING
    # A compiled release: its contents say.
    if release.get("awards"):
        return NoticeStage.AWARD
    if tender.get("status") in ("planning", "planned") or (release.get("planning") and not tender):
        return NoticeStage.PLANNING
    return NoticeStage.TENDER


def _buyer_party(release: dict) -> dict:
    parties = [party for party in _as_list(release.get("parties")) if isinstance(party, dict)]
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    if buyer.get("id") is not None:
        for party in parties:
            if str(party.get("id")) == str(buyer["id"]):
                return party
    for party in parties:
        roles = party.get("roles")
        if isinstance(roles, list) and "buyer" in roles:
            return party
    return buyer


def _code(value) -> str:
    """A codelist value, or "" for anything that is not text (a list, say)."""
    return value if isinstance(value, str) else ""


def _url(value) -> str:
    """An absolute http(s) URL that fits the model, else "". (Django's URLValidator
    would take a tenth of the import's time.)"""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > MAX_LENGTHS["notice_url"] or any(char.isspace() for char in value):
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return value


# One release


@dataclass
class MappedRelease:
    ocid: str
    release_id: str
    id_derived: bool
    date: str  # date_key() of the release's date
    fields: dict[str, Any]
    # "explicit" (tender.datePublished) or "fallback" (the release's date).
    published_kind: str = ""
    # What was changed to fit (a description cut short, CPV codes left out): the
    # importer reports each in the run's warnings.
    notes: list[str] = field(default_factory=list)
    # A hash of the release's whole content (set by the importer): two releases with
    # the same date and id, which should not be, are ordered by it.
    content_hash: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date, self.release_id, self.content_hash)


def derive_release_id(ocid: str, date_text: str, tags) -> str:
    digest = hashlib.sha256(
        json.dumps([ocid, date_text, tags], default=str).encode("utf-8")
    ).hexdigest()
    return f"derived-{digest[:24]}"


def map_release(release, *, places: PlaceLookup, source_uri: str = "") -> MappedRelease:
    """The fields one release states (see the module's docstring), or InvalidRelease."""
    try:
        return _map_release(release, places=places, source_uri=source_uri)
    except InvalidRelease:
        raise
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # A shape no rule here foresaw: that release is rejected and the run goes on.
        raise InvalidRelease(f"it could not be read ({type(error).__name__}: {error})") from error


def _is_versioned(release: dict) -> bool:
    """An OCDS versioned release: no date, and values kept as lists of versions, each
    with the releaseID, releaseDate and releaseTag that set it."""
    holders = [release]
    if isinstance(release.get("tender"), dict):
        holders.append(release["tender"])
    for holder in holders:
        for value in holder.values():
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and ("releaseDate" in value[0] or "releaseID" in value[0])
            ):
                return True
    return False


def _map_release(release, *, places: PlaceLookup, source_uri: str) -> MappedRelease:
    if not isinstance(release, dict):
        raise InvalidRelease(f"a release is a JSON object, not {type(release).__name__}")
    if not isinstance(release.get("date"), str) and _is_versioned(release):
        raise InvalidRelease(
            "it is a versioned release (OCDS versionedRelease), which Waymark does not "
            "read: publish the releases themselves, or a record's compiledRelease"
        )
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        raise InvalidRelease("it has no ocid")
    ocid = ocid.strip()
    if len(ocid) > 200:
        raise InvalidRelease("its ocid is longer than 200 characters")
    moment = parse_datetime(release.get("date"), what="its date")
    date_text = date_key(moment)
    tags = release.get("tag") if isinstance(release.get("tag"), list) else []
    tags = [tag for tag in tags if isinstance(tag, str)]
    raw_id = release.get("id")
    derived = raw_id is None or str(raw_id).strip() == ""
    release_id = derive_release_id(ocid, date_text, tags) if derived else str(raw_id).strip()[:300]
    tender = release.get("tender")
    if tender is None:
        tender = {}
    if not isinstance(tender, dict):
        raise InvalidRelease("its tender is not a JSON object")

    fields: dict[str, Any] = {
        "release_id": release_id,
        "stage": _stage(tags, release, tender),
    }
    if source_uri:
        fields["source_uri"] = source_uri[: MAX_LENGTHS["source_uri"]]
    if "title" in tender and tender["title"] is not None:
        title = clean_text(tender["title"], limit=MAX_LENGTHS["title"])
        if title:
            fields["title"] = title
    notes: list[str] = []
    if tender.get("description") is not None:
        fields["description"] = _description(
            tender["description"], what=f"tender.description of {ocid}", notes=notes
        )

    buyer = _buyer_party(release)
    buyer_name = buyer.get("name") if isinstance(buyer, dict) else None
    if isinstance(release.get("buyer"), dict) and release["buyer"].get("name"):
        buyer_name = release["buyer"]["name"]
    if buyer_name:
        fields["buyer_name"] = clean_text(buyer_name, limit=MAX_LENGTHS["buyer_name"])
    details = buyer.get("details") if isinstance(buyer.get("details"), dict) else {}
    if _code(details.get("buyerType")) in BUYER_TYPES:
        fields["buyer_type"] = details["buyerType"]
    contact = buyer.get("contactPoint") if isinstance(buyer.get("contactPoint"), dict) else {}
    if contact.get("name"):
        fields["contact_name"] = clean_text(contact["name"], limit=MAX_LENGTHS["contact_name"])
    if isinstance(contact.get("email"), str):
        try:
            validate_email(contact["email"].strip())
        except ValidationError:
            pass
        else:
            fields["contact_email"] = contact["email"].strip()[: MAX_LENGTHS["contact_email"]]

    if _code(tender.get("mainProcurementCategory")) in MAIN_CATEGORIES:
        fields["main_category"] = tender["mainProcurementCategory"]
    if _code(tender.get("procurementMethod")) in PROCEDURES:
        fields["procedure"] = tender["procurementMethod"]
    if tender.get("procurementMethodDetails"):
        fields["procedure_details"] = clean_text(
            tender["procurementMethodDetails"], limit=MAX_LENGTHS["procedure_details"]
        )

    items = [item for item in _as_list(tender.get("items")) if isinstance(item, dict)]
    classifications = [
        tender.get("classification"),
        *_as_list(tender.get("additionalClassifications")),
    ]
    for item in items:
        classifications += [
            item.get("classification"),
            *_as_list(item.get("additionalClassifications")),
        ]
    codes = _kept_codes(_cpv_codes(classifications), what=ocid, notes=notes)
    if codes:
        fields["cpv_codes"] = codes

    value_max = _amount(tender.get("value"), what="tender.value")
    if value_max is not None:
        fields["value"] = (value_max, _currency(tender.get("value")))
    value_min = _amount(tender.get("minValue"), what="tender.minValue")
    if value_min is not None:
        fields["value_min"] = value_min

    published_kind = "fallback"
    published = moment
    if tender.get("datePublished"):
        published = parse_datetime(tender["datePublished"], what="tender.datePublished")
        published_kind = "explicit"
    fields["published_at"] = published
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    if period.get("startDate"):
        fields["tender_start"] = parse_datetime(period["startDate"], what="tenderPeriod.startDate")
    if period.get("endDate"):
        fields["deadline"] = parse_datetime(period["endDate"], what="tenderPeriod.endDate")
    lots = [lot for lot in _as_list(tender.get("lots")) if isinstance(lot, dict)]
    contract_start, contract_end = _contract_dates(tender, lots)
    if contract_start:
        fields["contract_start"] = contract_start
    if contract_end:
        fields["contract_end"] = contract_end

    # Places: where the work is; else the buyer's address.
    addresses, locations = _delivery(tender)
    found = Places()
    for address in addresses:
        _place_of_address(address, found, places)
    for location in locations:
        _place_of_location(location, found, places)
    if not found and isinstance(buyer.get("address"), dict):
        _place_of_address(buyer["address"], found, places)
    if found:
        fields["places"] = found.as_value()
    description = next(
        (
            clean_text(location["description"], limit=MAX_LENGTHS["delivery_location"])
            for location in locations
            if isinstance(location, dict)
            and isinstance(location.get("description"), str)
            and not is_place_code(location["description"])
        ),
        "",
    ) or next(
        (
            _describe_address(address)[: MAX_LENGTHS["delivery_location"]]
            for address in addresses
            if isinstance(address, dict) and _describe_address(address)
        ),
        "",
    )
    if description:
        fields["delivery_location"] = description

    for kind in ("sme", "vcse"):
        flag = _suitability(release, tender, lots, kind)
        if flag is not None:
            fields[f"{kind}_suitable"] = flag
    if lots:
        fields["lots"] = _lots(lots, items, ocid=ocid, notes=notes)

    status = tender.get("status")
    if status == "complete":
        fields["status"] = Status.AWARDED if release.get("awards") else Status.CLOSED
    elif _code(status) in STATUS_OF_TENDER:
        fields["status"] = STATUS_OF_TENDER[status]
    elif release.get("awards") and fields["stage"] == NoticeStage.AWARD:
        fields["status"] = Status.AWARDED

    documents = []
    for document in _as_list(tender.get("documents")):
        if not isinstance(document, dict):
            continue
        url = _url(document.get("url"))
        if not url:
            continue
        documents.append(
            {
                "id": clean_text(document.get("id"), limit=100),
                "title": clean_text(document.get("title"), limit=300),
                "url": url,
                "documentType": str(document.get("documentType") or "")[:100],
            }
        )
    if documents:
        fields["documents"] = documents
        # Public Contracts Scotland and Sell2Wales call their notice a contractNotice.
        notice = next(
            (doc["url"] for doc in documents if doc["documentType"] == "tenderNotice"), ""
        ) or next((doc["url"] for doc in documents if doc["documentType"] == "contractNotice"), "")
        if notice:
            fields["notice_url"] = notice
    return MappedRelease(
        ocid=ocid,
        release_id=release_id,
        id_derived=derived,
        date=date_text,
        fields=fields,
        published_kind=published_kind,
        notes=notes,
    )


def _contract_dates(tender: dict, lots: list[dict]) -> tuple[date | None, date | None]:
    """The contract's first and last day: ``tender.contractPeriod``, else the earliest
    start and the latest end of the lots' ``contractPeriod`` (Scotland and Wales give
    them only there). Dates as the publisher wrote them, in its own offset."""
    contract = (
        tender.get("contractPeriod") if isinstance(tender.get("contractPeriod"), dict) else {}
    )
    start = end = None
    if contract.get("startDate"):
        start = parse_date(contract["startDate"], what="contractPeriod.startDate")
    if contract.get("endDate"):
        end = parse_date(contract["endDate"], what="contractPeriod.endDate")
    if (start and end) or not lots:
        return start, end
    starts, ends = [], []
    for position, lot in enumerate(lots, start=1):
        period = lot.get("contractPeriod")
        if not isinstance(period, dict):
            continue
        name = f"lot {lot.get('id') if lot.get('id') is not None else position}"
        if period.get("startDate"):
            starts.append(parse_date(period["startDate"], what=f"{name} contractPeriod.startDate"))
        if period.get("endDate"):
            ends.append(parse_date(period["endDate"], what=f"{name} contractPeriod.endDate"))
    return start or min(starts, default=None), end or max(ends, default=None)


def _description(value, *, what: str, notes: list[str]) -> str:
    text = clean_text(value)
    if len(text) > MAX_DESCRIPTION:
        notes.append(
            f"{what} has {len(text):,} characters: only the first {MAX_DESCRIPTION:,} "
            "were kept (the full text is in the notice)."
        )
        text = clean_text(text, limit=MAX_DESCRIPTION)
    return text


def _kept_codes(codes: list[str], *, what: str, notes: list[str]) -> list[str]:
    if len(codes) > MAX_CPV_CODES:
        notes.append(
            f"{what} has {len(codes):,} CPV codes: only the first {MAX_CPV_CODES:,} "
            "(in code order) were kept."
        )
        return codes[:MAX_CPV_CODES]
    return codes


def _lots(lots: list[dict], items: list[dict], *, ocid: str, notes: list[str]) -> tuple:
    codes_by_lot: dict[str, list] = {}
    for item in items:
        if item.get("relatedLot") is not None:
            codes_by_lot.setdefault(str(item["relatedLot"]), []).extend(
                [item.get("classification"), *_as_list(item.get("additionalClassifications"))]
            )
    mapped, seen = [], set()
    for position, lot in enumerate(lots, start=1):
        lot_id = str(lot.get("id") if lot.get("id") is not None else position).strip()
        lot_id = lot_id[: MAX_LENGTHS["lot_id"]]
        if lot_id in seen:
            continue
        seen.add(lot_id)
        suitability = lot.get("suitability") if isinstance(lot.get("suitability"), dict) else {}
        value = _amount(lot.get("value"), what=f"lot {lot_id} value")
        mapped.append(
            (
                lot_id,
                clean_text(lot.get("title"), limit=MAX_LENGTHS["lot_title"]),
                _description(lot.get("description"), what=f"lot {lot_id} of {ocid}", notes=notes),
                value,
                _currency(lot.get("value")),
                tuple(
                    _kept_codes(
                        _cpv_codes(codes_by_lot.get(lot_id, [])),
                        what=f"lot {lot_id} of {ocid}",
                        notes=notes,
                    )
                ),
                _flag(suitability.get("sme")),
                _flag(suitability.get("vcse")),
            )
        )
    return tuple(mapped)


# Merging


@dataclass
class MergeState:
    """An opportunity's merged fields; for each, the key of the release that set it
    (``field_dates``); and, for each release id, the greatest content hash applied.

    A release's key is (date, id, content hash): the latest date wins, then the id,
    then the hash, which orders two releases given the same id and date but different
    content (a conflict) the same whichever is read first. A key is kept short,
    [date, id], when its content is the one ``release_hashes`` holds for the id (always
    so but in a conflict), and in full otherwise. A short key kept with no hash known
    for its id (imported before hashes were) is the same release as any content with
    that date and id."""

    values: dict[str, Any]
    field_dates: dict[str, list]
    release_hashes: dict[str, str] = field(default_factory=dict)

    def conflicts_with(self, mapped: MappedRelease) -> bool:
        """Whether a release with this id but other content was applied before."""
        known = self.release_hashes.get(mapped.release_id)
        return known is not None and known != mapped.content_hash

    def _order(self, stored: list, key: tuple) -> int:
        """-1, 0 or 1 as the release whose key was kept as ``stored`` comes before, is,
        or comes after the release whose key is ``key``."""
        if len(stored) == 2:
            known = self.release_hashes.get(stored[1])
            if known is None:
                stored, key = tuple(stored), key[:2]
            else:
                stored = (stored[0], stored[1], known)
        else:
            stored = tuple(stored)
        return (stored > key) - (stored < key)

    def _record_hash(self, mapped: MappedRelease) -> None:
        release_id, digest = mapped.release_id, mapped.content_hash
        known = self.release_hashes.get(release_id)
        if known is not None and known >= digest:
            return
        if known is not None:
            # The short keys of this id stood for the content known until now.
            for name, stored in self.field_dates.items():
                short = stored[1:] if name == "published_at" else stored
                if len(short) == 2 and short[1] == release_id:
                    self.field_dates[name] = [*stored, known]
        self.release_hashes[release_id] = digest

    def apply(self, mapped: MappedRelease) -> bool:
        """Apply one release; True when any value or field date changed."""
        self._record_hash(mapped)
        key = mapped.key
        kept = list(key[:2]) if self.release_hashes[mapped.release_id] == key[2] else list(key)
        changed = False
        for name, value in mapped.fields.items():
            if name == "published_at":
                changed |= self._apply_published(value, mapped, kept)
                continue
            stored = self.field_dates.get(name)
            order = -1 if stored is None else self._order(stored, key)
            if order > 0:
                continue
            if order < 0:
                self.field_dates[name] = kept
                changed = True
            if self.values.get(name) != value or name not in self.values:
                self.values[name] = value
                changed = True
        return changed

    def _apply_published(self, value: datetime, mapped: MappedRelease, kept: list) -> bool:
        # A stated tender.datePublished beats a release date standing in for it; among
        # stated ones the latest release wins, among stand-ins the earliest date.
        stored = self.field_dates.get("published_at")
        current = self.values.get("published_at")
        if mapped.published_kind == "explicit":
            marker = ["explicit", *kept]
            if stored and stored[0] == "explicit":
                order = self._order(stored[1:], mapped.key)
                if order > 0 or (order == 0 and current == value):
                    return False
        else:
            marker = ["fallback"]
            if stored and stored[0] == "explicit":
                return False
            if stored and current is not None and current <= value:
                return False
        if stored == marker and current == value:
            return False
        self.field_dates["published_at"] = marker
        self.values["published_at"] = value
        return True
