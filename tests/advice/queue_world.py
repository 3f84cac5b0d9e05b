"""What the queue's tests share: the advice teams of council A's and council B's
organisations, a request to each, and the queue's addresses."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.advice.models import AdviceRequest
from tests.advice.factories import create_advice_request, create_advice_team
from tests.factories import COUNCIL_B_GSS_CODE, council_a, council_b, get_council

ACTIONS = ("assign", "note", "status", "outcome")


def create_request_b(**fields) -> AdviceRequest:
    """A request to council B's organisation, for Newcastle."""
    return create_advice_request(
        organisation=council_b(), council=get_council(gss_code=COUNCIL_B_GSS_CODE), **fields
    )


def create_queue_world() -> dict:
    """Both organisations receiving requests, and one request to each."""
    return {
        "team_a": create_advice_team(organisation=council_a()),
        "team_b": create_advice_team(organisation=council_b()),
        "request_a": create_advice_request(name="Ann Asker", email="ann@example.com"),
        "request_b": create_request_b(name="Ben Bidder", email="ben@example.com"),
    }


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def queue_url(organisation) -> str:
    return reverse("advice:queue", args=[organisation.slug])


def request_url(advice_request) -> str:
    return reverse("advice:staff-request", args=[advice_request.pk])


def action_url(advice_request, action: str) -> str:
    return reverse(f"advice:staff-request-{action}", args=[advice_request.pk])


def valid_post(action: str, *, assignee=None) -> dict:
    """Data each action accepts for a new request."""
    return {
        "assign": {"assign-assignee": assignee.pk if assignee is not None else ""},
        "note": {"note-text": "Called, left a message."},
        "status": {"status-status": "contacted"},
        "outcome": {
            "outcome-outcome_kind": "no_further_help",
            "outcome-outcome_text": "",
            "outcome-outcome_offer": "none",
        },
    }[action]
