"""Who may see which dashboard: the public summary is everyone's; the fuller dashboard
is for analysts, any member of a local-authority organisation, for the places their
organisation covers, and for moderators everywhere (portal/accounts/permissions.py).

An organisation covers the councils it is linked to (``Organisation.councils``). Its
analysts see those councils' dashboards; a region's or the UK's fuller dashboard would
show the other councils' figures beside theirs, so it is for moderators only (the
public summary of every place is open to all).
"""

from portal.accounts.permissions import is_moderator, is_signed_in, local_authority_ids
from portal.places.models import Council


def can_see_public_summary(user) -> bool:
    """Everyone, signed in or not: the public summary holds only published figures."""
    return True


def can_use_dashboards(user) -> bool:
    """Whether the user may open any fuller dashboard at all."""
    return is_moderator(user) or bool(local_authority_ids(user))


def councils_analysed_by(user) -> frozenset[int]:
    """The ids of the councils whose fuller dashboard the user may see (moderators: use
    ``can_see_dashboard``, they see every place)."""
    if not is_signed_in(user):
        return frozenset()
    organisations = local_authority_ids(user)
    if not organisations:
        return frozenset()
    cached = getattr(user, "_waymark_analysed_councils", None)
    if cached is None:
        cached = frozenset(
            Council.objects.filter(organisations__in=organisations).values_list("pk", flat=True)
        )
        user._waymark_analysed_councils = cached
    return cached


def can_see_dashboard(user, place) -> bool:
    """The fuller dashboard of ``place`` (a portal.places.choices.Place, or None for the
    UK): moderators everywhere; members of a local authority for the councils their
    organisation covers."""
    if is_moderator(user):
        return True
    if place is None or not place.is_council:
        return False
    return place.council_id in councils_analysed_by(user)
