import json
from fractions import Fraction

import pytest

from diagnostics.definitions import build_definition, load_definition
from diagnostics.scoring import (
    AnswerError,
    ProfileError,
    Result,
    band_for,
    display_score,
    score,
)
from tests.diagnostics.examples import (
    PRE_START_PRIVATE,
    TRADING,
    TRADING_PUBLIC,
    answer_all,
    best_answer,
    definition_document,
    digital_maturity,
    dimension_document,
    ladder_document,
    worst_answer,
)

DIMENSIONS = ["strategy", "skills", "adoption", "data", "cyber", "innovation", "finance", "trade"]
ALL_FLAGS = [
    "no_offsite_backup",
    "no_cyber_essentials_for_public_contracts",
    "no_accounting_software",
    "not_registered_on_central_digital_platform",
    "finances_not_ready_to_raise",
    "low_essential_digital_skills",
    "personal_data_duties_not_met",
    "slow_connection",
]
# The flags that do not depend on plans for public contracts or finance.
UNCONDITIONAL_FLAGS = [
    "no_offsite_backup",
    "no_accounting_software",
    "low_essential_digital_skills",
    "personal_data_duties_not_met",
    "slow_connection",
]
S2_HALF = {
    "design": "invested",
    "operations": "invested",
    "marketing_sales": "invested",
    "customer_service": "planned",
    "delivery": "planned",
    "finance_admin": "neither",
    "hr": "neither",
    "purchasing": "neither",
}
A5_MIXED = {
    "generative_ai": "in_use",  # 5
    "workflow_automation": "implementing",  # 4
    "analytics_bi": "not_used",  # 0
    "iot": "not_used",  # 0
    "cad_cam": "testing",  # 3
    "robotics": "considering",  # 1
}


def without_overall(bands):
    return {key: band for key, band in bands.items() if key != "overall"}


def item_score(key, answer, profile=TRADING_PUBLIC):
    return score(digital_maturity(), {**profile, key: answer}).items[key]


# Item scores, one kind at a time -----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answer", "expected"),
    [
        # ladder: points / 4
        ("S1", "none", Fraction(0)),
        ("S1", "ideas", Fraction(1, 4)),
        ("S1", "written_priorities", Fraction(1, 2)),
        ("S1", "reviewed_plan", Fraction(1)),
        ("C1", "30_to_299_mbit", Fraction(1, 2)),
        # tick-list: ticks / n
        ("K2", [], Fraction(0)),
        ("K2", ["communicate", "transact", "stay_safe_legal"], Fraction(3, 5)),
        ("A1", ["cloud_accounting"], Fraction(1, 8)),
        (
            "T4",
            ["open_data", "shares_data", "electronic_exchange", "machine_readable_products"],
            1,
        ),
        # tick-list with an exclusive "none": it scores 0 and is not counted in n
        ("T1", ["not_collected_digitally"], Fraction(0)),
        ("T1", ["data_policy", "analysed"], Fraction(2, 6)),
        # grid: invested 1, planned 0.5, neither 0; sum / 8
        ("S2", dict.fromkeys(S2_HALF, "invested"), Fraction(1)),
        ("S2", dict.fromkeys(S2_HALF, "planned"), Fraction(1, 2)),
        ("S2", S2_HALF, Fraction(1, 2)),
        ("S2", {**dict.fromkeys(S2_HALF, "neither"), "hr": "planned"}, Fraction(1, 16)),
        # stage scale: mean of the 3 highest of 0–5, / 5
        ("A5", dict.fromkeys(A5_MIXED, "not_used"), Fraction(0)),
        ("A5", A5_MIXED, Fraction(5 + 4 + 3, 15)),
        ("A5", {**dict.fromkeys(A5_MIXED, "not_used"), "robotics": "in_use"}, Fraction(5, 15)),
        ("A5", dict.fromkeys(A5_MIXED, "in_use"), Fraction(1)),
        # count: min(count, 3) / 3
        ("F4", [], Fraction(0)),
        ("F4", ["grant"], Fraction(1, 3)),
        ("F4", ["grant", "bank_loan"], Fraction(2, 3)),
        ("F4", ["grant", "bank_loan", "equity"], Fraction(1)),
        ("F4", ["grant", "bank_loan", "equity", "rd_relief", "start_up_loan"], Fraction(1)),
    ],
)
def test_item_score_by_hand(key, answer, expected):
    assert item_score(key, answer) == float(expected)


