"""Profiles, answers and made-up definitions shared by the diagnostics tests."""

import copy

from hypothesis import strategies as st

from diagnostics.definitions import (
    DONT_KNOW,
    Count,
    Definition,
    Grid,
    Ladder,
    Question,
    StageScale,
    TickList,
    load_definition,
)


def digital_maturity() -> Definition:
    return load_definition("digital-maturity", "1.0.0")


# A trading business that sells to the public sector and plans to bid and raise finance:
# every question applies and every flag can fire.
TRADING_PUBLIC = {
    "council": "E08000021",
    "size": "small",
    "stage": "growing",
    "sic_section": "J",
    "turnover": "1m_to_2m",
    "customer_types": ["businesses", "public_sector"],
    "plans": ["raise_finance", "bid_public_contracts"],
    "role": "owner",
}

# A business not trading yet with no public sector in view: I4, F4, M3 and M4 are N/A.
PRE_START_PRIVATE = {
    "council": "W06000015",
    "size": "micro",
    "stage": "pre_start",
    "sic_section": "I",
    "turnover": "none_yet",
    "customer_types": ["consumers"],
    "plans": ["hire"],
    "role": "owner",
}


def best_answer(question: Question):
    match question:
        case Ladder():
            return max(question.options, key=lambda option: option.points).key
        case TickList():
            return [option.key for option in question.scoring_options]
        case Count():
            return [option.key for option in question.options]
        case Grid():
            best = max(question.columns, key=lambda column: column.points).key
            return {row.key: best for row in question.rows}
        case StageScale():
            best = max(question.stages, key=lambda stage: stage.points).key
            return {item.key: best for item in question.items}
    raise TypeError(question)


def worst_answer(question: Question):
    match question:
        case Ladder():
            return min(question.options, key=lambda option: option.points).key
        case TickList():
            return [option.key for option in question.options if option.exclusive]
        case Count():
            return []
        case Grid():
            worst = min(question.columns, key=lambda column: column.points).key
            return {row.key: worst for row in question.rows}
        case StageScale():
            worst = min(question.stages, key=lambda stage: stage.points).key
            return {item.key: worst for item in question.items}
    raise TypeError(question)


def answer_all(definition: Definition, choose) -> dict:
    return {key: choose(question) for key, question in definition.questions.items()}


# Hypothesis strategies ---------------------------------------------------------------------


def answers_to(question: Question) -> st.SearchStrategy:
    """Any valid answer to a question, "don't know" included."""
    match question:
        case Ladder():
            specific = st.sampled_from([option.key for option in question.options])
        case TickList():
            scoring = [option.key for option in question.scoring_options]
            exclusive = [[option.key] for option in question.options if option.exclusive]
            specific = st.lists(st.sampled_from(scoring), unique=True)
            if exclusive:
                specific = specific | st.sampled_from(exclusive)
        case Count():
            keys = [option.key for option in question.options]
            specific = st.lists(st.sampled_from(keys), unique=True)
        case Grid():
            columns = st.sampled_from([column.key for column in question.columns])
            specific = st.fixed_dictionaries({row.key: columns for row in question.rows})
        case StageScale():
            stages = st.sampled_from([stage.key for stage in question.stages])
            specific = st.fixed_dictionaries({item.key: stages for item in question.items})
        case _:
            raise TypeError(question)
    return st.just(DONT_KNOW) | specific


def answer_sets(definition: Definition) -> st.SearchStrategy:
    """Answers to any subset of the questions (the rest unanswered)."""
    return st.fixed_dictionaries(
        {},
        optional={key: answers_to(question) for key, question in definition.questions.items()},
    )


def profiles(definition: Definition) -> st.SearchStrategy:
    fields = {}
    for field in definition.profile:
        keys = [option.key for option in field.options]
        if field.kind == "single":
            fields[field.key] = st.sampled_from(keys)
        elif field.kind == "multi":
            fields[field.key] = st.lists(st.sampled_from(keys), unique=True)
        elif field.kind == "cpv":
            codes = st.sampled_from(["72000000", "72200000", "48000000"])
            fields[field.key] = st.lists(codes, unique=True)
        else:
            fields[field.key] = st.sampled_from(["E08000021", "S12000036", "W06000015"])
    return st.fixed_dictionaries(fields)


