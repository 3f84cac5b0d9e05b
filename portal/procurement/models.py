"""Contract opportunities: tenders that local firms can bid for.

Fields are named after OCDS 1.1 wherever one maps; the whole mapping, both ways, is
documented in one place: ``portal/procurement/ocds/__init__.py``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.choicesets import CodeSetField
from portal.lib.history import ChangeRecord
from portal.lib.subscriptions import Delivery, Subscription, unique_while_subscribed
from portal.lib.versioning import MayBecome, Versioned


def validate_cpv_code(value: str) -> None:
    """Any 8-digit CPV code (the check digit, "-7" say, is not kept)."""
    if not (isinstance(value, str) and len(value) == 8 and value.isdigit()):
        raise ValidationError(
            _("“%(value)s” is not a CPV code: a CPV code is 8 digits, like 72000000."),
            code="invalid_cpv",
            params={"value": value},
        )


# How many CPV codes an opportunity or a lot keeps: some notices list hundreds. Each
# takes nine characters of the column ("|72000000"), and one closes the set.
CPV_CODES_KEPT = 1000
CPV_CODES_LENGTH = CPV_CODES_KEPT * 9 + 1


class CpvCode(models.Model):
    """A code of the Common Procurement Vocabulary (CPV 2008).

    All 9,454 codes are here (loaded by data migrations); a code that is not here is
    still accepted on an opportunity when it is 8 digits.
    """

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self):
        return f"{self.code} {self.description}"

    @property
    def division(self) -> str:
        return self.code[:2]

    @property
    def is_division(self) -> bool:
        return self.code[2:] == "000000"


class BuyerType(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")


class MainCategory(models.TextChoices):
    """OCDS ``tender.mainProcurementCategory``."""

    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


class Procedure(models.TextChoices):
    """OCDS ``tender.procurementMethod``."""

    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct award")


class NoticeStage(models.TextChoices):
    """Which kind of notice it is: the OCDS release tag it came from."""

    PLANNING = "planning", _("Early engagement")
    TENDER = "tender", _("Tender")
    AWARD = "award", _("Award")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # A new organisation's posting waits here until a moderator approves it.
    PENDING = "pending", _("Waiting for a moderator")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour it shows in (templates/includes/status_tag.html): an ended
        opportunity is grey, unless it ended without a contract."""
        return {
            "draft": "yellow",
            "pending": "blue",
            "open": "green",
            "cancelled": "red",
            "withdrawn": "red",
        }.get(self, "grey")


# What the public sees: listed or reachable by URL.
PUBLIC_STATUSES = (Status.OPEN, Status.CLOSED, Status.AWARDED, Status.CANCELLED)


class Source(models.TextChoices):
    POSTED = "posted", _("Posted on Waymark")
    IMPORTED = "imported", _("Imported")


# No longer taking bids, whatever the deadline says.
ENDED_STATUSES = (Status.CLOSED, Status.AWARDED, Status.CANCELLED, Status.WITHDRAWN)