@pytest.mark.parametrize("key", ["S1", "S2", "S3", "A5", "T1", "F4"])
def test_dont_know_scores_zero_for_every_kind(key):
    assert item_score(key, "dont_know") == 0


# Whole questionnaires ----------------------------------------------------------------------


@pytest.mark.parametrize("profile", [TRADING_PUBLIC, PRE_START_PRIVATE], ids=["trading", "pre"])
def test_all_best_answers_score_100_everywhere_with_no_flags(profile):
    definition = digital_maturity()

    result = score(definition, profile | answer_all(definition, best_answer))

    assert dict(result.dimensions) == dict.fromkeys(DIMENSIONS, 100)
    assert result.overall == 100
    assert result.overall_band == "advanced"
    assert result.flags == ()
    assert result.unanswered == ()


@pytest.mark.parametrize(
    ("profile", "flags"),
    [(TRADING_PUBLIC, ALL_FLAGS), (PRE_START_PRIVATE, UNCONDITIONAL_FLAGS)],
    ids=["trading", "pre"],
)
def test_all_worst_answers_score_0_everywhere(profile, flags):
    definition = digital_maturity()

    result = score(definition, profile | answer_all(definition, worst_answer))

    assert dict(result.dimensions) == dict.fromkeys(DIMENSIONS, 0)
    assert without_overall(result.bands) == dict.fromkeys(DIMENSIONS, "starting")
    assert result.overall == 0
    assert result.overall_band == "starting"
    assert list(result.flags) == flags
    assert result.weakest == "strategy"  # all tied: the first


@pytest.mark.parametrize(
    ("profile", "flags"),
    [(TRADING_PUBLIC, ALL_FLAGS), (PRE_START_PRIVATE, UNCONDITIONAL_FLAGS)],
    ids=["trading", "pre"],
)
def test_all_dont_know_scores_0_everywhere(profile, flags):
    definition = digital_maturity()

    result = score(definition, profile | answer_all(definition, lambda question: "dont_know"))

    assert dict(result.dimensions) == dict.fromkeys(DIMENSIONS, 0)
    assert result.overall == 0
    assert list(result.flags) == flags
    assert result.unanswered == ()


def test_unanswered_questions_score_zero_and_are_listed():
    result = score(digital_maturity(), {**TRADING_PUBLIC, "S1": "reviewed_plan"})

    assert result.dimensions["strategy"] == 20  # 100 × 1 / 5: the rest stay in
    assert result.overall == 20 / 8
    assert len(result.unanswered) == 39
    assert "S1" not in result.unanswered


