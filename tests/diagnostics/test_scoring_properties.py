import random

from hypothesis import given
from hypothesis import strategies as st

from diagnostics.definitions import load_definition
from diagnostics.scoring import score
from tests.diagnostics.examples import (
    answer_sets,
    better_answers,
    digital_maturity,
    profiles,
)

DEFINITION = digital_maturity()
DIMENSION_OF = {
    question.key: dimension.key
    for dimension in DEFINITION.dimensions
    for question in dimension.questions
}


@given(profiles(DEFINITION), answer_sets(DEFINITION))
def test_every_score_is_within_its_range(profile, answers):
    result = score(DEFINITION, profile | answers)

    assert all(item is None or 0 <= item <= 1 for item in result.items.values())
    assert all(0 <= d <= 100 for d in result.dimensions.values() if d is not None)
    assert result.overall is not None
    assert 0 <= result.overall <= 100


@given(profiles(DEFINITION), answer_sets(DEFINITION))
def test_dimension_score_is_the_mean_of_its_applicable_items(profile, answers):
    result = score(DEFINITION, profile | answers)

    for dimension in DEFINITION.dimensions:
        items = [result.items[q.key] for q in dimension.questions]
        applicable = [item for item in items if item is not None]
        expected = 100 * sum(applicable) / len(applicable)
        assert abs(result.dimensions[dimension.key] - expected) < 1e-9


@given(
    profiles(DEFINITION), answer_sets(DEFINITION), st.sampled_from(list(DIMENSION_OF)), st.data()
)
def test_improving_one_answer_never_lowers_its_dimension(profile, answers, key, data):
    question = DEFINITION.questions[key]
    better = data.draw(better_answers(question, answers.get(key)), label="better answer")

    before = score(DEFINITION, profile | answers)
    after = score(DEFINITION, {**profile, **answers, key: better})

    dimension = DIMENSION_OF[key]
    assert after.dimensions[dimension] >= before.dimensions[dimension]
    assert after.overall >= before.overall
    assert all(
        after.dimensions[other] == before.dimensions[other]
        for other in after.dimensions
        if other != dimension
    )


def shuffled(value, rng: random.Random):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return rng.sample(value, len(value))
    return value


@given(profiles(DEFINITION), answer_sets(DEFINITION), st.randoms(use_true_random=False))
def test_order_of_answers_does_not_matter(profile, answers, rng):
    result = score(DEFINITION, profile | answers)

    assert score(DEFINITION, shuffled(profile | answers, rng)) == result
    assert (
        score(
            DEFINITION,
            {key: set(v) if isinstance(v, list) else v for key, v in (profile | answers).items()},
        )
        == result
    )


LATER = load_definition("digital-maturity", "1.1.0")
SUPPLIES = st.lists(st.sampled_from(["72000000", "72200000", "48000000", "45000000"]), unique=True)


@given(profiles(DEFINITION), answer_sets(DEFINITION), SUPPLIES)
def test_1_1_0_scores_any_answers_as_1_0_0_does_whatever_is_supplied(profile, answers, supplies):
    earlier = score(DEFINITION, profile | answers).as_dict()
    later = score(LATER, profile | answers | {"supplies": supplies}).as_dict()

    assert (earlier.pop("version"), later.pop("version")) == ("1.0.0", "1.1.0")
    assert earlier == later
