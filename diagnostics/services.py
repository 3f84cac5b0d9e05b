"""Every write to assessments, answers and scores.

Views and tasks call these; nothing else writes those models. Each function is
keyword-only, runs in one transaction and enqueues its email tasks by name on commit
(``enqueue_on_commit``), so an email never goes out about a change that was rolled back.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from diagnostics import applicability
from diagnostics.definitions import (
    Definition,
    latest_published,
    load_definition,
    newest_of_major,
)
from diagnostics.models import Answer, Assessment, AssessmentStatus, DimensionScore
from diagnostics.scoring import score
from diagnostics.signals import assessment_completed
from portal.lib.languages import current_language
from portal.lib.tasks import enqueue_on_commit
from portal.places.models import Council

DEFAULT_QUESTIONNAIRE = "digital-maturity"

# The part of an assessment that is its profile page; each section is its dimension's key.
PROFILE = "profile"

# Bounds on a draft (what a page held when it was saved unfinished): it is what was posted,
# so it is kept only for the page's own fields, and no bigger than any real page needs.
DRAFT_MOST_VALUES = 100
DRAFT_LONGEST_VALUE = 2000

# An assessment nobody has saved for this long, and never completed, is deleted (the start
# page promises it).
ABANDONED_AFTER = datetime.timedelta(days=30)


class AssessmentCompleted(Exception):
    """The assessment is completed and so read-only; only a retake changes anything."""


class AssessmentIncomplete(Exception):
    """Submitted before every section and the profile were answered."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"not answered yet: {', '.join(missing)}")


def definition_of(assessment: Assessment) -> Definition:
    """The version an assessment is answered, shown and scored against. One in progress
    follows the newest published version of its major version: a minor version changes
    wording only (1.2.0 added Welsh), so its answers mean the same, and a founder who began
    on 1.1.0 reads the questions in Welsh too. The next write stores the move
    (`_follow`); a completed assessment keeps the version that scored it."""
    if assessment.is_completed:
        return load_definition(assessment.questionnaire, assessment.version)
    return newest_of_major(assessment.questionnaire, assessment.version)


def stored_answers(assessment: Assessment) -> dict[str, Any]:
    """The question answers by question key (one query)."""
    return dict(assessment.answers.values_list("question", "value"))


