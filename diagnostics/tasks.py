"""Background work for the diagnostic: each task takes an id (or nothing) and calls one
function. Services enqueue the email tasks by name after commit (``enqueue_on_commit``)."""

from celery import shared_task

from diagnostics import emails, services
from diagnostics.models import Assessment
from portal.lib.tasks import email_task


@email_task("diagnostics.tasks.send_resume_link_email")
def send_resume_link_email(assessment_id: int) -> None:
    """Email the resume link to the address on the assessment. A second run sends it again,
    which is harmless; a deleted assessment or one without an address gets nothing."""
    assessment = Assessment.objects.filter(pk=assessment_id).exclude(email="").first()
    if assessment is not None:
        emails.send_resume_link_email(assessment=assessment)


@email_task("diagnostics.tasks.send_results_link_email")
def send_results_link_email(assessment_id: int) -> None:
    """Email a link to the results of a completed assessment. Safe to run twice."""
    assessment = Assessment.objects.completed().filter(pk=assessment_id).exclude(email="").first()
    if assessment is not None:
        emails.send_results_link_email(assessment=assessment)


@shared_task(name="diagnostics.tasks.delete_abandoned_assessments")
def delete_abandoned_assessments() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): delete assessments never completed and not saved for
    30 days. Running it twice deletes nothing more."""
    return services.delete_abandoned_assessments()
