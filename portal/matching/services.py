"""Writes of the matcher: feedback marks."""

import uuid

from django.db import transaction

from portal.catalogue.models import Offer
from portal.catalogue.services.referrals import recommendation_facts
from portal.matching.models import Feedback
from portal.procurement.models import Opportunity


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def record_feedback(
    *,
    target: str,
    key: str,
    useful: bool,
    rank: int,
    reasons: str,
    from_profile_only: bool,
) -> Feedback | None:
    """One "Useful" / "Not useful" mark, or None when the offer or opportunity is unknown
    or not public. Holds no personal data."""
    offer = opportunity = None
    if target == "offer":
        offer = Offer.objects.published().filter(slug=key).first()
    elif _is_uuid(key):
        opportunity = Opportunity.objects.public().filter(public_id=key).first()
    if offer is None and opportunity is None:
        return None
    _place, codes = recommendation_facts(str(rank), reasons)
    return Feedback.objects.create(
        offer=offer,
        opportunity=opportunity,
        useful=useful,
        rank=rank,
        reason_codes=codes,
        from_profile_only=from_profile_only,
    )
