"""Helpers for the flow tests: form posts built from answers as scoring reads them (the
reverse of diagnostics.forms). Assessments come from tests.factories.create_assessment."""

from django.urls import reverse

from diagnostics.definitions import DONT_KNOW, Grid, Ladder, StageScale
from diagnostics.forms import NONE_OF_THESE
from diagnostics.models import Answer, Assessment
from tests.diagnostics.examples import best_answer, digital_maturity


def flow_url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(f"diagnostics:{name}", kwargs={"public_id": assessment.public_id, **kwargs})


def profile_post(profile: dict) -> dict:
    """The profile form's POST data for a profile as scoring reads it."""
    return {key: value for key, value in profile.items() if value != []}


def section_post(number: int, answers: dict) -> dict:
    """The section form's POST data for answers by question key."""
    definition = digital_maturity()
    post = {}
    for question in definition.dimensions[number - 1].questions:
        if question.key not in answers:
            continue
        answer = answers[question.key]
        if isinstance(question, Grid | StageScale):
            if answer == DONT_KNOW:
                post[f"{question.key}-{DONT_KNOW}"] = "on"
            else:
                for row, column in answer.items():
                    post[f"{question.key}-{row}"] = column
        elif isinstance(question, Ladder) or answer == DONT_KNOW:
            post[question.key] = answer
        else:
            post[question.key] = answer or [NONE_OF_THESE]
    return post


def best_section_answers(number: int, *, skip=()) -> dict:
    dimension = digital_maturity().dimensions[number - 1]
    return {q.key: best_answer(q) for q in dimension.questions if q.key not in skip}


def answered(assessment: Assessment) -> dict:
    return dict(Answer.objects.filter(assessment=assessment).values_list("question", "value"))
