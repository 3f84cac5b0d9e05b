"""The counts about businesses that every place's dashboard publishes, controlled for
all places at once along the place hierarchy (the UK, its regions, their councils) so
that no place's suppressed figure can be worked out from a wider place's figure minus
its other parts (portal/lib/disclosure.py's ``hierarchy``), nor from its own table.

The same publication serves every page: a council's dashboard, its region's, the UK's,
their CSV files and the map's counts, so what one page withholds no other page gives
away. Worked out from three grouped queries (``queries.demand_by_council``) for every
period and filter combination asked for, and kept in the shared cache beside the
dashboards' other figures (same data versions, same day).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from portal.dashboards import queries
from portal.dashboards.queries import BANDS, DIMENSIONS, Filters
from portal.dashboards.refresh import DATA_VERSION
from portal.lib import disclosure, versions
from portal.lib.disclosure import SUPPRESSED, TOTAL, WITHHELD, Shown
from portal.places.choices import Place, place_choices

UK = "uk"
CACHE_SECONDS = 60 * 60

# How a published count is kept in the cache: its value, or one of these.
_SUPPRESSED, _WITHHELD = -1, -2


def _encode(shown: Shown) -> int:
    if shown.value is None:
        return _WITHHELD if shown.withheld else _SUPPRESSED
    return shown.value


def _decode(value: int) -> Shown:
    if value == _SUPPRESSED:
        return SUPPRESSED
    if value == _WITHHELD:
        return WITHHELD
    return Shown(value, disclosure.COUNT)


def place_code(place: Place | None) -> str:
    return UK if place is None else place.code


def counts_of(place: Place | None, filters: Filters) -> dict[str, dict[str, Shown]]:
    """The place's published counts: ``bands`` and ``weakest`` (each with ``TOTAL``,
    the businesses completed), ``flags``, ``plans``, ``started`` (key "started") and
    ``months`` (ISO month → businesses completing)."""
    today = timezone.localdate()
    version = versions.current(DATA_VERSION)
    prefix = f"waymark:dashboards:published:{version}:{today.isoformat()}:{filters.key()}"
    # Kept a family a key: the UK with its regions, and each region's councils.
    family = UK if place is None or not place.is_council else place.region_slug
    found = cache.get(f"{prefix}:{family}")
    if found is None:
        everything = publish_all(filters)
        entries: dict[str, dict] = {UK: {}}
        for group in place_choices():
            entries[UK][group.region.code] = everything[group.region.code]
            entries[group.region.region_slug] = {
                council.code: everything[council.code] for council in group.councils
            }
        entries[UK][UK] = everything[UK]
        cache.set_many(
            {f"{prefix}:{name}": entry for name, entry in entries.items()},
            timeout=CACHE_SECONDS,
        )
        found = entries[family]
    found = found.get(place_code(place), {})
    return {
        table: {name: _decode(value) for name, value in figures.items()}
        for table, figures in found.items()
    }


def publish_all(filters: Filters) -> dict[str, dict[str, dict[str, int]]]:
    """Every place's published counts (encoded for the cache), by place code."""
    start = queries.period_start(filters.period)
    rows = queries.demand_by_council(filters, start=start)
    regions = list(place_choices())
    council_codes = {c.council_id: c.code for group in regions for c in group.councils}
    region_codes = {group.region.region_id: group.region.code for group in regions}
    families = {UK: [group.region.code for group in regions]}
    for group in regions:
        families[group.region.code] = [council.code for council in group.councils]
    places = [UK, *families[UK], *council_codes.values()]

    # Each place's own counts: a council's rows, a region's (its councils' and those
    # with no council there), the UK's (every row).
    def empty() -> dict:
        return {
            "bands": dict.fromkeys(BANDS, 0),
            "weakest": dict.fromkeys(DIMENSIONS, 0),
            "flags": {},
            "plans": {},
            "started": {"started": 0},
            "months": {},
        }

    counts = {code: empty() for code in places}
    for row in rows:
        targets = [UK]
        region = region_codes.get(row["region_id"])
        if region is not None:
            targets.append(region)
            council = council_codes.get(row["council_id"])
            if council is not None:
                targets.append(council)
        for code in targets:
            into = counts[code]
            for table in ("bands", "weakest", "flags", "plans"):
                for name, n in row[table].items():
                    into[table][name] = into[table].get(name, 0) + n
            into["started"]["started"] += row["started"]
            for month, n in row["months"].items():
                into["months"][month.isoformat()] = into["months"].get(month.isoformat(), 0) + n

    published: dict[str, dict[str, dict[str, int]]] = {code: {} for code in places}
    flag_keys = [key for key, _label in queries.flags()]
    plan_keys = [key for key, _label in queries.plans()]
    month_keys = sorted({month for c in counts.values() for month in c["months"]})
    tables = [
        ("flags", flag_keys, False),
        ("plans", plan_keys, False),
        ("started", ["started"], False),
        ("months", month_keys, False),
    ]
    for table, keys, totalled in tables:
        shown = disclosure.hierarchy(
            {code: counts[code][table] for code in places}, families, keys=keys, totalled=totalled
        )
        for code in places:
            published[code][table] = {
                name: _encode(figure) for name, figure in shown[code].items()
            }
    for code, figures in _bands_and_weakest(counts, places, families).items():
        published[code].update(figures)
    return published


def _bands_and_weakest(counts, places, families) -> dict[str, dict[str, dict[str, int]]]:
    """Bands and weakest dimensions share their total (the businesses completed): a
    total withheld in one is withheld in the other, until both agree."""
    withheld: dict[str, set[str]] = {code: set() for code in places}
    while True:
        found = {}
        for table, keys in (("bands", BANDS), ("weakest", DIMENSIONS)):
            found[table] = disclosure.hierarchy(
                {code: counts[code][table] for code in places},
                families,
                keys=list(keys),
                totalled=True,
                withheld={code: {TOTAL} for code in places if TOTAL in withheld[code]},
            )
        disagree = [
            code
            for code in places
            if found["bands"][code][TOTAL].suppressed != found["weakest"][code][TOTAL].suppressed
            and TOTAL not in withheld[code]
        ]
        if not disagree:
            return {
                code: {
                    table: {name: _encode(f) for name, f in found[table][code].items()}
                    for table in found
                }
                for code in places
            }
        for code in disagree:
            withheld[code].add(TOTAL)


def completed_by_council(filters: Filters) -> tuple[dict[str, Shown], Shown]:
    """Every council's published count of businesses completed (GSS code → figure), and
    the UK's: the same figures as the dashboards' headlines."""
    councils = {}
    for group in place_choices():
        for council in group.councils:
            councils[council.code] = counts_of(council, filters)["bands"][TOTAL]
    return councils, counts_of(None, filters)["bands"][TOTAL]
