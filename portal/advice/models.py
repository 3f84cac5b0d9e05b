"""Advice requests: a founder asks the team of an organisation that serves their council
for help, consenting to share their business profile, diagnostic summary and chosen
recommendations; the team works the request in a queue and records what came of it.

The models
----------
- ``AdviceTeam``: an organisation's setting (one-to-one to accounts.Organisation):
  whether it receives requests and the team's email address, to which each new request
  is announced. The councils it covers are the organisation's own
  (``Organisation.councils``); a request for a council goes to one of the organisations
  that receive requests and cover it (the founder chooses when there are several).
  ``digest_sent_on`` is the day the managers' daily digest last went out.
- ``AdviceRequest``: one request. Three kinds of field:

  * personal details (``name``, ``email``, ``phone``, ``help_wanted``,
    ``contact_preference``) and the snapshots taken when asking (``profile``,
    ``diagnostic``, ``recommendations``: JSON, shapes below). Only the organisation
    it went to sees them; they are erased (blanked, ``erased_at`` set) when the founder
    withdraws, 12 months after the request is closed, or with the founder's account;
  * anonymous facts kept for ever for the dashboards and the matcher's evaluation:
    ``organisation``, ``council``, ``asked_from``, ``dimension`` (the dimension the
    request concerns: the offer's dimension that is weakest for the business, else the
    business's weakest dimension), ``offer_kind`` (of the offer it is about), ``offer``,
    ``status``, ``outcome_kind``, ``outcome_offer`` (the recommendation the outcome
    concerns) and the timestamps;
  * the case: ``status``, ``assigned_to``, ``first_contacted_at``, the outcome
    (``outcome_kind``, ``outcome_text``, ``outcome_offer``, ``outcome_recorded_at``),
    ``closed_at``, ``withdrawn_at``, ``erased_at``.

- ``AdviceNote``: a staff note on a request. Notes are deleted when the request's
  personal details are erased (they are about the person).
- ``AdviceEvent``: the request's history, one row per change (``EventKind``; each
  kind's ``details`` shape is in portal/advice/choices.py). Every service that changes
  a request records one in the same transaction. Events hold no personal details of the
  founder, so they are kept when the request is erased.

Status lifecycle (``RequestStatus``, transitions in ``choices.STATUS_TRANSITIONS``)
-------------------------------------------------------------------------------
::

    new ──► contacted ──► in_progress ──► closed (with an outcome)
     │  └──────────────────► │ ◄────────────┘ (reopen, until erased)
     └────────────────────────────────────► closed

- ``new``: just asked; ``first_contacted_at`` is empty. A new request with no contact
  after 5 working days (Monday to Friday, bank holidays ignored) is overdue.
- The first move out of ``new`` (to contacted, in progress or closed) sets
  ``first_contacted_at``, which stays.
- Closing records an outcome (``outcome_kind``, and ``outcome_text``/``outcome_offer``
  as needed) and sets ``closed_at``; reopening clears the outcome and ``closed_at``.
- Withdrawal by the founder (signed link) closes the request from any status with no
  outcome, sets ``withdrawn_at`` and ``closed_at`` and erases its personal details at
  once. A withdrawn or erased request can no longer change.
- Retention: 12 months after ``closed_at`` a scheduled task erases personal details
  (``erased_at``), keeping status, outcome kind and offer, dimension and offer kind.

Snapshot shapes (all as they were when asked; keys of the shared vocabularies)
-----------------------------------------------------------------------------
- ``profile``: {"size": BusinessSize, "stage": Stage, "sector": SicSection} (any may
  be ""), "plans": [{"key": str, "label": str}] (the profile's stated plans, from the
  assessment; [] without one).
- ``diagnostic``: {} when asked without a completed assessment, else
  {"questionnaire": str, "version": str, "completed": ISO datetime,
  "overall_score": float|None, "overall_band": MaturityLevel, "weakest": Dimension|"",
  "dimensions": [{"key": Dimension, "score": float|None, "band": MaturityLevel}],
  "flags": [{"key": str, "label": str}]}.
- ``recommendations``: [{"offer_id": int, "slug": str, "title": str,
  "kind": SupportKind, "dimensions": [Dimension], "reasons": [str] (the sentences the
  founder was shown), "rank": int | None (its place in their list)}]: the offer asked
  about first (always), then the recommendations the founder ticked.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.advice.choices import (
    AskedFrom,
    ContactPreference,
    EventKind,
    OutcomeKind,
    RequestStatus,
    may_become,
)
from portal.lib.languages import language_field
from portal.lib.vocabularies import Dimension, SupportKind


class AdviceTeamQuerySet(models.QuerySet):
    def receiving(self):
        return self.filter(receives_requests=True).exclude(team_email="")

    def covering(self, council):
        """The teams receiving requests whose organisation covers ``council`` (a Council
        or its id)."""
        return self.receiving().filter(organisation__councils=council)


class AdviceTeam(models.Model):
    """An organisation's setting for advice requests."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="advice_team",
        verbose_name=_("organisation"),
    )
    receives_requests = models.BooleanField(
        _("receives advice requests"),
        default=False,
        help_text=_(
            "Founders in the councils this organisation covers can ask its team for help."
        ),
    )
    team_email = models.EmailField(
        _("team email address"),
        blank=True,
        help_text=_("New requests are announced to this address."),
    )
    # The day the managers' daily digest last went out (so it goes once a day).
    digest_sent_on = models.DateField(_("digest last sent on"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    objects = AdviceTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("advice team")
        verbose_name_plural = _("advice teams")
        constraints = [
            models.CheckConstraint(
                condition=Q(receives_requests=False) | ~Q(team_email=""),
                name="advice_team_receiving_has_email",
            )
        ]

    def __str__(self):
        return str(self.organisation)


class AdviceRequestQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def open(self):
        return self.exclude(status=RequestStatus.CLOSED)

    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def due_for_erasure(self, *, closed_before):
        """Closed before that moment and not yet erased."""
        return self.filter(
            status=RequestStatus.CLOSED, closed_at__lt=closed_before, erased_at__isnull=True
        )


class AdviceRequest(models.Model):
    # Signed into the founder's link (portal/advice/tokens.py); never shown to staff.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="advice_requests",
        verbose_name=_("organisation"),
    )
    council = models.ForeignKey(
        "places.Council", on_delete=models.PROTECT, related_name="+", verbose_name=_("council")
    )
    assessment = models.ForeignKey(
        "diagnostics.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment"),
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer asked about"),
    )
    founder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_requests",
        verbose_name=_("founder's account"),
    )

    # Anonymous facts, kept after erasure (dashboards, evaluating the matcher).
    asked_from = models.CharField(_("asked from"), max_length=20, choices=AskedFrom.choices)
    dimension = models.CharField(
        _("dimension"), max_length=30, choices=Dimension.choices, blank=True
    )
    offer_kind = models.CharField(
        _("kind of support asked about"), max_length=30, choices=SupportKind.choices, blank=True
    )

    # Snapshots as they were when asked (shapes in the module docstring); erased.
    profile = models.JSONField(_("business profile"), default=dict, blank=True)
    diagnostic = models.JSONField(_("diagnostic summary"), default=dict, blank=True)
    recommendations = models.JSONField(_("recommendations"), default=list, blank=True)

    # Personal details; erased.
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    # The language of the pages the request was made on: the founder's emails are in it.
    language = language_field()
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    help_wanted = models.TextField(_("what they want help with"), max_length=2000, blank=True)
    contact_preference = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )

    # Consent: when, and which wording (portal/advice/consent.py) was agreed to.
    consented_at = models.DateTimeField(_("consent given"))
    consent_version = models.CharField(_("consent wording version"), max_length=20)

    # The case.
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_advice_requests",
        verbose_name=_("assigned to"),
    )
    first_contacted_at = models.DateTimeField(_("first contacted"), null=True, blank=True)
    outcome_kind = models.CharField(
        _("outcome"), max_length=20, choices=OutcomeKind.choices, blank=True
    )
    # "Referred to X", "applied to Y": to whom or to what. Free text, so erased.
    outcome_text = models.CharField(_("about the outcome"), max_length=500, blank=True)
    outcome_offer = models.ForeignKey(
        "catalogue.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer the outcome concerns"),
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal details erased"), null=True, blank=True)
    created = models.DateTimeField(_("asked"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    objects = AdviceRequestQuerySet.as_manager()

    # The fields blanked when personal details are erased, with their blank values.
    ERASED_VALUES = {
        "name": "",
        "email": "",
        "phone": "",
        "help_wanted": "",
        "profile": {},
        "diagnostic": {},
        "recommendations": [],
        "outcome_text": "",
    }

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("advice request")
        verbose_name_plural = _("advice requests")
        indexes = [
            # The queue: an organisation's requests by status, newest or oldest first.
            models.Index(
                fields=["organisation", "status", "created"], name="advice_request_queue"
            ),
            # Overdue requests (new, never contacted) across organisations.
            models.Index(
                fields=["created"],
                condition=Q(status="new"),
                name="advice_request_new_created",
            ),
            # Retention: closed and not yet erased.
            models.Index(
                fields=["closed_at"],
                condition=Q(erased_at__isnull=True),
                name="advice_request_to_erase",
            ),
            # The dashboards' counts for a set of councils and a period.
            models.Index(fields=["council", "created"], name="advice_request_council"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="advice_request_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(status="closed"),
                name="advice_request_withdrawn_is_closed",
            ),
            # Closing records the outcome and reopening clears it (casework.py).
            models.CheckConstraint(
                condition=Q(outcome_kind="") | Q(status="closed"),
                name="advice_request_outcome_only_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} #{self.pk} ({self.get_status_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status == RequestStatus.CLOSED

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def can_change(self) -> bool:
        """Staff may still work on it: not withdrawn, personal details not erased."""
        return not self.is_withdrawn and not self.is_erased

    def may_become(self, status: str) -> bool:
        return self.can_change and may_become(self.status, status)


class AdviceNote(models.Model):
    """A note by a member of the organisation's staff."""

    request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, related_name="notes", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=5000)
    created = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("advice note")
        verbose_name_plural = _("advice notes")

    def __str__(self):
        return f"#{self.request_id} {self.created:%Y-%m-%d %H:%M}"


class AdviceEvent(models.Model):
    """One entry of a request's history. ``actor`` is None for the founder (from their
    signed link) and for the scheduled tasks."""

    request = models.ForeignKey(
        AdviceRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("request"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("advice request event")
        verbose_name_plural = _("advice request events")
        indexes = [models.Index(fields=["request", "created"], name="advice_event_request")]

    def __str__(self):
        return f"#{self.request_id} {self.kind} {self.created:%Y-%m-%d %H:%M}"
