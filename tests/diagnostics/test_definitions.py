import json
from collections import defaultdict
from fractions import Fraction

import pytest

from diagnostics.definitions import (
    PUBLISHED,
    QUESTIONNAIRES_DIR,
    Count,
    DefinitionError,
    Grid,
    Ladder,
    StageScale,
    TickList,
    build_definition,
    definition_as_dict,
    definition_files,
    file_sha256,
    latest_published,
    load_all_definitions,
    load_definition,
    load_file,
    parse_definition,
)
from tests.diagnostics.examples import (
    definition_document,
    dimension_document,
    ladder_document,
)

# Loading and publishing --------------------------------------------------------------------


@pytest.mark.parametrize("path", definition_files(), ids=lambda path: path.name)
def test_every_definition_file_loads_where_its_slug_and_version_say(path):
    definition = load_file(path)

    assert (definition.slug, definition.version) == (path.parent.name, path.stem)


def test_load_all_definitions_returns_every_file_in_version_order():
    definitions = load_all_definitions()

    assert [(d.slug, d.version) for d in definitions] == [
        (path.parent.name, path.stem) for path in definition_files()
    ]
    assert ("digital-maturity", "1.0.0") in [(d.slug, d.version) for d in definitions]


@pytest.mark.parametrize(
    ("slug", "version"), [pytest.param(*key, id="/".join(key)) for key in sorted(PUBLISHED)]
)
def test_published_file_is_unchanged(slug, version):
    path = QUESTIONNAIRES_DIR / slug / f"{version}.json"

    assert file_sha256(path) == PUBLISHED[slug, version], (
        f"{slug} {version} is published and must not change: publish a new version instead "
        "(diagnostics/questionnaires/README.md)"
    )


def test_digital_maturity_1_2_0_is_published_and_latest_and_earlier_versions_stay_published():
    assert ("digital-maturity", "1.0.0") in PUBLISHED
    assert ("digital-maturity", "1.1.0") in PUBLISHED
    assert ("digital-maturity", "1.2.0") in PUBLISHED
    assert latest_published("digital-maturity").version == "1.2.0"


def test_loading_a_published_version_that_changed_is_refused(tmp_path):
    original = (QUESTIONNAIRES_DIR / "digital-maturity" / "1.0.0.json").read_text()
    changed = tmp_path / "digital-maturity" / "1.0.0.json"
    changed.parent.mkdir()
    changed.write_text(original.replace("Digital maturity check", "Digital maturity quiz"))

    with pytest.raises(DefinitionError, match="has changed since it was published"):
        load_file(changed)


def test_a_file_named_for_another_version_is_refused(tmp_path):
    misplaced = tmp_path / "made-up" / "1.1.0.json"
    misplaced.parent.mkdir()
    misplaced.write_text(json.dumps(definition_document()))

    with pytest.raises(DefinitionError) as error:
        load_file(misplaced)

    assert str(error.value) == (
        "made-up/1.1.0.json: version: made-up 1.0.0 must be in made-up/1.0.0.json"
    )


def test_a_version_file_with_a_name_that_is_not_a_version_is_refused(tmp_path):
    (tmp_path / "made-up").mkdir()
    (tmp_path / "made-up" / "draft.json").write_text("{}")

    with pytest.raises(DefinitionError, match="file name must be <version>.json"):
        definition_files(tmp_path)


def test_unknown_questionnaire_is_a_lookup_error():
    with pytest.raises(LookupError):
        load_definition("digital-maturity", "9.9.9")
    with pytest.raises(LookupError):
        load_definition("../secrets", "1.0.0")


def scoring_shape(definition):
    """Everything that decides a score: it may change only with the major version."""
    return (
        definition.min_applicable_share,
        tuple((band.key, band.up_to) for band in definition.bands),
        # An optional field (what the business supplies) is neither scored nor tested by
        # any condition, so a minor version may add one.
        tuple(
            (field.key, field.kind, field.option_keys())
            for field in definition.profile
            if not field.optional
        ),
        tuple(
            (
                dimension.key,
                tuple(
                    (
                        type(question),
                        question.key,
                        question.weight,
                        question.show_if,
                        *(
                            tuple((o.key, o.points, o.exclusive) for o in getattr(question, name))
                            for name in ("options", "rows", "columns", "items", "stages")
                            if hasattr(question, name)
                        ),
                        getattr(question, "top", None),
                        getattr(question, "cap", None),
                    )
                    for question in dimension.questions
                ),
            )
            for dimension in definition.dimensions
        ),
        tuple((flag.key, flag.dimension, flag.when) for flag in definition.flags),
    )


