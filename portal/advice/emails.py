"""The emails of asking for advice: the founder's confirmation (with the signed link to
view and withdraw the request) and the notice to the organisation's team. Tasks call
these.

The team's notice names the council and what the request is about, never the founder's
details: those are read on Waymark by the organisation's signed-in staff.
"""

from django.utils.translation import gettext as _

from portal.advice.models import AdviceRequest
from portal.advice.tokens import make_request_token
from portal.lib.languages import in_language
from portal.lib.mail import absolute_url, send_email
from portal.lib.vocabularies import Dimension


def request_url(advice_request: AdviceRequest) -> str:
    """The founder's link to view or withdraw their request."""
    return absolute_url(
        "advice:request",
        public_id=advice_request.public_id,
        token=make_request_token(advice_request.public_id),
    )


def team_url(advice_request: AdviceRequest) -> str:
    """Where the team's notice sends its reader: the request's page in their queue
    (signing in first when they are not)."""
    return absolute_url("advice:staff-request", pk=advice_request.pk)


def _about(advice_request: AdviceRequest) -> str:
    """What the request is about, in words: the offer, else the dimension."""
    if advice_request.recommendations and advice_request.offer_id:
        first = advice_request.recommendations[0]
        if first.get("offer_id") == advice_request.offer_id:
            return first.get("title", "")
    if advice_request.dimension in Dimension.values:
        return str(Dimension(advice_request.dimension).label)
    return ""


def send_request_confirmation_email(*, advice_request: AdviceRequest) -> None:
    """In the language the request was made in, with a link to the page in it."""
    with in_language(advice_request.language):
        send_email(
            to=advice_request.email,
            subject=_("Your request for advice has been sent to %(organisation)s")
            % {"organisation": advice_request.organisation.name},
            template="advice_request_confirmation",
            context={
                "advice_request": advice_request,
                "organisation": advice_request.organisation,
                "request_url": request_url(advice_request),
                "about": _about(advice_request),
            },
        )


def send_request_to_team_email(*, advice_request: AdviceRequest, team_email: str) -> None:
    send_email(
        to=team_email,
        subject=_("New request for business advice from %(council)s")
        % {"council": advice_request.council.name},
        template="advice_request_to_team",
        context={
            "advice_request": advice_request,
            "organisation": advice_request.organisation,
            "council": advice_request.council,
            "about": _about(advice_request),
            "team_url": team_url(advice_request),
        },
    )
