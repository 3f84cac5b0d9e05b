"""Who may ask for advice and open an advice request, on the facts of
portal/accounts/permissions.py and the diagnostic's own rule for opening an assessment.

The founder's side: anyone may ask (no account needed); sharing a diagnostic's answers
and scores needs the right to open that assessment; a request is opened (and withdrawn)
by its signed link, which is the founder's only key when they asked without an account.

The staff's side: the members of the organisation a request went to (editors and
managers alike) see its queue and its requests and work on them; nobody else does, not
even moderators, who only see how many requests each organisation has.
"""

import portal.accounts.permissions as permissions
from diagnostics.rules import can_open_assessment
from portal.accounts.permissions import is_moderator


def can_ask_for_advice(user) -> bool:
    """Anyone may ask: nothing is saved without their explicit consent."""
    return True


def can_share_assessment(user, assessment, *, granted) -> bool:
    """A request copies an assessment's answers, scores and recommendations: only those
    who may open the assessment may share it."""
    return can_open_assessment(user, assessment, granted=granted)


def can_work_on_requests(user, organisation) -> bool:
    """See the organisation's queue and open its requests: its members, any role."""
    return permissions.is_member(user, organisation)


def can_view_request(user, advice_request) -> bool:
    """A request, with the founder's details and what they shared: the members of the
    organisation it went to, and nobody else."""
    return can_work_on_requests(user, advice_request.organisation)


def can_change_request(user, advice_request) -> bool:
    """Assign it, add a note, change its status, record its outcome: the members of its
    organisation, while the founder has not withdrawn it and it has not been erased."""
    return can_view_request(user, advice_request) and advice_request.can_change


def can_be_assigned_request(user, advice_request) -> bool:
    """Whom a request may be given to: a member of the organisation it went to."""
    return can_work_on_requests(user, advice_request.organisation)


def can_see_request_counts(user) -> bool:
    """How many requests each organisation has, by status (never who asked or what they
    shared): moderators."""
    return permissions.is_moderator(user)


def can_open_request_by_link(advice_request, *, link_opens: bool) -> bool:
    """The founder, holding the request's signed link (``link_opens``: tokens.token_opens
    said yes for this request). Nobody else, whoever is signed in."""
    return link_opens


def can_withdraw_request(advice_request, *, link_opens: bool) -> bool:
    """The founder, by the signed link, while the request has not been withdrawn or its
    shared data erased already."""
    return (
        can_open_request_by_link(advice_request, link_opens=link_opens)
        and not advice_request.is_withdrawn
        and not advice_request.is_erased
    )


def can_manage_advice_teams(user) -> bool:
    """Which organisations receive requests, and at which address, in the admin:
    moderators (an organisation's managers may also change their own, on the staff's
    pages)."""
    return is_moderator(user)
