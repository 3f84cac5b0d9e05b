"""Background work of advice requests: the emails of a new request, and the retention
task. Each task takes ids (or nothing), calls one function and is safe to run twice."""

from celery import shared_task

from portal.advice import digest, emails, services
from portal.advice.models import AdviceRequest, AdviceTeam
from portal.lib.tasks import email_task


@email_task("portal.advice.tasks.send_request_confirmation")
def send_request_confirmation(request_id: int) -> None:
    """The founder's confirmation. A request withdrawn (so erased) meanwhile gets none; a
    second run sends it again, which is harmless."""
    advice_request = (
        AdviceRequest.objects.select_related("organisation")
        .filter(pk=request_id, erased_at__isnull=True)
        .exclude(email="")
        .first()
    )
    if advice_request is not None:
        emails.send_request_confirmation_email(advice_request=advice_request)


@email_task("portal.advice.tasks.send_request_to_team")
def send_request_to_team(request_id: int) -> None:
    """The notice to the organisation's team address, if it still has one and the
    request has not been withdrawn meanwhile."""
    advice_request = (
        AdviceRequest.objects.select_related("organisation", "council")
        .filter(pk=request_id, withdrawn_at__isnull=True)
        .first()
    )
    if advice_request is None:
        return
    team = (
        AdviceTeam.objects.filter(organisation_id=advice_request.organisation_id)
        .exclude(team_email="")
        .first()
    )
    if team is not None:
        emails.send_request_to_team_email(
            advice_request=advice_request, team_email=team.team_email
        )


@shared_task(name="portal.advice.tasks.erase_closed_requests")
def erase_closed_requests() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): erase the personal details of requests closed more
    than 12 months ago, keeping their anonymous outcome. A second run erases nothing."""
    return services.erase_closed_requests()


@shared_task(name="portal.advice.tasks.send_manager_digests")
def send_manager_digests() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the managers' daily digest of requests waiting for
    a first contact, to each organisation that has not had today's (at most one a day)."""
    return digest.send_due_digests()


@email_task("portal.advice.tasks.send_manager_digest")
def send_manager_digest(team_id: int, user_id: int, day: str) -> int:
    """One manager's digest (see digest.send_digest): retried while the mail server
    refuses it; sends nothing once nothing is waiting."""
    return digest.send_digest(team_id=team_id, user_id=user_id, day=day)