MIXED_PROFILE = {
    **TRADING_PUBLIC,
    "stage": "start_up",
    "customer_types": ["businesses"],
    "plans": ["hire"],
}
MIXED_ANSWERS = {
    "S1": "written_priorities",
    "S2": S2_HALF,
    "S3": ["needs_linked_to_goals", "leaders_ready", "risks_considered"],
    "S4": "monthly_kpis",
    "S5": "dont_know",
    "K1": "all",
    "K2": ["communicate", "handle_information", "transact", "solve_problems", "stay_safe_legal"],
    "K3": [
        "skills_gap_review",
        "training_plan",
        "short_courses",
        "learning_by_doing",
        "paid_training",
        "funded_training",
    ],
    "K4": "in_house",
    "K5": ["plans_shared", "staff_choose_tools", "support_on_hand", "feedback_acted_on"],
    "A1": ["cloud_accounting", "crm"],
    "A2": "none",
    "A3": ["email"],
    "A4": "separate_tools",
    "A5": A5_MIXED,
    "T1": ["not_collected_digitally"],
    "T2": "rarely",
    "T3": "aware",
    "T4": [],
    "T5": "nobody",
    "C1": "30_to_299_mbit",
    "C2": [
        "firewall",
        "secure_configuration",
        "updates_14_days",
        "least_privilege_mfa",
        "malware_protection",
    ],
    "C3": "cyber_essentials",
    "C4": ["offsite_backup", "continuity_plan", "phishing_training", "incident_contact"],
    "C5": "all_managed",
    "I1": ["new_product", "new_practices"],
    "I2": "occasional_projects",
    "I3": ["university", "ip_protected"],
    "I4": "5_to_14_percent",
    "I5": "routine",
    "F1": "cash_flow_forecast",
    "F2": ["business_plan", "filed_accounts", "ownership_records"],
    "F3": "annual_line",
    "F4": ["bank_loan", "grant"],
    "F5": "researched",
    "M1": "uk_wide",
    "M2": ["marketplaces", "export_support"],
    "M3": "na",
    "M4": "won_once",
    "M5": ["quality_accreditation"],
}


def test_mixed_assessment_worked_by_hand():
    """A start-up selling to businesses only, with no plans to bid or raise finance.

    strategy   S1 2/4 + S2 (3×1 + 2×0.5)/8 + S3 3/6 + S4 3/4 + S5 don't know 0
               = 0.5 + 0.5 + 0.5 + 0.75 + 0 = 2.25;       × 100 / 5 = 45      Developing
    skills     1 + 1 + 1 + 1 + K5 4/5 = 4.8;               × 20 = 96           Advanced
    adoption   A1 2/8 + A2 0 + A3 1/5 + A4 1/4 + A5 (5+4+3)/15
               = 0.25 + 0 + 0.2 + 0.25 + 0.8 = 1.5;        × 20 = 30           Developing
    data       T1 "not collected digitally" 0 + 0 + T3 1/4 + 0 + 0 = 0.25; × 20 = 5  Starting
    cyber      C1 2/4 + 5/5 + C3 3/4 + C4 4/5 + C5 3/4
               = 0.5 + 1 + 0.75 + 0.8 + 0.75 = 3.8;        × 20 = 76           Advanced (> 75)
    innovation 2/4 + 2/4 + 2/5 + I4 2/4 + 3/4 = 2.65;      × 20 = 53           Established
    finance    3/4 + 3/5 + 2/4 + F4 min(2, 3)/3 + 2/4 = 181/60; × 20 = 181/3 = 60.33…  Established
    trade      M3 and M4 N/A (no public sector customers, no plan to bid), whatever was
               answered; M1 2/4 + M2 2/4 + M5 1/4 = 1.25 over 3 questions;
               × 100 / 3 = 125/3 = 41.67…; 3 of 5 weight applies = 60%, so it is scored.
    overall    (45 + 96 + 30 + 5 + 76 + 53 + 181/3 + 125/3) / 8 = 407/8 = 50.875  Established
    displayed  45 96 30 5 76 53 60 42, overall 51; weakest: data.
    flags      T3 "aware" is 1 point, ≤ 1: personal data duties. C4 has the off-site backup,
               A1 has accounting software, K1 and C1 are above 1, and the profile has no plans
               to bid or raise finance, so no other flag.
    """
    result = score(digital_maturity(), MIXED_PROFILE | MIXED_ANSWERS)

    scores = dict(result.dimensions)
    assert scores == {
        "strategy": 45,
        "skills": 96,
        "adoption": 30,
        "data": 5,
        "cyber": 76,
        "innovation": 53,
        "finance": 181 / 3,
        "trade": 125 / 3,
    }
    assert without_overall(result.bands) == {
        "strategy": "developing",
        "skills": "advanced",
        "adoption": "developing",
        "data": "starting",
        "cyber": "advanced",
        "innovation": "established",
        "finance": "established",
        "trade": "developing",
    }
    assert [display_score(value) for value in scores.values()] == [45, 96, 30, 5, 76, 53, 60, 42]
    assert result.overall == 407 / 8
    assert result.overall_band == "established"
    assert display_score(result.overall) == 51
    assert result.weakest == "data"
    assert result.flags == ("personal_data_duties_not_met",)
    assert result.items["M3"] is None and result.items["M4"] is None
    assert result.unanswered == ()
    assert (result.applicable_weight["trade"], result.total_weight["trade"]) == (3, 5)


