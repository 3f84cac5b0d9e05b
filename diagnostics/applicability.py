"""Which questions apply, and how far an assessment has got: plain functions over the
definition and the one answers mapping that `scoring.score` reads.

Whether a question applies is decided by the scoring function itself (a question is N/A
exactly when its item is None), so the flow and the score can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagnostics.definitions import AllOf, AnswerAtMost, AnswerIncludes, AnyOf, Definition
from diagnostics.scoring import AnswerError, ProfileError, score

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"


def profile_complete(definition: Definition, profile: Mapping[str, Any]) -> bool:
    """Every profile field answered (a multiple choice may be an empty list), except the
    optional ones (what the business supplies)."""
    for field in definition.profile:
        if field.optional:
            continue
        value = profile.get(field.key)
        if value is None or (field.kind != "multi" and value == ""):
            return False
    return True


def not_applicable(definition: Definition, answers: Mapping[str, Any]) -> frozenset[str]:
    """The questions the profile (or an earlier answer) rules out. With answers that do
    not fit (a form being filled in), those answers are left out rather than refused."""
    answers = dict(answers)
    for _attempt in range(len(answers) + 1):
        try:
            result = score(definition, answers)
        except ProfileError:
            return frozenset()
        except AnswerError as error:
            if error.key not in answers:
                return frozenset()
            del answers[error.key]
            continue
        return frozenset(key for key, item in result.items.items() if item is None)
    return frozenset()


def section_statuses(definition: Definition, answers: Mapping[str, Any]) -> dict[str, str]:
    """Dimension key → COMPLETED (every question that applies answered), IN_PROGRESS or
    NOT_STARTED."""
    ruled_out = not_applicable(definition, answers)
    statuses = {}
    for dimension in definition.dimensions:
        applicable = [q.key for q in dimension.questions if q.key not in ruled_out]
        answered = [key for key in applicable if answers.get(key) is not None]
        if len(answered) == len(applicable):
            statuses[dimension.key] = COMPLETED
        elif answered:
            statuses[dimension.key] = IN_PROGRESS
        else:
            statuses[dimension.key] = NOT_STARTED
    return statuses


def depends_on_answers(definition: Definition, number: int) -> bool:
    """Whether a question of section `number` shows only for some answers in the same
    section, so that the page re-renders (with htmx) as they change."""
    dimension = definition.dimensions[number - 1]
    own = {question.key for question in dimension.questions}

    def mentions(condition) -> bool:
        match condition:
            case AllOf(conditions) | AnyOf(conditions):
                return any(mentions(part) for part in conditions)
            case AnswerAtMost(question=key) | AnswerIncludes(question=key):
                return key in own
        return False

    return any(q.show_if is not None and mentions(q.show_if) for q in dimension.questions)
