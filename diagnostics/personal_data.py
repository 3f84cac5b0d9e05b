"""The person's diagnostics in "Download your data", what deleting their account does to
them, and the inventory of the diagnostic's personal fields (portal/accounts/
personal_data.py); registered by DiagnosticsConfig.ready.

The person's assessments are those of their account and, once they have proved the
address is theirs, those they had a resume or results link emailed to without signing
in. Deleting the account keeps each of them, detached from the person: the account and
the address are removed, the pages saved unfinished (the raw posted text) are cleared,
and the public id is replaced, so that no resume or results link sent earlier opens it
again. What stays is a business profile of choices, answers and scores with nothing
about who gave them: the dashboards and peer benchmarks count it, and their figures do
not change when someone deletes their account. Someone who wants an assessment gone
entirely deletes it from its results page first (the delete page says so); unfinished
ones are deleted after 30 days anyway.
"""

import uuid

from django.db.models import Prefetch, Q, QuerySet

from diagnostics.models import Answer, Assessment, DimensionScore
from portal.accounts.personal_data import PersonalField

KEPT_ANONYMOUS = (
    "Unfinished: deleted 30 days after the last save. Completed: kept for the anonymous "
    "figures, detached from the person when they delete their account; deleted at once "
    "when they delete the assessment."
)

FIELDS = (
    PersonalField(
        Assessment,
        "user",
        "The account that took the diagnostic, to list it on the account page.",
        "Until the person deletes their account (the assessment is then kept without it).",
    ),
    PersonalField(
        Assessment,
        "email",
        "Sending the resume link or the results, when the person asks for them.",
        (
            "As the assessment; removed when the person deletes their account (from "
            "assessments taken signed out, once they have proved the address is theirs)."
        ),
    ),
    PersonalField(
        Assessment,
        "profile",
        "The business profile (choices): what the scoring, matcher and dashboards read.",
        KEPT_ANONYMOUS,
    ),
    PersonalField(
        Assessment,
        "drafts",
        "Pages saved unfinished, as posted, shown again when the person comes back.",
        "As the assessment; cleared when the person deletes their account.",
    ),
    PersonalField(
        Assessment,
        "language",
        "The language of the pages the person used: their emails are written in it.",
        "As the assessment.",
    ),
    PersonalField(Assessment, "result", "The scores, bands and flags worked out.", KEPT_ANONYMOUS),
    PersonalField(Answer, "value", "The answer to one question (a choice).", KEPT_ANONYMOUS),
)


def _assessments_of(*, user, email: str) -> QuerySet[Assessment]:
    """The account's assessments and, with a proved address, those taken signed out that
    had a link sent to it (not another account's: its business is not this person's)."""
    owned = Q(user=user)
    if email:
        owned |= Q(user__isnull=True, email__iexact=email)
    return Assessment.objects.filter(owned)


def export_assessments(*, user, email: str) -> list[dict]:
    """Three queries: the assessments with their places, their answers, their scores."""
    assessments = (
        _assessments_of(user=user, email=email)
        .select_related("council", "region")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("question")),
            Prefetch("dimension_scores", queryset=DimensionScore.objects.order_by("dimension")),
        )
        .order_by("started", "pk")
    )
    return [
        {
            "questionnaire": assessment.questionnaire,
            "version": assessment.version,
            "status": assessment.get_status_display(),
            "started": assessment.started,
            "last_saved": assessment.updated,
            "completed": assessment.completed,
            "email": assessment.email,
            "business": {
                "council": assessment.council.name if assessment.council else "",
                "region": assessment.region.name if assessment.region else "",
                "size": assessment.size,
                "stage": assessment.stage,
                "sector": assessment.sic_section,
                "profile": assessment.profile,
            },
            "answers": {answer.question: answer.value for answer in assessment.answers.all()},
            "pages_saved_unfinished": assessment.drafts,
            "scores": {
                "overall": assessment.overall_score,
                "overall_band": assessment.overall_band,
                "dimensions": {
                    score.dimension: score.score for score in assessment.dimension_scores.all()
                },
                "result": assessment.result,
            },
        }
        for assessment in assessments
    ]


def erase_assessments(*, user, email: str) -> None:
    """Detach each assessment from the person (see the module's docstring); one query to
    read them and one (a batch) to write them."""
    assessments = list(_assessments_of(user=user, email=email).only("pk"))
    for assessment in assessments:
        assessment.user = None
        assessment.email = ""
        assessment.drafts = {}
        assessment.public_id = uuid.uuid4()
    Assessment.objects.bulk_update(
        assessments, ["user", "email", "drafts", "public_id"], batch_size=500
    )
    if email:
        # The address typed into someone else's assessment: theirs stays, without it.
        Assessment.objects.filter(email__iexact=email).update(email="")
