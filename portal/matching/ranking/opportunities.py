"""Ranking contract opportunities: open ones in the business's place, matched on what it
supplies (CPV codes) or its sector, scored and explained."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from portal.catalogue.eligibility import RULE_PLACE, in_place
from portal.matching import weights
from portal.matching.columns import OpportunityCandidates
from portal.matching.ranking.common import (
    DAY,
    Ranking,
    all_pass,
    best_first,
    excluded_counts,
    ranking_of,
    weighted_sum,
)
from portal.matching.ranking.places import place_masks, place_reason, place_scores, places_at
from portal.matching.records import Business, OpportunityRow, cpv_prefix


def _supplies_match(candidates: OpportunityCandidates, business: Business):
    """Per set of codes (``candidates.code_set``): the score in [0, 1], the code of the
    prefix that matched (−1 for none); and the prefixes by code. An opportunity under
    several prefixes gets the best value, and of the prefixes with that value the first
    the business gave."""
    levels = (
        (weights.SUPPLIES_DIVISION, 2),
        (weights.SUPPLIES_GROUP, 3),
        (weights.SUPPLIES_EXACT, None),
    )
    keys: list[tuple[float, int, str]] = []
    for supply in business.supplies:
        prefix = cpv_prefix(supply)
        for value, length in levels:
            key = prefix if length is None else prefix[:length]
            if length is not None and len(prefix) <= length:
                continue  # the division or group itself: counted as exact below
            if value > 0:  # (no better than no match at all)
                keys.append((value, len(keys), key))
    score = np.zeros(candidates.set_count)
    matched = np.full(candidates.set_count, -1, dtype=np.int16)
    # Written worst first, and of equal values the first given last, so what stays for
    # each set is the best value and, of those, the first given.
    for value, code, key in sorted(keys, key=lambda item: (item[0], -item[1])):
        sets = candidates.sets_under(key)
        score[sets] = value
        matched[sets] = code
    return score, matched, [key for _value, _code, key in keys]


def _sector_match(candidates: OpportunityCandidates, business: Business) -> np.ndarray:
    """Per set of codes: 1 when a code is in a division the business's sector supplies."""
    match = np.zeros(candidates.set_count)
    for division in weights.SECTOR_DIVISIONS.get(business.sic_section, ()):
        match[candidates.sets_under(division)] = 1.0
    return match


def _matches(candidates: OpportunityCandidates, business: Business):
    """What the business supplies and its sector against each set of codes."""
    return (*_supplies_match(candidates, business), _sector_match(candidates, business))


def opportunity_components(
    candidates: OpportunityCandidates,
    business: Business,
    now: datetime,
    positions: np.ndarray | None = None,
    matches=None,
    places=None,
) -> dict[str, np.ndarray]:
    """Every score component per candidate, or per candidate at ``positions``;
    ``matches`` and ``places`` are ``_matches``'s and ``place_masks``'s answers, when the
    caller has them already."""

    def take(values: np.ndarray) -> np.ndarray:
        return values if positions is None else values[positions]

    supplies, matched, keys, sector = matches or _matches(candidates, business)
    code_set = take(candidates.code_set)
    public_buyer = take(candidates.public_buyer)
    n = public_buyer.size
    in_region, in_council = places_at(candidates, business, positions, places)
    sme = take(candidates.sme).astype(float) if business.is_sme else np.zeros(n)
    top = business.turnover_top
    if top is None:
        too_large = np.zeros(n)
    else:
        with np.errstate(invalid="ignore"):
            too_large = (take(candidates.yearly_value) > top / 2).astype(float)
    trade = float(business.scores.get("trade", 0.0)) / 100 if business.has_scores else 0.0
    no_ce = "no_cyber_essentials_for_public_contracts" in business.flags
    days_left = (take(candidates.deadline) - now.timestamp()) / DAY
    closing = np.where(days_left <= 14, np.clip((14 - days_left) / 14, 0, 1), 0.0)
    bids = "bid_public_contracts" in business.plans
    return {
        "supplies": supplies[code_set],
        "matched": np.array(["", *keys], dtype=object)[matched[code_set] + 1],
        "sector": sector[code_set],
        "place": place_scores(in_region, in_council),
        "in_region": in_region,
        "in_council": in_council,
        "sme": sme,
        "value_too_large": too_large,
        "readiness": public_buyer * trade,
        "no_cyber_essentials": (
            (take(candidates.it_contract) & public_buyer).astype(float) if no_ce else np.zeros(n)
        ),
        "closing": closing,
        "bid_plan": public_buyer.astype(float) if bids else np.zeros(n),
    }


