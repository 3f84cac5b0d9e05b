"""'Is this for me?': a pure check of an offer's eligibility against a business."""

import pytest

from portal.catalogue.eligibility import (
    MAYBE,
    NO,
    YES,
    BusinessProfile,
    OfferEligibility,
    check,
)

GATESHEAD = BusinessProfile(council_id=1, council_name="Gateshead", region_id=10)


def reasons(verdict):
    return [str(reason) for reason in verdict.reasons]


def test_open_to_micro_businesses_in_gateshead():
    offer = OfferEligibility(sizes=("micro", "small"), council_ids=frozenset({1}))
    verdict = check(offer, BusinessProfile(**{**GATESHEAD.__dict__, "size": "micro"}))

    assert verdict.answer == YES
    assert str(verdict.headline) == "Yes: open to micro businesses in Gateshead"
    assert reasons(verdict) == ["Open to micro businesses", "Available in Gateshead"]


def test_wrong_stage_says_no_and_names_the_stages():
    offer = OfferEligibility(stages=("established", "scaling"), uk_wide=True)
    verdict = check(offer, BusinessProfile(stage="start_up"))

    assert verdict.answer == NO
    assert str(verdict.headline) == "No: only for established or scaling businesses"


def test_place_outside_the_offer_area_says_no():
    offer = OfferEligibility(region_ids=frozenset({99}))
    verdict = check(offer, GATESHEAD)

    assert verdict.answer == NO
    assert reasons(verdict) == ["Not available in Gateshead"]


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


def test_maybe_names_what_we_do_not_know():
    verdict = check(OfferEligibility(uk_wide=True, sic_sections=("J", "M")), GATESHEAD)

    assert (
        "Only for businesses in information and communication or professional, "
        in (reasons(verdict)[0])
    )


def test_sector_fits():
    verdict = check(
        OfferEligibility(uk_wide=True, sic_sections=("J",)), BusinessProfile(sector="J")
    )

    assert verdict.answer == YES
    assert reasons(verdict) == ["Open to businesses in information and communication"]