def test_mixed_assessment_as_dict_is_plain_json():
    result = score(digital_maturity(), MIXED_PROFILE | MIXED_ANSWERS)

    stored = json.loads(json.dumps(result.as_dict(), allow_nan=False))

    assert stored == result.as_dict()
    assert list(stored) == [
        "questionnaire",
        "version",
        "dimensions",
        "overall",
        "bands",
        "flags",
        "weakest",
        "items",
        "unanswered",
        "applicable_weight",
        "total_weight",
    ]
    assert (stored["questionnaire"], stored["version"]) == ("digital-maturity", "1.0.0")
    assert stored["dimensions"]["finance"] == 181 / 3
    assert stored["overall"] == 50.875
    assert stored["bands"] == {
        "strategy": "developing",
        "skills": "advanced",
        "adoption": "developing",
        "data": "starting",
        "cyber": "advanced",
        "innovation": "established",
        "finance": "established",
        "trade": "developing",
        "overall": "established",
    }
    assert stored["flags"] == ["personal_data_duties_not_met"]
    assert stored["weakest"] == "data"
    assert stored["items"]["S1"] == 0.5 and stored["items"]["M3"] is None
    assert len(stored["items"]) == 40
    assert stored["unanswered"] == []
    assert stored["applicable_weight"]["trade"] == 3 and stored["total_weight"]["trade"] == 5


def test_result_read_back_from_its_dict_is_equal():
    result = score(digital_maturity(), {**PRE_START_PRIVATE, "S1": "ideas"})

    stored = json.loads(json.dumps(result.as_dict()))

    assert Result.from_dict(stored) == result
    assert Result.from_dict(stored).overall_band == result.bands["overall"]


def test_unscored_dimension_is_none_in_dimensions_and_bands_of_the_dict():
    definition = made_up(dimension_document("only", [trading_only("Q1")]))

    stored = score(definition, {"stage": "pre_start", "plans": []}).as_dict()

    assert stored["dimensions"] == {"only": None}
    assert stored["bands"] == {"only": None, "overall": None}
    assert (stored["overall"], stored["weakest"]) == (None, None)


def test_none_is_the_same_as_leaving_a_key_out():
    answers = {**TRADING_PUBLIC, "S1": "ideas", "S2": None, "size": None, "role": None}

    with_none = score(digital_maturity(), answers)
    left_out = score(digital_maturity(), {k: v for k, v in answers.items() if v is not None})

    assert with_none == left_out
    assert "S2" in with_none.unanswered


def test_profile_error_is_an_answer_error_naming_the_field():
    with pytest.raises(AnswerError) as raised:
        score(digital_maturity(), {**TRADING_PUBLIC, "stage": "booming"})

    assert isinstance(raised.value, ProfileError)
    assert raised.value.key == "stage"


# Not applicable ----------------------------------------------------------------------------