class OpportunityQuerySet(models.QuerySet):
    def public(self):
        """Everything the public may open by URL (listed or not)."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def open_on(self, moment):
        """Taking bids at ``moment``: open, and the deadline (if any) not passed."""
        return self.filter(status=Status.OPEN).filter(
            Q(deadline__isnull=True) | Q(deadline__gt=moment)
        )

    def visible(self, now):
        """What the public list shows: those taking bids ``now``."""
        return self.open_on(now)

    def with_out_of_date(self, now):
        """Annotate ``out_of_date``: still marked open although its deadline had passed
        by ``now`` (its status is out of date)."""
        return self.annotate(
            out_of_date=ExpressionWrapper(
                Q(status=Status.OPEN, deadline__isnull=False, deadline__lte=now),
                output_field=BooleanField(),
            )
        )


class Opportunity(Versioned, models.Model):
    # Raised with every recorded change (portal/lib/versions.py): the matcher rebuilds.
    DATA_VERSION = "opportunities"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # OCDS: ocid. Imported opportunities keep the publisher's; ours get OCDS_OCID_PREFIX.
    ocid = models.CharField(_("OCID"), max_length=200, null=True, blank=True, unique=True)

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Welsh, optional: Welsh pages show the English fields where these are empty
    # (portal/lib/bilingual.py). OCDS has no place for them: imports leave them alone.
    title_cy = models.CharField(_("title in Welsh"), max_length=300, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)

    buyer_name = models.CharField(_("buyer"), max_length=300)
    buyer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities_bought",
        verbose_name=_("buyer organisation on Waymark"),
    )
    # The organisation that posted it here (none for imported opportunities).
    publisher = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities_posted",
        verbose_name=_("posting organisation"),
    )
    buyer_type = models.CharField(
        _("public or private buyer"),
        max_length=10,
        choices=BuyerType.choices,
        default=BuyerType.PUBLIC,
    )
    main_category = models.CharField(
        _("main category"), max_length=10, choices=MainCategory.choices, blank=True
    )
    cpv_codes = CodeSetField(
        _("CPV codes"), code_validator=validate_cpv_code, max_length=CPV_CODES_LENGTH
    )

    # An amount of 0 in a feed means "not stated": kept as None, never as £0.
    value_min = models.DecimalField(
        _("lowest value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")

    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    tender_start = models.DateTimeField(_("tender period starts"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline for tenders"), null=True, blank=True)
    contract_start = models.DateField(_("contract starts"), null=True, blank=True)
    contract_end = models.DateField(_("contract ends"), null=True, blank=True)

    # Where: UK-wide, or any of these regions and councils.
    uk_wide = models.BooleanField(_("anywhere in the UK"), default=False)
    regions = models.ManyToManyField(
        "places.Region",
        blank=True,
        related_name="opportunities",
        verbose_name=_("nations and regions"),
    )
    councils = models.ManyToManyField(
        "places.Council", blank=True, related_name="opportunities", verbose_name=_("councils")
    )
    delivery_location = models.CharField(_("where the work is"), max_length=300, blank=True)

    # None: the notice does not say.
    sme_suitable = models.BooleanField(_("suitable for SMEs"), null=True, blank=True)
    vcse_suitable = models.BooleanField(_("suitable for VCSEs"), null=True, blank=True)

    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, blank=True
    )
    procedure_details = models.CharField(_("procedure details"), max_length=300, blank=True)
    stage = models.CharField(
        _("notice type"), max_length=10, choices=NoticeStage.choices, default=NoticeStage.TENDER
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    notice_url = models.URLField(_("link to the notice"), max_length=1000, blank=True)
    # OCDS documents: [{"id", "title", "url", "documentType"}].
    documents = models.JSONField(_("documents"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.POSTED
    )
    # Imports: where the latest release came from, and its id.
    source_uri = models.CharField(_("package URI"), max_length=1000, blank=True)
    release_id = models.CharField(_("release id"), max_length=300, blank=True)
    # Imports: the OCDS `date` of the release that last set each field, so releases read
    # in any order end in the same state (the latest date wins, as in OCDS merging):
    # [date, id], and the release's content hash after them in a conflict.
    field_dates = models.JSONField(default=dict, blank=True)
    # Imports: {"mapping": the version of the mapping code, "releases": {release id:
    # content hash}} of every release applied, so that a re-import skips those it has
    # seen and reports a release whose id comes again with other content.
    imported_releases = models.JSONField(default=dict, blank=True)

    # Raised by every save through the services: a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_changed = models.DateTimeField(_("last changed"), default=timezone.now)

    objects = OpportunityQuerySet.as_manager()

    # Where each status may go (posting and moderation; imports set any status)::
    #
    #     draft ──publish──▶ open ──close──▶ closed
    #       │      └(unverified)▶ pending ──approve──▶ open
    #       └── draft, pending, open ──withdraw──▶ withdrawn
    TRANSITIONS = {
        Status.DRAFT: frozenset({Status.PENDING, Status.OPEN, Status.WITHDRAWN}),
        Status.PENDING: frozenset({Status.OPEN, Status.WITHDRAWN}),
        Status.OPEN: frozenset({Status.CLOSED, Status.WITHDRAWN}),
    }
    CHANGED_AT_FIELD = "last_changed"
    # For the edit page's buttons (who may press them is for the permission rules), with
    # can_be_published and can_be_approved below.
    can_be_closed = MayBecome(Status.CLOSED)
    can_be_withdrawn = MayBecome(Status.WITHDRAWN)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["status", "deadline"], name="opportunity_status_deadline"),
            models.Index(fields=["publisher", "status"], name="opportunity_publisher_status"),
            models.Index(fields=["published_at"], name="opportunity_published_at"),
            # The OCDS export's order and pages (ocds/writing.py exportable_opportunities):
            # read in order from here, not sorted from every posted notice per page.
            models.Index(
                Coalesce("published_at", "created"),
                "id",
                condition=Q(status__in=PUBLIC_STATUSES, source=Source.POSTED),
                name="opportunity_export_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:detail", args=[self.public_id])

    def is_closed_on(self, moment) -> bool:
        """Whether it had stopped taking bids by ``moment``: ended, or open with its
        deadline passed (a draft or a posting waiting for a moderator is neither)."""
        if self.status != Status.OPEN:
            return self.status in ENDED_STATUSES
        return self.deadline is not None and self.deadline <= moment

    @property
    def is_closed(self) -> bool:
        """``is_closed_on`` now, for templates."""
        return self.is_closed_on(timezone.now())

    @property
    def status_choice(self) -> Status:
        """The status with its label and tag colour, for templates/includes/status_tag.html."""
        return Status(self.status)

    @property
    def can_be_published(self) -> bool:
        """Publishing opens it, or sends it to a moderator when its organisation is not
        verified yet: so only a status that may go either way is published."""
        return self.can_become(Status.OPEN) and self.can_become(Status.PENDING)

    @property
    def can_be_approved(self) -> bool:
        """Approval is the move out of waiting for a moderator."""
        return self.status == Status.PENDING and self.can_become(Status.OPEN)


class Lot(models.Model):
    """OCDS ``tender.lots`` (lots extension): part of an opportunity bid for separately."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    lot_id = models.CharField(_("lot id"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    cpv_codes = CodeSetField(
        _("CPV codes"), code_validator=validate_cpv_code, max_length=CPV_CODES_LENGTH
    )
    sme_suitable = models.BooleanField(_("suitable for SMEs"), null=True, blank=True)
    vcse_suitable = models.BooleanField(_("suitable for VCSEs"), null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "lot_id"], name="lot_unique_id_per_opportunity"
            )
        ]

    def __str__(self):
        return self.title or self.lot_id


