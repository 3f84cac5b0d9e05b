"""Each named weight of portal/matching/weights.py moves a score by exactly its value
times its component: two candidates that differ in one component only, scored with the
weight as it is and with the weight at zero."""

from datetime import timedelta

import pytest

from portal.matching import weights
from portal.matching.records import Business
from tests.matching.test_ranking import (
    EVEN,
    GATESHEAD,
    GATESHEAD_MICRO,
    NOW,
    TODAY,
    business,
    offer,
    opportunity,
    ranked,
    ranked_opportunities,
)


def score_gap(rank, rows, who) -> float:
    scores = {item.id: item.score for item in rank(rows, who)}
    return scores[rows[0].id] - scores[rows[1].id]


def offers_case(name):
    """(rows: the one with more of the component first, the business, component gap)."""
    if name == "W_GAP":
        return (
            [
                offer(dimensions=("data",), kind="event"),
                offer(dimensions=("strategy",), kind="event"),
            ],
            business({**EVEN, "data": 20.0}),
            0.4,
        )
    if name == "W_FLAG_FIX":
        who = Business(**GATESHEAD_MICRO, scores=EVEN, flags=frozenset({"no_offsite_backup"}))
        return (
            [
                offer(dimensions=("cyber",), kind="event", title="Backup clinic"),
                offer(dimensions=("cyber",), kind="event", title="Security talk"),
            ],
            who,
            1.0,
        )
    if name == "W_KIND_FIT":
        return (
            [
                offer(dimensions=("data",), kind="training_course"),
                offer(dimensions=("data",), kind="event"),
            ],
            business({**EVEN, "data": 20.0}),
            0.8,
        )
    if name == "W_PLACE":
        return (
            [offer(uk_wide=False, council_ids=(GATESHEAD,)), offer()],
            business(EVEN),
            weights.PLACE_COUNCIL - weights.PLACE_UK,
        )
    if name == "W_COST_SMALL":
        return ([offer(cost="free"), offer(cost="paid")], business(EVEN), 1.0)
    if name == "W_COST_OTHER":
        return ([offer(cost="free"), offer(cost="paid")], business(EVEN, size="medium"), 1.0)
    if name == "W_CLOSING":
        return (
            [
                offer(closes=TODAY),
                offer(closes=TODAY + timedelta(days=weights.CLOSING_SOON_DAYS + 5)),
            ],
            business(EVEN),
            1.0,
        )
    if name == "W_FRESH":
        return ([offer(last_reviewed=TODAY), offer()], business(EVEN), 1.0)
    if name == "W_UNPLANNED":
        return (
            [offer(title="Meet the buyers"), offer(title="Export clinic")],
            business(EVEN),
            1.0,
        )
    raise AssertionError(name)


OFFER_WEIGHTS = (
    "W_GAP",
    "W_FLAG_FIX",
    "W_KIND_FIT",
    "W_PLACE",
    "W_COST_SMALL",
    "W_COST_OTHER",
    "W_CLOSING",
    "W_FRESH",
    "W_UNPLANNED",
)


@pytest.mark.parametrize("name", OFFER_WEIGHTS)
def test_each_offer_weight_moves_the_score_by_itself_times_its_component(name, monkeypatch):
    rows, who, component = offers_case(name)
    gap = score_gap(ranked, rows, who)
    assert gap == pytest.approx(getattr(weights, name) * component, abs=1e-3)
    monkeypatch.setattr(weights, name, 0.0)
    assert score_gap(ranked, rows, who) == pytest.approx(0.0, abs=1e-3)


def test_the_plan_weight_moves_the_score_by_itself_times_the_plan_component(monkeypatch):
    serving = offer(dimensions=("adoption",), kind="voucher", title="New software voucher")
    other = offer(dimensions=("innovation",), kind="voucher")
    who = Business(**GATESHEAD_MICRO, scores=EVEN, plans=frozenset({"adopt_software"}))
    whole = weights.PLAN_BY_DIMENSION + weights.PLAN_BY_KIND + weights.PLAN_BY_WORDS
    assert score_gap(ranked, [serving, other], who) == pytest.approx(
        weights.W_PLAN * whole, abs=1e-3
    )
    monkeypatch.setattr(weights, "W_PLAN", 0.0)
    assert score_gap(ranked, [serving, other], who) == pytest.approx(0.0, abs=1e-3)


