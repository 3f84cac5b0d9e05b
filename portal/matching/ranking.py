"""Ranking: which offers and opportunities fit a business, in what order, and why.

Pure functions over the compact candidates of portal/matching/records.py: eligibility
first (hard rules; an offer failing one is excluded, and the first rule it fails is its
reason), then a score (a weighted sum of components, weights in weights.py), then a
diversity re-rank of the top. Every recommendation carries structured reasons, a code
and its parameters, that templates turn into sentences. No ORM, no translation here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from portal.catalogue.eligibility import (
    LEVEL_BITS,
    RULE_LEVEL,
    RULE_OPEN,
    RULE_PLACE,
    RULE_REVIEW,
    RULE_SECTOR,
    RULE_SIZE,
    RULE_STAGE,
    RULES,
    SECTOR_BITS,
    SIZE_BITS,
    STAGE_BITS,
    in_place,
    in_set_or_open,
)
from portal.matching import weights
from portal.matching.columns import OfferCandidates, OpportunityCandidates
from portal.matching.records import (
    DIMENSIONS,
    FLAG_DIMENSIONS,
    FLAGS,
    KINDS,
    PLANS,
    Business,
    cpv_prefix,
)

DAY = 86_400.0
# Every set of dimensions as a row of 0/1 (row b: the dimensions of the bits of b).
PATTERNS = ((np.arange(1 << len(DIMENSIONS))[:, None] >> np.arange(len(DIMENSIONS))) & 1).astype(
    np.float64
)


@dataclass(frozen=True)
class Recommendation:
    position: int  # the row in the candidates
    id: int
    score: float
    kind: str
    reasons: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Ranking:
    items: tuple[Recommendation, ...]
    eligible: int
    excluded: dict[str, int] = field(default_factory=dict)  # rule → how many it excluded
    profile_only: bool = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


# --- Places -----------------------------------------------------------------------------


def _place_masks(candidates, business: Business, positions: np.ndarray | None = None):
    """(in the business's region, listed for its council) as boolean arrays, over every
    candidate or over ``positions``."""
    n = len(candidates)
    region_bit = candidates.region_bit.get(business.region_id, 0)
    region_bits = (
        candidates.region_bits if positions is None else candidates.region_bits[positions]
    )
    in_region = (region_bits & region_bit) != 0
    in_council = np.zeros(n, dtype=bool)
    listed = candidates.council_index.get(business.council_id)
    if listed is not None:
        in_council[listed] = True
    if positions is not None:
        in_council = in_council[positions]
    return in_region, in_council


def _place_scores(in_region, in_council) -> np.ndarray:
    return np.where(
        in_council,
        weights.PLACE_COUNCIL,
        np.where(in_region, weights.PLACE_REGION, weights.PLACE_UK),
    )


def _place_reason(position: int, business: Business, in_region, in_council) -> dict:
    if in_council[position]:
        return {"code": "where", "scope": "council", "place": business.council_name}
    if in_region[position]:
        return {"code": "where", "scope": "region", "place": business.region_name}
    return {"code": "where", "scope": "uk", "place": ""}


# --- Offers: eligibility ----------------------------------------------------------------


def _band_bits(business: Business) -> np.ndarray:
    return np.array(
        [LEVEL_BITS.get(business.bands.get(key, ""), 0) for key in DIMENSIONS], dtype=np.int64
    )


def offer_rule_masks(
    candidates: OfferCandidates, business: Business, today: date, places=None
) -> dict[str, np.ndarray]:
    """Each hard rule as a boolean array over the candidates (True: the offer passes);
    ``places`` is ``_place_masks``'s answer when the caller has it already."""
    day = today.toordinal()
    in_region, in_council = places or _place_masks(candidates, business)
    masks = {
        RULE_OPEN: candidates.closes >= day,
        RULE_REVIEW: candidates.review_due >= day - weights.OFFER_MAX_DAYS_OVERDUE,
        RULE_PLACE: in_place(candidates.uk_wide, in_region, in_council),
        RULE_SIZE: in_set_or_open(candidates.sizes, SIZE_BITS.get(business.size, 0)),
        RULE_STAGE: in_set_or_open(candidates.stages, STAGE_BITS.get(business.stage, 0)),
        RULE_SECTOR: in_set_or_open(candidates.sectors, SECTOR_BITS.get(business.sic_section, 0)),
    }
    if business.has_scores:
        # The business's band in at least one of the offer's dimensions is one it suits:
        # the bands of the offer's dimensions (by its dimensions' bits) against its levels.
        bands = np.bitwise_or.reduce(PATTERNS.astype(bool) * _band_bits(business), axis=1)
        level_ok = (candidates.levels & bands[candidates.dim_bits]) != 0
        masks[RULE_LEVEL] = (candidates.levels == 0) | level_ok
    else:
        masks[RULE_LEVEL] = np.ones(len(candidates), dtype=bool)
    return masks


def failing_rule(masks: dict[str, np.ndarray], position: int) -> str | None:
    """The first rule (in RULES order) that the offer at ``position`` fails."""
    for rule in RULES:
        if not masks[rule][position]:
            return rule
    return None


def _all_pass(masks: dict[str, np.ndarray], n: int) -> np.ndarray:
    eligible = np.ones(n, dtype=bool)
    for rule in RULES:
        eligible &= masks[rule]
    return eligible


def _excluded_counts(masks: dict[str, np.ndarray], n: int) -> dict[str, int]:
    """How many candidates each rule excluded, each counted at its first failing rule."""
    still_in = np.ones(n, dtype=bool)
    counts = {}
    for rule in RULES:
        failed = still_in & ~masks[rule]
        counts[rule] = int(failed.sum())
        still_in &= masks[rule]
    return counts


# --- Offers: score ----------------------------------------------------------------------


def gap_weights(business: Business) -> np.ndarray:
    """Each dimension's need, (100 − score) / 100, with flagged dimensions lifted to the top.
    Zero for a profile alone: no gap weighting without a diagnostic."""
    if not business.has_scores:
        return np.zeros(len(DIMENSIONS))
    gaps = np.array(
        [(100.0 - float(business.scores.get(key, 100.0))) / 100.0 for key in DIMENSIONS]
    )
    gaps = np.clip(gaps, 0.0, 1.0)
    for flag in business.flags:
        dimension = FLAG_DIMENSIONS.get(flag)
        if dimension in DIMENSIONS:
            gaps[DIMENSIONS.index(dimension)] = 1.0 + weights.FLAG_LIFT
    return gaps


def _kind_fit_table(business: Business, gaps: np.ndarray) -> np.ndarray:
    """(kinds + 1) × dimensions: the need in a dimension where the kind suits the business's
    band there (the last row, for an unknown kind, is all zero)."""
    table = np.zeros((len(KINDS) + 1, len(DIMENSIONS)))
    if not business.has_scores:
        return table
    for d, dimension in enumerate(DIMENSIONS):
        group = weights.BAND_GROUP.get(business.bands.get(dimension, ""))
        suited = weights.KIND_FIT.get(dimension, {}).get(group, set())
        for k, kind in enumerate(KINDS):
            if kind in suited:
                table[k, d] = min(gaps[d], 1.0)
    return table


def _plan_bits(business: Business) -> tuple[int, np.ndarray]:
    plan_mask = 0
    dims = np.zeros(len(DIMENSIONS))
    for i, plan in enumerate(PLANS):
        if plan in business.plans:
            plan_mask |= 1 << i
            for dimension in weights.PLAN_DIMENSIONS[plan]:
                dims[DIMENSIONS.index(dimension)] = 1.0
    return plan_mask, dims


def _flag_bits(business: Business) -> int:
    return sum(1 << i for i, flag in enumerate(FLAGS) if flag in business.flags)


def _gap_table(gaps: np.ndarray) -> np.ndarray:
    """The gap component for each set of dimensions (by its bits): a blend of the largest
    need among them and their mean."""
    weighted = PATTERNS * gaps[None, :]
    count = PATTERNS.sum(axis=1)
    top = weighted.max(axis=1)
    mean = np.divide(weighted.sum(axis=1), count, out=np.zeros(len(PATTERNS)), where=count > 0)
    return weights.GAP_TOP_SHARE * top + (1 - weights.GAP_TOP_SHARE) * mean


def offer_components(
    candidates: OfferCandidates,
    business: Business,
    today: date,
    positions: np.ndarray | None = None,
    places=None,
) -> dict[str, np.ndarray]:
    """Every score component in [0, 1] (the gap may reach 1 + FLAG_LIFT), per candidate,
    or per candidate at ``positions`` (the eligible ones: the rest are never scored);
    ``places``: ``_place_masks``'s answer over every candidate, when the caller has it.

    What depends on the offer's dimensions and kind only is worked out once for each of
    the 256 sets of dimensions and looked up by the offer's bits."""

    def take(values: np.ndarray) -> np.ndarray:
        return values if positions is None else values[positions]

    dim_bits = take(candidates.dim_bits)
    kind = take(candidates.kind)
    plan_words = take(candidates.plan_words)
    n = dim_bits.size
    gaps = gap_weights(business)
    coverage = _gap_table(gaps)[dim_bits]

    fit_table = _kind_fit_table(business, gaps)
    kind_rows = np.where(kind >= 0, kind, len(KINDS))
    kind_fit = (PATTERNS[None, :, :] * fit_table[:, None, :]).max(axis=2)[kind_rows, dim_bits]

    plan = np.zeros(n)
    for i, name in enumerate(PLANS):
        if name not in business.plans:
            continue
        wanted = sum(1 << DIMENSIONS.index(d) for d in weights.PLAN_DIMENSIONS[name])
        by_dimension = (dim_bits & wanted) != 0
        kind_serves = np.zeros(len(KINDS) + 1, dtype=bool)
        kind_serves[[KINDS.index(k) for k in weights.PLAN_KINDS[name]]] = True
        by_kind = by_dimension & kind_serves[kind_rows]
        by_words = (plan_words & (1 << i)) != 0
        plan = np.maximum(
            plan,
            weights.PLAN_BY_DIMENSION * by_dimension
            + weights.PLAN_BY_KIND * by_kind
            + weights.PLAN_BY_WORDS * by_words,
        )

    unplanned_bits = sum(
        1 << PLANS.index(name) for name in weights.SPECIALISED_PLANS if name not in business.plans
    )
    in_region, in_council = (
        (take(places[0]), take(places[1]))
        if places
        else _place_masks(candidates, business, positions)
    )
    day = today.toordinal()
    days_left = take(candidates.closes) - day
    closing = np.where(
        (days_left >= 0) & (days_left <= weights.CLOSING_SOON_DAYS),
        (weights.CLOSING_SOON_DAYS - days_left) / weights.CLOSING_SOON_DAYS,
        0.0,
    )
    return {
        "gap": coverage,
        "flag_fix": ((take(candidates.fixes) & _flag_bits(business)) != 0).astype(float),
        "kind_fit": kind_fit,
        "plan": plan,
        "unplanned": ((plan_words & unplanned_bits) != 0).astype(float),
        "place": _place_scores(in_region, in_council),
        "in_region": in_region,
        "in_council": in_council,
        "cost": take(candidates.cost),
        "closing": closing,
        "fresh": (take(candidates.last_reviewed) >= day - weights.FRESH_DAYS).astype(float),
    }


def offer_weights(business: Business) -> dict[str, float]:
    small = business.size in weights.SMALL_SIZES or business.stage in weights.SMALL_STAGES
    return {
        "gap": weights.W_GAP,
        "flag_fix": weights.W_FLAG_FIX,
        "kind_fit": weights.W_KIND_FIT,
        "plan": weights.W_PLAN,
        "unplanned": -weights.W_UNPLANNED,
        "place": weights.W_PLACE,
        "cost": weights.W_COST_SMALL if small else weights.W_COST_OTHER,
        "closing": weights.W_CLOSING,
        "fresh": weights.W_FRESH,
    }


def weighted_sum(components: dict[str, np.ndarray], weighting: dict[str, float]) -> np.ndarray:
    total = None
    for name, weight in weighting.items():
        part = weight * components[name]
        total = part if total is None else total + part
    return total


# --- Diversity --------------------------------------------------------------------------


def diversify(order: list[int], scores, kinds, *, limit: int) -> list[int]:
    """Re-rank the best-first ``order``: within the top DIVERSE_TOP, never a third of one
    kind in a row while one of another kind scores within DIVERSITY_TOLERANCE of it."""
    pool = list(order)
    chosen: list[int] = []
    while pool and len(chosen) < limit:
        best = pool[0]
        pick = best
        if (
            len(chosen) >= 2
            and len(chosen) < weights.DIVERSE_TOP
            and kinds[chosen[-1]] == kinds[chosen[-2]] == kinds[best]
        ):
            floor = scores[best] - abs(scores[best]) * weights.DIVERSITY_TOLERANCE
            for other in pool[1:]:
                if scores[other] < floor:
                    break
                if kinds[other] != kinds[best]:
                    pick = other
                    break
        pool.remove(pick)
        chosen.append(pick)
    return chosen


def _best_first(scores: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """The indices of the best ``count`` scores, highest first, ties by id (so the order
    never depends on the order the candidates were loaded in). Only the scores that can
    be in the top ``count`` (those at least the count-th best) are sorted."""
    if count < scores.size:
        floor = np.partition(scores, scores.size - count)[scores.size - count]
        contenders = np.flatnonzero(scores >= floor)
    else:
        contenders = np.arange(scores.size)
    order = np.lexsort((ids[contenders], -scores[contenders]))
    return contenders[order[:count]]


# --- Offers: the ranking ----------------------------------------------------------------


def rank_offers(
    candidates: OfferCandidates,
    business: Business,
    *,
    today: date,
    limit: int = 20,
    kinds: frozenset[str] | None = None,
    dimensions: frozenset[str] | None = None,
) -> Ranking:
    """The best ``limit`` eligible offers for the business, with their reasons.

    ``kinds`` and ``dimensions`` narrow the list (the "Recommended for you" filters) after
    ranking, so an offer keeps the same score whatever the filter."""
    n = len(candidates)
    places = _place_masks(candidates, business)
    masks = offer_rule_masks(candidates, business, today, places)
    eligible = _all_pass(masks, n)
    if kinds is not None:
        eligible &= np.isin(candidates.kind, [KINDS.index(k) for k in kinds if k in KINDS])
    if dimensions is not None:
        wanted = sum(1 << DIMENSIONS.index(d) for d in dimensions if d in DIMENSIONS)
        eligible &= (candidates.dim_bits & wanted) != 0
    positions = np.flatnonzero(eligible)
    # From here on, index i is the eligible candidate at positions[i].
    components = offer_components(candidates, business, today, positions, places)
    scores = weighted_sum(components, offer_weights(business))
    ids = candidates.ids[positions]
    head = _best_first(scores, ids, limit + 3 * weights.DIVERSE_TOP).tolist()
    chosen = diversify(head, scores, candidates.kind[positions], limit=limit)
    items = tuple(
        Recommendation(
            position=int(positions[i]),
            id=int(ids[i]),
            score=round(float(scores[i]), 4),
            kind=candidates.rows[positions[i]].kind,
            reasons=offer_reasons(candidates, int(positions[i]), business, today, components, i),
        )
        for i in chosen
    )
    return Ranking(
        items=items,
        eligible=int(positions.size),
        excluded=_excluded_counts(masks, n),
        profile_only=not business.has_scores,
    )


def offer_reasons(
    candidates: OfferCandidates,
    position: int,
    business: Business,
    today: date,
    components: dict[str, np.ndarray],
    index: int | None = None,
) -> tuple[dict, ...]:
    """The reasons for the offer at ``position``; ``index`` is its place in
    ``components`` when they were worked out for some positions only."""
    row = candidates.rows[position]
    at = position if index is None else index
    reasons: list[dict] = []
    place = _place_reason(at, business, components["in_region"], components["in_council"])
    reasons.append({"code": "eligible", "size": business.size, **_without_code(place)})
    for i, flag in enumerate(FLAGS):
        if flag in business.flags and candidates.fixes[position] & (1 << i):
            reasons.append({"code": "fixes_flag", "flag": flag})
    if business.has_scores:
        need = [
            (float(business.scores.get(d, 100.0)), d) for d in row.dimensions if d in DIMENSIONS
        ]
        if need:
            score, dimension = min(need)
            code = "builds_weakest" if dimension == business.weakest else "builds_dimension"
            if code == "builds_weakest" or score <= 75:
                reasons.append({"code": code, "dimension": dimension, "score": round(score)})
        if need and components["kind_fit"][at] > 0:
            reasons.append(
                {
                    "code": "suits_band",
                    "kind": row.kind,
                    "dimension": dimension,
                    "band": business.bands.get(dimension, ""),
                }
            )
        if row.maturity_levels:
            reasons.append({"code": "suits_level", "levels": list(row.maturity_levels)})
    elif row.maturity_levels:
        reasons.append({"code": "level_unknown", "levels": list(row.maturity_levels)})
    for i, plan in enumerate(PLANS):
        if plan not in business.plans:
            continue
        by_dimension = any(d in weights.PLAN_DIMENSIONS[plan] for d in row.dimensions)
        if by_dimension or candidates.plan_words[position] & (1 << i):
            reasons.append({"code": "plan", "plan": plan})
    if row.cost in ("free", "subsidised"):
        reasons.append({"code": row.cost})
    if row.closes is not None:
        days = row.closes.toordinal() - today.toordinal()
        if 0 <= days <= weights.CLOSING_SOON_DAYS:
            reasons.append({"code": "closes_in", "days": days})
    if components["fresh"][at]:
        reasons.append({"code": "recently_reviewed"})
    return tuple(reasons)


def _without_code(reason: dict) -> dict:
    return {key: value for key, value in reason.items() if key != "code"}


# --- Opportunities ----------------------------------------------------------------------


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
    ``matches`` and ``places`` are ``_matches``'s and ``_place_masks``'s answers, when the
    caller has them already."""

    def take(values: np.ndarray) -> np.ndarray:
        return values if positions is None else values[positions]

    supplies, matched, keys, sector = matches or _matches(candidates, business)
    code_set = take(candidates.code_set)
    public_buyer = take(candidates.public_buyer)
    n = public_buyer.size
    in_region, in_council = (
        (take(places[0]), take(places[1]))
        if places
        else _place_masks(candidates, business, positions)
    )
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
        "place": _place_scores(in_region, in_council),
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
    in_region, in_council = places or _place_masks(candidates, business)
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
    places = _place_masks(candidates, business)
    masks = opportunity_rule_masks(candidates, business, now, places)
    eligible = np.ones(n, dtype=bool)
    for mask in masks.values():
        eligible &= mask
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
    items = tuple(
        Recommendation(
            position=int(positions[i]),
            id=int(ids[i]),
            score=round(float(scores[i]), 4),
            kind="opportunity",
            reasons=opportunity_reasons(
                candidates, int(positions[i]), business, now, components, i
            ),
        )
        for i in _best_first(scores, ids, limit).tolist()
    )
    excluded = Counter()
    still_in = np.ones(n, dtype=bool)
    for rule, mask in masks.items():
        excluded[rule] = int((still_in & ~mask).sum())
        still_in &= mask
    return Ranking(
        items=items,
        eligible=int(positions.size),
        excluded=dict(excluded),
        profile_only=not business.has_scores,
    )


def opportunity_reasons(
    candidates: OpportunityCandidates,
    position: int,
    business: Business,
    now: datetime,
    components: dict[str, np.ndarray],
    index: int | None = None,
) -> tuple[dict, ...]:
    """The reasons for the opportunity at ``position``; ``index`` is its place in
    ``components`` when they were worked out for some positions only."""
    row = candidates.rows[position]
    at = position if index is None else index
    reasons: list[dict] = []
    matched = components["matched"][at]
    if matched:
        reasons.append({"code": "supplies", "cpv": matched})
    elif components["sector"][at]:
        reasons.append({"code": "sector", "sector": business.sic_section})
    reasons.append(_place_reason(at, business, components["in_region"], components["in_council"]))
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