def test_versions_with_the_same_major_version_score_alike():
    by_major = defaultdict(list)
    for definition in load_all_definitions():
        by_major[definition.slug, definition.major].append(definition)

    for versions in by_major.values():
        shapes = {scoring_shape(definition) for definition in versions}
        assert len(shapes) == 1, [str(definition) for definition in versions]


# Digital maturity 1.0.0 against QUESTIONNAIRE.md -------------------------------------------

LADDER, TICKS = "ladder", "tick_list"
# key → (kind, number of options, rows or scoring items)
SPECIFICATION = {
    "strategy": {"S1": LADDER, "S2": "grid", "S3": 6, "S4": LADDER, "S5": 5},
    "skills": {"K1": LADDER, "K2": 5, "K3": 6, "K4": LADDER, "K5": 5},
    "adoption": {"A1": 8, "A2": LADDER, "A3": 5, "A4": LADDER, "A5": "stage_scale"},
    "data": {"T1": 6, "T2": LADDER, "T3": LADDER, "T4": 4, "T5": LADDER},
    "cyber": {"C1": LADDER, "C2": 5, "C3": LADDER, "C4": 5, "C5": LADDER},
    "innovation": {"I1": 4, "I2": LADDER, "I3": 5, "I4": LADDER, "I5": LADDER},
    "finance": {"F1": LADDER, "F2": 5, "F3": LADDER, "F4": "count", "F5": LADDER},
    "trade": {"M1": LADDER, "M2": 4, "M3": 5, "M4": LADDER, "M5": 4},
}


def test_digital_maturity_has_the_specified_dimensions_and_questions():
    definition = load_definition("digital-maturity", "1.0.0")

    assert {
        dimension.key: [question.key for question in dimension.questions]
        for dimension in definition.dimensions
    } == {key: list(questions) for key, questions in SPECIFICATION.items()}
    assert all(question.weight == 1 for question in definition.questions.values())


@pytest.mark.parametrize(
    ("key", "shape"),
    [(key, shape) for questions in SPECIFICATION.values() for key, shape in questions.items()],
)
def test_digital_maturity_question_scores_as_specified(key, shape):
    question = load_definition("digital-maturity", "1.0.0").questions[key]

    if shape == LADDER:
        assert isinstance(question, Ladder)
        assert [option.points for option in question.options] == [0, 1, 2, 3, 4]
    elif isinstance(shape, int):
        assert isinstance(question, TickList)
        assert len(question.scoring_options) == shape
        exclusive = [option.key for option in question.options if option.exclusive]
        assert exclusive == (["not_collected_digitally"] if key == "T1" else [])
    elif shape == "grid":
        assert isinstance(question, Grid)
        assert len(question.rows) == 8
        assert [column.points for column in question.columns] == [1, Fraction(1, 2), 0]
    elif shape == "stage_scale":
        assert isinstance(question, StageScale)
        assert len(question.items) == 6
        assert [stage.points for stage in question.stages] == [0, 1, 2, 3, 4, 5]
        assert question.top == 3
    else:
        assert isinstance(question, Count)
        assert (len(question.options), question.cap) == (6, 3)


def test_digital_maturity_only_i4_f4_m3_m4_can_be_not_applicable():
    definition = load_definition("digital-maturity", "1.0.0")

    conditional = [key for key, q in definition.questions.items() if q.show_if is not None]

    assert conditional == ["I4", "F4", "M3", "M4"]


def test_digital_maturity_profile_bands_and_flags():
    definition = load_definition("digital-maturity", "1.0.0")

    fields = definition.profile_fields
    assert list(fields) == [
        "council",
        "size",
        "stage",
        "sic_section",
        "turnover",
        "customer_types",
        "plans",
        "role",
    ]
    assert [o.key for o in fields["size"].options] == ["micro", "small", "medium", "large"]
    assert [o.key for o in fields["stage"].options] == [
        "pre_start",
        "start_up",
        "growing",
        "established",
        "scaling",
    ]
    assert [o.key for o in fields["sic_section"].options] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert fields["customer_types"].option_keys() == {"consumers", "businesses", "public_sector"}
    assert len(fields["plans"].options) == 6
    assert [(str(band.label), band.up_to) for band in definition.bands] == [
        ("Starting", 25),
        ("Developing", 50),
        ("Established", 75),
        ("Advanced", 100),
    ]
    assert definition.min_applicable_share == Fraction(3, 5)
    assert len(definition.flags) == 8


def test_digital_maturity_1_1_0_only_adds_the_optional_supplies_question():
    earlier = definition_as_dict(load_definition("digital-maturity", "1.0.0"))
    later = definition_as_dict(load_definition("digital-maturity", "1.1.0"))

    (supplies,) = [field for field in later["profile"] if field["key"] == "supplies"]
    assert supplies["kind"] == "cpv"
    assert supplies["text"] == "What do you supply? (optional)"
    assert "72000000" in supplies["hint"] and "72200000" in supplies["hint"]
    assert "options" not in supplies
    later["profile"].remove(supplies)
    assert later.pop("version") == "1.1.0"
    assert earlier.pop("version") == "1.0.0"
    assert later == earlier


