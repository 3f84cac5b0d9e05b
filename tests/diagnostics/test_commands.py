"""manage.py export_questionnaire and score_answers, the two commands for auditing scores."""

import io
import json
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings

from diagnostics.definitions import QUESTIONNAIRES_DIR, build_definition
from diagnostics.definitions.export import EXPORT_ONLY_KEYS
from diagnostics.scoring import score
from tests.diagnostics.examples import (
    PRE_START_PRIVATE,
    TRADING_PUBLIC,
    answer_all,
    answer_sets,
    best_answer,
    digital_maturity,
    profiles,
    worst_answer,
)
from tests.diagnostics.test_scoring import MIXED_ANSWERS, MIXED_PROFILE


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            call_command(*args, stdout=out)
    else:
        call_command(*args, stdout=out)
    return out.getvalue()


def export(slug="digital-maturity", version="1.0.0") -> dict:
    return json.loads(run("export_questionnaire", slug, version))


EXPORT = export()


# export_questionnaire ----------------------------------------------------------------------


def test_export_is_the_definition_file_plus_the_formula():
    source = json.loads((QUESTIONNAIRES_DIR / "digital-maturity" / "1.0.0.json").read_text())

    assert {k: v for k, v in EXPORT.items() if k not in EXPORT_ONLY_KEYS} == source
    assert EXPORT["file"] == {
        "path": "diagnostics/questionnaires/digital-maturity/1.0.0.json",
        "sha256": "27ee7bf121106760a57c71076bca00b32db1558bd1dcff58ec3048c85d9dbcb7",
        "published": True,
    }


def test_export_of_1_1_0_is_its_file_with_the_supplies_question():
    exported = export(version="1.1.0")
    path = QUESTIONNAIRES_DIR / "digital-maturity" / "1.1.0.json"

    assert {k: v for k, v in exported.items() if k not in EXPORT_ONLY_KEYS} == json.loads(
        path.read_text()
    )
    assert exported["file"]["published"] is True
    assert {"key": "supplies", "kind": "cpv"}.items() <= exported["profile"][7].items()
    assert exported["derived"] == EXPORT["derived"]


def test_export_reads_back_as_the_same_definition():
    document = {k: v for k, v in EXPORT.items() if k not in EXPORT_ONLY_KEYS}

    assert build_definition(document) == digital_maturity()


def test_export_states_the_formula_parameters():
    assert EXPORT["scoring"] == {"min_applicable_share": 0.6}
    assert EXPORT["formula"]["min_applicable_share"] == 0.6
    assert set(EXPORT["formula"]["item_score"]) == {
        "ladder",
        "tick_list",
        "grid",
        "stage_scale",
        "count",
    }
    assert [(b["key"], b["up_to"]) for b in EXPORT["bands"]] == [
        ("starting", 25),
        ("developing", 50),
        ("established", 75),
        ("advanced", 100),
    ]
    derived = EXPORT["derived"]
    assert derived["dimensions"]["trade"] == {"total_weight": 5, "weight_needed_to_score": 3}
    assert derived["questions"]["S1"] == {
        "dimension": "strategy",
        "not_applicable_possible": False,
        "divisor": 4,
    }
    assert derived["questions"]["S2"]["divisor"] == 8  # 8 rows × 1 point
    assert derived["questions"]["A5"]["divisor"] == 15  # top 3 × 5
    assert derived["questions"]["T1"]["divisor"] == 6  # the exclusive option does not count
    assert derived["questions"]["F4"]["divisor"] == 3  # the cap
    assert {k for k, q in derived["questions"].items() if q["not_applicable_possible"]} == {
        "I4",
        "F4",
        "M3",
        "M4",
    }


def test_export_of_an_unknown_questionnaire_lists_the_known_ones():
    with pytest.raises(CommandError, match=r"no questionnaire digital-maturity 9\.9\.9; known: "):
        run("export_questionnaire", "digital-maturity", "9.9.9")
    with pytest.raises(CommandError, match="known: digital-maturity 1.0.0"):
        run("export_questionnaire", "../etc", "1.0.0")


# Recomputing every score by hand from the export alone ---------------------------------------


