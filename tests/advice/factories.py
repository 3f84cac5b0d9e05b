"""Factories for advice teams and requests (written directly: no history, no email)."""

from django.utils import timezone

from portal.advice.choices import AskedFrom, RequestStatus
from portal.advice.consent import CONSENT_VERSION
from portal.advice.models import AdviceRequest, AdviceTeam
from tests.factories import COUNCIL_A_GSS_CODE, council_a, get_council, next_number


def create_advice_team(
    *, organisation=None, receives_requests: bool = True, team_email: str | None = None
) -> AdviceTeam:
    """The advice setting of ``organisation`` (council A's local authority unless given),
    receiving requests at a team address unless told otherwise."""
    organisation = organisation or council_a()
    return AdviceTeam.objects.create(
        organisation=organisation,
        receives_requests=receives_requests,
        team_email=team_email
        if team_email is not None
        else f"advice.{organisation.slug}@example.com",
    )


def create_advice_request(
    *, organisation=None, council=None, status: str = RequestStatus.NEW, **fields
) -> AdviceRequest:
    """A consented request to ``organisation`` (council A's unless given) for ``council``
    (Gateshead unless given), with personal details and snapshots filled in."""
    number = next_number()
    now = timezone.now()
    fields.setdefault("name", f"Founder {number}")
    fields.setdefault("email", f"founder{number}@example.com")
    fields.setdefault("phone", "01632 960 001")
    fields.setdefault("help_wanted", "Help choosing a grant.")
    fields.setdefault("profile", {"size": "micro", "stage": "growing", "sector": "J", "plans": []})
    fields.setdefault("diagnostic", {"overall_score": 42.0, "weakest": "data", "flags": []})
    fields.setdefault(
        "recommendations",
        [
            {
                "offer_id": 1,
                "slug": "a",
                "title": "A grant",
                "kind": "grant",
                "dimensions": ["data"],
                "reasons": [],
                "rank": 1,
            }
        ],
    )
    fields.setdefault("asked_from", AskedFrom.RESULTS)
    fields.setdefault("consented_at", now)
    fields.setdefault("consent_version", CONSENT_VERSION)
    if status == RequestStatus.CLOSED:
        fields.setdefault("closed_at", now)
    return AdviceRequest.objects.create(
        organisation=organisation or council_a(),
        council=council or get_council(gss_code=COUNCIL_A_GSS_CODE),
        status=status,
        **fields,
    )
