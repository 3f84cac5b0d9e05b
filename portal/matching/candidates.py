"""The matcher's candidates: every published offer and open opportunity as compact
records, read in a bounded number of queries and kept in this process between requests.

Each set is kept with the data version (portal/lib/versions.py) it was built at; a
request that finds a newer version in the shared cache rebuilds it, so no process ranks
with offers another process has changed. No model instance is built: each query's
``values_list`` is turned into columns, the set-valued fields parsed once per distinct
value, and the arrays built from the columns (portal/matching/columns.py); a candidate's
row (its title, slug, public id…) is made only when a page shows it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import CharField, ExpressionWrapper, F, FloatField
from django.db.models.functions import Cast

from portal.catalogue.models import Offer, OfferStatus
from portal.lib import versions
from portal.matching.columns import (
    LazyColumn,
    Links,
    OfferCandidates,
    OpportunityCandidates,
    mapped,
    offer_candidates_from_columns,
    opportunity_candidates_from_columns,
)
from portal.places.models import Region
from portal.procurement.models import BuyerType, Opportunity, Status

OFFERS = "offers"
OPPORTUNITIES = "opportunities"


@dataclass
class _Kept:
    version: int | None = None
    value: object = None


_kept = {OFFERS: _Kept(), OPPORTUNITIES: _Kept()}
_lock = threading.Lock()


def _region_order() -> list[int]:
    return list(Region.objects.order_by("pk").values_list("pk", flat=True))


def _read(queryset, names: Sequence[str]) -> list[Sequence]:
    """The queryset's values, one tuple per column (no model instance, no ordering)."""
    rows = list(queryset.order_by().values_list(*names))
    if not rows:
        return [() for _ in names]
    return list(zip(*rows, strict=True))


def _raw(field: str):
    """A column as the database gives it, without the field's conversion (the set-valued
    fields are parsed once per distinct value instead of once per row)."""
    return ExpressionWrapper(F(field), output_field=CharField())


def _links(model, field: str, owner_field: str, target_field: str, position) -> Links:
    """The many-to-many rows of ``model.field`` for the candidates (by position)."""
    through = getattr(model, field).through
    owners, targets = _read(through.objects.all(), (owner_field, target_field))
    owners = np.array(owners, dtype=np.int64)
    targets = np.array(targets, dtype=np.int64)
    positions = position(owners)
    kept = positions >= 0
    return Links(positions[kept], targets[kept])


def _positions_of(ids: np.ndarray):
    """ids → their positions in ``ids`` (−1 for an id not there)."""
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]

    def position(wanted: np.ndarray) -> np.ndarray:
        if not ordered.size:
            return np.full(wanted.shape, -1, dtype=np.int64)
        found = np.minimum(np.searchsorted(ordered, wanted), ordered.size - 1)
        return np.where(ordered[found] == wanted, order[found], -1)

    return position


def _set_column(model, field: str, raw: Sequence[str | None]) -> list[tuple[str, ...]]:
    parse = model._meta.get_field(field).to_python
    return mapped(lambda value: tuple(parse(value)), raw)


OFFER_SETS = ("dimensions", "maturity_levels", "sizes", "stages", "sic_sections")


def build_offers() -> OfferCandidates:
    """Every published offer, in four queries (offers, their regions, their councils, the
    regions' order)."""
    plain = ("pk", "slug", "title", "external_id", "kind", "uk_wide", "cost")
    plain += ("closes", "last_reviewed", "review_due", "summary")
    queryset = Offer.objects.filter(status=OfferStatus.PUBLISHED).annotate(
        **{f"raw_{name}": _raw(name) for name in OFFER_SETS}
    )
    values = _read(queryset, plain + tuple(f"raw_{name}" for name in OFFER_SETS))
    columns = dict(zip(plain, values, strict=False))
    columns["id"] = columns.pop("pk")
    columns["text"] = columns.pop("summary")
    for name, raw in zip(OFFER_SETS, values[len(plain) :], strict=True):
        columns[name] = _set_column(Offer, name, raw)
    position = _positions_of(np.array(columns["id"], dtype=np.int64))
    return offer_candidates_from_columns(
        columns,
        regions=_links(Offer, "regions", "offer_id", "region_id", position),
        councils=_links(Offer, "councils", "offer_id", "council_id", position),
        region_order=_region_order(),
    )


