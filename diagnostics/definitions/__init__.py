"""Questionnaire definitions: versioned JSON files, checked strictly when they are loaded.

Each version lives in ``questionnaires/<slug>/<major>.<minor>.<patch>.json``; the format and
the versioning rule are described in ``questionnaires/README.md``. A file that breaks any
rule is refused with a `DefinitionError` naming the key path, for example
``dimensions[2].questions[4].options[1].points: must be a number``.

Numbers are held as `Fraction` so that scoring is exact; only display rounds.

The package is split by topic: `model` (the loaded dataclasses and reserved keys; what it
lists in its ``__all__`` is exported from here), `reader` (one JSON object checked key by
key), `reading` (JSON → checked `Definition`), `files` (version files and the published
registry) and `export` (a `Definition` back to plain JSON, for auditing). Import from
here: ``from diagnostics.definitions import load_definition, Ladder``.
"""

from diagnostics.definitions import model
from diagnostics.definitions.export import definition_as_dict
from diagnostics.definitions.files import (
    PUBLISHED,
    PUBLISHED_FILE,
    QUESTIONNAIRES_DIR,
    definition_files,
    file_sha256,
    known_versions,
    latest_published,
    load_all_definitions,
    load_definition,
    load_file,
    newest_of_major,
)
from diagnostics.definitions.model import *  # noqa: F403 (the names in model.__all__)
from diagnostics.definitions.reading import build_definition, parse_definition

__all__ = [
    *model.__all__,
    "PUBLISHED",
    "PUBLISHED_FILE",
    "QUESTIONNAIRES_DIR",
    "build_definition",
    "definition_as_dict",
    "definition_files",
    "file_sha256",
    "known_versions",
    "latest_published",
    "load_all_definitions",
    "load_definition",
    "load_file",
    "newest_of_major",
    "parse_definition",
]