def test_the_supplies_field_is_optional_and_after_the_plans():
    definition = load_definition("digital-maturity", "1.1.0")
    fields = list(definition.profile_fields)

    assert fields.index("supplies") == fields.index("plans") + 1
    assert definition.profile_fields["supplies"].optional
    assert [f.key for f in definition.profile if f.optional] == ["supplies"]


def test_a_cpv_profile_field_loads_without_options_and_exports_the_same():
    document = definition_document()
    document["profile"].append(
        {"key": "supplies", "kind": "cpv", "text": "What do you supply?", "hint": "Codes."}
    )

    definition = build_definition(document)

    field = definition.profile_fields["supplies"]
    assert (field.kind, field.options, field.optional) == ("cpv", (), True)
    assert definition_as_dict(definition)["profile"][-1] == document["profile"][-1]


# Refusing broken definitions ---------------------------------------------------------------


def set_points_to_text(document):
    document["dimensions"][0]["questions"][0]["options"][1]["points"] = "1"


def set_points_to_true(document):
    document["dimensions"][0]["questions"][0]["options"][1]["points"] = True


def add_unknown_key(document):
    document["dimensions"][0]["questions"][0]["colour"] = "blue"


def remove_question_text(document):
    del document["dimensions"][0]["questions"][0]["text"]


def repeat_an_option_key(document):
    document["dimensions"][0]["questions"][0]["options"][1]["key"] = "low"


def repeat_a_question_key(document):
    document["dimensions"][1]["questions"][0]["key"] = "Q1"


def show_if_unknown_profile_field(document):
    document["dimensions"][1]["questions"][0]["show_if"] = {"profile": "stag", "in": ["x"]}


def show_if_unknown_option(document):
    document["dimensions"][1]["questions"][0]["show_if"] = {
        "profile": "stage",
        "not_in": ["pre_trading"],
    }


def show_if_on_an_answer(document):
    document["dimensions"][1]["questions"][0]["show_if"] = {"question": "Q1", "at_most": 0}


def flag_on_unknown_question(document):
    document["flags"][0]["when"]["all"][0] = {"question": "Z9", "at_most": 0}


def flag_ticks_a_ladder(document):
    document["flags"][0]["when"]["all"][0] = {"question": "Q1", "includes": "low"}


def unknown_kind(document):
    document["dimensions"][0]["questions"][0]["kind"] = "slider"


def two_exclusive_options(document):
    document["dimensions"][0]["questions"][1]["options"][0]["exclusive"] = True


def bands_out_of_order(document):
    document["bands"][2]["up_to"] = 40


def advice_missing_a_band(document):
    del document["dimensions"][0]["advice"]["advanced"]


def unknown_support_kind(document):
    document["dimensions"][0]["advice"]["starting"]["recommend"][0]["kind"] = "hackathon"


def reserved_option_key(document):
    document["dimensions"][0]["questions"][1]["options"][0]["key"] = "dont_know"


def top_above_items(document):
    document["dimensions"][0]["questions"][0] = {
        "key": "Q1",
        "kind": "stage_scale",
        "text": "How far?",
        "weight": 1,
        "items": [{"key": "ai", "label": "AI"}],
        "stages": [
            {"key": "no", "label": "No", "points": 0},
            {"key": "yes", "label": "Yes", "points": 1},
        ],
        "top": 3,
    }


def ladder_scoring_nothing(document):
    for option in document["dimensions"][0]["questions"][0]["options"]:
        option["points"] = 0


def zero_weight(document):
    document["dimensions"][0]["questions"][0]["weight"] = 0


def repeat_a_dimension_key(document):
    document["dimensions"][1]["key"] = "first"


def question_keyed_like_a_profile_field(document):
    # Answers hold the profile and the questions in one mapping, so the keys must differ.
    document["dimensions"][1]["questions"][0]["key"] = "plans"


def cpv_field_with_options(document):
    document["profile"].append(
        {
            "key": "supplies",
            "kind": "cpv",
            "text": "What?",
            "options": [{"key": "a", "label": "A"}],
        }
    )


def show_if_on_a_cpv_field(document):
    document["profile"].append({"key": "supplies", "kind": "cpv", "text": "What?"})
    document["dimensions"][1]["questions"][0]["show_if"] = {
        "profile": "supplies",
        "includes": "72000000",
    }


def unknown_profile_kind(document):
    document["profile"][0]["kind"] = "postcode"


def dimension_keyed_overall(document):
    document["dimensions"][1]["key"] = "overall"


