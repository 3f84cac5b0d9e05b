"""Who may see and act on recommendations, on the facts of portal/accounts/permissions.py
and the diagnostic's own rule for opening an assessment."""

from diagnostics.rules import can_open_assessment
from portal.accounts.permissions import is_moderator


def can_see_recommendations_for(user, assessment, *, granted) -> bool:
    """Recommendations from an assessment show its results' gaps: only those who may open
    the assessment may see them."""
    return can_open_assessment(user, assessment, granted=granted)


def can_get_profile_recommendations(user) -> bool:
    """Anyone may rank support for a profile they type in: nothing of theirs is stored."""
    return True


def can_give_feedback(user) -> bool:
    """Anyone may mark a recommendation useful or not: the mark holds no personal data."""
    return True


def can_ask_for_match_alerts(user) -> bool:
    """Anyone may ask to be emailed new matches for a profile: nothing but the
    confirmation is sent until the address's owner follows its link."""
    return True


def can_ask_for_match_alerts_for(user, assessment, *, granted) -> bool:
    """Match alerts ranked with an assessment's scores keep a copy of them: only those who
    may see its recommendations may ask."""
    return can_see_recommendations_for(user, assessment, granted=granted)


def can_manage_match_alerts(user) -> bool:
    """Match alerts in the admin (people's email addresses and businesses): moderators
    only, to answer a question or stop one."""
    return is_moderator(user)
