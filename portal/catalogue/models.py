"""Support offers: what a business in the area can use, curated by councils.

An offer is kept close to the Open Referral UK / HSDS 3.0 `service` entity so the
read API maps onto it field by field (see portal/catalogue/openreferral/).
"""

import uuid
from datetime import timedelta

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib import facets
from portal.lib.choicesets import ChoiceSetField
from portal.lib.history import ChangeRecord
from portal.lib.money import money_range
from portal.lib.versioning import MayBecome, Versioned
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)

REVIEW_INTERVAL = timedelta(days=183)  # about 6 months
# The curation queue's horizon: reviews falling due and offers closing within it.
CURATION_HORIZON = timedelta(days=30)


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour it shows in (templates/includes/status_tag.html)."""
        return {"draft": "yellow", "in_review": "blue", "published": "green"}.get(self, "grey")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    SUBSIDISED = "subsidised", _("Subsidised")
    PAID = "paid", _("Paid")


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BLENDED = "blended", _("Online and in person")


def default_review_due():
    return timezone.localdate() + REVIEW_INTERVAL


def visible_condition(day) -> facets.Condition:
    """What the public lists show on ``day``: published and not closed."""
    return facets.equals("status", OfferStatus.PUBLISHED.value) & (
        facets.IsNull("closes") | facets.at_least("closes", day)
    )


def open_on_condition(day) -> facets.Condition:
    """Taking applications on ``day``: always open, or opened and not yet closed (the
    search's "Open now" facet counts with it)."""
    return facets.equals("always_open", True) | (
        (facets.IsNull("opens") | facets.at_most("opens", day))
        & (facets.IsNull("closes") | facets.at_least("closes", day))
    )


class OfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=OfferStatus.PUBLISHED)

    def visible(self, today):
        """What the public lists show: published and not closed on ``today``."""
        return self.filter(visible_condition(today).q())

    def with_out_of_date(self, today):
        """Annotate ``out_of_date``: overdue for review on ``today`` (the page warns
        "This information may be out of date")."""
        return self.annotate(
            out_of_date=ExpressionWrapper(Q(review_due__lt=today), output_field=BooleanField())
        )

    def open_on(self, day):
        """Taking applications on ``day``."""
        return self.filter(open_on_condition(day).q())

    def for_curator(self, organisation):
        return self.filter(curator=organisation)

    def drafts(self):
        return self.filter(status=OfferStatus.DRAFT)

    def in_review(self):
        return self.filter(status=OfferStatus.IN_REVIEW)

    def without_link(self):
        """Offers not archived that have no link to apply (a feed gave none): they
        cannot be published until a curator adds one."""
        return self.exclude(status=OfferStatus.ARCHIVED).filter(application_url="")

    def due_for_review(self, within: timedelta = CURATION_HORIZON, *, today=None):
        """Published offers whose review falls due from today to ``within`` from now."""
        today = today or timezone.localdate()
        return self.published().filter(review_due__gte=today, review_due__lte=today + within)

    def overdue(self, *, today=None):
        """Published offers whose review date has passed."""
        return self.published().filter(review_due__lt=today or timezone.localdate())

    def closing_soon(self, within: timedelta = CURATION_HORIZON, *, today=None):
        """Published offers that stop taking applications from today to ``within``."""
        today = today or timezone.localdate()
        return self.published().filter(closes__gte=today, closes__lte=today + within)