def by_hand(exported: dict, answers: dict) -> dict:
    """The scores worked from the exported JSON only, as an auditor would, in fractions."""

    def number(value):
        return Fraction(str(value))

    def holds(condition, readings):
        if "all" in condition:
            return all(holds(part, readings) for part in condition["all"])
        if "any" in condition:
            return any(holds(part, readings) for part in condition["any"])
        if "profile" in condition:
            value = answers[condition["profile"]]
            if "in" in condition:
                return value in condition["in"]
            if "not_in" in condition:
                return value not in condition["not_in"]
            if "includes" in condition:
                return condition["includes"] in value
            return condition["excludes"] not in value
        reading = readings.get(condition["question"])
        if reading is None:
            return False  # N/A
        if "at_most" in condition:
            return reading["points"] <= number(condition["at_most"])
        if "includes" in condition:
            return condition["includes"] in reading["ticked"]
        return condition["excludes"] not in reading["ticked"]

    def points(options):
        return {option["key"]: number(option["points"]) for option in options}

    def item(question, answer):
        divisor = number(exported["derived"]["questions"][question["key"]]["divisor"])
        if answer in (None, "dont_know"):
            return Fraction(0), {"points": Fraction(0), "ticked": set()}
        kind = question["kind"]
        if kind == "ladder":
            chosen = points(question["options"])[answer]
            return chosen / divisor, {"points": chosen, "ticked": set()}
        if kind == "tick_list":
            exclusive = {o["key"] for o in question["options"] if o.get("exclusive")}
            return len(set(answer) - exclusive) / divisor, {"points": 0, "ticked": set(answer)}
        if kind == "count":
            return min(len(answer), question["cap"]) / divisor, {"ticked": set(answer)}
        if kind == "grid":
            values = points(question["columns"])
            return sum(values[answer[row["key"]]] for row in question["rows"]) / divisor, {}
        values = points(question["stages"])
        chosen = sorted((values[answer[i["key"]]] for i in question["items"]), reverse=True)
        return sum(chosen[: question["top"]]) / divisor, {}

    share = number(exported["scoring"]["min_applicable_share"])
    items, readings, dimensions = {}, {}, {}
    for dimension in exported["dimensions"]:
        applicable = total = weighted = Fraction(0)
        for question in dimension["questions"]:
            weight = number(question["weight"])
            total += weight
            if "show_if" in question and not holds(question["show_if"], readings):
                items[question["key"]] = None
                continue
            items[question["key"]], readings[question["key"]] = item(
                question, answers.get(question["key"])
            )
            applicable += weight
            weighted += weight * items[question["key"]]
        scored = applicable > 0 and applicable >= share * total
        dimensions[dimension["key"]] = 100 * weighted / applicable if scored else None
    scores = [value for value in dimensions.values() if value is not None]
    overall = sum(scores) / len(scores) if scores else None

    def band(value):
        if value is None:
            return None
        return next(b["key"] for b in exported["bands"] if value <= number(b["up_to"]))

    return {
        "dimensions": dimensions,
        "overall": overall,
        "bands": {key: band(value) for key, value in dimensions.items()}
        | {"overall": band(overall)},
        "flags": [flag["key"] for flag in exported["flags"] if holds(flag["when"], readings)],
        "items": items,
    }


def assert_matches(result: dict, hand: dict):
    def close(a, b):
        return a is None and b is None or (a is not None and b is not None and abs(a - b) < 1e-9)

    assert all(close(result["dimensions"][k], v) for k, v in hand["dimensions"].items())
    assert list(result["dimensions"]) == list(hand["dimensions"])
    assert close(result["overall"], hand["overall"])
    assert result["bands"] == hand["bands"]
    assert result["flags"] == hand["flags"]
    assert all(close(result["items"][k], v) for k, v in hand["items"].items())


@pytest.mark.parametrize(
    "answers",
    [
        MIXED_PROFILE | MIXED_ANSWERS,
        TRADING_PUBLIC | answer_all(digital_maturity(), best_answer),
        TRADING_PUBLIC | answer_all(digital_maturity(), worst_answer),
        PRE_START_PRIVATE | answer_all(digital_maturity(), lambda question: "dont_know"),
        PRE_START_PRIVATE | {"S1": "ideas", "C3": "aware", "M1": "regular_export"},
    ],
    ids=["mixed", "best", "worst", "dont-know", "few"],
)
def test_every_score_can_be_recomputed_by_hand_from_the_export(answers):
    result = score(digital_maturity(), answers).as_dict()

    assert_matches(result, by_hand(EXPORT, answers))