def _yearly_values(value_max, value_min, starts, ends) -> list[float | None]:
    """The contract's value per year (the whole value when it lasts a year or less, or
    its dates are not known); None when no value is stated."""
    value = np.where(np.isnan(value_max) | (value_max == 0), value_min, value_max)
    start = _ordinals(starts)
    end = _ordinals(ends)
    dated = (start > 0) & (end > 0) & (end > start)
    years = np.maximum(np.where(dated, end - start, 0) / 365.25, 1.0)
    yearly = np.where(dated, value / years, value)
    stated = ~np.isnan(value) & (value != 0)
    return [
        float(v) if ok else None for v, ok in zip(yearly.tolist(), stated.tolist(), strict=True)
    ]


def _ordinals(days) -> np.ndarray:
    return np.array(mapped(lambda day: day.toordinal() if day else 0, days), dtype=np.int64)


def _floats(values) -> np.ndarray:
    return np.array([np.nan if value is None else value for value in values], dtype=np.float64)


def build_opportunities() -> OpportunityCandidates:
    """Every open opportunity, in four queries."""
    names = ("pk", "raw_public_id", "ocid", "title", "raw_cpv_codes", "uk_wide", "deadline")
    names += ("buyer_type", "sme_suitable", "float_max", "float_min")
    names += ("contract_start", "contract_end")
    queryset = Opportunity.objects.filter(status=Status.OPEN).annotate(
        raw_public_id=_raw("public_id"),
        raw_cpv_codes=_raw("cpv_codes"),
        float_max=Cast("value_max", FloatField()),
        float_min=Cast("value_min", FloatField()),
    )
    values = dict(zip(names, _read(queryset, names), strict=True))
    ids = values["pk"]
    columns = {
        "id": ids,
        "public_id": LazyColumn(values["raw_public_id"], _uuid_text),
        "ocid": LazyColumn(values["ocid"], lambda ocid: ocid or ""),
        "title": values["title"],
        "cpv_codes": _set_column(Opportunity, "cpv_codes", values["raw_cpv_codes"]),
        "uk_wide": values["uk_wide"],
        "deadline": values["deadline"],
        "public_buyer": mapped(lambda kind: kind != BuyerType.PRIVATE, values["buyer_type"]),
        "sme_suitable": values["sme_suitable"],
        "yearly_value": _yearly_values(
            _floats(values["float_max"]),
            _floats(values["float_min"]),
            values["contract_start"],
            values["contract_end"],
        ),
    }
    position = _positions_of(np.array(ids, dtype=np.int64))
    return opportunity_candidates_from_columns(
        columns,
        regions=_links(Opportunity, "regions", "opportunity_id", "region_id", position),
        councils=_links(Opportunity, "councils", "opportunity_id", "council_id", position),
        region_order=_region_order(),
    )


def _uuid_text(value) -> str:
    """A UUID column's value as text, whichever form the database gave it in."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


_BUILDERS = {OFFERS: build_offers, OPPORTUNITIES: build_opportunities}


def _current(name: str, version: int | None = None):
    if version is None:
        version = versions.current(name)
    kept = _kept[name]
    if kept.version == version and kept.value is not None:
        return kept.value
    with _lock:
        kept = _kept[name]
        if kept.version != version or kept.value is None:
            _kept[name] = _Kept(version=version, value=_BUILDERS[name]())
        return _kept[name].value


def offer_candidates() -> OfferCandidates:
    """The offers' candidates at the current data version (built if need be)."""
    return _current(OFFERS)


def opportunity_candidates() -> OpportunityCandidates:
    return _current(OPPORTUNITIES)


def both() -> tuple[OfferCandidates, OpportunityCandidates]:
    """The offers' and the opportunities' candidates, their versions read together (one
    round trip to the shared cache on a page's warm path, not two)."""
    found = versions.current_many(OFFERS, OPPORTUNITIES)
    return _current(OFFERS, found[OFFERS]), _current(OPPORTUNITIES, found[OPPORTUNITIES])


def keep(offers: OfferCandidates, opportunities: OpportunityCandidates) -> None:
    """Keep these as the candidates at the current data versions (the benchmark ranks,
    in turn, sets it built earlier at other sizes)."""
    found = versions.current_many(OFFERS, OPPORTUNITIES)
    _kept[OFFERS] = _Kept(version=found[OFFERS], value=offers)
    _kept[OPPORTUNITIES] = _Kept(version=found[OPPORTUNITIES], value=opportunities)


def forget() -> None:
    """Drop what this process keeps (tests; a benchmark's cold path)."""
    for name in _kept:
        _kept[name] = _Kept()
