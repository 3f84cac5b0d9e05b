import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.languages import language_field
from portal.lib.vocabularies import BusinessSize, Dimension, MaturityLevel, SicSection, Stage


class AssessmentStatus(models.TextChoices):
    STARTED = "started", _("In progress")
    COMPLETED = "completed", _("Completed")


class AssessmentQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(status=AssessmentStatus.COMPLETED)

    def in_progress(self):
        return self.filter(status=AssessmentStatus.STARTED)

    def counted_in_peer_groups(self, *, questionnaire: str, major_version: int):
        """Each business once: its latest completed assessment of that major version."""
        return self.filter(
            questionnaire=questionnaire, major_version=major_version, counts_for_peers=True
        )

    def abandoned(self, *, before):
        return self.in_progress().filter(updated__lt=before)


class Assessment(models.Model):
    """One business's answers to one version of a questionnaire, and its scores.

    Nobody needs an account: the person comes back through a signed resume link bound
    to `public_id`. Retakes share a `chain`, which is how a business is counted once in
    peer groups and how its progress is shown.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chain = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retake"
    )
    questionnaire = models.CharField(_("questionnaire"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    major_version = models.PositiveSmallIntegerField(_("major version"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    # Only when the person gives it, to send the resume link or the results.
    email = models.EmailField(_("email address"), blank=True)
    # The language of the pages the address was given on: its emails are in it.
    language = language_field()

    # The business profile, in columns: peer groups and dashboards filter on them.
    council = models.ForeignKey(
        "places.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "places.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.CharField(_("size"), max_length=10, choices=BusinessSize.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    sic_section = models.CharField(
        _("SIC section"), max_length=1, choices=SicSection.choices, blank=True
    )
    profile = models.JSONField(_("profile answers"), default=dict, blank=True)
    # What was on a page (the profile, or a section by its dimension key) when the person
    # saved it to come back later without it being complete or valid: the posted values
    # as they were, field name → list of strings, shown again on that page. Never scored:
    # scoring reads only `profile` and the answers, which the forms validated.
    drafts = models.JSONField(_("pages saved unfinished"), default=dict, blank=True)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.STARTED,
    )
    started = models.DateTimeField(_("started"), default=timezone.now)
    updated = models.DateTimeField(_("last saved"), default=timezone.now)
    completed = models.DateTimeField(_("completed"), null=True, blank=True)

    # Scores, stored on completion with the version that produced them.
    overall_score = models.FloatField(_("overall score"), null=True, blank=True)
    overall_band = models.CharField(
        _("overall band"), max_length=20, choices=MaturityLevel.choices, blank=True
    )
    result = models.JSONField(_("scoring result"), default=dict, blank=True)
    # The latest completed assessment of its chain for its major version.
    counts_for_peers = models.BooleanField(default=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        indexes = [
            # A peer group's count (diagnostics/queries.py) reads only this index: the
            # group's columns, and the score it ranks the business by.
            models.Index(
                fields=[
                    *("questionnaire", "major_version", "region", "sic_section", "size"),
                    "overall_score",
                ],
                condition=Q(counts_for_peers=True),
                name="assessment_peer_scores",
            ),
            models.Index(
                fields=["updated"],
                condition=Q(status="started"),
                name="assessment_in_progress_updated",
            ),
            # The dashboards' counted businesses (portal/dashboards/queries.py): every
            # column they filter on, and the key, so that choosing them reads only this
            # index, never the wide rows (their JSON answers and results).
            models.Index(
                fields=["completed", "region", "council", "size", "sic_section", "stage", "id"],
                condition=Q(counts_for_peers=True),
                name="assessment_dashboards",
            ),
        ]
        constraints = [
            # A retake is made only from a completed assessment (services.retake_assessment):
            # a chain has at most one in progress, whatever two clicks at once do.
            models.UniqueConstraint(
                fields=["chain"],
                condition=Q(status="started"),
                name="assessment_one_in_progress_per_chain",
            ),
            # Peer groups and dashboards count each business once per major version.
            models.UniqueConstraint(
                fields=["chain", "major_version"],
                condition=Q(counts_for_peers=True),
                name="assessment_counted_once_per_chain",
            ),
            models.CheckConstraint(
                condition=Q(counts_for_peers=False) | Q(status="completed"),
                name="assessment_counted_is_completed",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed__isnull=False),
                name="assessment_completed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True)
                | Q(overall_score__gte=0, overall_score__lte=100),
                name="assessment_overall_score_0_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} {self.version} ({self.get_status_display()})"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class Answer(models.Model):
    """The answer to one question; `value` is as `diagnostics.scoring.score` reads it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question key"), max_length=60)
    value = models.JSONField(_("answer"))
    answered = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="answer_one_per_question"
            )
        ]

    def __str__(self):
        return self.question


class DimensionScore(models.Model):
    """A completed assessment's score in one dimension, a row each so that peer
    percentiles and medians are aggregate queries."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="dimension_scores"
    )
    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    score = models.FloatField(_("score"), null=True, blank=True)  # None: not scored
    band = models.CharField(_("band"), max_length=20, choices=MaturityLevel.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="dimension_score_one_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="dimension_score_0_to_100",
            ),
        ]
        indexes = [models.Index(fields=["dimension", "score"], name="dimension_score_lookup")]

    def __str__(self):
        return f"{self.dimension}: {self.score}"


class QuestionnaireVersion(Assessment):
    """The admin's list of questionnaire versions: the versions themselves are data files
    (diagnostics/questionnaires/), so this proxy has no rows of its own; it gives the
    admin a page and a "view" permission (see admin.QuestionnaireVersionAdmin)."""

    class Meta:
        proxy = True
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
