"""The public business support service of each nation and region
(portal/advice/data/public_services.json, described in the README beside it): what the
"Ask an adviser" page names when no organisation on Waymark serves the business's
council."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SERVICES_FILE = Path(__file__).resolve().parent / "data" / "public_services.json"
ENGLAND_PREFIX = "E"  # English regions' ONS codes are E12…


@dataclass(frozen=True)
class Hub:
    name: str
    url: str
    phone: str = ""


@dataclass(frozen=True)
class PublicService:
    region_code: str
    name: str
    hubs: tuple[Hub, ...]
    # England only: the national helpline that finds a business's own Growth Hub.
    helpline: Hub | None = None


@cache
def public_services() -> dict[str, PublicService]:
    """Region ONS code → its public service; read from the file once per process."""
    with SERVICES_FILE.open(encoding="utf-8") as services_file:
        document = json.load(services_file)
    helpline = Hub(**document["england_helpline"])
    services = {}
    for row in document["services"]:
        code = row["region"]
        services[code] = PublicService(
            region_code=code,
            name=row["name"],
            hubs=tuple(Hub(**hub) for hub in row["hubs"]),
            helpline=helpline if code.startswith(ENGLAND_PREFIX) else None,
        )
    return services


def public_service_for(region_code: str) -> PublicService | None:
    return public_services().get(region_code)
