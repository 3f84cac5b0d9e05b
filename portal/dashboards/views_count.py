"""Counting opportunity page views: one row per opportunity per day, a number only."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portal.dashboards.models import OpportunityViews


def count_opportunity_view(sender, opportunity, **kwargs) -> None:
    """The receiver of portal.procurement.signals.opportunity_viewed: add one to the
    day's count (an update; the day's first view creates the row)."""
    day = timezone.localdate()
    updated = OpportunityViews.objects.filter(opportunity_id=opportunity.pk, day=day).update(
        views=F("views") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            OpportunityViews.objects.create(opportunity_id=opportunity.pk, day=day, views=1)
    except IntegrityError:  # another request created it a moment ago
        OpportunityViews.objects.filter(opportunity_id=opportunity.pk, day=day).update(
            views=F("views") + 1
        )
