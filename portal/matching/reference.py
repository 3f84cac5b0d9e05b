"""The same ranking as portal/matching/ranking/, written as a plain Python loop over the
candidate rows: the reference the tests check the vectorised ranking against, and the
figure the matching benchmark prints beside it (``python_loop_p95_ms``).

Same rules (portal/catalogue/eligibility.py's bit tests, on ints here), same components,
same weights; only the scores are compared, not the reasons.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.catalogue.eligibility import (
    LEVEL_BITS,
    SECTOR_BITS,
    SIZE_BITS,
    STAGE_BITS,
    bits,
    in_place,
    in_set_or_open,
)
from portal.matching import weights
from portal.matching.columns import OfferCandidates, OpportunityCandidates
from portal.matching.ranking.common import DAY, diversify
from portal.matching.ranking.offers import flag_bits, gap_weights, kind_fit_table, offer_weights
from portal.matching.ranking.opportunities import OPPORTUNITY_WEIGHTS
from portal.matching.records import (
    DIMENSIONS,
    FLAG_DIMENSIONS,
    KINDS,
    NEVER,
    Business,
    cpv_prefix,
    flag_fixes,
)


def _place(row, business: Business):
    in_region = business.region_id is not None and business.region_id in row.region_ids
    in_council = business.council_id is not None and business.council_id in row.council_ids
    return in_region, in_council


def offer_score(row, business: Business, today: date) -> float | None:
    """The offer's score, or None when a hard rule excludes it."""
    day = today.toordinal()
    closes = row.closes.toordinal() if row.closes else NEVER
    review_due = row.review_due.toordinal() if row.review_due else NEVER
    in_region, in_council = _place(row, business)
    if closes < day or review_due < day - weights.OFFER_MAX_DAYS_OVERDUE:
        return None
    if not in_place(row.uk_wide, in_region, in_council):
        return None
    for values, table, value in (
        (row.sizes, SIZE_BITS, business.size),
        (row.stages, STAGE_BITS, business.stage),
        (row.sic_sections, SECTOR_BITS, business.sic_section),
    ):
        if not in_set_or_open(bits(values, table), table.get(value, 0)):
            return None
    levels = bits(row.maturity_levels, LEVEL_BITS)
    bands = [LEVEL_BITS.get(business.bands.get(d, ""), 0) for d in row.dimensions]
    if business.has_scores and levels and not any(levels & band for band in bands):
        return None

    gaps = dict(zip(DIMENSIONS, gap_weights(business).tolist(), strict=True))
    needs = [gaps[d] for d in row.dimensions if d in gaps]
    coverage = 0.0
    if needs:
        coverage = weights.GAP_TOP_SHARE * max(needs) + (1 - weights.GAP_TOP_SHARE) * (
            sum(needs) / len(needs)
        )
    table = kind_fit_table(business, gap_weights(business))
    kind = KINDS.index(row.kind) if row.kind in KINDS else len(KINDS)
    kind_fit = max(
        (table[kind][DIMENSIONS.index(d)] for d in row.dimensions if d in DIMENSIONS),
        default=0.0,
    )
    text = f"{row.title} {row.text}".lower()
    plan = 0.0
    for name in weights.PLAN_DIMENSIONS:
        if name not in business.plans:
            continue
        by_dimension = any(d in weights.PLAN_DIMENSIONS[name] for d in row.dimensions)
        by_kind = by_dimension and row.kind in weights.PLAN_KINDS[name]
        by_words = any(w in text for w in weights.PLAN_WORDS[name])
        plan = max(
            plan,
            weights.PLAN_BY_DIMENSION * by_dimension
            + weights.PLAN_BY_KIND * by_kind
            + weights.PLAN_BY_WORDS * by_words,
        )
    unplanned = any(
        name not in business.plans and any(w in text for w in weights.PLAN_WORDS[name])
        for name in weights.SPECIALISED_PLANS
    )
    fixes = flag_fixes(row, FLAG_DIMENSIONS) & flag_bits(business)
    days_left = closes - day
    closing = 0.0
    if 0 <= days_left <= weights.CLOSING_SOON_DAYS:
        closing = (weights.CLOSING_SOON_DAYS - days_left) / weights.CLOSING_SOON_DAYS
    reviewed = row.last_reviewed.toordinal() if row.last_reviewed else 0
    components = {
        "gap": coverage,
        "flag_fix": 1.0 if fixes else 0.0,
        "kind_fit": kind_fit,
        "plan": plan,
        "unplanned": 1.0 if unplanned else 0.0,
        "place": weights.PLACE_COUNCIL
        if in_council
        else (weights.PLACE_REGION if in_region else weights.PLACE_UK),
        "cost": weights.COST_VALUE.get(row.cost, 0.0),
        "closing": closing,
        "fresh": 1.0 if reviewed >= day - weights.FRESH_DAYS else 0.0,
    }
    weighting = offer_weights(business)
    return sum(weighting[name] * value for name, value in components.items())


