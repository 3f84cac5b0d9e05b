"""Completed assessments for the results and benchmark tests.

`complete_assessment` goes through the services, as a founder would; `create_peers` writes
many completed businesses at once with `bulk_create` (only what the benchmark reads:
the profile columns, the overall score and the dimension scores).
"""

from django.utils import timezone

from diagnostics import services
from diagnostics.models import Assessment, AssessmentStatus, DimensionScore
from portal.lib.vocabularies import Dimension
from tests.diagnostics.examples import TRADING_PUBLIC, answer_all, best_answer, digital_maturity
from tests.factories import get_council


def complete_assessment(*, profile=None, choose=best_answer, answers=None, user=None):
    """A completed assessment: profile, every section and submit, through the services.
    `answers` (question key → answer) override `choose` for the questions they name."""
    definition = digital_maturity()
    profile = dict(profile or TRADING_PUBLIC)
    council = get_council(gss_code=profile["council"])
    assessment = services.start_assessment(user=user)
    return answer_and_submit(
        assessment,
        profile=profile,
        council=council,
        choose=choose,
        answers=answers,
        definition=definition,
    )


def answer_and_submit(assessment, *, profile, council, choose, answers=None, definition=None):
    definition = definition or digital_maturity()
    assessment = services.save_profile(assessment=assessment, council=council, profile=profile)
    chosen = {**answer_all(definition, choose), **(answers or {})}
    for number, dimension in enumerate(definition.dimensions, start=1):
        section = {question.key: chosen[question.key] for question in dimension.questions}
        assessment = services.save_section(assessment=assessment, number=number, answers=section)
    return services.submit_assessment(assessment=assessment)


def create_peers(
    *,
    count: int,
    region=None,
    sic_section: str = "J",
    size: str = "small",
    overall_scores=None,
    dimension_scores=None,
    counts_for_peers: bool = True,
    questionnaire: str = "digital-maturity",
    major_version: int = 1,
    version: str | None = None,
) -> list[Assessment]:
    """`count` completed businesses in one (region, section, size) cell. `overall_scores`
    and `dimension_scores` are sequences (one per business) or a single value for all; a
    dimension score is the same in every dimension."""
    region = region or get_council().region
    overall_scores = _per_business(overall_scores, count, 50.0)
    dimension_scores = _per_business(dimension_scores, count, None)
    peers = Assessment.objects.bulk_create(
        Assessment(
            questionnaire=questionnaire,
            version=version or f"{major_version}.0.0",
            major_version=major_version,
            region=region,
            sic_section=sic_section,
            size=size,
            status=AssessmentStatus.COMPLETED,
            completed=timezone.now(),
            overall_score=overall_scores[number],
            counts_for_peers=counts_for_peers,
        )
        for number in range(count)
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=peer,
            dimension=dimension,
            score=overall_scores[number]
            if dimension_scores[number] is None
            else dimension_scores[number],
        )
        for number, peer in enumerate(peers)
        for dimension in Dimension.values
    )
    return peers


def _per_business(values, count, default):
    if values is None:
        return [default] * count
    if isinstance(values, int | float):
        return [values] * count
    values = list(values)
    assert len(values) == count, "one value per business"
    return values