def test_not_applicable_leaves_the_denominator():
    """innovation with I4 N/A for a pre-start business: (2/4 + 2/4 + 2/5 + 3/4) / 4 = 53.75;
    the same answers with I4 "none" for a trading business: 2.15 / 5 = 43."""
    answers = {
        "I1": ["new_product", "new_practices"],
        "I2": "occasional_projects",
        "I3": ["university", "ip_protected"],
        "I4": "none",
        "I5": "routine",
    }

    pre_start = score(digital_maturity(), PRE_START_PRIVATE | answers)
    trading = score(digital_maturity(), TRADING_PUBLIC | answers)

    assert pre_start.items["I4"] is None
    assert pre_start.dimensions["innovation"] == 53.75
    assert trading.items["I4"] == 0
    assert trading.dimensions["innovation"] == 43


@pytest.mark.parametrize(
    ("stage", "not_applicable"),
    [
        ("pre_start", {"I4", "F4"}),
        ("start_up", set()),
        ("growing", set()),
        ("established", set()),
        ("scaling", set()),
    ],
)
def test_i4_and_f4_are_not_applicable_to_pre_start_businesses(stage, not_applicable):
    definition = digital_maturity()
    answers = answer_all(definition, best_answer)

    result = score(definition, {**TRADING_PUBLIC, "stage": stage, **answers})

    assert {key for key, item in result.items.items() if item is None} == not_applicable


@pytest.mark.parametrize(
    ("customer_types", "plans", "not_applicable"),
    [
        (["consumers", "businesses"], ["export"], {"M3", "M4"}),
        ([], [], {"M3", "M4"}),
        (["public_sector"], [], set()),
        (["consumers"], ["bid_public_contracts"], set()),
        (["public_sector"], ["bid_public_contracts"], set()),
    ],
)
def test_m3_and_m4_need_public_sector_customers_or_plans_to_bid(
    customer_types, plans, not_applicable
):
    definition = digital_maturity()
    profile = {**TRADING_PUBLIC, "customer_types": customer_types, "plans": plans}

    result = score(definition, profile | answer_all(definition, best_answer))

    assert {key for key, item in result.items.items() if item is None} == not_applicable
    assert result.dimensions["trade"] == 100


@pytest.mark.parametrize("stage", ["pre_start", "growing"])
@pytest.mark.parametrize("customer_types", [["consumers"], ["public_sector"]])
@pytest.mark.parametrize("plans", [[], ["bid_public_contracts"]])
def test_every_dimension_of_digital_maturity_is_always_scored(stage, customer_types, plans):
    definition = digital_maturity()
    profile = {**TRADING_PUBLIC, "stage": stage, "customer_types": customer_types, "plans": plans}

    result = score(definition, profile | answer_all(definition, worst_answer))

    assert all(value is not None for value in result.dimensions.values())


def test_na_is_refused_where_the_profile_does_not_rule_the_question_out():
    with pytest.raises(AnswerError, match="I4: N/A is only possible where the profile"):
        score(digital_maturity(), {**TRADING_PUBLIC, "I4": "na"})
    with pytest.raises(AnswerError, match="S1: N/A"):
        score(digital_maturity(), {**PRE_START_PRIVATE, "S1": "na"})


def test_na_is_accepted_where_the_profile_rules_the_question_out():
    result = score(digital_maturity(), {**PRE_START_PRIVATE, "I4": "na", "F4": "na", "M3": "na"})

    assert (result.items["I4"], result.items["F4"], result.items["M3"]) == (None, None, None)
    assert "I4" not in result.unanswered


# The 60% rule, on made-up definitions ------------------------------------------------------


def made_up(*dimensions):
    return build_definition(definition_document(dimensions=list(dimensions), flags=[]))


def trading_only(key, weight=1):
    return ladder_document(key, weight=weight, show_if=TRADING)


def test_trade_with_m3_and_m4_not_applicable_is_scored_at_exactly_60_percent():
    result = score(digital_maturity(), {**PRE_START_PRIVATE, "M1": "regular_export"})

    assert (result.applicable_weight["trade"], result.total_weight["trade"]) == (3, 5)
    assert result.dimensions["trade"] == 100 / 3


