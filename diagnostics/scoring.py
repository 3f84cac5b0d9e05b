"""Scoring an assessment: one pure function, ``score(definition, answers) -> Result``.

No ORM and no Django: plain values in, a `Result` out. The arithmetic is exact (fractions)
and becomes a float only in the result; the only rounding is `display_score`.

**Answers** are one mapping, so that a whole assessment is one JSON object. It holds the
profile under the definition's profile field keys (in digital-maturity: size, stage,
sic_section, turnover, customer_types, plans, role, council):
- a single-choice field: an option key;
- a multiple-choice field: a list (or set) of option keys, possibly empty;
- the council field: a council identifier (not checked here);
- a CPV field (what the business supplies; optional): a list of 8-digit CPV codes, possibly
  empty (their format is checked here, whether the vocabulary has them by the form);

and the questions under their question keys (S1 … M5):
- a ladder: an option key;
- a tick-list or a count: a list (or set) of option keys, possibly empty;
- a grid or a stage scale: a mapping of every row (item) key to a column (stage) key;
- any question: ``"dont_know"`` (scores 0), or ``"na"`` where the profile makes the question
  not applicable.

The loader guarantees that profile field keys and question keys never collide. A key that is
neither is refused. A value of None is the same as leaving the key out. A question left out
scores 0 and is listed in `Result.unanswered`: only N/A leaves the denominator. A question the
profile makes not applicable is N/A whatever it was answered, so answers survive a change of
profile without counting. A profile field may be left out unless a condition tests it.

An answer that does not fit raises `AnswerError` (a ValueError) whose `key` is the question
or profile field key; for a profile field it is the subclass `ProfileError`.

**The result** (`Result`, frozen; `Result.as_dict()` is the same as plain JSON values, the
form stored in the database and printed by ``manage.py score_answers``;
`Result.from_dict` reads it back):

``questionnaire``, ``version``
    the slug and version of the definition that produced it.
``dimensions``
    dimension key → score, a float from 0 to 100 at full precision, or None when the
    dimension is not scored (less than ``min_applicable_share`` of its weight applies).
    In the definition's order.
``overall``
    the equal-weight mean of the dimensions that are scored, or None when none is.
``bands``
    dimension key → band key (None when not scored), plus ``"overall"`` → the overall band.
    A score belongs to the first band whose ``up_to`` it does not exceed (25 is Starting,
    25.01 Developing).
``flags``
    the keys of the critical flags raised, in the definition's order (a tuple; a list in
    ``as_dict``).
``weakest``
    the scored dimension with the lowest score (the first on a tie), or None.
``items``
    question key → item score s from 0 to 1, or None when N/A.
``unanswered``
    the applicable questions with no answer (scored 0), in the definition's order.
``applicable_weight``, ``total_weight``
    dimension key → the weight of its questions that apply, and of all of them.

Example (``as_dict``), shortened::

    {"questionnaire": "digital-maturity", "version": "1.0.0",
     "dimensions": {"strategy": 45.0, ..., "trade": 41.666666666666664},
     "overall": 50.875,
     "bands": {"strategy": "developing", ..., "overall": "established"},
     "flags": ["personal_data_duties_not_met"], "weakest": "data",
     "items": {"S1": 0.5, ..., "M3": null}, "unanswered": [],
     "applicable_weight": {"strategy": 5.0, ...}, "total_weight": {"strategy": 5.0, ...}}
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from diagnostics.definitions import (
    CPV_CODE_PATTERN,
    DONT_KNOW,
    NOT_APPLICABLE,
    OVERALL,
    AllOf,
    AnswerAtMost,
    AnswerIncludes,
    AnyOf,
    Condition,
    Count,
    Definition,
    Grid,
    Ladder,
    ProfileIn,
    ProfileIncludes,
    Question,
    StageScale,
    TickList,
)

__all__ = [
    "AnswerError",
    "ProfileError",
    "Result",
    "band_for",
    "display_score",
    "score",
]


class AnswerError(ValueError):
    """An answer that does not fit its question; `key` is the question (or profile) key."""

    def __init__(self, key: str, message: str):
        self.key = key
        self.message = message
        super().__init__(self._describe(key, message))

    @staticmethod
    def _describe(key: str, message: str) -> str:
        return f"{key}: {message}"


class ProfileError(AnswerError):
    """A profile value that does not fit its field; `key` is the profile field key."""

    @staticmethod
    def _describe(key: str, message: str) -> str:
        return f"profile {key}: {message}"


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Result:
    questionnaire: str
    version: str
    dimensions: Mapping[str, float | None]
    overall: float | None
    bands: Mapping[str, str | None]  # dimension keys and "overall"
    flags: tuple[str, ...]
    weakest: str | None
    items: Mapping[str, float | None]
    unanswered: tuple[str, ...]
    applicable_weight: Mapping[str, float]
    total_weight: Mapping[str, float]

    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON values (dicts, lists, str, float, None)."""
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "dimensions": dict(self.dimensions),
            "overall": self.overall,
            "bands": dict(self.bands),
            "flags": list(self.flags),
            "weakest": self.weakest,
            "items": dict(self.items),
            "unanswered": list(self.unanswered),
            "applicable_weight": dict(self.applicable_weight),
            "total_weight": dict(self.total_weight),
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> Result:
        """A result back from `as_dict` (for example, from a JSONField)."""
        return cls(
            questionnaire=stored["questionnaire"],
            version=stored["version"],
            dimensions=_frozen(stored["dimensions"]),
            overall=stored["overall"],
            bands=_frozen(stored["bands"]),
            flags=tuple(stored["flags"]),
            weakest=stored["weakest"],
            items=_frozen(stored["items"]),
            unanswered=tuple(stored["unanswered"]),
            applicable_weight=_frozen(stored["applicable_weight"]),
            total_weight=_frozen(stored["total_weight"]),
        )

    @property
    def overall_band(self) -> str | None:
        return self.bands[OVERALL]


