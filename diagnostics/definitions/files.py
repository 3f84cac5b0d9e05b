"""Definition files on disk, their versions and the published registry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from diagnostics.definitions.model import (
    SHA256_PATTERN,
    SLUG_PATTERN,
    VERSION_PATTERN,
    Definition,
    DefinitionError,
    version_key,
)
from diagnostics.definitions.reader import JsonObject, Reader
from diagnostics.definitions.reading import parse_definition

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
PUBLISHED_FILE = QUESTIONNAIRES_DIR / "published.json"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_published(path: Path) -> Mapping[tuple[str, str], str]:
    """published.json: {slug: {version: sha256 of the version file's bytes}}."""
    source = path.name
    try:
        raw = json.loads(path.read_bytes(), object_pairs_hook=JsonObject.from_pairs)
    except json.JSONDecodeError as error:
        raise DefinitionError("", f"not valid JSON: {error}", source=source) from None
    published = {}
    for slug, versions in Reader(raw, "", (), raw).value.items():
        if not SLUG_PATTERN.fullmatch(slug):
            raise DefinitionError(slug, "is not a questionnaire slug", source=source)
        for version, digest in Reader(versions, slug, (), versions).value.items():
            path_of = f"{slug}.{version}"
            if not VERSION_PATTERN.fullmatch(version):
                raise DefinitionError(path_of, "is not a version", source=source)
            if not isinstance(digest, str) or not SHA256_PATTERN.fullmatch(digest):
                raise DefinitionError(path_of, "must be a sha256 hex digest", source=source)
            published[slug, version] = digest
    return MappingProxyType(published)


PUBLISHED: Mapping[tuple[str, str], str] = _read_published(PUBLISHED_FILE)


def definition_files(directory: Path = QUESTIONNAIRES_DIR) -> list[Path]:
    """Every version file, ordered by slug then version."""
    paths = []
    for path in directory.glob("*/*.json"):
        if not VERSION_PATTERN.fullmatch(path.stem):
            raise DefinitionError("", "file name must be <version>.json", source=str(path))
        paths.append(path)
    return sorted(paths, key=lambda p: (p.parent.name, version_key(p.stem)))


def load_file(path: Path) -> Definition:
    """Load one version file, checking that it is where its slug and version say, and that a
    published version has not changed since it was published."""
    source = f"{path.parent.name}/{path.name}"
    content = path.read_bytes()
    definition = parse_definition(content, source=source)
    if (definition.slug, definition.version) != (path.parent.name, path.stem):
        raise DefinitionError(
            "version",
            f"{definition.slug} {definition.version} must be in {definition.slug}/"
            f"{definition.version}.json",
            source=source,
        )
    published = PUBLISHED.get((definition.slug, definition.version))
    if published is not None and hashlib.sha256(content).hexdigest() != published:
        raise DefinitionError(
            "",
            "has changed since it was published; publish a new version instead "
            "(see questionnaires/README.md)",
            source=source,
        )
    return definition


@cache
def load_definition(slug: str, version: str) -> Definition:
    if not SLUG_PATTERN.fullmatch(slug) or not VERSION_PATTERN.fullmatch(version):
        raise LookupError(f"no questionnaire {slug} {version}")
    path = QUESTIONNAIRES_DIR / slug / f"{version}.json"
    if not path.is_file():
        raise LookupError(f"no questionnaire {slug} {version}")
    return load_file(path)


def known_versions() -> list[tuple[str, str]]:
    """(slug, version) of every version file, ordered by slug then version."""
    return [(path.parent.name, path.stem) for path in definition_files()]


def load_all_definitions() -> list[Definition]:
    return [load_definition(path.parent.name, path.stem) for path in definition_files()]


def newest_of_major(slug: str, version: str) -> Definition:
    """The newest published version with the same major version as `version` (a minor or
    patch version changes wording only, so answers to one mean the same in the other), or
    `version` itself when none is newer."""
    major = version_key(version)[0]
    newer = [
        v
        for s, v in PUBLISHED
        if s == slug and version_key(v)[0] == major and version_key(v) > version_key(version)
    ]
    return load_definition(slug, max(newer, key=version_key) if newer else version)


def latest_published(slug: str) -> Definition:
    """The newest published version of a questionnaire: the one new assessments use."""
    versions = [version for s, version in PUBLISHED if s == slug]
    if not versions:
        raise LookupError(f"no published version of {slug}")
    return load_definition(slug, max(versions, key=version_key))
