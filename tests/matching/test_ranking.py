"""The ranking on plain data: every eligibility rule and score component, no database."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from portal.matching import weights
from portal.matching.columns import build_offer_candidates, build_opportunity_candidates
from portal.matching.ranking.common import diversify
from portal.matching.ranking.offers import offer_components, rank_offers
from portal.matching.ranking.opportunities import rank_opportunities
from portal.matching.records import Business, OfferRow, OpportunityRow

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
NORTH_EAST, NORTH_WEST, WALES = 1, 2, 10
GATESHEAD, NEWCASTLE, MANCHESTER = 101, 102, 201
REGIONS = (NORTH_EAST, NORTH_WEST, WALES)
_ids = count(1)

GATESHEAD_MICRO = {
    "council_id": GATESHEAD,
    "council_name": "Gateshead",
    "region_id": NORTH_EAST,
    "region_name": "North East",
    "size": "micro",
    "stage": "growing",
    "sic_section": "J",
}
EVEN = dict.fromkeys(
    ("strategy", "skills", "adoption", "data", "cyber", "innovation", "finance", "trade"), 60.0
)


def offer(**fields) -> OfferRow:
    identifier = next(_ids)
    values = {
        "id": identifier,
        "slug": f"offer-{identifier}",
        "title": f"Offer {identifier}",
        "external_id": "",
        "kind": "advice_and_mentoring",
        "dimensions": ("strategy",),
        "uk_wide": True,
        "cost": "paid",
        "last_reviewed": TODAY - timedelta(days=300),
        "review_due": TODAY + timedelta(days=30),
    }
    values.update(fields)
    return OfferRow(**values)


def business(scores=None, **fields) -> Business:
    return Business(**{**GATESHEAD_MICRO, **fields}, scores=scores)


def ranked(rows, who, **options):
    candidates = build_offer_candidates(rows, region_order=REGIONS)
    return rank_offers(candidates, who, today=TODAY, **options)


def ids(ranking):
    return [item.id for item in ranking]


# --- Eligibility rules ------------------------------------------------------------------


def test_gateshead_sees_north_east_and_uk_wide_offers_but_not_north_west_ones():
    north_east = offer(uk_wide=False, region_ids=(NORTH_EAST,))
    gateshead = offer(uk_wide=False, council_ids=(GATESHEAD,))
    uk = offer(uk_wide=True)
    north_west = offer(uk_wide=False, region_ids=(NORTH_WEST,))
    manchester = offer(uk_wide=False, council_ids=(MANCHESTER,))
    newcastle = offer(uk_wide=False, council_ids=(NEWCASTLE,))
    ranking = ranked([north_east, gateshead, uk, north_west, manchester, newcastle], business())
    assert set(ids(ranking)) == {north_east.id, gateshead.id, uk.id}
    assert ranking.excluded["place"] == 3


def test_an_unknown_place_sees_only_uk_wide_offers():
    local = offer(uk_wide=False, region_ids=(NORTH_EAST,))
    uk = offer()
    assert ids(ranked([local, uk], business(council_id=None, region_id=None))) == [uk.id]


def test_a_pre_start_business_never_sees_established_only_offers():
    established_only = offer(stages=("established",))
    any_stage = offer()
    ranking = ranked([established_only, any_stage], business(stage="pre_start"))
    assert ids(ranking) == [any_stage.id]
    assert ranking.excluded["stage"] == 1


@pytest.mark.parametrize(
    ("field", "value", "business_field", "fits", "misfits"),
    [
        ("sizes", ("micro",), "size", "micro", "medium"),
        ("sic_sections", ("J",), "sic_section", "J", "F"),
        ("stages", ("growing", "scaling"), "stage", "scaling", "start_up"),
    ],
)
def test_size_stage_and_sector_rules(field, value, business_field, fits, misfits):
    restricted = offer(**{field: value})
    assert ids(ranked([restricted], business(**{business_field: fits}))) == [restricted.id]
    assert ids(ranked([restricted], business(**{business_field: misfits}))) == []
    # Not told: only offers open to everyone.
    assert ids(ranked([restricted], business(**{business_field: ""}))) == []


def test_an_expired_offer_never_appears():
    expired = offer(closes=TODAY - timedelta(days=1))
    closes_today = offer(closes=TODAY)
    ranking = ranked([expired, closes_today], business(EVEN))
    assert ids(ranking) == [closes_today.id]
    assert ranking.excluded["closed"] == 1


def test_an_offer_long_overdue_for_review_is_not_recommended():
    stale = offer(review_due=TODAY - timedelta(days=weights.OFFER_MAX_DAYS_OVERDUE + 1))
    late = offer(review_due=TODAY - timedelta(days=weights.OFFER_MAX_DAYS_OVERDUE))
    assert ids(ranked([stale, late], business())) == [late.id]


def test_maturity_level_rule_uses_the_band_in_the_offers_dimensions():
    for_starters = offer(dimensions=("data",), maturity_levels=("starting", "developing"))
    weak_data = {**EVEN, "data": 20.0}
    strong_data = {**EVEN, "data": 90.0}
    assert ids(ranked([for_starters], business(weak_data))) == [for_starters.id]
    strong = ranked([for_starters], business(strong_data))
    assert ids(strong) == [] and strong.excluded["maturity_level"] == 1


def test_profile_only_passes_the_level_rule_and_says_the_level_is_unknown():
    for_starters = offer(dimensions=("data",), maturity_levels=("starting",))
    ranking = ranked([for_starters], business())
    assert ranking.profile_only
    assert {"code": "level_unknown", "levels": ["starting"]} in ranking.items[0].reasons


# --- Score components -------------------------------------------------------------------


def test_a_weaker_data_score_raises_data_offers():
    data = offer(dimensions=("data",))
    strategy = offer(dimensions=("strategy",))
    weak_data = ranked([data, strategy], business({**EVEN, "data": 20.0}))
    weak_strategy = ranked([data, strategy], business({**EVEN, "strategy": 20.0}))
    assert ids(weak_data)[0] == data.id
    assert ids(weak_strategy)[0] == strategy.id
    assert {"code": "builds_weakest", "dimension": "data", "score": 20} in (
        weak_data.items[0].reasons
    )


def test_a_focused_offer_beats_one_listing_every_dimension_for_the_same_top_gap():
    focused = offer(dimensions=("data",))
    generic = offer(dimensions=tuple(EVEN))
    ranking = ranked([generic, focused], business({**EVEN, "data": 10.0, "cyber": 90.0}))
    assert ids(ranking) == [focused.id, generic.id]


def test_the_no_offsite_backup_flag_puts_a_cyber_offer_in_the_top_3():
    others = [offer(dimensions=(d,), kind="grant") for d in EVEN if d != "cyber" for _ in range(3)]
    cyber = offer(
        dimensions=("cyber",), title="Cyber resilience centre: free backup and ransomware advice"
    )
    scores = {**EVEN, "cyber": 70.0, "finance": 30.0, "trade": 35.0, "data": 40.0}
    who = Business(**GATESHEAD_MICRO, scores=scores, flags=frozenset({"no_offsite_backup"}))
    ranking = ranked([*others, cyber], who)
    assert cyber.id in ids(ranking)[:3]
    assert {"code": "fixes_flag", "flag": "no_offsite_backup"} in ranking.items[
        ids(ranking).index(cyber.id)
    ].reasons


def test_bidding_for_public_contracts_without_cyber_essentials_gets_ce_support_in_top_5():
    cyber_essentials = offer(
        dimensions=("cyber",), kind="voucher", title="Funded Cyber Essentials certification"
    )
    noise = [
        offer(dimensions=(d,), kind=k)
        for d in ("trade", "finance", "data", "cyber")
        for k in ("grant", "training_course", "event")
    ]
    who = Business(
        **GATESHEAD_MICRO,
        scores={**EVEN, "trade": 30.0, "finance": 25.0},
        plans=frozenset({"bid_public_contracts"}),
        flags=frozenset({"no_cyber_essentials_for_public_contracts"}),
    )
    assert cyber_essentials.id in ids(ranked([*noise, cyber_essentials], who))[:5]


def test_plans_lift_the_offers_that_serve_them():
    finance_advice = offer(dimensions=("finance",), kind="advice_and_mentoring")
    loan = offer(dimensions=("finance",), kind="loan")
    innovation = offer(dimensions=("innovation",))
    plain = business(EVEN)
    raising = Business(**GATESHEAD_MICRO, scores=EVEN, plans=frozenset({"raise_finance"}))
    before = {i.id: i.score for i in ranked([innovation, loan, finance_advice], plain)}
    after = {i.id: i.score for i in ranked([innovation, loan, finance_advice], raising)}
    # The plan's dimension lifts both finance offers, the kind that serves the plan
    # outright (a loan) a little more; the innovation offer is left as it was.
    assert after[innovation.id] == before[innovation.id]
    lift = weights.W_PLAN * weights.PLAN_BY_DIMENSION
    assert after[finance_advice.id] == pytest.approx(before[finance_advice.id] + lift)
    kind_lift = weights.W_PLAN * weights.PLAN_BY_KIND
    assert after[loan.id] == pytest.approx(before[loan.id] + lift + kind_lift)


def test_offers_for_a_specialised_plan_the_business_lacks_are_ranked_down():
    export = offer(dimensions=("trade",), title="Export academy")
    events = offer(dimensions=("trade",), title="Meet the local buyers")
    plain = business(EVEN)
    exporter = Business(**GATESHEAD_MICRO, scores=EVEN, plans=frozenset({"export"}))
    assert ids(ranked([export, events], plain)) == [events.id, export.id]
    assert ids(ranked([export, events], exporter)) == [export.id, events.id]


def test_kind_fit_follows_the_band():
    advice = offer(dimensions=("finance",), kind="advice_and_mentoring")
    equity = offer(dimensions=("finance",), kind="equity_investment")
    low = ranked([advice, equity], business({**EVEN, "finance": 20.0}))
    high = ranked([advice, equity], business({**EVEN, "finance": 80.0}))
    assert ids(low)[0] == advice.id
    assert ids(high)[0] == equity.id


def test_local_over_regional_over_national():
    uk = offer()
    region = offer(uk_wide=False, region_ids=(NORTH_EAST,))
    council = offer(uk_wide=False, council_ids=(GATESHEAD,))
    ranking = ranked([uk, region, council], business(EVEN))
    assert ids(ranking) == [council.id, region.id, uk.id]
    assert ranking.items[0].reasons[0] == {
        "code": "eligible",
        "size": "micro",
        "scope": "council",
        "place": "Gateshead",
    }


def test_free_first_for_micro_and_pre_start_businesses():
    paid = offer(cost="paid")
    free = offer(cost="free")
    micro = ranked([paid, free], business(EVEN))
    assert ids(micro)[0] == free.id
    medium = business(EVEN, size="medium")
    components = offer_components(
        build_offer_candidates([paid, free], region_order=REGIONS), medium, TODAY
    )
    assert components["cost"].tolist() == [0.0, 1.0]
    assert {"code": "free"} in micro.items[0].reasons


def test_closing_soon_and_recently_reviewed_rank_higher_and_say_so():
    later = offer()
    soon = offer(closes=TODAY + timedelta(days=9))
    ranking = ranked([later, soon], business(EVEN))
    assert ids(ranking)[0] == soon.id
    assert {"code": "closes_in", "days": 9} in ranking.items[0].reasons
    stale = offer()
    fresh = offer(last_reviewed=TODAY - timedelta(days=30))
    ranking = ranked([stale, fresh], business(EVEN))
    assert ids(ranking)[0] == fresh.id


def test_profile_only_ranks_without_gap_weighting():
    data = offer(dimensions=("data",))
    strategy = offer(dimensions=("strategy",))
    ranking = ranked([data, strategy], business())
    assert ranking.profile_only
    assert ranking.items[0].score == ranking.items[1].score
    assert not any(r["code"].startswith("builds") for item in ranking for r in item.reasons)


def test_filters_narrow_the_list_without_changing_scores():
    grant = offer(kind="grant", dimensions=("data",))
    course = offer(kind="training_course", dimensions=("skills",))
    who = business(EVEN)
    full = {item.id: item.score for item in ranked([grant, course], who)}
    only_grants = ranked([grant, course], who, kinds=frozenset({"grant"}))
    assert [(i.id, i.score) for i in only_grants] == [(grant.id, full[grant.id])]
    only_skills = ranked([grant, course], who, dimensions=frozenset({"skills"}))
    assert ids(only_skills) == [course.id]


def test_ties_are_broken_by_id_whatever_the_load_order():
    a, b, c = offer(), offer(), offer()
    who = business(EVEN)
    assert ids(ranked([c, a, b], who)) == ids(ranked([a, b, c], who)) == [a.id, b.id, c.id]


# --- Diversity --------------------------------------------------------------------------


def test_diversity_never_three_of_a_kind_in_a_row_when_another_is_close():
    kinds = {1: "grant", 2: "grant", 3: "grant", 4: "loan", 5: "grant"}
    scores = {1: 10.0, 2: 9.9, 3: 9.8, 4: 9.0, 5: 8.0}
    assert diversify([1, 2, 3, 4, 5], scores, kinds, limit=5) == [1, 2, 4, 3, 5]


def test_diversity_keeps_the_order_when_no_other_kind_is_within_10_percent():
    kinds = {1: "grant", 2: "grant", 3: "grant", 4: "loan"}
    scores = {1: 10.0, 2: 9.9, 3: 9.8, 4: 8.0}
    assert diversify([1, 2, 3, 4], scores, kinds, limit=4) == [1, 2, 3, 4]


def test_diversity_applies_to_the_top_10_only():
    kinds = dict.fromkeys(range(1, 14), "grant") | {14: "loan"}
    scores = {i: 100.0 - i * 0.1 for i in range(1, 15)}
    order = list(range(1, 15))
    result = diversify(order, scores, kinds, limit=14)
    assert result[:2] == [1, 2] and result[2] == 14


def test_rank_offers_applies_the_diversity_rerank():
    grants = [offer(kind="grant", dimensions=("data",)) for _ in range(3)]
    course = offer(
        kind="training_course", dimensions=("data",), last_reviewed=TODAY - timedelta(days=400)
    )
    ranking = ranked([*grants, course], business({**EVEN, "data": 40.0}))
    kinds = [item.kind for item in ranking]
    assert kinds[:3] != ["grant", "grant", "grant"]


# --- Opportunities ----------------------------------------------------------------------


def opportunity(**fields) -> OpportunityRow:
    identifier = next(_ids)
    values = {
        "id": identifier,
        "public_id": f"p{identifier}",
        "ocid": f"ocds-x-{identifier}",
        "title": f"Contract {identifier}",
        "cpv_codes": ("72000000",),
        "uk_wide": True,
        "deadline": NOW + timedelta(days=20),
    }
    values.update(fields)
    return OpportunityRow(**values)


def ranked_opportunities(rows, who, **options):
    candidates = build_opportunity_candidates(rows, region_order=REGIONS)
    return rank_opportunities(candidates, who, now=NOW, **options)


def test_an_opportunity_closing_tomorrow_never_appears():
    tomorrow = opportunity(deadline=NOW + timedelta(days=1))
    in_three = opportunity(deadline=NOW + timedelta(days=3))
    ranking = ranked_opportunities([tomorrow, in_three], business())
    assert ids(ranking) == [in_three.id]
    assert ranking.excluded["closing_too_soon"] == 1


def test_opportunities_in_other_regions_are_excluded():
    here = opportunity(uk_wide=False, council_ids=(GATESHEAD,))
    there = opportunity(uk_wide=False, region_ids=(NORTH_WEST,))
    assert ids(ranked_opportunities([here, there], business())) == [here.id]


def test_what_the_business_supplies_ranks_first_class_over_group_over_division():
    exact = opportunity(cpv_codes=("72212000",))
    group = opportunity(cpv_codes=("72400000",))
    division = opportunity(cpv_codes=("72000000",))
    other = opportunity(cpv_codes=("45000000",))
    who = business(supplies=("72212000",), sic_section="")
    ranking = ranked_opportunities([other, division, group, exact], who)
    assert ids(ranking) == [exact.id, group.id, division.id]
    assert ranking.items[0].reasons[0] == {"code": "supplies", "cpv": "72212"}


def test_sector_matches_when_nothing_supplied_is_given():
    construction = opportunity(cpv_codes=("45210000",))
    software = opportunity(cpv_codes=("48000000",))
    assert ids(ranked_opportunities([construction, software], business(sic_section="F"))) == [
        construction.id
    ]


def test_sme_suitability_and_value_against_turnover():
    suitable = opportunity(sme_suitable=True)
    unsuitable = opportunity(sme_suitable=False)
    assert ids(ranked_opportunities([unsuitable, suitable], business())) == [
        suitable.id,
        unsuitable.id,
    ]
    small = opportunity(yearly_value=20_000)
    big = opportunity(yearly_value=400_000)
    who = business(turnover="250k_to_500k")
    ranking = ranked_opportunities([big, small], who)
    assert ids(ranking) == [small.id, big.id]
    assert {
        "code": "value_above_turnover",
        "yearly_value": 400000,
        "turnover": "250k_to_500k",
    } in (ranking.items[1].reasons)
    # No turnover given: value is not used.
    assert ids(ranked_opportunities([big, small], business())) == sorted([big.id, small.id])


def test_public_it_contracts_tell_a_business_without_cyber_essentials():
    software = opportunity(cpv_codes=("48000000",), public_buyer=True)
    who = Business(
        **GATESHEAD_MICRO, flags=frozenset({"no_cyber_essentials_for_public_contracts"})
    )
    ranking = ranked_opportunities([software], who)
    assert {"code": "cyber_essentials_usually_required"} in ranking.items[0].reasons