class OpportunityChange(ChangeRecord):
    """Who changed an opportunity, what, when (posting and moderation)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="changes")

    subject_field = "opportunity"


class ImportRun(models.Model):
    """One run of the OCDS importer over one source (a file, a directory or a URL)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=1000)
    feed = models.CharField(_("feed"), max_length=100, blank=True)
    started = models.DateTimeField(_("started"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written as the run works: a running run silent for long has died (importing/runs.py).
    heartbeat = models.DateTimeField(_("last heard from"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    releases_read = models.PositiveIntegerField(_("releases read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"where": "file.json release 3 (id …)", "reason": "…"}]
    rejections = models.JSONField(_("rejected releases"), default=list, blank=True)
    # Releases whose id came again with other content: [{"where": …, "reason": …}]
    conflict_count = models.PositiveIntegerField(_("in conflict"), default=0)
    conflicts = models.JSONField(_("conflicting releases"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    # The figures a run counts as it works, in the order they are shown.
    COUNTERS = (
        "releases_read",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "conflict_count",
    )

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name = _("OCDS import run")

    def __str__(self):
        return f"{self.source} {self.started:%Y-%m-%d %H:%M}"


# Saved searches and alerts.


class SavedSearch(Subscription):
    """A search someone asked to be emailed about. Double opt-in: nothing is sent until
    the emailed confirmation link has been followed (portal/lib/subscriptions.py has the
    fields every subscription has)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_searches",
    )
    # The list page's query string, normalised (the filters, no page or sort).
    query = models.CharField(_("search"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["email"], name="saved_search_email")]
        constraints = [unique_while_subscribed("query", name="saved_search_once_per_email")]

    def __str__(self):
        return f"{self.email}: {self.query or 'all'} ({self.frequency})"


class AlertDelivery(Delivery):
    """An opportunity sent in a saved search's digest: never sent to it twice."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "opportunity"], name="alert_delivery_once"
            )
        ]

    def __str__(self):
        return f"{self.opportunity_id} → {self.saved_search_id}"


class SavedOpportunity(models.Model):
    """An opportunity a signed-in user has saved; reminded once when it closes within 7 days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_opportunities"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="saved_by")
    created = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "opportunity"], name="saved_opportunity_once_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user_id} saved {self.opportunity_id}"