@settings(max_examples=50)
@given(profiles(digital_maturity()), answer_sets(digital_maturity()))
def test_any_assessment_can_be_recomputed_by_hand_from_the_export(profile, answers):
    combined = profile | answers

    assert_matches(score(digital_maturity(), combined).as_dict(), by_hand(EXPORT, combined))


# score_answers -----------------------------------------------------------------------------


def assessment(answers, *, slug="digital-maturity", version="1.0.0") -> dict:
    return {"questionnaire": slug, "version": version, "answers": answers}


def test_round_trip_export_answers_file_score_answers_equals_score(tmp_path):
    exported = export()
    # Answers chosen from the export alone: the second option of every ladder, the first
    # two options of every list, the top column of every row.
    answers = dict(MIXED_PROFILE)
    for dimension in exported["dimensions"]:
        for question in dimension["questions"]:
            kind = question["kind"]
            if kind == "ladder":
                answers[question["key"]] = question["options"][1]["key"]
            elif kind in ("tick_list", "count"):
                scoring = [o["key"] for o in question["options"] if not o.get("exclusive")]
                answers[question["key"]] = scoring[:2]
            else:
                rows, columns = ("rows", "columns") if kind == "grid" else ("items", "stages")
                top = max(question[columns], key=lambda option: option["points"])["key"]
                answers[question["key"]] = {row["key"]: top for row in question[rows]}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(assessment(answers)))

    printed = json.loads(run("score_answers", str(path)))

    assert printed == score(digital_maturity(), answers).as_dict()
    assert_matches(printed, by_hand(exported, answers))


def test_score_answers_reads_standard_input():
    answers = MIXED_PROFILE | MIXED_ANSWERS

    printed = json.loads(run("score_answers", "-", stdin=json.dumps(assessment(answers))))

    assert printed == score(digital_maturity(), answers).as_dict()
    assert printed["overall"] == 50.875


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "standard input is not valid JSON: Expecting property name"),
        ('{"overall": NaN}', "standard input is not valid JSON: NaN is not allowed"),
        ("[]", "the file must hold a JSON object"),
        (
            json.dumps({"questionnaire": "digital-maturity", "version": "1.0.0"}),
            "must have exactly the keys questionnaire, version, answers; missing: answers",
        ),
        (
            json.dumps({**assessment({}), "score": 100}),
            "; unknown: score",
        ),
        (
            json.dumps(assessment({}, version="2.0.0")),
            "no questionnaire 'digital-maturity' '2.0.0'; known: digital-maturity 1.0.0",
        ),
        (
            json.dumps(assessment({}, slug="maturity")),
            "no questionnaire 'maturity' '1.0.0'; known: digital-maturity 1.0.0",
        ),
        (json.dumps(assessment(["S1"])), "answers must be a JSON object"),
        (
            json.dumps(assessment({**TRADING_PUBLIC, "S1": "sometimes"})),
            "answer S1: 'sometimes' is not one of its options",
        ),
        (
            json.dumps(assessment({**TRADING_PUBLIC, "S3": "staff_ready"})),
            "answer S3: must be a list of option keys",
        ),
        (
            json.dumps(assessment({**TRADING_PUBLIC, "I4": "na"})),
            "answer I4: N/A is only possible where the profile rules the question out",
        ),
        (
            json.dumps(assessment({**TRADING_PUBLIC, "Z9": "none"})),
            "answer Z9: is not a question or profile field",
        ),
        (
            json.dumps(assessment({**TRADING_PUBLIC, "stage": "booming"})),
            "answer profile stage: 'booming' is not one of its options",
        ),
        (json.dumps(assessment({})), "answer profile customer_types: is needed to score"),
    ],
)
def test_score_answers_names_the_problem_without_a_traceback(text, message):
    with pytest.raises(CommandError) as raised:
        run("score_answers", "-", stdin=text)

    assert message in str(raised.value)
    error = raised.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_score_answers_of_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read .*missing.json"):
        run("score_answers", str(tmp_path / "missing.json"))


def test_export_of_1_2_0_is_its_file_with_every_welsh_twin():
    exported = export(version="1.2.0")
    path = QUESTIONNAIRES_DIR / "digital-maturity" / "1.2.0.json"

    assert {k: v for k, v in exported.items() if k not in EXPORT_ONLY_KEYS} == json.loads(
        path.read_text(encoding="utf-8")
    )
    assert exported["languages"] == ["en", "cy"]
    assert exported["derived"] == EXPORT["derived"]