def score(definition: Definition, answers: Mapping[str, Any]) -> Result:
    """Score one assessment; see the module docstring for `answers` and the result."""
    fields = definition.profile_fields
    unknown = sorted(set(answers) - set(definition.questions) - set(fields))
    if unknown:
        raise AnswerError(unknown[0], "is not a question or profile field of this questionnaire")
    profile = _read_profile(definition, answers)

    items: dict[str, Fraction | None] = {}
    readings: dict[str, _Reading | None] = {}
    unanswered = []
    for key, question in definition.questions.items():
        if question.show_if is not None and not _holds(question.show_if, profile, readings):
            items[key] = readings[key] = None
            continue
        answer = answers.get(key)
        if answer is None:
            unanswered.append(key)
            answer = DONT_KNOW
        elif answer == NOT_APPLICABLE:
            raise AnswerError(key, "N/A is only possible where the profile rules the question out")
        readings[key] = reading = _read_answer(question, answer)
        items[key] = reading.item

    dimensions: dict[str, Fraction | None] = {}
    applicable_weights = {}
    total_weights = {}
    for dimension in definition.dimensions:
        total = sum(question.weight for question in dimension.questions)
        applicable = [q for q in dimension.questions if items[q.key] is not None]
        applicable_weight = sum(question.weight for question in applicable)
        value = None
        if applicable_weight and applicable_weight >= definition.min_applicable_share * total:
            value = 100 * sum(q.weight * items[q.key] for q in applicable) / applicable_weight
        dimensions[dimension.key] = value
        applicable_weights[dimension.key] = float(applicable_weight)
        total_weights[dimension.key] = float(total)

    # Every dimension that is scored counts equally; one that is not scored is left out.
    scored = {key: value for key, value in dimensions.items() if value is not None}
    overall = sum(scored.values()) / len(scored) if scored else None
    bands = {key: band_for(definition, value) for key, value in dimensions.items()}
    bands[OVERALL] = band_for(definition, overall)
    return Result(
        questionnaire=definition.slug,
        version=definition.version,
        dimensions=_frozen({key: _float(value) for key, value in dimensions.items()}),
        overall=_float(overall),
        bands=_frozen(bands),
        flags=tuple(flag.key for flag in definition.flags if _holds(flag.when, profile, readings)),
        weakest=min(scored, key=scored.__getitem__) if scored else None,
        items=_frozen({key: _float(item) for key, item in items.items()}),
        unanswered=tuple(unanswered),
        applicable_weight=_frozen(applicable_weights),
        total_weight=_frozen(total_weights),
    )


def band_for(definition: Definition, value: Fraction | float | None) -> str | None:
    """The band a score falls in: the first whose upper bound it does not exceed, so that
    with bands up to 25, 50, 75 and 100 a score of exactly 25 is Starting and 25.2 Developing."""
    if value is None:
        return None
    for band in definition.bands:
        if value <= band.up_to:
            return band.key
    raise ValueError(f"{value} is above the highest band")


def display_score(value: float) -> int:
    """The whole number shown for a score, rounded half up (62.5 → 63): the only rounding."""
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


# Answers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """One applicable answer, as the score and the conditions see it."""

    item: Fraction
    points: Fraction = Fraction(0)  # a ladder's chosen points
    ticked: frozenset[str] = frozenset()  # a tick-list's or a count's chosen options


def _read_answer(question: Question, answer: Any) -> _Reading:
    if answer == DONT_KNOW:
        return _Reading(Fraction(0))
    match question:
        case Ladder():
            option = _choose(question, answer, question.options)
            return _Reading(option.points / question.max_points, points=option.points)
        case TickList():
            ticked = _choose_many(question, answer, question.options)
            exclusive = {option.key for option in question.options if option.exclusive}
            if ticked & exclusive and len(ticked) > 1:
                raise AnswerError(question.key, f"{min(exclusive)!r} cannot be ticked with others")
            scoring = len(ticked - exclusive)
            return _Reading(Fraction(scoring, len(question.scoring_options)), ticked=ticked)
        case Count():
            ticked = _choose_many(question, answer, question.options)
            return _Reading(Fraction(min(len(ticked), question.cap), question.cap), ticked=ticked)
        case Grid():
            chosen = _choose_per_row(question, answer, question.rows, question.columns)
            best = max(column.points for column in question.columns)
            return _Reading(sum(chosen) / (len(question.rows) * best))
        case StageScale():
            chosen = _choose_per_row(question, answer, question.items, question.stages)
            best = max(stage.points for stage in question.stages)
            top = sorted(chosen, reverse=True)[: question.top]
            return _Reading(sum(top) / (question.top * best))
    raise TypeError(f"no scoring rule for {type(question).__name__}")


