"""'Is this for me?': a pure check of an offer's eligibility against a business, as
reason codes, and the sentences the offer page makes of them."""

import pytest
from django.template.loader import render_to_string

from portal.catalogue.eligibility import (
    MAYBE,
    NO,
    YES,
    BusinessProfile,
    OfferEligibility,
    check,
)

GATESHEAD = BusinessProfile(council_id=1, council_name="Gateshead", region_id=10)


def said(verdict, business) -> str:
    """The "Is this for me?" box as text, as the offer page renders it."""
    html = render_to_string(
        "catalogue/includes/offer_check.html",
        {"verdict": verdict, "business": business, "offer": None, "places": []},
    )
    box = html.split("<details")[0]
    return " ".join(
        part.strip()
        for part in __import__("re").sub(r"<[^>]+>", "\n", box).split("\n")
        if part.strip()
    )


def test_open_to_micro_businesses_in_gateshead():
    business = BusinessProfile(**{**GATESHEAD.__dict__, "size": "micro"})
    verdict = check(
        OfferEligibility(sizes=("micro", "small"), council_ids=frozenset({1})), business
    )

    assert verdict.answer == YES
    assert [(r["code"], r["outcome"]) for r in verdict.reasons] == [
        ("size", "fits"),
        ("place", "fits"),
    ]
    assert said(verdict, business) == (
        "Is this for me? Yes: open to micro businesses in Gateshead "
        "Open to micro businesses Available in Gateshead"
    )


def test_wrong_stage_says_no_and_names_the_stages():
    business = BusinessProfile(stage="start_up")
    verdict = check(OfferEligibility(stages=("established", "scaling"), uk_wide=True), business)

    assert verdict.answer == NO
    assert verdict.failing == {
        "code": "stage",
        "outcome": "fails",
        "allowed": ["established", "scaling"],
        "value": "start-up",
    }
    assert said(verdict, business).startswith(
        "Is this for me? No: only for established or scaling businesses"
    )


def test_place_outside_the_offer_area_says_no_and_keeps_the_place_name():
    verdict = check(OfferEligibility(region_ids=frozenset({99})), GATESHEAD)

    assert verdict.answer == NO
    assert said(verdict, GATESHEAD) == (
        "Is this for me? No: not available in Gateshead Not available in Gateshead"
    )


def test_the_failing_rule_comes_first():
    business = BusinessProfile(**{**GATESHEAD.__dict__, "size": "large"})
    verdict = check(OfferEligibility(sizes=("micro",), council_ids=frozenset({1})), business)
    assert verdict.reasons[0]["code"] == "size"
    assert "No: only for micro businesses" in said(verdict, business)


def test_region_covers_its_councils():
    assert check(OfferEligibility(region_ids=frozenset({10})), GATESHEAD).answer == YES


@pytest.mark.parametrize(
    ("offer", "answer"),
    [
        (OfferEligibility(uk_wide=True), YES),
        (OfferEligibility(uk_wide=True, sizes=("large",)), MAYBE),
        (OfferEligibility(uk_wide=True, sic_sections=("J",)), MAYBE),
        (OfferEligibility(council_ids=frozenset({2})), NO),
    ],
)
def test_unknown_conditions_give_maybe(offer, answer):
    assert check(offer, GATESHEAD).answer == answer


def test_sectors_are_named_in_words():
    business = BusinessProfile(sector="F")
    verdict = check(OfferEligibility(uk_wide=True, sic_sections=("J", "M")), business)
    assert "No: only for businesses in information and communication or professional" in said(
        verdict, business
    )
