"""The places every list filters by: the active regions with their active councils,
found by code, and which listings a place sees (``place_q``).

The place selects are rendered from ``RegionPlaces`` by ``places/options.html``. The
places change only with a data migration (or a moderator in the admin), so each process
keeps them while the "places" data version (portal/lib/versions.py) stays the same:
saving or deleting a council or region, and every migrate, raises it (apps.py).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import BooleanField, Expression, Q

from portal.lib import facets, versions
from portal.places.models import Council, Region

DATA_VERSION = "places"

# (data version, the places at that version), for this process.
_kept: tuple[int, "PlaceChoices"] | None = None


class Place(NamedTuple):
    """A council or a region. A named tuple, not a frozen dataclass: a place select
    builds ~370 of them a request, and a frozen dataclass is several times slower to
    create."""

    code: str  # a council's GSS code or a region's ONS code
    name: str
    council_id: int | None
    region_id: int
    region_name: str
    region_slug: str

    @property
    def is_council(self) -> bool:
        return self.council_id is not None


@dataclass(frozen=True)
class RegionPlaces:
    region: Place
    councils: list[Place]


class PlaceChoices:
    """Every active region with its active councils, in ITL order."""

    def __init__(self, regions: list[RegionPlaces], rows: list[tuple]):
        self.regions = regions
        self._rows = rows

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever a name or code does: keys the rendered selects' cache. The
        hash of the rows, in C: a digest of their text cost a tenth of a millisecond a
        request. (String hashes differ between processes, so each process keys its own
        copy; the rows are the same in all of them.)"""
        return format(hash(tuple(self._rows)) & 0xFFFFFFFFFFFFFFFF, "x")

    def __iter__(self):
        return iter(self.regions)

    @cached_property
    def _by_code(self) -> dict[str, Place]:
        places = {}
        for group in self.regions:
            places[group.region.code] = group.region
            for council in group.councils:
                places.setdefault(council.code, council)
        return places

    def find(self, code: str) -> Place | None:
        """The council (GSS code) or region (ONS code) of that code, if active. Looked
        up in a dict: a request asks four or five times, and a search through ~370
        places each time was a tenth of a millisecond."""
        return self._by_code.get(code)


def place_choices() -> PlaceChoices:
    """Every active region with its active councils, in ITL order: kept by this process
    while the places' data version holds, else one query."""
    global _kept
    version = versions.current(DATA_VERSION)
    kept = _kept
    if kept is not None and kept[0] == version:
        return kept[1]
    choices = load_place_choices()
    _kept = (version, choices)
    return choices


def load_place_choices() -> PlaceChoices:
    """Every active region with its active councils, in ITL order: one query."""
    grouped: dict[int, RegionPlaces] = {}
    councils = (
        Council.objects.active()
        .filter(region__active=True)
        .order_by("region__itl_code", "name")
        .values_list(
            "id",
            "name",
            "gss_code",
            "region_id",
            "region__name",
            "region__ons_code",
            "region__slug",
        )
    )
    rows = list(councils)
    for council_id, name, gss_code, region_id, region_name, region_code, slug in rows:
        if region_id not in grouped:
            grouped[region_id] = RegionPlaces(
                region=Place(region_code, region_name, None, region_id, region_name, slug),
                councils=[],
            )
        grouped[region_id].councils.append(
            Place(gss_code, name, council_id, region_id, region_name, slug)
        )
    return PlaceChoices(list(grouped.values()), rows)


def council_place(council: Council) -> Place:
    """The place of a council loaded with its region."""
    region = council.region
    return Place(council.gss_code, council.name, council.pk, region.pk, region.name, region.slug)


def region_place(region: Region) -> Place:
    return Place(region.ons_code, region.name, None, region.pk, region.name, region.slug)


def _listed_sql(quote, model, place: Place, row: str) -> tuple[str, list]:
    """SQL for the listings of ``model`` (``row``, its primary key) linked to the place:
    to its region, and to its council or (a region) to any of the region's councils."""

    def linked(field, place_test: str) -> str:
        return (
            f"SELECT {quote(field.m2m_column_name())} FROM {quote(field.m2m_db_table())} "
            f"WHERE {quote(field.m2m_reverse_name())} {place_test}"
        )

    in_region = linked(model.regions.field, "= %s")
    if place.is_council:
        in_council = linked(model.councils.field, "= %s")
        ids = [place.region_id, place.council_id]
    else:
        council = Council._meta
        in_council = linked(
            model.councils.field,
            f"IN (SELECT {quote(council.pk.column)} FROM {quote(council.db_table)} "
            f"WHERE {quote(council.get_field('region').column)} = %s)",
        )
        ids = [place.region_id, place.region_id]
    return f"({row} IN ({in_region}) OR {row} IN ({in_council}))", ids


class _Listed(Expression):
    """The listings linked to a place, for an ORM filter. Written out rather than as two
    ``pk__in`` subqueries, which took a tenth of a search's time to compile."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, model, place: Place):
        super().__init__()
        self.model, self.place = model, place

    def as_sql(self, compiler, connection):
        row = compiler.quote_name(compiler.query.get_initial_alias())
        row += "." + connection.ops.quote_name(self.model._meta.pk.column)
        return _listed_sql(connection.ops.quote_name, self.model, self.place, row)


def place_q(model, place: Place | None) -> Q:
    """The listings of ``model`` (with ``uk_wide``, ``regions`` and ``councils``) that a
    place sees. A business in a council sees those for that council, its region and
    UK-wide; a region, those for the region, any of its councils and UK-wide. A listing
    that names no place is for none."""
    if place is None:
        return Q()
    return Q(uk_wide=True) | Q(_Listed(model, place))


@dataclass(frozen=True)
class SeenFrom(facets.Condition):
    """``place_q`` as a condition of a list's ``facets.Rows``."""

    model: Any
    place: Place

    def q(self) -> Q:
        return place_q(self.model, self.place)

    def sql(self, columns):
        quote = columns.connection.ops.quote_name
        row = columns.name(self.model._meta.pk.name)
        linked, ids = _listed_sql(quote, self.model, self.place, row)
        return f"({columns.name('uk_wide')} OR {linked})", ids

    def fields(self):
        return ("uk_wide", self.model._meta.pk.name)
