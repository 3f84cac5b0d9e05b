"""Fetching an advice request for the person holding its signed link.

Whether they may open it is decided by ``rules.can_open_request_by_link``; anyone else,
and anyone with a bad or expired link, gets a 404, so a stranger cannot even learn that
a request exists.
"""

from uuid import UUID

from django.http import Http404

from portal.accounts.models import Organisation
from portal.advice import queue, rules
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


# The staff's side: an organisation's queue and its requests, for its members only
# (rules.can_work_on_requests, rules.can_view_request); anyone else gets a 404, so a
# member of another organisation cannot even learn that a request exists.


def get_organisation_for_queue(request, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not rules.can_work_on_requests(request.user, organisation):
        raise Http404("No such queue")
    return organisation


def get_request_for_staff(request, pk: int) -> AdviceRequest:
    """The request with what its page shows beside it, for a member of its organisation."""
    advice_request = queue.request_for_staff(pk)
    if advice_request is None or not rules.can_view_request(request.user, advice_request):
        raise Http404("No such request")
    return advice_request