@pytest.mark.parametrize(
    ("weights", "hidden", "scored"),
    [
        ((1, 1, 1, 1, 1), 2, True),  # 3 of 5 = 60%
        ((1, 1, 1, 1, 1), 3, False),  # 2 of 5 = 40%
        ((3, 1, 1), 1, False),  # 2 of 3 questions apply, but 2 of 5 weight
        ((1, 1, 3), 2, True),  # 1 of 3 questions applies, but 3 of 5 weight
    ],
)
def test_dimension_below_60_percent_of_its_weight_is_not_scored(weights, hidden, scored):
    questions = [
        trading_only(f"Q{i}", weight) if i < hidden else ladder_document(f"Q{i}", weight=weight)
        for i, weight in enumerate(weights)
    ]
    definition = made_up(
        dimension_document("partly", questions),
        dimension_document("whole", [ladder_document("W1")]),
    )
    answers = {f"Q{i}": "high" for i in range(len(weights))} | {"W1": "middle"}

    result = score(definition, {"stage": "pre_start", "plans": [], **answers})

    partly = result.dimensions["partly"]
    assert (partly is not None) == scored
    if scored:
        assert partly == 100
        assert result.overall == (100 + 50) / 2
        assert result.weakest == "whole"
    else:
        assert result.bands["partly"] is None
        assert result.overall == 50  # the mean of the dimensions that are scored
        assert result.weakest == "whole"


def test_no_dimension_scored_means_no_overall_score():
    definition = made_up(dimension_document("only", [trading_only("Q1")]))

    result = score(definition, {"stage": "pre_start", "plans": []})

    assert result.dimensions["only"] is None
    assert (result.overall, result.overall_band, result.weakest) == (None, None, None)


def test_weights_weigh_items_within_a_dimension():
    """(3 × 1 + 1 × 0) / 4 = 75."""
    definition = made_up(
        dimension_document("only", [ladder_document("Q1", weight=3), ladder_document("Q2")])
    )

    result = score(definition, {"stage": "trading", "plans": [], "Q1": "high", "Q2": "low"})

    assert result.dimensions["only"] == 75


def test_flag_fires_on_answer_and_profile_together():
    definition = build_definition(definition_document())

    def flags(q1, plans):
        return score(definition, {"stage": "trading", "plans": plans, "Q1": q1}).flags

    assert flags("low", ["bid"]) == ("low_q1",)
    assert flags("dont_know", ["bid"]) == ("low_q1",)
    assert flags("middle", ["bid"]) == ()
    assert flags("low", ["export"]) == ()


# Bands and display -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "starting"),
        (25, "starting"),
        (Fraction(2501, 100), "developing"),
        (50, "developing"),
        (50.875, "established"),
        (75, "established"),
        (75.2, "advanced"),
        (76, "advanced"),
        (100, "advanced"),
    ],
)
def test_bands_include_their_upper_boundary(value, band):
    assert band_for(digital_maturity(), value) == band


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, 0),
        (0.5, 1),
        (2.5, 3),
        (62.5, 63),
        (62.49, 62),
        (181 / 3, 60),
        (125 / 3, 42),
        (99.5, 100),
        (100.0, 100),
    ],
)
def test_display_rounds_half_up(value, shown):
    assert display_score(value) == shown