BREAKAGES = [
    (set_points_to_text, "dimensions[0].questions[0].options[1].points: must be a number"),
    (set_points_to_true, "dimensions[0].questions[0].options[1].points: must be a number"),
    (
        add_unknown_key,
        "dimensions[0].questions[0].colour: unknown key "
        "(allowed: key, kind, text, weight, options, hint, source, show_if)",
    ),
    (remove_question_text, "dimensions[0].questions[0].text: is required"),
    (
        repeat_an_option_key,
        "dimensions[0].questions[0].options[1].key: duplicate key 'low' "
        "(first at dimensions[0].questions[0].options[0].key)",
    ),
    (repeat_a_question_key, "dimensions[1].questions[0].key: duplicate question key 'Q1'"),
    (
        show_if_unknown_profile_field,
        "dimensions[1].questions[0].show_if.profile: no profile field 'stag'",
    ),
    (
        show_if_unknown_option,
        "dimensions[1].questions[0].show_if.not_in[0]: stage has no option 'pre_trading'",
    ),
    (
        show_if_on_an_answer,
        "dimensions[1].questions[0].show_if.question: "
        "show_if may only test the profile, not other answers",
    ),
    (flag_on_unknown_question, "flags[0].when.all[0].question: no question 'Z9'"),
    (flag_ticks_a_ladder, "flags[0].when.all[0]: must have exactly one of: at_most"),
    (
        unknown_kind,
        "dimensions[0].questions[0].kind: "
        "must be one of: ladder, tick_list, grid, stage_scale, count",
    ),
    (
        two_exclusive_options,
        "dimensions[0].questions[1].options: only one option may be exclusive",
    ),
    (bands_out_of_order, "bands[2].up_to: must be above the previous band's up_to"),
    (advice_missing_a_band, "dimensions[0].advice.advanced: is required"),
    (
        unknown_support_kind,
        "dimensions[0].advice.starting.recommend[0].kind: must be one of: accelerator, "
        "advice_and_mentoring, contract_opportunity, equity_investment, event, grant, "
        "incubator, loan, network_or_peer_group, training_course, voucher",
    ),
    (
        reserved_option_key,
        "dimensions[0].questions[1].options[0].key: 'dont_know' is reserved for every question",
    ),
    (top_above_items, "dimensions[0].questions[0].top: must be from 1 to 1"),
    (
        ladder_scoring_nothing,
        "dimensions[0].questions[0].options: the highest points must be above 0",
    ),
    (zero_weight, "dimensions[0].questions[0].weight: must be above 0"),
    (
        repeat_a_dimension_key,
        "dimensions[1].key: duplicate dimension key 'first' (first at dimensions[0].key)",
    ),
    (
        question_keyed_like_a_profile_field,
        "dimensions[1].questions[0].key: 'plans' is already a profile field key",
    ),
    (dimension_keyed_overall, "dimensions[1].key: 'overall' is reserved for the overall score"),
    (
        cpv_field_with_options,
        "profile[3].options: unknown key (allowed: key, kind, text, hint)",
    ),
    (
        show_if_on_a_cpv_field,
        "dimensions[1].questions[0].show_if.profile: the cpv field 'supplies' cannot be tested",
    ),
    (unknown_profile_kind, "profile[0].kind: must be one of: single, multi, council, cpv"),
]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [pytest.param(breakage, message, id=breakage.__name__) for breakage, message in BREAKAGES],
)
def test_broken_definition_is_refused_naming_the_key(breakage, message):
    document = definition_document()
    build_definition(document)  # valid before the breakage
    breakage(document)

    with pytest.raises(DefinitionError) as error:
        build_definition(document)

    assert str(error.value) == message


def test_duplicate_json_key_is_refused_naming_the_object():
    text = json.dumps(definition_document()).replace('"weight": 1', '"weight": 1, "weight": 2', 1)

    with pytest.raises(DefinitionError) as error:
        parse_definition(text, source="made-up/1.0.0.json")

    assert (
        str(error.value)
        == "made-up/1.0.0.json: dimensions[0].questions[0]: duplicate key 'weight'"
    )
    assert error.value.path == "dimensions[0].questions[0]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"slug": NaN}', "not valid JSON: NaN is not a number"),
        ('{"slug": "made-up",', "not valid JSON: "),
        ("[]", "must be an object"),
    ],
)
def test_text_that_is_not_a_definition_object_is_refused(text, message):
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(")):
        parse_definition(text)


def test_made_up_definition_with_weights_loads_exactly():
    document = definition_document(
        dimensions=[dimension_document("only", [ladder_document("Q1", weight=0.1)])], flags=[]
    )

    definition = parse_definition(json.dumps(document))

    assert definition.questions["Q1"].weight == Fraction(1, 10)
