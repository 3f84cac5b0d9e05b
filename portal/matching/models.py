"""What founders tell the matcher about its recommendations: "Useful" or "Not useful".

No personal data: no user, no session, no address, only the day. The dashboards count
the marks by offer kind and dimension, and they are kept for evaluating the ranking.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Feedback(models.Model):
    offer = models.ForeignKey(
        "catalogue.Offer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    opportunity = models.ForeignKey(
        "procurement.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    useful = models.BooleanField(_("useful"))
    rank = models.PositiveSmallIntegerField(_("place in the list"))
    reason_codes = models.JSONField(_("reasons shown"), default=list, blank=True)
    from_profile_only = models.BooleanField(_("ranked from a profile alone"), default=False)
    day = models.DateField(_("day"), default=timezone.localdate)

    class Meta:
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(offer__isnull=False, opportunity__isnull=True)
                    | models.Q(offer__isnull=True, opportunity__isnull=False)
                ),
                name="feedback_on_one_recommendation",
            )
        ]

    def __str__(self):
        return f"{'useful' if self.useful else 'not useful'} #{self.rank} {self.day}"
