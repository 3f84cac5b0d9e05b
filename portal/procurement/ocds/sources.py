"""Sources → releases: files, directories and http(s) URLs, and the releases in them.

``SourceReader`` opens files, directories (every ``*.json`` and ``*.jsonl``, sorted)
and http(s) URLs (downloaded, streaming, to a temporary file; a package's
``links.next`` is followed up to ``MAX_PAGES``). Each document is checked before
anything is imported (``files.inspect_document``), then its releases are streamed. It
accepts release packages, record packages, bare releases, bare records, a JSON array of
any of these, and JSON Lines. A record's releases are embedded (whole releases, with
``ocid`` and ``id``) or linked (a ``url``, ``date`` and ``tag`` pointing to a release
published elsewhere, and no ``ocid`` or ``id``): its embedded releases are read when
they are all it has, else its ``compiledRelease``; a record with neither is skipped
with a warning naming it, and one with only a ``versionedRelease`` is rejected, saying
so. A file of a directory that cannot be read (empty, not JSON, too deep) is skipped
with a warning; a file that breaks while its releases are streamed (it changed since it
was checked) is reported and the next one read.
"""

import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import ijson

from portal.procurement.ocds.files import (
    READ_CHUNK_BYTES,
    Document,
    SourceError,
    inspect_document,
    open_utf8,
    stream_lines,
)

MAX_PAGES = 100
URL_TIMEOUT_SECONDS = 60
MAX_DOWNLOAD_BYTES = 2 * 1024**3


@dataclass
class ReleaseItem:
    """One release read from a source, with where it was found (for messages)."""

    release: Any
    where: str
    source_uri: str
    # Set when the thing read could not even be parsed (a bad JSON line).
    problem: str = ""


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
