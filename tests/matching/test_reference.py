"""The vectorised ranking gives the same scores and order as the plain-Python reference,
on any catalogue and any business (hypothesis)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.matching import reference
from portal.matching.columns import build_offer_candidates, build_opportunity_candidates
from portal.matching.ranking.offers import rank_offers
from portal.matching.ranking.opportunities import rank_opportunities
from portal.matching.records import (
    DIMENSIONS,
    FLAG_DIMENSIONS,
    KINDS,
    Business,
    OfferRow,
    OpportunityRow,
)
from portal.matching.weights import PLAN_DIMENSIONS, TURNOVER_TOP

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
REGIONS = (1, 2, 3)
COUNCILS = (11, 12, 21, 31)
SIZES = ("micro", "small", "medium", "large")
STAGES = ("pre_start", "start_up", "growing", "established", "scaling")
SECTORS = ("C", "F", "J", "M")
LEVELS = ("starting", "developing", "established", "advanced")
WORDS = ("export", "Cyber Essentials", "backup", "finance", "software", "skills", "")


def subset(values, most=3):
    return st.lists(st.sampled_from(values), max_size=most, unique=True).map(tuple)


def days(low, high):
    return st.one_of(st.none(), st.integers(low, high).map(lambda n: TODAY + timedelta(days=n)))


@st.composite
def offer_rows(draw):
    count = draw(st.integers(0, 30))
    return [
        OfferRow(
            id=i + 1,
            slug=f"o{i}",
            title=draw(st.sampled_from(WORDS)),
            external_id="",
            kind=draw(st.sampled_from(KINDS)),
            dimensions=draw(subset(DIMENSIONS)),
            maturity_levels=draw(subset(LEVELS, 2)),
            sizes=draw(subset(SIZES, 2)),
            stages=draw(subset(STAGES, 2)),
            sic_sections=draw(subset(SECTORS, 2)),
            uk_wide=draw(st.booleans()),
            region_ids=draw(subset(REGIONS, 2)),
            council_ids=draw(subset(COUNCILS, 2)),
            cost=draw(st.sampled_from(("free", "subsidised", "paid"))),
            closes=draw(days(-5, 60)),
            last_reviewed=draw(days(-400, 0)),
            review_due=draw(days(-90, 200)),
            text=draw(st.sampled_from(WORDS)),
        )
        for i in range(count)
    ]


@st.composite
def businesses(draw):
    council = draw(st.sampled_from((None, *COUNCILS)))
    scored = draw(st.booleans())
    return Business(
        council_id=council,
        region_id=None if council is None else council // 10,
        size=draw(st.sampled_from(("", *SIZES))),
        stage=draw(st.sampled_from(("", *STAGES))),
        sic_section=draw(st.sampled_from(("", *SECTORS))),
        turnover=draw(st.sampled_from(("", *TURNOVER_TOP))),
        plans=frozenset(draw(subset(tuple(PLAN_DIMENSIONS)))),
        supplies=draw(subset(("72", "72212000", "48", "45210000", "79341000"), 2)),
        scores=({d: draw(st.integers(0, 100)) * 1.0 for d in DIMENSIONS} if scored else None),
        flags=frozenset(draw(subset(tuple(FLAG_DIMENSIONS), 2))) if scored else frozenset(),
    )


def assert_same(vectorised, loop):
    assert len(vectorised) == len(loop)
    assert {item.id for item in vectorised} == {identifier for identifier, _ in loop}
    for item, (_, score) in zip(vectorised, loop, strict=True):
        assert abs(item.score - score) < 1e-3


@settings(max_examples=100, deadline=None)
@given(rows=offer_rows(), business=businesses())
def test_offers_rank_as_the_plain_python_reference(rows, business):
    candidates = build_offer_candidates(rows, region_order=REGIONS)
    assert_same(
        rank_offers(candidates, business, today=TODAY, limit=40),
        reference.rank_offers(candidates, business, today=TODAY, limit=40),
    )


@st.composite
def opportunity_rows(draw):
    count = draw(st.integers(0, 30))
    return [
        OpportunityRow(
            id=i + 1,
            public_id=str(i),
            ocid=f"ocds-{i}",
            title="",
            cpv_codes=draw(
                subset(("72212000", "72000000", "48000000", "45210000", "79341000"), 2)
            ),
            uk_wide=draw(st.booleans()),
            region_ids=draw(subset(REGIONS, 2)),
            council_ids=draw(subset(COUNCILS, 2)),
            deadline=draw(
                st.one_of(
                    st.none(),
                    st.integers(-2, 40).map(lambda n: NOW + timedelta(days=n, hours=1)),
                )
            ),
            public_buyer=draw(st.booleans()),
            sme_suitable=draw(st.sampled_from((None, True, False))),
            yearly_value=draw(st.one_of(st.none(), st.integers(1_000, 5_000_000).map(float))),
        )
        for i in range(count)
    ]


@settings(max_examples=100, deadline=None)
@given(rows=opportunity_rows(), business=businesses())
def test_opportunities_rank_as_the_plain_python_reference(rows, business):
    candidates = build_opportunity_candidates(rows, region_order=REGIONS)
    assert_same(
        rank_opportunities(candidates, business, now=NOW, limit=40),
        reference.rank_opportunities(candidates, business, now=NOW, limit=40),
    )