def opportunities_case(name):
    if name == "W_SUPPLIES":
        return (
            [opportunity(cpv_codes=("72212000",)), opportunity(cpv_codes=("72500000",))],
            business(supplies=("72212000",), sic_section=""),
            weights.SUPPLIES_EXACT - weights.SUPPLIES_DIVISION,
        )
    if name == "W_SECTOR":
        return (
            [
                opportunity(cpv_codes=("45210000", "72500000")),
                opportunity(cpv_codes=("72500000",)),
            ],
            business(supplies=("72",), sic_section="F"),
            1.0,
        )
    if name == "W_OPPORTUNITY_PLACE":
        return (
            [opportunity(uk_wide=False, council_ids=(GATESHEAD,)), opportunity()],
            business(),
            weights.PLACE_COUNCIL - weights.PLACE_UK,
        )
    if name == "W_SME":
        return ([opportunity(sme_suitable=True), opportunity()], business(), 1.0)
    if name == "W_VALUE_TOO_LARGE":
        return (
            [opportunity(yearly_value=10_000.0), opportunity(yearly_value=900_000.0)],
            business(turnover="250k_to_500k"),
            1.0,
        )
    if name == "W_READINESS":
        return (
            [opportunity(public_buyer=True), opportunity(public_buyer=False)],
            business({**EVEN, "trade": 50.0}),
            0.5,
        )
    if name == "W_NO_CYBER_ESSENTIALS":
        who = Business(
            **GATESHEAD_MICRO,
            flags=frozenset({"no_cyber_essentials_for_public_contracts"}),
        )
        return (
            [opportunity(cpv_codes=("79000000",)), opportunity(cpv_codes=("72000000",))],
            Business(**{**GATESHEAD_MICRO, "sic_section": "M"}, flags=who.flags),
            1.0,
        )
    if name == "W_OPPORTUNITY_CLOSING":
        return (
            [
                opportunity(deadline=NOW + timedelta(days=7)),
                opportunity(deadline=NOW + timedelta(days=30)),
            ],
            business(),
            0.5,
        )
    if name == "W_BID_PLAN":
        return (
            [opportunity(public_buyer=True), opportunity(public_buyer=False)],
            Business(**GATESHEAD_MICRO, plans=frozenset({"bid_public_contracts"})),
            1.0,
        )
    raise AssertionError(name)


OPPORTUNITY_COMPONENTS = {
    "W_SUPPLIES": "supplies",
    "W_SECTOR": "sector",
    "W_OPPORTUNITY_PLACE": "place",
    "W_SME": "sme",
    "W_VALUE_TOO_LARGE": "value_too_large",
    "W_READINESS": "readiness",
    "W_NO_CYBER_ESSENTIALS": "no_cyber_essentials",
    "W_OPPORTUNITY_CLOSING": "closing",
    "W_BID_PLAN": "bid_plan",
}


@pytest.mark.parametrize(
    "name",
    (
        "W_SUPPLIES",
        "W_SECTOR",
        "W_OPPORTUNITY_PLACE",
        "W_SME",
        "W_VALUE_TOO_LARGE",
        "W_READINESS",
        "W_NO_CYBER_ESSENTIALS",
        "W_OPPORTUNITY_CLOSING",
        "W_BID_PLAN",
    ),
)
def test_each_opportunity_weight_moves_the_score_by_itself_times_its_component(name, monkeypatch):
    from portal.matching.ranking import opportunities

    rows, who, component = opportunities_case(name)
    gap = score_gap(ranked_opportunities, rows, who)
    assert abs(gap) == pytest.approx(getattr(weights, name) * component, abs=1e-3)
    monkeypatch.setitem(opportunities.OPPORTUNITY_WEIGHTS, OPPORTUNITY_COMPONENTS[name], 0.0)
    assert score_gap(ranked_opportunities, rows, who) == pytest.approx(0.0, abs=1e-3)
