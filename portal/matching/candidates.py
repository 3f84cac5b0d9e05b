"""The matcher's candidates: every published offer and open opportunity as compact
records, read in a bounded number of queries and kept in this process between requests.

Each set is kept with the data version (portal/lib/versions.py) it was built at; a
request that finds a newer version in the shared cache rebuilds it, so no process ranks
with offers another process has changed. No model instance is built: rows are read with
``values_list``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from portal.catalogue.models import Offer, OfferStatus
from portal.lib import versions
from portal.matching.records import (
    OfferCandidates,
    OfferRow,
    OpportunityCandidates,
    OpportunityRow,
    build_offer_candidates,
    build_opportunity_candidates,
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


def _m2m(model, field: str, owner_field: str, target_field: str) -> dict[int, tuple[int, ...]]:
    through = getattr(model, field).through
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner, target in through.objects.values_list(owner_field, target_field):
        grouped[owner].append(target)
    return {key: tuple(value) for key, value in grouped.items()}


def load_offer_rows() -> list[OfferRow]:
    """Every published offer, in three queries (offers, their regions, their councils)."""
    regions = _m2m(Offer, "regions", "offer_id", "region_id")
    councils = _m2m(Offer, "councils", "offer_id", "council_id")
    columns = (
        "pk",
        "slug",
        "title",
        "external_id",
        "kind",
        "dimensions",
        "maturity_levels",
        "sizes",
        "stages",
        "sic_sections",
        "uk_wide",
        "cost",
        "closes",
        "last_reviewed",
        "review_due",
        "summary",
    )
    rows = []
    for values in Offer.objects.filter(status=OfferStatus.PUBLISHED).values_list(*columns):
        (pk, slug, title, external_id, kind, dims, levels, sizes, stages, sectors) = values[:10]
        uk_wide, cost, closes, last_reviewed, review_due, summary = values[10:]
        rows.append(
            OfferRow(
                id=pk,
                slug=slug,
                title=title,
                external_id=external_id,
                kind=kind,
                dimensions=tuple(dims),
                maturity_levels=tuple(levels),
                sizes=tuple(sizes),
                stages=tuple(stages),
                sic_sections=tuple(sectors),
                uk_wide=uk_wide,
                region_ids=regions.get(pk, ()),
                council_ids=councils.get(pk, ()),
                cost=cost,
                closes=closes,
                last_reviewed=last_reviewed,
                review_due=review_due,
                text=summary,
            )
        )
    return rows


def _yearly(value, start, end) -> float | None:
    if not value:
        return None
    value = float(value)
    if start and end and end > start:
        years = max((end - start).days / 365.25, 1.0)
        return value / years
    return value


def load_opportunity_rows() -> list[OpportunityRow]:
    """Every open opportunity, in three queries."""
    regions = _m2m(Opportunity, "regions", "opportunity_id", "region_id")
    councils = _m2m(Opportunity, "councils", "opportunity_id", "council_id")
    columns = (
        "pk",
        "public_id",
        "ocid",
        "title",
        "cpv_codes",
        "uk_wide",
        "deadline",
        "buyer_type",
        "sme_suitable",
        "value_max",
        "value_min",
        "contract_start",
        "contract_end",
    )
    rows = []
    for values in Opportunity.objects.filter(status=Status.OPEN).values_list(*columns):
        pk, public_id, ocid, title, cpv, uk_wide, deadline, buyer_type, sme = values[:9]
        value_max, value_min, start, end = values[9:]
        rows.append(
            OpportunityRow(
                id=pk,
                public_id=str(public_id),
                ocid=ocid or "",
                title=title,
                cpv_codes=tuple(cpv),
                uk_wide=uk_wide,
                region_ids=regions.get(pk, ()),
                council_ids=councils.get(pk, ()),
                deadline=deadline,
                public_buyer=buyer_type != BuyerType.PRIVATE,
                sme_suitable=sme,
                yearly_value=_yearly(value_max or value_min, start, end),
            )
        )
    return rows


def build_offers() -> OfferCandidates:
    return build_offer_candidates(load_offer_rows(), region_order=_region_order())


def build_opportunities() -> OpportunityCandidates:
    return build_opportunity_candidates(load_opportunity_rows(), region_order=_region_order())


_BUILDERS = {OFFERS: build_offers, OPPORTUNITIES: build_opportunities}


def _current(name: str):
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


def forget() -> None:
    """Drop what this process keeps (tests; a benchmark's cold path)."""
    for name in _kept:
        _kept[name] = _Kept()
