"""A loaded definition back to plain JSON, complete enough to recompute every score by hand.

`definition_as_dict` writes the definition in the file format of ``questionnaires/README.md``
(so ``build_definition`` reads the same definition back from it, less `EXPORT_ONLY_KEYS`),
plus:
- ``formula``: the scoring rules in words, with their parameters;
- ``derived``: for each question its dimension, whether it can be N/A, and the divisor of its
  item score; for each dimension its total weight and the weight needed to be scored.

The model's classes are named as ``model.Ladder`` here: this module mirrors the whole of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import diagnostics.definitions.model as model
from diagnostics.definitions.model import DONT_KNOW, NOT_APPLICABLE, OVERALL
from diagnostics.definitions.reader import WELSH

# Keys of the export that are not part of the file format ("file", the path, sha256 and
# whether it is published, is added by ``manage.py export_questionnaire``).
EXPORT_ONLY_KEYS = ("formula", "derived", "file")

ITEM_SCORES = {
    model.Ladder.kind: "s = points of the chosen option / highest points of its options",
    model.TickList.kind: (
        "s = non-exclusive options ticked / number of non-exclusive options; "
        "the exclusive option ('none of these') scores 0 and cannot be ticked with others"
    ),
    model.Grid.kind: "s = sum of the chosen column points / (rows × highest column points)",
    model.StageScale.kind: (
        "s = mean of the `top` highest chosen stage points / highest stage points"
    ),
    model.Count.kind: "s = min(number of options ticked, cap) / cap",
}


def definition_as_dict(definition: model.Definition) -> dict[str, Any]:
    profile_fields = definition.profile_fields
    document: dict[str, Any] = {"slug": definition.slug, "version": definition.version}
    if definition.languages != ("en",):
        document["languages"] = list(definition.languages)
    document |= _texts(title=definition.title)
    document = _with_optional(document, description=definition.description)
    document |= {
        "scoring": {"min_applicable_share": _number(definition.min_applicable_share)},
        "answer_labels": _texts(
            **{
                DONT_KNOW: definition.dont_know_label,
                NOT_APPLICABLE: definition.not_applicable_label,
            }
        ),
        "bands": [
            {
                "key": b.key,
                **_texts(label=b.label),
                "up_to": _number(b.up_to),
                **_texts(text=b.text),
            }
            for b in definition.bands
        ],
        "profile": [_profile_field(field) for field in definition.profile],
        "dimensions": [
            _with_optional(
                {"key": dimension.key, **_texts(title=dimension.title)},
                source=dimension.source,
            )
            | {
                "questions": [_question(q, profile_fields) for q in dimension.questions],
                "advice": {
                    band: {
                        **_texts(text=advice.text, next_steps=advice.next_steps),
                        "recommend": _recommendations(advice.recommend),
                    }
                    for band, advice in dimension.advice.items()
                },
            }
            for dimension in definition.dimensions
        ],
        "flags": [
            {
                "key": flag.key,
                "dimension": flag.dimension,
                "when": _condition(flag.when, profile_fields),
                **_texts(text=flag.text),
                "recommend": _recommendations(flag.recommend),
            }
            for flag in definition.flags
        ],
        "formula": _formula(definition),
        "derived": _derived(definition),
    }
    return document


def _formula(definition: model.Definition) -> dict[str, Any]:
    share = definition.min_applicable_share
    return {
        "item_score": dict(ITEM_SCORES),
        "dont_know": f"the answer {DONT_KNOW!r} scores s = 0",
        "unanswered": "a question with no answer scores s = 0 and stays in the denominator",
        "not_applicable": (
            f"a question whose show_if does not hold for the profile is N/A ({NOT_APPLICABLE!r})"
            " whatever was answered, and leaves the denominator; N/A is possible nowhere else"
        ),
        "dimension": (
            "100 × Σ(weight × s) / Σ weight over the questions that apply; not scored when the "
            f"weight that applies is below min_applicable_share ({_number(share)}) × total weight"
        ),
        "overall": "the mean of the dimensions that are scored, each counting equally",
        "band": (
            "the first band whose up_to the score does not exceed, at full precision; "
            f"the overall score is banded the same way, under the key {OVERALL!r}"
        ),
        "weakest": "the scored dimension with the lowest score; the first on a tie",
        "flags": (
            "raised when `when` holds; a test on a question that is N/A never holds; "
            "at_most compares the chosen option's points ('don't know' counts as 0)"
        ),
        "rounding": "none until display: a whole number, rounded half up",
        "min_applicable_share": _number(share),
    }


def _derived(definition: model.Definition) -> dict[str, Any]:
    questions = {}
    dimensions = {}
    for dimension in definition.dimensions:
        total = sum(question.weight for question in dimension.questions)
        dimensions[dimension.key] = {
            "total_weight": _number(total),
            "weight_needed_to_score": _number(total * definition.min_applicable_share),
        }
        for question in dimension.questions:
            questions[question.key] = {
                "dimension": dimension.key,
                "not_applicable_possible": question.show_if is not None,
                "divisor": _number(_divisor(question)),
            }
    return {"questions": questions, "dimensions": dimensions}


def _divisor(question: model.Question) -> Fraction:
    """What the points (or ticks) of an answer are divided by to give s."""
    match question:
        case model.Ladder():
            return question.max_points
        case model.TickList():
            return Fraction(len(question.scoring_options))
        case model.Grid():
            return len(question.rows) * max(column.points for column in question.columns)
        case model.StageScale():
            return question.top * max(stage.points for stage in question.stages)
        case model.Count():
            return Fraction(question.cap)
    raise TypeError(f"no scoring rule for {type(question).__name__}")


def _question(question: model.Question, profile_fields: Mapping[str, model.ProfileField]) -> dict:
    document = {"key": question.key, "kind": question.kind, **_texts(text=question.text)}
    document = _with_optional(document, hint=question.hint, source=question.source)
    document["weight"] = _number(question.weight)
    if question.show_if is not None:
        document["show_if"] = _condition(question.show_if, profile_fields)
    match question:
        case model.Ladder() | model.TickList():
            document["options"] = _options(question.options)
        case model.Count():
            document["options"] = _options(question.options)
            document["cap"] = question.cap
        case model.Grid():
            document["rows"] = _options(question.rows)
            document["columns"] = _options(question.columns)
        case model.StageScale():
            document["items"] = _options(question.items)
            document["stages"] = _options(question.stages)
            document["top"] = question.top
    return document


def _options(options: tuple[model.Option, ...]) -> list[dict]:
    documents = []
    for option in options:
        document = _with_optional(
            {"key": option.key, **_texts(label=option.label)}, hint=option.hint
        )
        if option.points is not None:
            document["points"] = _number(option.points)
        if option.exclusive:
            document["exclusive"] = True
        documents.append(document)
    return documents


def _profile_field(field: model.ProfileField) -> dict:
    document = {"key": field.key, "kind": field.kind, **_texts(text=field.text)}
    document = _with_optional(document, hint=field.hint)
    if field.has_options:
        document["options"] = _options(field.options)
    return document


def _condition(
    condition: model.Condition, profile_fields: Mapping[str, model.ProfileField]
) -> dict:
    match condition:
        case model.AllOf(conditions):
            return {"all": [_condition(part, profile_fields) for part in conditions]}
        case model.AnyOf(conditions):
            return {"any": [_condition(part, profile_fields) for part in conditions]}
        case model.ProfileIn(field, keys, negated):
            ordered = [o.key for o in profile_fields[field].options if o.key in keys]
            return {"profile": field, "not_in" if negated else "in": ordered}
        case model.ProfileIncludes(field, key, negated):
            return {"profile": field, "excludes" if negated else "includes": key}
        case model.AnswerAtMost(question, points):
            return {"question": question, "at_most": _number(points)}
        case model.AnswerIncludes(question, option, negated):
            return {"question": question, "excludes" if negated else "includes": option}
    raise TypeError(f"unknown condition {condition!r}")


def _recommendations(recommendations: tuple[model.Recommendation, ...]) -> list[dict]:
    return [_with_optional({"kind": r.kind}, topic=r.topic) for r in recommendations]


def _texts(**texts: model.Text) -> dict[str, str]:
    """Each text in English, with its Welsh twin (``text_cy``) when it has one."""
    document = {}
    for name, text in texts.items():
        document[name] = text.en
        if text.cy:
            document[name + WELSH] = text.cy
    return document


def _with_optional(document: dict, **optional: model.Text | str) -> dict:
    """The document with the optional texts that are not empty (the format omits them);
    a `model.Text` with its Welsh twin."""
    for name, text in optional.items():
        if isinstance(text, model.Text):
            document = document | (_texts(**{name: text}) if text else {})
        elif text:
            document = document | {name: text}
    return document


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)
