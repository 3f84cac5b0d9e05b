"""Validate the read API's answers against the Open Referral UK profile's own schemas and
OpenAPI description, as published (schemas/openreferral-uk/, see schemas/README.md).

The OpenAPI description names each answer's schema by its address on GitHub; these are
mapped onto the copies here, so the tests run without a network. Formats are checked
(``uuid``, ``uri``, ``email``, ``date-time``).
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

PROFILE = Path(__file__).parent / "schemas" / "openreferral-uk"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
PROFILE_OPENAPI_URI = "urn:waymark-tests:openreferral-uk:openapi30.json"
SERVED_OPENAPI_URI = "urn:waymark-tests:served-openapi.json"
DEFINITIONS = SCHEMA_BASE + "compiled/service_with_definitions.json#/definitions/"


def _resource(contents: Any) -> Resource:
    # The profile's schemas name no draft: read them as JSON Schema 2020-12.
    return Resource.from_contents(contents, default_specification=DRAFT202012)


def profile_openapi() -> dict:
    return json.loads((PROFILE / "openapi30.json").read_text(encoding="utf-8"))


@cache
def _profile_resources() -> tuple[tuple[str, Resource], ...]:
    resources = [
        (SCHEMA_BASE + "compiled/" + path.name, _resource(json.loads(path.read_text("utf-8"))))
        for path in sorted((PROFILE / "schema").glob("*.json"))
    ]
    # The OpenAPI description names schema/taxonomy.json and schema/taxonomy_term.json,
    # which the profile publishes here as definitions of service_with_definitions.json.
    resources += [
        (SCHEMA_BASE + f"{name}.json", _resource({"$ref": DEFINITIONS + name}))
        for name in ("taxonomy", "taxonomy_term")
    ]
    resources.append((PROFILE_OPENAPI_URI, _resource(profile_openapi())))
    return tuple(resources)


def _registry(served: dict | None = None) -> Registry:
    registry = Registry().with_resources(_profile_resources())
    if served is not None:
        registry = registry.with_resource(SERVED_OPENAPI_URI, _resource(served))
    return registry


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _errors(schema: dict, instance: Any, registry: Registry) -> list[str]:
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


# The answer of the profile's operation GET ``path`` (a path of its OpenAPI description).
# /service_at_locations/{id} is the exception: the profile's description gives the
# service schema for it, a slip (it answers "a fully nested service_at_location", as its
# own words say), so it is checked against the profile's service_at_location schema.
SCHEMA_OF_PATH = {"/service_at_locations/{id}": SCHEMA_BASE + "compiled/service_at_location.json"}


def response_errors(path: str, instance: Any) -> list[str]:
    """Why ``instance`` is not what the profile says GET ``path`` answers (200)."""
    if path in SCHEMA_OF_PATH:
        schema = {"$ref": SCHEMA_OF_PATH[path]}
    else:
        pointer = _pointer("paths", path, "get", "responses", "200", "content")
        schema = {"$ref": f"{PROFILE_OPENAPI_URI}#/{pointer}/application~1json/schema"}
    return _errors(schema, instance, _registry())


def served_response_errors(served: dict, path: str, status: int, instance: Any) -> list[str]:
    """Why ``instance`` is not what the served description ``served`` says GET ``path``
    answers with ``status``."""
    pointer = _pointer("paths", path, "get", "responses", str(status))
    response = served["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:  # a shared response of components/responses
        pointer = response["$ref"].removeprefix("#/")
    schema = {"$ref": f"{SERVED_OPENAPI_URI}#/{pointer}/content/application~1json/schema"}
    return _errors(schema, instance, _registry(served))


def entity_errors(name: str, instance: Any) -> list[str]:
    """Why ``instance`` is not a valid ``name`` of the profile: a compiled schema
    (service, service_list…) or a definition (phone, taxonomy…)."""
    if (PROFILE / "schema" / f"{name}.json").exists():
        schema = {"$ref": SCHEMA_BASE + f"compiled/{name}.json"}
    else:
        schema = {"$ref": DEFINITIONS + name}
    return _errors(schema, instance, _registry())


def unresolvable_references(served: dict) -> list[str]:
    """Every ``$ref`` in the served description that names nothing we hold."""
    resolver = _registry(served).resolver(base_uri=SERVED_OPENAPI_URI)
    missing = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    resolver.lookup(node["$ref"])
                except Exception as error:  # noqa: BLE001 - any failure is reported
                    missing.append(f"{node['$ref']}: {error}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(served)
    return missing
