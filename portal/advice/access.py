"""Fetching an advice request for the person holding its signed link.

Whether they may open it is decided by ``rules.can_open_request_by_link``; anyone else,
and anyone with a bad or expired link, gets a 404, so a stranger cannot even learn that
a request exists.
"""

from uuid import UUID

from django.http import Http404

from portal.advice import rules
from portal.advice.models import AdviceRequest
from portal.advice.tokens import token_opens


def get_request_by_link(public_id: UUID, token: str) -> AdviceRequest:
    advice_request = (
        AdviceRequest.objects.select_related("organisation", "council")
        .filter(public_id=public_id)
        .first()
    )
    if advice_request is None or not rules.can_open_request_by_link(
        advice_request, link_opens=token_opens(token, public_id)
    ):
        raise Http404("No such request")
    return advice_request
