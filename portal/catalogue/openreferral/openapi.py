"""The OpenAPI description of the read API as implemented: the UK profile's own
(data/openreferral-uk/openapi30.json, kept as published), narrowed to what api.py does.

Each list endpoint's parameters are those it reads; the profile's other parameters are
listed under ``x-not-implemented`` on each operation (and named in its description):
they are accepted and ignored. Every operation says its error answers (400 for a bad
parameter, 404, 405), which are JSON ``{"status", "message"}``. The description is
derived from the profile's, so it carries the profile's licence (CC BY-SA 4.0).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
PROFILE_OPENAPI = Path(__file__).resolve().parent.parent / "data/openreferral-uk/openapi30.json"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
# The profile's description gives the service schema for a service_at_location (a slip:
# the endpoint answers a service_at_location, as its own description says).
SERVICE_AT_LOCATION_SCHEMA = SCHEMA_BASE + "compiled/service_at_location.json"

OUR_PARAMETERS = {
    "text": {
        "name": "text",
        "in": "query",
        "required": False,
        "description": "The name earlier Open Referral UK versions gave `search`: the same.",
        "schema": {"type": "string"},
    },
}
# What this API adds to the profile's words about a parameter.
NOTES = {
    "search": "Every word (up to 10) in the name, description or provider's name.",
    "page": "From 1; a page past the last is empty.",
    "per_page": "From 1 to 100 (more gives 100); 50 when not given.",
    "taxonomy_term_id": "Repeat it for services with every term; empty is ignored.",
    "taxonomy_id": "Empty is ignored.",
    "modified_after": (
        "On or after this moment: a date and time (2026-01-31T09:00:00Z) or a date, "
        "which is its first moment in UK time. An impossible date is a 400."
    ),
    "organization_id": "The id of a service's `organization` in this API.",
}
ERROR_RESPONSE = {"$ref": "#/components/responses/Error"}


@functools.cache
def _profile() -> dict[str, Any]:
    return json.loads(PROFILE_OPENAPI.read_text(encoding="utf-8"))


def _parameter_name(parameter: Mapping[str, Any]) -> str:
    if "$ref" in parameter:
        return parameter["$ref"].rsplit("/", 1)[-1]
    return parameter["name"]


def _operation(operation: dict[str, Any], *, implemented: Iterable[str] | None) -> dict[str, Any]:
    """The profile's operation with the parameters we read; ``implemented`` is None
    for an operation that takes none in its query (a single item)."""
    if implemented is not None:
        offered = [_parameter_name(p) for p in operation.get("parameters", [])]
        missing = [name for name in offered if name not in implemented]
        operation["parameters"] = [
            {"$ref": f"#/components/parameters/{name}"} for name in implemented
        ]
        if missing:
            operation["x-not-implemented"] = missing
            operation["description"] += (
                " Not implemented, and ignored when given: " + ", ".join(missing) + "."
            )
    # Any request may be unreadable (a NUL character in its address, say): a 400.
    for status in ("400", "404", "405"):
        operation["responses"][status] = ERROR_RESPONSE
    return operation


def openapi_description(
    *, api_url: str, parameters: Mapping[str, Iterable[str]]
) -> dict[str, Any]:
    """The description, for the API at ``api_url``; ``parameters`` are the query
    parameters each list path reads (api.PARAMETERS)."""
    profile = copy.deepcopy(_profile())
    components = profile["components"]
    for name, parameter in {**components["parameters"], **OUR_PARAMETERS}.items():
        if name in NOTES:
            parameter["description"] = f"{parameter['description']} {NOTES[name]}"
        components["parameters"][name] = parameter
    used = {name for names in parameters.values() for name in names}
    not_implemented = sorted(set(components["parameters"]) - used)
    paths = {}
    for path, item in profile["paths"].items():
        for method in [key for key in item if key != "parameters"]:
            if method != "get":
                del item[method]
        item["get"] = _operation(item["get"], implemented=parameters.get(path))
        paths[path] = item
    sal = paths.get("/service_at_locations/{id}")
    if sal:
        sal["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": SERVICE_AT_LOCATION_SCHEMA
        }
    components["schemas"]["Error"] = {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer", "description": "The HTTP status."},
            "message": {"type": "string", "description": "What was wrong."},
        },
    }
    components["responses"] = {
        "Error": {
            "description": "A bad parameter (400), nothing at this address (404), or "
            "another method than GET (405).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    }
    return {
        "openapi": profile["openapi"],
        "info": {
            "title": "Waymark: support for businesses, as Open Referral UK",
            "version": profile["info"]["version"],
            "description": (
                "The published support offers of this Waymark site as services of the Open "
                "Referral UK profile of HSDS 3.0, read only, open to any site "
                "(Access-Control-Allow-Origin: *). Derived from the profile's own OpenAPI "
                f"description ({PROFILE_URL}). Parameters of the profile that no endpoint "
                "implements, ignored when given: " + ", ".join(not_implemented) + "."
            ),
            "license": profile["info"]["license"],
        },
        "servers": [{"url": api_url.rstrip("/")}],
        "x-not-implemented": not_implemented,
        "paths": paths,
        "components": components,
    }
