"""Helpers for the flow tests: assessments at a given point, and form posts built from
answers as scoring reads them (the reverse of diagnostics.forms)."""

from django.urls import reverse

from diagnostics import applicability, services
from diagnostics.definitions import DONT_KNOW, Grid, Ladder, StageScale
from diagnostics.forms import NONE_OF_THESE
from diagnostics.models import Answer, Assessment
from tests.diagnostics.examples import TRADING_PUBLIC, best_answer, digital_maturity
from tests.factories import get_council


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


def create_assessment(*, profile=TRADING_PUBLIC, sections=0, user=None) -> Assessment:
    """An assessment with the profile given and the first `sections` answered at best,
    written through the services as the pages would."""
    assessment = services.start_assessment(user=user)
    if profile is not None:
        fields = {key: value for key, value in profile.items() if key != "council"}
        assessment = services.save_profile(
            assessment=assessment,
            council=get_council(gss_code=profile["council"]),
            profile=fields,
        )
    definition = digital_maturity()
    for number in range(1, sections + 1):
        ruled_out = applicability.not_applicable(
            definition, {**assessment.profile, **services.stored_answers(assessment)}
        )
        services.save_section(
            assessment=assessment,
            number=number,
            answers={
                key: value
                for key, value in best_section_answers(number).items()
                if key not in ruled_out
            },
        )
    assessment.refresh_from_db()
    return assessment


def answered(assessment: Assessment) -> dict:
    return dict(Answer.objects.filter(assessment=assessment).values_list("question", "value"))