# Answers that do not fit -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Z9": "none"}, "Z9: is not a question or profile field of this questionnaire"),
        ({"mood": "good"}, "mood: is not a question or profile field"),
        ({"S1": "nothing"}, "S1: 'nothing' is not one of its options"),
        ({"S1": ["none"]}, "S1: .* is not one of its options"),
        ({"S3": "staff_ready"}, "S3: must be a list of option keys"),
        ({"S3": ["staff_ready", "staff_ready"]}, "S3: has an option ticked twice"),
        ({"S3": ["ready"]}, "S3: 'ready' is not one of its options"),
        (
            {"T1": ["not_collected_digitally", "data_policy"]},
            "T1: 'not_collected_digitally' cannot be ticked with others",
        ),
        ({"S2": {"design": "invested"}}, "S2: every row needs an answer; 'operations' has none"),
        ({"S2": {**S2_HALF, "design": "always"}}, "S2: 'always' is not a column"),
        ({"S2": {**S2_HALF, "web": "invested"}}, "S2: 'web' is not one of its rows"),
        ({"A5": ["in_use"]}, "A5: must map each row to a column"),
    ],
)
def test_answer_that_does_not_fit_is_refused(answers, message):
    with pytest.raises(AnswerError, match=message):
        score(digital_maturity(), TRADING_PUBLIC | answers)


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({**TRADING_PUBLIC, "stage": "booming"}, "profile stage: 'booming' is not one of"),
        ({**TRADING_PUBLIC, "plans": "hire"}, "profile plans: must be a list of option keys"),
        ({**TRADING_PUBLIC, "plans": ["sell"]}, "profile plans: 'sell' is not one of"),
        (
            {key: value for key, value in TRADING_PUBLIC.items() if key != "stage"},
            "profile stage: is needed to score this questionnaire",
        ),
    ],
)
def test_profile_that_does_not_fit_is_refused(profile, message):
    with pytest.raises(ProfileError, match=message):
        score(digital_maturity(), profile)


def test_profile_fields_not_used_in_scoring_may_be_left_out():
    profile = {"stage": "growing", "customer_types": [], "plans": []}

    result = score(digital_maturity(), profile)

    assert result.overall == 0


# Version 1.1.0 adds what the business supplies, unscored ------------------------------------

SUPPLIES = {"supplies": ["72000000", "72200000"]}


@pytest.mark.parametrize("profile", [TRADING_PUBLIC, PRE_START_PRIVATE])
@pytest.mark.parametrize("choose", [best_answer, worst_answer])
def test_the_same_answers_score_the_same_in_1_0_0_and_1_1_0(profile, choose):
    earlier = load_definition("digital-maturity", "1.0.0")
    later = load_definition("digital-maturity", "1.1.0")
    answers = profile | answer_all(earlier, choose)

    first = score(earlier, answers).as_dict()
    second = score(later, answers).as_dict()
    with_supplies = score(later, answers | SUPPLIES).as_dict()

    assert (first.pop("version"), second.pop("version")) == ("1.0.0", "1.1.0")
    assert with_supplies.pop("version") == "1.1.0"
    assert first == second == with_supplies


def test_the_mixed_assessment_scores_the_same_in_1_1_0_with_supplies():
    later = load_definition("digital-maturity", "1.1.0")

    result = score(later, MIXED_PROFILE | MIXED_ANSWERS | SUPPLIES)

    assert result.overall == 50.875
    assert result.flags == ("personal_data_duties_not_met",)


@pytest.mark.parametrize(
    ("supplies", "message"),
    [
        ("72000000", "profile supplies: must be a list of 8-digit CPV codes"),
        ({"72000000": True}, "profile supplies: must be a list of 8-digit CPV codes"),
        (["72"], "profile supplies: '72' is not an 8-digit CPV code"),
        (["72000000-5"], "profile supplies: '72000000-5' is not an 8-digit CPV code"),
        ([72000000], "profile supplies: 72000000 is not an 8-digit CPV code"),
    ],
)
def test_supplies_that_are_not_cpv_codes_are_refused(supplies, message):
    later = load_definition("digital-maturity", "1.1.0")

    with pytest.raises(ProfileError, match=message):
        score(later, TRADING_PUBLIC | {"supplies": supplies})


def test_supplies_may_be_empty_or_left_out():
    later = load_definition("digital-maturity", "1.1.0")

    assert score(later, TRADING_PUBLIC | {"supplies": []}) == score(later, TRADING_PUBLIC)
