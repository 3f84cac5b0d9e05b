"""What the flow's pages list: answers in words, and the rows of the task list and of
"Check your answers", each with the address of the page that changes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from diagnostics import applicability
from diagnostics.definitions import (
    DONT_KNOW,
    Definition,
    Grid,
    Ladder,
    ProfileField,
    Question,
    StageScale,
)
from diagnostics.models import Assessment
from diagnostics.profile_kinds import profile_kind

# ?next=check brings a page back to "Check your answers" once it is saved.
BACK_TO_CHECK = "check"


def _labels(options) -> dict[str, str]:
    return {option.key: str(option.label) for option in options}


def answer_lines(definition: Definition, question: Question, value: Any) -> list[str]:
    """The answer as lines of text: one per ticked option or per row of a grid."""
    if value is None:
        return []
    if value == DONT_KNOW:
        return [str(definition.dont_know_label)]
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


def flow_url(name: str, assessment: Assessment, **kwargs) -> str:
    """The address of one page of the flow for this assessment."""
    return reverse(f"diagnostics:{name}", kwargs={"public_id": assessment.public_id, **kwargs})


def _then_check(url: str) -> str:
    return f"{url}?next={BACK_TO_CHECK}"


def task_rows(
    assessment: Assessment,
    definition: Definition,
    statuses: Mapping[str, str],
    *,
    profile_status: str,
) -> list[dict]:
    """The task list: the profile, then one task a section. Sections open once a profile
    is stored, even while a draft of it is in progress."""
    profile_stored = applicability.profile_complete(definition, assessment.profile)
    tasks = [
        {
            "title": _("About your business"),
            "url": flow_url("profile", assessment),
            "status": profile_status,
        }
    ]
    for number, dimension in enumerate(definition.dimensions, start=1):
        tasks.append(
            {
                "title": dimension.title,
                "url": flow_url("section", assessment, number=number) if profile_stored else "",
                "status": statuses[dimension.key] if profile_stored else "",
            }
        )
    return tasks


def profile_rows(assessment: Assessment, definition: Definition) -> list[dict]:
    """The profile's rows for its summary list."""
    council_name = assessment.council.name if assessment.council else ""
    return [
        {
            "key": field.text,
            "lines": profile_lines(field, assessment.profile.get(field.key), council_name),
        }
        for field in definition.profile
    ]


def section_rows(
    assessment: Assessment,
    definition: Definition,
    answers: Mapping[str, Any],
    ruled_out: frozenset[str],
) -> list[dict]:
    """Per section, its questions' rows for the summary lists; a question the profile rules
    out reads as not applicable."""
    sections = []
    for number, dimension in enumerate(definition.dimensions, start=1):
        rows = []
        for question in dimension.questions:
            if question.key in ruled_out:
                lines = [str(definition.not_applicable_label)]
            else:
                lines = answer_lines(definition, question, answers.get(question.key))
            rows.append(
                {"key": question.text, "lines": lines, "applies": question.key not in ruled_out}
            )
        sections.append(
            {
                "number": number,
                "dimension": dimension,
                "rows": rows,
                "change_url": _then_check(flow_url("section", assessment, number=number)),
            }
        )
    return sections


def missing_links(
    assessment: Assessment, definition: Definition, missing: list[str], *, profile: str
) -> list[dict]:
    """The error summary's links to what is not answered yet (`missing` names the profile
    as `profile`, the sections by dimension key)."""
    titles = {dimension.key: dimension.title for dimension in definition.dimensions}
    numbers = {d.key: n for n, d in enumerate(definition.dimensions, start=1)}
    profile_stored = applicability.profile_complete(definition, assessment.profile)
    links = []
    for part in missing:
        if part == profile:
            # Saved unfinished over a stored profile, it is fixed and back here; never
            # stored, no section can be answered before it.
            url = flow_url("profile", assessment)
            links.append(
                {
                    "text": _("Answer the questions about your business"),
                    "url": _then_check(url) if profile_stored else url,
                }
            )
            if not profile_stored:
                break
            continue
        links.append(
            {
                "text": _("Finish section %(number)s: %(title)s")
                % {"number": numbers[part], "title": titles[part]},
                "url": _then_check(flow_url("section", assessment, number=numbers[part])),
            }
        )
    return links