def better_answers(question: Question, answer) -> st.SearchStrategy:
    """Answers that score at least as well as `answer` (None meaning unanswered)."""
    if answer is None or answer == DONT_KNOW:
        return answers_to(question)
    match question:
        case Ladder():
            points = {option.key: option.points for option in question.options}
            return st.sampled_from([k for k, p in points.items() if p >= points[answer]])
        case TickList() | Count():
            exclusive = {option.key for option in question.options if option.exclusive}
            ticked = [key for key in answer if key not in exclusive]
            untouched = [
                option.key
                for option in question.options
                if option.key not in ticked and option.key not in exclusive
            ]
            if not untouched:
                return st.just(answer)
            more = st.lists(st.sampled_from(untouched), unique=True, min_size=1)
            return more.map(lambda extra: ticked + extra)
        case Grid() | StageScale():
            rows, columns = (
                (question.rows, question.columns)
                if isinstance(question, Grid)
                else (question.items, question.stages)
            )
            points = {column.key: column.points for column in columns}

            def raise_row(row: str) -> st.SearchStrategy:
                better = [k for k, p in points.items() if p >= points[answer[row]]]
                return st.sampled_from(better).map(lambda column: {**answer, row: column})

            return st.sampled_from([row.key for row in rows]).flatmap(raise_row)
    raise TypeError(question)


# Made-up definitions -----------------------------------------------------------------------


BANDS = [
    {"key": "starting", "label": "Starting", "up_to": 25, "text": "Starting out."},
    {"key": "developing", "label": "Developing", "up_to": 50, "text": "Developing."},
    {"key": "established", "label": "Established", "up_to": 75, "text": "Established."},
    {"key": "advanced", "label": "Advanced", "up_to": 100, "text": "Advanced."},
]


def ladder_document(key: str, *, weight=1, show_if=None) -> dict:
    question = {"key": key, "kind": "ladder", "text": f"Question {key}?", "weight": weight}
    if show_if is not None:
        question["show_if"] = show_if
    question["options"] = [
        {"key": "low", "label": "Low", "points": 0},
        {"key": "middle", "label": "Middle", "points": 1},
        {"key": "high", "label": "High", "points": 2},
    ]
    return question


def tick_list_document(key: str) -> dict:
    return {
        "key": key,
        "kind": "tick_list",
        "text": f"Question {key}?",
        "weight": 1,
        "options": [
            {"key": "first", "label": "First"},
            {"key": "second", "label": "Second"},
            {"key": "none", "label": "None of these", "exclusive": True},
        ],
    }


def dimension_document(key: str, questions: list[dict]) -> dict:
    return {
        "key": key,
        "title": key.title(),
        "questions": questions,
        "advice": {
            band["key"]: {
                "text": f"{band['label']} text.",
                "next_steps": "Next steps.",
                "recommend": [{"kind": "advice_and_mentoring", "topic": key}],
            }
            for band in BANDS
        },
    }


TRADING = {"profile": "stage", "in": ["trading"]}


def definition_document(*, dimensions=None, flags=None) -> dict:
    """A small valid definition document, for tests to change."""
    if dimensions is None:
        dimensions = [
            dimension_document("first", [ladder_document("Q1"), tick_list_document("Q2")]),
            dimension_document("second", [ladder_document("Q3", show_if=TRADING)]),
        ]
    return copy.deepcopy(
        {
            "slug": "made-up",
            "version": "1.0.0",
            "title": "Made-up questionnaire",
            "scoring": {"min_applicable_share": 0.6},
            "answer_labels": {"dont_know": "I do not know", "na": "Does not apply"},
            "bands": BANDS,
            "profile": [
                {
                    "key": "stage",
                    "kind": "single",
                    "text": "What stage?",
                    "options": [
                        {"key": "pre_start", "label": "Not trading yet"},
                        {"key": "trading", "label": "Trading"},
                    ],
                },
                {
                    "key": "plans",
                    "kind": "multi",
                    "text": "What plans?",
                    "options": [
                        {"key": "bid", "label": "Bid"},
                        {"key": "export", "label": "Export"},
                    ],
                },
                {"key": "council", "kind": "council", "text": "Which council?"},
            ],
            "dimensions": dimensions,
            "flags": flags
            if flags is not None
            else [
                {
                    "key": "low_q1",
                    "dimension": "first",
                    "when": {
                        "all": [
                            {"question": "Q1", "at_most": 0},
                            {"profile": "plans", "includes": "bid"},
                        ]
                    },
                    "text": "Q1 is low and you plan to bid.",
                }
            ],
        }
    )
