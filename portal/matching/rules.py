"""Who may see and act on recommendations, on the facts of portal/accounts/permissions.py
and the diagnostic's own rule for opening an assessment."""

from diagnostics.rules import can_open_assessment


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
