"""Fetching an assessment for the person in front of the browser.

Whether they may open it is decided by `rules.can_open_assessment`; this module
keeps the grants (the assessments this browser session started or resumed by a valid
link) in the session, and 404s anyone else, so a stranger cannot even learn that an
assessment exists.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from diagnostics.models import Assessment
from diagnostics.rules import can_open_assessment
from portal.core import visitor

SESSION_KEY = "diagnostics_granted"


def granted(request) -> frozenset[UUID]:
    ids = set()
    for value in request.session.get(SESSION_KEY, []):
        try:
            ids.add(UUID(value))
        except (TypeError, ValueError):
            continue
    return frozenset(ids)


def grant(request, assessment: Assessment) -> None:
    """Let this browser session open `assessment` from now on."""
    ids = request.session.get(SESSION_KEY, [])
    value = str(assessment.public_id)
    if value not in ids:
        # A new session key with every grant, so a session id planted before cannot
        # be used to read what the link opened (session fixation).
        request.session.cycle_key()
        request.session[SESSION_KEY] = [*ids, value]


def get_assessment_for_visitor(request, public_id: UUID) -> Assessment:
    assessment = (
        Assessment.objects.select_related("council", "region").filter(public_id=public_id).first()
    )
    if assessment is None or not can_open_assessment(
        request.user, assessment, granted=granted(request)
    ):
        raise Http404("No such assessment")
    return assessment


class AssessmentAlreadyCompleted(Exception):
    """A completed assessment is read-only: the pages that change it send the person to
    its results instead (`views.flow`)."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        super().__init__(str(assessment.public_id))


def get_assessment_in_progress(request, public_id: UUID) -> Assessment:
    """`get_assessment_for_visitor` for the pages that change answers; raises
    `AssessmentAlreadyCompleted` when the assessment is completed."""
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        raise AssessmentAlreadyCompleted(assessment)
    return assessment


def latest_completed_for_visitor(request) -> Assessment | None:
    """The newest completed assessment this visitor may open (their own, or one this
    browser session started or resumed), with its council and region; None if none."""
    granted_ids = granted(request)
    candidates = Assessment.objects.completed().select_related("council__region", "region")
    user = request.user
    mine = candidates.none()
    if user.is_authenticated:
        mine = candidates.filter(user=user)
    ids = list(granted_ids)
    found = (mine | candidates.filter(public_id__in=ids)) if ids else mine
    assessment = found.order_by("-completed", "-pk").first()
    if assessment is None or not can_open_assessment(user, assessment, granted=granted_ids):
        return None
    return assessment


def remember_business(request, profile) -> None:
    """Keep the profile's council, size, stage, sector and supplies in the session
    (portal/core/visitor.py): the lists then open filtered for this business."""
    visitor.remember(
        request,
        council=profile.get("council"),
        size=profile.get("size"),
        stage=profile.get("stage"),
        sector=profile.get("sic_section"),
        supplies=profile.get("supplies"),
    )


def profile_from_session(request) -> dict:
    """What the session knows of the business, as a profile form's initial values."""
    business = visitor.remembered(request)
    if business is None:
        return {}
    initial = {
        "council": business.council,
        "size": business.size,
        "stage": business.stage,
        "sic_section": business.sector,
        "supplies": list(business.supplies),
    }
    return {key: value for key, value in initial.items() if value}