OPPORTUNITY_WEIGHTS = {
    "supplies": weights.W_SUPPLIES,
    "sector": weights.W_SECTOR,
    "place": weights.W_OPPORTUNITY_PLACE,
    "sme": weights.W_SME,
    "value_too_large": -weights.W_VALUE_TOO_LARGE,
    "readiness": weights.W_READINESS,
    "no_cyber_essentials": -weights.W_NO_CYBER_ESSENTIALS,
    "closing": weights.W_OPPORTUNITY_CLOSING,
    "bid_plan": weights.W_BID_PLAN,
}


def opportunity_rule_masks(
    candidates: OpportunityCandidates, business: Business, now: datetime, places=None
) -> dict[str, np.ndarray]:
    in_region, in_council = places or place_masks(candidates, business)
    return {
        "closing_too_soon": candidates.deadline
        >= now.timestamp() + weights.OPPORTUNITY_MIN_DAYS_LEFT * DAY,
        RULE_PLACE: in_place(candidates.uk_wide, in_region, in_council),
    }


def rank_opportunities(
    candidates: OpportunityCandidates,
    business: Business,
    *,
    now: datetime,
    limit: int = 20,
) -> Ranking:
    """The best ``limit`` open opportunities in the business's place. When the business
    said what it supplies, or its sector, only those that match one of them are listed."""
    n = len(candidates)
    places = place_masks(candidates, business)
    masks = opportunity_rule_masks(candidates, business, now, places)
    eligible = all_pass(masks, tuple(masks), n)
    positions = np.flatnonzero(eligible)
    matches = _matches(candidates, business)
    if business.supplies or business.sic_section:
        supplies, _matched, _keys, sector = matches
        matching = (supplies > 0) | (sector > 0)
        positions = positions[matching[candidates.code_set[positions]]]
    # From here on, index i is the eligible candidate at positions[i].
    components = opportunity_components(candidates, business, now, positions, matches, places)
    scores = weighted_sum(components, OPPORTUNITY_WEIGHTS)
    ids = candidates.ids[positions]
    return ranking_of(
        best_first(scores, ids, limit).tolist(),
        positions,
        ids,
        scores,
        kind_of=lambda _position: "opportunity",
        reasons_of=lambda position, i: opportunity_reasons(
            candidates.rows[position], business, now, components, i
        ),
        excluded=excluded_counts(masks, tuple(masks), n),
        business=business,
    )


def opportunity_reasons(
    row: OpportunityRow, business: Business, now: datetime, components: dict, at: int
) -> tuple[dict, ...]:
    """The reasons for the opportunity ``row``, at index ``at`` of ``components``."""
    reasons: list[dict] = []
    matched = components["matched"][at]
    if matched:
        reasons.append({"code": "supplies", "cpv": matched})
    elif components["sector"][at]:
        reasons.append({"code": "sector", "sector": business.sic_section})
    reasons.append(place_reason(at, business, components["in_region"], components["in_council"]))
    if business.is_sme and row.sme_suitable is True:
        reasons.append({"code": "suitable_for_sme"})
    elif business.is_sme and row.sme_suitable is False:
        reasons.append({"code": "not_suitable_for_sme"})
    if components["value_too_large"][at]:
        reasons.append(
            {
                "code": "value_above_turnover",
                "yearly_value": round(float(row.yearly_value)),
                "turnover": business.turnover,
            }
        )
    if components["no_cyber_essentials"][at]:
        reasons.append({"code": "cyber_essentials_usually_required"})
    if row.deadline is not None:
        days = int((row.deadline.timestamp() - now.timestamp()) // DAY)
        reasons.append({"code": "closes_in", "days": days})
    return tuple(reasons)
