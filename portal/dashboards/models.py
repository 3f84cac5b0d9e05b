from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OpportunityViews(models.Model):
    """How many times an opportunity's page was opened on a day: a count, nothing about
    who opened it (no user, no session, no address)."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"), default=timezone.localdate)
    views = models.PositiveIntegerField(_("page views"), default=0)

    class Meta:
        verbose_name = _("opportunity page views")
        verbose_name_plural = _("opportunity page views")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "day"], name="opportunity_views_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="opportunity_views_day")]

    def __str__(self):
        return f"{self.opportunity_id} {self.day}: {self.views}"
