"""What founders tell the matcher about its recommendations ("Useful" or "Not useful"),
and the match alerts they ask for.

Feedback holds no personal data: no user, no session, no address, only the day. The
dashboards count the marks by offer kind and dimension, and they are kept for evaluating
the ranking. A match alert holds an email address and the business profile it is for.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.subscriptions import Delivery, Frequency, Subscription, unique_while_subscribed


class OfferOrOpportunity(models.Model):
    """A row about one recommended item: an offer or an opportunity, exactly one of the
    two (`exactly_one_item` is the check constraint that says so)."""

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

    class Meta:
        abstract = True


def exactly_one_item(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(offer__isnull=False, opportunity__isnull=True)
            | models.Q(offer__isnull=True, opportunity__isnull=False)
        ),
        name=name,
    )


class Feedback(OfferOrOpportunity):
    useful = models.BooleanField(_("useful"))
    rank = models.PositiveSmallIntegerField(_("place in the list"))
    reason_codes = models.JSONField(_("reasons shown"), default=list, blank=True)
    from_profile_only = models.BooleanField(_("ranked from a profile alone"), default=False)
    day = models.DateField(_("day"), default=timezone.localdate)

    class Meta:
        verbose_name_plural = _("feedback")
        constraints = [
            exactly_one_item("feedback_on_one_recommendation"),
            # The place in the list it was shown at: the first is 1 (FeedbackForm).
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="feedback_rank_from_one"),
        ]

    def __str__(self):
        return f"{'useful' if self.useful else 'not useful'} #{self.rank} {self.day}"


class MatchSubscription(Subscription):
    """An email address that asked for new matches for one business, weekly. Double
    opt-in (portal/lib/subscriptions.py). Holds the business profile the matcher needs
    and, after the diagnostic, its scores, bands and flags: never the answers."""

    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    council = models.ForeignKey(
        "places.Council", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "places.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    size = models.CharField(_("size"), max_length=20, blank=True)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    sic_section = models.CharField(_("SIC section"), max_length=1, blank=True)
    turnover = models.CharField(_("turnover"), max_length=30, blank=True)
    customer_types = models.JSONField(_("customer types"), default=list, blank=True)
    plans = models.JSONField(_("plans"), default=list, blank=True)
    supplies = models.JSONField(_("what the business supplies"), default=list, blank=True)
    # {"dimensions": {key: 0-100}, "bands": {key: band}, "flags": [key]}, or None for a
    # profile alone.
    scores = models.JSONField(_("scores"), null=True, blank=True)
    # A digest of everything above: the same address and business again is the same
    # subscription.
    profile_key = models.CharField(_("profile key"), max_length=64)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")
        indexes = [models.Index(fields=["email"], name="match_subscription_email")]
        constraints = [
            unique_while_subscribed("profile_key", name="match_subscription_once_per_email")
        ]

    def __str__(self):
        return f"{self.email}: {self.size} {self.stage} {self.sic_section} ({self.frequency})"


class MatchDelivery(Delivery, OfferOrOpportunity):
    """An offer or opportunity a match alert has told its subscriber about: in a digest,
    or (``emailed`` false) among the matches when the alert was confirmed, which the
    founder had just seen. Never sent to it again."""

    subscription = models.ForeignKey(
        MatchSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    emailed = models.BooleanField(_("emailed"), default=True)

    class Meta:
        verbose_name_plural = _("match deliveries")
        constraints = [
            exactly_one_item("match_delivery_of_one_item"),
            models.UniqueConstraint(
                fields=["subscription", "offer"], name="match_delivery_offer_once"
            ),
            models.UniqueConstraint(
                fields=["subscription", "opportunity"], name="match_delivery_opportunity_once"
            ),
        ]

    def __str__(self):
        return f"{self.offer_id or self.opportunity_id} → {self.subscription_id}"
