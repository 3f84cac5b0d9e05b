"""Validate our OCDS export against the OCDS 1.1 release package schema, with the
extensions it declares merged in, plus the codelist and RFC 3339 checks the schema
cannot make (open codelists have no enum; ``format: date-time`` alone lets through
what RFC 3339 forbids on some validators). See README.md for where each file came from.
"""

import copy
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).parent
PACKAGE_ID = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
# Where the package schema's "$ref": "release-schema.json" resolves to.
RELEASE_ID = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
RELEASE_EXTENSIONS = ("lots", "suitability", "location")
RFC3339 = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
DATE_FIELDS = {
    "date",
    "publishedDate",
    "datePublished",
    "dateModified",
    "startDate",
    "endDate",
    "maxExtentDate",
}


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def merge_patch(target, patch):
    """JSON Merge Patch (RFC 7386), as OCDS applies an extension's release-schema.json."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def release_schema() -> dict:
    schema = _load("release-schema.json")
    for name in RELEASE_EXTENSIONS:
        schema = merge_patch(schema, _load(f"extensions/{name}.json"))
    schema["id"] = RELEASE_ID
    return schema


@cache
def package_schema() -> dict:
    return merge_patch(_load("release-package-schema.json"), _load("extensions/pagination.json"))


@cache
def validator() -> Draft4Validator:
    Draft4Validator.check_schema(release_schema())
    Draft4Validator.check_schema(package_schema())
    registry = Registry().with_resources(
        [
            (RELEASE_ID, Resource.from_contents(release_schema(), default_specification=DRAFT4)),
            (PACKAGE_ID, Resource.from_contents(package_schema(), default_specification=DRAFT4)),
        ]
    )
    return Draft4Validator(
        package_schema(), registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


@cache
def codelists() -> dict[str, set[str]]:
    return {name: set(codes) for name, codes in _load("codelists.json").items() if name[0] != "_"}


def _dates(value, path: str):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in DATE_FIELDS and item is not None:
                yield f"{path}/{key}", item
            yield from _dates(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dates(item, f"{path}/{index}")


def _codes(release: dict):
    """(codelist, path, value) for every coded field our releases use."""
    yield from (("releaseTag", "tag", tag) for tag in release.get("tag", []))
    yield "initiationType", "initiationType", release.get("initiationType")
    for index, party in enumerate(release.get("parties", [])):
        for role in party.get("roles", []):
            yield "partyRole", f"parties/{index}/roles", role
    tender = release.get("tender", {})
    for name, codelist in (
        ("status", "tenderStatus"),
        ("procurementMethod", "method"),
        ("mainProcurementCategory", "procurementCategory"),
    ):
        if tender.get(name) is not None:
            yield codelist, f"tender/{name}", tender[name]
    for index, lot in enumerate(tender.get("lots", [])):
        if lot.get("status") is not None:
            yield "tenderStatus", f"tender/lots/{index}/status", lot["status"]
    for index, document in enumerate(tender.get("documents", [])):
        if document.get("documentType") is not None:
            yield (
                "documentType",
                f"tender/documents/{index}/documentType",
                document["documentType"],
            )


def errors(package: dict) -> list[str]:
    """Every way the package breaks OCDS 1.1: schema, codelists, RFC 3339 dates."""
    found = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(package)'}: {error.message}"
        for error in validator().iter_errors(package)
    ]
    for path, value in _dates(package, ""):
        if not isinstance(value, str) or not RFC3339.match(value):
            found.append(f"{path}: {value!r} is not an RFC 3339 date-time")
    known = codelists()
    for number, release in enumerate(package.get("releases", [])):
        for codelist, path, value in _codes(release):
            if value not in known[codelist]:
                found.append(f"releases/{number}/{path}: {value!r} is not in {codelist}")
    return found
