"""The diagnostic in the admin: questionnaire versions and assessments, read-only.

Questionnaire versions are data files (diagnostics/questionnaires/), published ones
immutable, so nobody edits a question here. Assessments are the businesses' own: staff see
what they need to run the service (version, status, dates, profile columns, scores), not
the answers or the email address, and cannot change anything.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from diagnostics.definitions import PUBLISHED, load_all_definitions
from diagnostics.models import Assessment, AssessmentStatus, QuestionnaireVersion
from diagnostics.rules import can_see_diagnostic_in_admin
from portal.lib.admin import RuleMixin


class ReadOnlyAdmin(RuleMixin, admin.ModelAdmin):
    rule = staticmethod(can_see_diagnostic_in_admin)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def version_counts() -> dict[tuple[str, str], dict[str, int]]:
    """(questionnaire, version) → started and completed counts, in one query."""
    rows = Assessment.objects.values("questionnaire", "version").annotate(
        started=Count("pk"),
        completed=Count("pk", filter=Q(status=AssessmentStatus.COMPLETED)),
    )
    return {
        (row["questionnaire"], row["version"]): {
            "started": row["started"],
            "completed": row["completed"],
        }
        for row in rows.order_by()
    }


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdmin):
    """One page listing every version file with its assessment counts."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        counts = version_counts()
        versions = [
            {
                "definition": definition,
                "published": (definition.slug, definition.version) in PUBLISHED,
                "question_count": len(definition.questions),
                **counts.get(
                    (definition.slug, definition.version), {"started": 0, "completed": 0}
                ),
            }
            for definition in load_all_definitions()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.model._meta.verbose_name_plural.capitalize(),
            "versions": versions,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/diagnostics/questionnaire_versions.html", context)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = (
        "public_id",
        "questionnaire",
        "version",
        "status",
        "region",
        "size",
        "sic_section",
        "overall_score",
        "updated",
    )
    list_filter = ("status", "questionnaire", "version", "size", "counts_for_peers")
    list_select_related = ("region",)
    date_hierarchy = "started"
    fields = (
        "public_id",
        "chain",
        "questionnaire",
        "version",
        "status",
        "started",
        "updated",
        "completed",
        "council",
        "region",
        "size",
        "stage",
        "sic_section",
        "overall_score",
        "overall_band",
        "counts_for_peers",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("council", "region")
