"""Ranking offers: the hard rules (an offer failing one is excluded, and the first rule it
fails is its reason), the score's components and weights, and the reasons."""

from __future__ import annotations

from datetime import date

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
from portal.matching.columns import OfferCandidates
from portal.matching.ranking.common import (
    PATTERNS,
    Ranking,
    all_pass,
    best_first,
    diversify,
    excluded_counts,
    ranking_of,
    weighted_sum,
)
from portal.matching.ranking.places import place_masks, place_reason, place_scores, places_at
from portal.matching.records import DIMENSIONS, FLAG_DIMENSIONS, FLAGS, KINDS, PLANS, Business


def _band_bits(business: Business) -> np.ndarray:
    return np.array(
        [LEVEL_BITS.get(business.bands.get(key, ""), 0) for key in DIMENSIONS], dtype=np.int64
    )


def offer_rule_masks(
    candidates: OfferCandidates, business: Business, today: date, places=None
) -> dict[str, np.ndarray]:
    """Each hard rule as a boolean array over the candidates (True: the offer passes);
    ``places`` is ``place_masks``'s answer when the caller has it already."""
    day = today.toordinal()
    in_region, in_council = places or place_masks(candidates, business)
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


def kind_fit_table(business: Business, gaps: np.ndarray) -> np.ndarray:
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


def flag_bits(business: Business) -> int:
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
    ``places``: ``place_masks``'s answer over every candidate, when the caller has it.

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

    fit_table = kind_fit_table(business, gaps)
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
    in_region, in_council = places_at(candidates, business, positions, places)
    day = today.toordinal()
    days_left = take(candidates.closes) - day
    closing = np.where(
        (days_left >= 0) & (days_left <= weights.CLOSING_SOON_DAYS),
        (weights.CLOSING_SOON_DAYS - days_left) / weights.CLOSING_SOON_DAYS,
        0.0,
    )
    return {
        "gap": coverage,
        "flag_fix": ((take(candidates.fixes) & flag_bits(business)) != 0).astype(float),
        "kind_fit": kind_fit,
        "plan": plan,
        "unplanned": ((plan_words & unplanned_bits) != 0).astype(float),
        "place": place_scores(in_region, in_council),
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
    places = place_masks(candidates, business)
    masks = offer_rule_masks(candidates, business, today, places)
    eligible = all_pass(masks, RULES, n)
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
    head = best_first(scores, ids, limit + 3 * weights.DIVERSE_TOP).tolist()
    chosen = diversify(head, scores, candidates.kind[positions], limit=limit)
    return ranking_of(
        chosen,
        positions,
        ids,
        scores,
        kind_of=lambda position: candidates.rows[position].kind,
        reasons_of=lambda position, i: offer_reasons(
            candidates, position, business, today, components, i
        ),
        excluded=excluded_counts(masks, RULES, n),
        business=business,
    )


def offer_reasons(
    candidates: OfferCandidates,
    position: int,
    business: Business,
    today: date,
    components: dict[str, np.ndarray],
    at: int,
) -> tuple[dict, ...]:
    """The reasons for the offer at ``position``, at index ``at`` of ``components``."""
    row = candidates.rows[position]
    reasons: list[dict] = []
    place = place_reason(at, business, components["in_region"], components["in_council"])
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
