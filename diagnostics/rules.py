"""Who may open a diagnostic assessment, on the facts of portal/accounts/permissions.py."""

from portal.accounts.permissions import is_moderator, is_signed_in


def can_open_assessment(user, assessment, *, granted) -> bool:
    """Whether someone may open a diagnostic assessment (answers and results).

    Its owner (the signed-in user who took it), or a browser session that has been
    granted it (`granted`: the public_ids it started or resumed by a valid link).
    Nobody else, moderators included: answers are the business's own.
    """
    if assessment.public_id in granted:
        return True
    return is_signed_in(user) and assessment.user_id is not None and assessment.user_id == user.pk


def can_see_diagnostic_in_admin(user) -> bool:
    """The questionnaire versions and the assessments' columns the admin shows (never
    the answers or the email address), read-only: moderators, to run the service."""
    return is_moderator(user)
