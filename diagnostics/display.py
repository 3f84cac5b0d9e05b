"""Answers in words, for "Check your answers" (and anyone else showing them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from diagnostics.definitions import (
    DONT_KNOW,
    Definition,
    Grid,
    Ladder,
    ProfileField,
    Question,
    StageScale,
)
from diagnostics.profile_kinds import profile_kind


def _labels(options) -> dict[str, str]:
    return {option.key: option.label for option in options}


def answer_lines(definition: Definition, question: Question, value: Any) -> list[str]:
    """The answer as lines of text: one per ticked option or per row of a grid."""
    if value is None:
        return []
    if value == DONT_KNOW:
        return [definition.dont_know_label]
    if isinstance(question, Ladder):
        return [_labels(question.options).get(value, value)]
    if isinstance(question, Grid | StageScale):
        rows, columns = (
            (question.rows, question.columns)
            if isinstance(question, Grid)
            else (question.items, question.stages)
        )
        column_labels = _labels(columns)
        return [
            f"{row.label}: {column_labels.get(value.get(row.key), '')}"
            for row in rows
            if isinstance(value, Mapping)
        ]
    labels = _labels(question.options)
    return [labels.get(key, key) for key in value] or [_("None of these")]


def profile_lines(field: ProfileField, value: Any, council_name: str = "") -> list[str]:
    if value is None:
        return []
    if field.kind == "council":
        return [council_name or value]
    if field.kind == "cpv":
        return profile_kind(field.kind).describe(list(value))
    labels = _labels(field.options)
    if field.kind == "multi":
        return [labels.get(key, key) for key in value] or [_("None of these")]
    return [labels.get(value, value)]