def _choose(question: Question, answer: Any, options) -> Any:
    for option in options:
        if option.key == answer:
            return option
    raise AnswerError(question.key, f"{answer!r} is not one of its options")


def _choose_many(question: Question, answer: Any, options) -> frozenset[str]:
    if isinstance(answer, str | bytes | Mapping) or not isinstance(answer, Collection):
        raise AnswerError(question.key, "must be a list of option keys")
    if not all(isinstance(key, str) for key in answer):
        raise AnswerError(question.key, "must be a list of option keys")
    ticked = frozenset(answer)
    if len(ticked) != len(answer):
        raise AnswerError(question.key, "has an option ticked twice")
    unknown = sorted(ticked - {option.key for option in options}, key=repr)
    if unknown:
        raise AnswerError(question.key, f"{unknown[0]!r} is not one of its options")
    return ticked


def _choose_per_row(question: Question, answer: Any, rows, columns) -> list[Fraction]:
    if not isinstance(answer, Mapping):
        raise AnswerError(question.key, "must map each row to a column")
    row_keys = [row.key for row in rows]
    extra = sorted(set(answer) - set(row_keys), key=repr)
    if extra:
        raise AnswerError(question.key, f"{extra[0]!r} is not one of its rows")
    missing = [key for key in row_keys if key not in answer]
    if missing:
        raise AnswerError(question.key, f"every row needs an answer; {missing[0]!r} has none")
    points = {column.key: column.points for column in columns}
    for row, column in answer.items():
        if not isinstance(column, str) or column not in points:
            raise AnswerError(question.key, f"{column!r} is not a column (row {row!r})")
    return [points[answer[key]] for key in row_keys]


# Profile and conditions --------------------------------------------------------------------


def _read_profile(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The profile fields among the answers, checked; a field that is None is left out."""
    values: dict[str, Any] = {}
    for key, field in definition.profile_fields.items():
        value = answers.get(key)
        if value is None:
            continue
        if field.kind == "single" and not (
            isinstance(value, str) and value in field.option_keys()
        ):
            raise ProfileError(key, f"{value!r} is not one of its options")
        if field.kind == "multi":
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Collection):
                raise ProfileError(key, "must be a list of option keys")
            if not all(isinstance(option, str) for option in value):
                raise ProfileError(key, "must be a list of option keys")
            value = frozenset(value)
            if not value <= field.option_keys():
                unknown_option = sorted(value - field.option_keys(), key=repr)[0]
                raise ProfileError(key, f"{unknown_option!r} is not one of its options")
        if field.kind == "cpv":
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Collection):
                raise ProfileError(key, "must be a list of 8-digit CPV codes")
            for code in value:
                if not (isinstance(code, str) and CPV_CODE_PATTERN.fullmatch(code)):
                    raise ProfileError(key, f"{code!r} is not an 8-digit CPV code")
            value = frozenset(value)
        values[key] = value
    needed = {
        name for condition in _conditions(definition) for name in _profile_fields_in(condition)
    }
    missing = sorted(needed - set(values))
    if missing:
        raise ProfileError(missing[0], "is needed to score this questionnaire")
    return values


def _conditions(definition: Definition) -> Iterator[Condition]:
    for question in definition.questions.values():
        if question.show_if is not None:
            yield question.show_if
    for flag in definition.flags:
        yield flag.when


def _profile_fields_in(condition: Condition) -> Iterator[str]:
    match condition:
        case AllOf(conditions) | AnyOf(conditions):
            for part in conditions:
                yield from _profile_fields_in(part)
        case ProfileIn(field=field) | ProfileIncludes(field=field):
            yield field


def _holds(
    condition: Condition, profile: Mapping[str, Any], readings: Mapping[str, _Reading | None]
) -> bool:
    """Whether a condition holds. A test on a question that is N/A never holds."""
    match condition:
        case AllOf(conditions):
            return all(_holds(part, profile, readings) for part in conditions)
        case AnyOf(conditions):
            return any(_holds(part, profile, readings) for part in conditions)
        case ProfileIn(field, keys, negated):
            return (profile[field] in keys) != negated
        case ProfileIncludes(field, key, negated):
            return (key in profile[field]) != negated
        case AnswerAtMost(question, points):
            reading = readings[question]
            return reading is not None and reading.points <= points
        case AnswerIncludes(question, option, negated):
            reading = readings[question]
            return reading is not None and (option in reading.ticked) != negated
    raise TypeError(f"unknown condition {condition!r}")