class Offer(Versioned, models.Model):
    # Raised with every recorded change (portal/lib/versions.py): the matcher rebuilds.
    DATA_VERSION = "offers"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Welsh, optional: Welsh pages show the English fields where these are empty
    # (portal/lib/bilingual.py).
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)

    # Who runs it (often not an organisation on Waymark) and who curates the listing.
    provider_name = models.CharField(_("provider"), max_length=200)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provided_offers",
        verbose_name=_("provider organisation on Waymark"),
    )
    curator = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="curated_offers",
        verbose_name=_("curating organisation"),
    )

    kind = models.CharField(_("kind of support"), max_length=30, choices=SupportKind.choices)
    dimensions = ChoiceSetField(_("helps with"), choices=Dimension.choices)
    maturity_levels = ChoiceSetField(_("suits businesses at"), choices=MaturityLevel.choices)

    # Eligibility: an empty set means every size, stage or sector.
    sizes = ChoiceSetField(_("business sizes"), choices=BusinessSize.choices)
    stages = ChoiceSetField(_("business stages"), choices=Stage.choices)
    sic_sections = ChoiceSetField(_("sectors"), choices=SicSection.choices)
    eligibility_note = models.TextField(_("other eligibility"), blank=True)

    # Where: UK-wide, or any of these regions and councils.
    uk_wide = models.BooleanField(_("available across the UK"), default=False)
    regions = models.ManyToManyField(
        "places.Region", blank=True, related_name="offers", verbose_name=_("nations and regions")
    )
    councils = models.ManyToManyField(
        "places.Council", blank=True, related_name="offers", verbose_name=_("councils")
    )

    cost = models.CharField(_("cost"), max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("about the cost"), max_length=300, blank=True)
    funding_min = models.DecimalField(
        _("smallest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_max = models.DecimalField(
        _("largest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.ONLINE
    )

    always_open = models.BooleanField(_("always open"), default=False)
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)
    next_intake = models.DateField(_("next intake"), null=True, blank=True)

    application_url = models.URLField(_("link to apply or find out more"), max_length=500)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    review_due = models.DateField(_("review due"), default=default_review_due)

    # Imports: the row's or the feed's own id, so that importing again updates in place.
    source = models.CharField(_("source"), max_length=200, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)

    # Raised by every save through the services: a save based on an older version is
    # refused rather than overwriting someone else's changes.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), default=timezone.now)
    published = models.DateTimeField(_("first published"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    # Where each status may go: any curator sends a draft for review and archives; a
    # manager publishes, and brings an archived offer back.
    TRANSITIONS = {
        OfferStatus.DRAFT: frozenset(
            {OfferStatus.IN_REVIEW, OfferStatus.PUBLISHED, OfferStatus.ARCHIVED}
        ),
        OfferStatus.IN_REVIEW: frozenset({OfferStatus.PUBLISHED, OfferStatus.ARCHIVED}),
        OfferStatus.PUBLISHED: frozenset({OfferStatus.ARCHIVED}),
        OfferStatus.ARCHIVED: frozenset({OfferStatus.PUBLISHED}),
    }
    CHANGED_AT_FIELD = "updated"
    # For the edit page's buttons (who may press them is for the permission rules).
    can_be_submitted = MayBecome(OfferStatus.IN_REVIEW)
    can_be_published = MayBecome(OfferStatus.PUBLISHED)
    can_be_archived = MayBecome(OfferStatus.ARCHIVED)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["curator", "external_id"],
                condition=~models.Q(external_id=""),
                name="offer_unique_external_id_per_curator",
            )
        ]
        indexes = [
            models.Index(fields=["status", "closes"], name="offer_status_closes"),
            models.Index(fields=["curator", "status"], name="offer_curator_status"),
            models.Index(fields=["review_due"], name="offer_review_due"),
            # The Open Referral API's pages (api.py), in title order: read in order from
            # here, not sorted from every published offer per page.
            models.Index(
                fields=["title", "id"],
                condition=Q(status=OfferStatus.PUBLISHED),
                name="offer_published_by_title",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:offer", args=[self.slug])

    def is_closed_on(self, day) -> bool:
        """Whether it had stopped taking applications before ``day``."""
        return self.closes is not None and self.closes < day

    @property
    def funding_text(self) -> str:
        """The funding it gives, "£1,000 to £5,000" or "Up to £5,000"; "" for none."""
        return money_range(self.funding_min, self.funding_max, self.currency, high_is_a_limit=True)

    @property
    def status_choice(self) -> OfferStatus:
        """The status with its label and tag colour, for templates/includes/status_tag.html."""
        return OfferStatus(self.status)


class OfferChange(ChangeRecord):
    """The change history of an offer: who changed what, when."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="changes")

    subject_field = "offer"


class Referral(models.Model):
    """A click through to an offer's own site: which offer, when, from where. Never who:
    the session is kept only as a salted hash so that repeat clicks can be told apart."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="referrals")
    at = models.DateTimeField(default=timezone.now)
    session_hash = models.CharField(max_length=64, blank=True)
    source_page = models.CharField(max_length=300, blank=True)
    # From a list of recommendations: the place it had (1 = first) and the codes of the
    # reasons shown, for evaluating the ranking. Nothing about the person.
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["offer", "at"], name="referral_offer_at")]

    def __str__(self):
        return f"{self.offer} {self.at:%Y-%m-%d %H:%M}"
