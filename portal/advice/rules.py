"""Who may ask for advice and open an advice request, on the facts of
portal/accounts/permissions.py and the diagnostic's own rule for opening an assessment.

The founder's side: anyone may ask (no account needed); sharing a diagnostic's answers
and scores needs the right to open that assessment; a request is opened (and withdrawn)
by its signed link, which is the founder's only key when they asked without an account.
"""

from diagnostics.rules import can_open_assessment
from portal.accounts.permissions import is_moderator


def can_ask_for_advice(user) -> bool:
    """Anyone may ask: nothing is saved without their explicit consent."""
    return True


def can_share_assessment(user, assessment, *, granted) -> bool:
    """A request copies an assessment's answers, scores and recommendations: only those
    who may open the assessment may share it."""
    return can_open_assessment(user, assessment, granted=granted)


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