def scoring_answers(assessment: Assessment, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The one mapping `scoring.score` reads: the profile and the question answers."""
    return {**assessment.profile, **answers}


def _lock(assessment: Assessment) -> Assessment:
    """Lock the row for the rest of the transaction; refuse a completed assessment."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_completed:
        raise AssessmentCompleted(str(assessment.public_id))
    return locked


def _touch(assessment: Assessment, *fields: str) -> None:
    assessment.updated = timezone.now()
    assessment.save(update_fields=["updated", *fields])


def _follow(assessment: Assessment, definition: Definition) -> tuple[str, ...]:
    """Move a locked assessment in progress onto `definition` (`definition_of`: the same
    major version); the fields to save."""
    if assessment.version == definition.version:
        return ()
    if (assessment.questionnaire, assessment.major_version) != (definition.slug, definition.major):
        raise ValueError(f"{assessment} cannot move to {definition}")
    assessment.version = definition.version
    return ("version",)


def _discard_not_applicable(assessment: Assessment, definition: Definition) -> None:
    """Delete the stored answers of questions that no longer apply: N/A questions are not
    kept, so an answer given before the profile changed does not come back later."""
    answers = stored_answers(assessment)
    not_applicable = applicability.not_applicable(definition, scoring_answers(assessment, answers))
    stale = not_applicable & set(answers)
    if stale:
        assessment.answers.filter(question__in=stale).delete()


def start_assessment(*, user=None, questionnaire: str = DEFAULT_QUESTIONNAIRE) -> Assessment:
    """A new assessment on the latest published version of the questionnaire."""
    definition = latest_published(questionnaire)
    with transaction.atomic():
        return Assessment.objects.create(
            questionnaire=definition.slug,
            version=definition.version,
            major_version=definition.major,
            user=user if user is not None and user.is_authenticated else None,
        )


def save_profile(
    *, assessment: Assessment, council: Council, profile: Mapping[str, Any]
) -> Assessment:
    """Store the business profile (council as its GSS code in `profile`, and in columns
    for peer groups), then discard answers the new profile makes not applicable."""
    definition = definition_of(assessment)
    with transaction.atomic():
        locked = _lock(assessment)
        locked.profile = {**profile, "council": council.gss_code}
        locked.council = council
        locked.region_id = council.region_id
        locked.size = profile.get("size") or ""
        locked.stage = profile.get("stage") or ""
        locked.sic_section = profile.get("sic_section") or ""
        locked.drafts = {part: kept for part, kept in locked.drafts.items() if part != PROFILE}
        _touch(
            locked,
            "profile",
            "council",
            "region",
            "size",
            "stage",
            "sic_section",
            "drafts",
            *_follow(locked, definition),
        )
        _discard_not_applicable(locked, definition)
    return locked


def save_section(*, assessment: Assessment, number: int, answers: Mapping[str, Any]) -> Assessment:
    """Replace the answers of section `number` (1-based) with `answers` (validated by the
    form), all or nothing. Answers to questions that do not apply are not stored."""
    definition = definition_of(assessment)
    dimension = definition.dimensions[number - 1]
    keys = {question.key for question in dimension.questions}
    unknown = set(answers) - keys
    if unknown:
        raise ValueError(f"not questions of section {number}: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(assessment)
        locked.answers.filter(question__in=keys).delete()
        now = timezone.now()
        Answer.objects.bulk_create(
            Answer(assessment=locked, question=key, value=value, answered=now)
            for key, value in answers.items()
            if value is not None
        )
        locked.drafts = {
            part: kept for part, kept in locked.drafts.items() if part != dimension.key
        }
        _touch(locked, "drafts", *_follow(locked, definition))
        # A later question may depend on an answer given here.
        _discard_not_applicable(locked, definition)
    return locked


def save_draft(
    *, assessment: Assessment, part: str, values: Mapping[str, list[str]]
) -> Assessment:
    """Keep what a page holds, complete or not, valid or not, to show it again: the person
    chose to come back later. `part` is PROFILE or a dimension key; `values` the page's
    posted values by field name. Nothing stored or scored changes: the page is in progress
    until it is saved valid (`save_profile`, `save_section`), which drops its draft. A page
    saved with nothing on it has no draft."""
    definition = definition_of(assessment)
    if part != PROFILE and part not in {dimension.key for dimension in definition.dimensions}:
        raise ValueError(f"not a part of the questionnaire: {part!r}")
    kept = {}
    for name, posted in values.items():
        strings = [str(value)[:DRAFT_LONGEST_VALUE] for value in posted if value][
            :DRAFT_MOST_VALUES
        ]
        if strings:
            kept[str(name)] = strings
    with transaction.atomic():
        locked = _lock(assessment)
        drafts = {key: draft for key, draft in locked.drafts.items() if key != part}
        if kept:
            drafts[part] = kept
        locked.drafts = drafts
        _touch(locked, "drafts", *_follow(locked, definition))
    return locked


def progress(assessment: Assessment, answers: Mapping[str, Any]) -> dict[str, str]:
    """PROFILE and each dimension key → applicability.COMPLETED, IN_PROGRESS or NOT_STARTED.

    A page saved unfinished (it has a draft) is in progress, whatever was stored before:
    what the person last saw there is not yet valid. Sections are NOT_STARTED until the
    stored profile is complete (which questions apply depends on it)."""
    definition = definition_of(assessment)
    if applicability.profile_complete(definition, assessment.profile):
        statuses = {PROFILE: applicability.COMPLETED}
        statuses.update(
            applicability.section_statuses(definition, scoring_answers(assessment, answers))
        )
    else:
        statuses = {PROFILE: applicability.NOT_STARTED}
        statuses.update({d.key: applicability.NOT_STARTED for d in definition.dimensions})
    for part in assessment.drafts:
        if part in statuses:
            statuses[part] = applicability.IN_PROGRESS
    return statuses


def missing_parts(assessment: Assessment, answers: Mapping[str, Any]) -> list[str]:
    """What is still to answer or to finish: PROFILE and the keys of the dimensions not
    completed, or saved unfinished; every dimension while the profile is not stored."""
    statuses = progress(assessment, answers)
    return [part for part, status in statuses.items() if status != applicability.COMPLETED]


def submit_assessment(*, assessment: Assessment) -> Assessment:
    """Score the assessment and mark it completed.

    Idempotent: the row is locked and its status checked, so a second submit (a double
    click, a resent form) returns the completed assessment without scoring it again.
    It becomes the one assessment of its chain counted in peer groups for its major version.
    """
    definition = definition_of(assessment)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_completed:
            return locked
        answers = stored_answers(locked)
        missing = missing_parts(locked, answers)
        if missing:
            raise AssessmentIncomplete(missing)
        result = score(definition, scoring_answers(locked, answers))
        locked.result = result.as_dict()
        locked.overall_score = result.overall
        locked.overall_band = result.overall_band or ""
        locked.status = AssessmentStatus.COMPLETED
        locked.completed = timezone.now()
        locked.counts_for_peers = True
        Assessment.objects.filter(
            chain=locked.chain, major_version=locked.major_version, counts_for_peers=True
        ).exclude(pk=locked.pk).update(counts_for_peers=False)
        _touch(
            locked,
            "result",
            "overall_score",
            "overall_band",
            "status",
            "completed",
            "counts_for_peers",
            *_follow(locked, definition),
        )
        DimensionScore.objects.bulk_create(
            DimensionScore(
                assessment=locked,
                dimension=key,
                score=value,
                band=result.bands[key] or "",
            )
            for key, value in result.dimensions.items()
        )
        transaction.on_commit(
            lambda: assessment_completed.send(sender=Assessment, assessment=locked)
        )
    return locked


def retake_assessment(*, assessment: Assessment, user=None) -> Assessment:
    """A new assessment in the same chain, on the latest published version, with the
    profile copied, retaking the newest completed one of the chain. If the chain already
    has one in progress, that one is returned, so a double click makes one."""
    definition = latest_published(assessment.questionnaire)
    with transaction.atomic():
        # The newest of the chain: a retake in progress is returned, not doubled.
        previous = (
            Assessment.objects.select_for_update()
            .filter(chain=assessment.chain)
            .order_by("-started", "-pk")
            .first()
        )
        if previous is None:
            raise Assessment.DoesNotExist(str(assessment.public_id))
        if not previous.is_completed:
            return previous
        owner = user if user is not None and user.is_authenticated else previous.user
        try:
            with transaction.atomic():
                retake = _create_retake(previous, definition=definition, owner=owner)
        except IntegrityError:
            # Another request made the chain's retake a moment ago (the database keeps
            # one in progress per chain): that one is the retake.
            return Assessment.objects.in_progress().get(chain=previous.chain)
    return retake


def _create_retake(previous: Assessment, *, definition: Definition, owner) -> Assessment:
    return Assessment.objects.create(
        chain=previous.chain,
        previous=previous,
        questionnaire=definition.slug,
        version=definition.version,
        major_version=definition.major,
        user=owner,
        email=previous.email,
        language=previous.language,
        council_id=previous.council_id,
        region_id=previous.region_id,
        size=previous.size,
        stage=previous.stage,
        sic_section=previous.sic_section,
        profile=dict(previous.profile),
    )


def delete_assessment(*, assessment: Assessment) -> None:
    """Delete the assessment with its answers and scores at once. If it was the one of its
    chain counted in peer groups, the latest earlier completed one counts again."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if locked is None:
            return
        locked.delete()
        if locked.counts_for_peers:
            successor = (
                Assessment.objects.completed()
                .filter(chain=locked.chain, major_version=locked.major_version)
                .order_by("-completed", "-pk")
                .first()
            )
            if successor is not None:
                successor.counts_for_peers = True
                successor.save(update_fields=["counts_for_peers"])


def send_resume_link(*, assessment: Assessment, email: str) -> Assessment:
    """Keep the address on the assessment and email it the resume link."""
    with transaction.atomic():
        locked = _lock(assessment)
        locked.email = email
        locked.language = current_language()
        _touch(locked, "email", "language")
        enqueue_on_commit("diagnostics.tasks.send_resume_link_email", locked.pk)
    return locked


def send_results_link(*, assessment: Assessment, email: str) -> Assessment:
    """Keep the address on a completed assessment and email it a link to the results."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.email = email
        locked.language = current_language()
        locked.save(update_fields=["email", "language"])
        enqueue_on_commit("diagnostics.tasks.send_results_link_email", locked.pk)
    return locked


def delete_abandoned_assessments(*, now: datetime.datetime | None = None) -> int:
    """Delete never-completed assessments not saved for `ABANDONED_AFTER`; the number."""
    before = (now or timezone.now()) - ABANDONED_AFTER
    with transaction.atomic():
        deleted, per_model = Assessment.objects.abandoned(before=before).delete()
    return per_model.get(Assessment._meta.label, 0)
