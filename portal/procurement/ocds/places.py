"""Where the work is: names, codes and postcodes of places → regions, councils, or
anywhere in the UK.

From the location extension (``tender.deliveryAddresses``, ``tender.deliveryLocations``,
and ``deliveryAddress(es)`` / ``deliveryLocation(s)`` of ``tender.items``), else the
buyer's address: a region named ("North East", without case, "Yorkshire & the Humber"
and other spellings), a NUTS code ("UKC1" → its first three characters → the region
with that NUTS 1 code), an ITL code ("TLC3" → TLC), a nation ("England": its nine
regions; "Wales"), a council's name or GSS code, a region's ONS code, or only a
postcode (its area, the letters it starts with, through
``portal/procurement/data/postcode_areas.json``); "GB", "UK" or "United Kingdom" alone
means anywhere in the UK; NUTS and ITL codes are kept out of the description of where
the work is (``delivery_location``).
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from portal.procurement.display import is_place_code
from portal.procurement.ocds.values import MAX_LENGTHS, as_list, clean_text

POSTCODE_AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "postcode_areas.json"


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


def _delivery(tender: dict) -> tuple[list, list]:
    """Delivery addresses and locations of the tender and of its items."""
    holders = [tender] + [item for item in as_list(tender.get("items")) if isinstance(item, dict)]
    addresses, locations = [], []
    for holder in holders:
        addresses += as_list(holder.get("deliveryAddresses")) + as_list(
            holder.get("deliveryAddress")
        )
        locations += as_list(holder.get("deliveryLocations")) + as_list(
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


def where_the_work_is(tender: dict, buyer: dict, lookup: PlaceLookup) -> tuple[Places, str]:
    """The places the tender's delivery addresses and locations name, else its buyer's
    address does; and the words that say where the work is (never a NUTS or ITL code)."""
    addresses, locations = _delivery(tender)
    found = Places()
    for address in addresses:
        _place_of_address(address, found, lookup)
    for location in locations:
        _place_of_location(location, found, lookup)
    if not found and isinstance(buyer.get("address"), dict):
        _place_of_address(buyer["address"], found, lookup)
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
    return found, description