def rank_offers(
    candidates: OfferCandidates, business: Business, *, today: date, limit: int = 20
) -> list[tuple[int, float]]:
    """(offer id, score), best first, after the same diversity re-rank."""
    scored = []
    for position, row in enumerate(candidates.rows):
        value = offer_score(row, business, today)
        if value is not None:
            scored.append((position, value))
    scored.sort(key=lambda pair: (-pair[1], candidates.rows[pair[0]].id))
    scores = dict(scored)
    kinds = {position: KINDS.index(candidates.rows[position].kind) for position, _ in scored}
    head = [position for position, _ in scored[: limit + 3 * weights.DIVERSE_TOP]]
    chosen = diversify(head, scores, kinds, limit=limit)
    return [(candidates.rows[p].id, scores[p]) for p in chosen]


def opportunity_score(row, business: Business, now: datetime) -> float | None:
    deadline = row.deadline.timestamp() if row.deadline else float("inf")
    if deadline < now.timestamp() + weights.OPPORTUNITY_MIN_DAYS_LEFT * DAY:
        return None
    in_region, in_council = _place(row, business)
    if not in_place(row.uk_wide, in_region, in_council):
        return None
    prefixes = [cpv_prefix(code) for code in row.cpv_codes]
    supplies = 0.0
    for supply in business.supplies:
        wanted = cpv_prefix(supply)
        for prefix in prefixes:
            if prefix.startswith(wanted):
                supplies = max(supplies, weights.SUPPLIES_EXACT)
            elif len(wanted) > 3 and prefix.startswith(wanted[:3]):
                supplies = max(supplies, weights.SUPPLIES_GROUP)
            elif len(wanted) > 2 and prefix.startswith(wanted[:2]):
                supplies = max(supplies, weights.SUPPLIES_DIVISION)
    divisions = weights.SECTOR_DIVISIONS.get(business.sic_section, ())
    sector = 1.0 if any(p.startswith(divisions) for p in prefixes) and divisions else 0.0
    if (business.supplies or business.sic_section) and not (supplies or sector):
        return None
    top = business.turnover_top
    too_large = top is not None and row.yearly_value is not None and row.yearly_value > top / 2
    trade = float(business.scores.get("trade", 0.0)) / 100 if business.has_scores else 0.0
    it_contract = any(p[:2] in weights.CYBER_ESSENTIALS_DIVISIONS for p in prefixes)
    no_ce = "no_cyber_essentials_for_public_contracts" in business.flags
    days_left = (deadline - now.timestamp()) / DAY
    components = {
        "supplies": supplies,
        "sector": sector,
        "place": weights.PLACE_COUNCIL
        if in_council
        else (weights.PLACE_REGION if in_region else weights.PLACE_UK),
        "sme": ({True: 1.0, False: -1.0}.get(row.sme_suitable, 0.0) if business.is_sme else 0.0),
        "value_too_large": 1.0 if too_large else 0.0,
        "readiness": trade if row.public_buyer else 0.0,
        "no_cyber_essentials": 1.0 if (no_ce and it_contract and row.public_buyer) else 0.0,
        "closing": min(max((14 - days_left) / 14, 0.0), 1.0) if days_left <= 14 else 0.0,
        "bid_plan": 1.0
        if ("bid_public_contracts" in business.plans and row.public_buyer)
        else 0.0,
    }
    return sum(OPPORTUNITY_WEIGHTS[name] * value for name, value in components.items())


def rank_opportunities(
    candidates: OpportunityCandidates, business: Business, *, now: datetime, limit: int = 20
) -> list[tuple[int, float]]:
    scored = []
    for row in candidates.rows:
        value = opportunity_score(row, business, now)
        if value is not None:
            scored.append((row.id, value))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
