"""Contract opportunities in the admin: for moderators to find and inspect opportunities,
import runs, saved searches and alerts, and to approve, close or withdraw postings.

Opportunities are read-only here: posting goes through the posting pages, whose services
check the rules, keep the version and record history, and imported ones are rewritten by
the next import. Status changes go through those same services (the actions below).
Import runs are a record of what happened: read-only. CPV codes are reference data.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.lib.versioning import WorkflowError
from portal.procurement.models import (
    AlertDelivery,
    CpvCode,
    ImportRun,
    Lot,
    Opportunity,
    OpportunityChange,
    SavedOpportunity,
    SavedSearch,
)
from portal.procurement.rules import (
    can_act_on_opportunity_in_admin,
    can_manage_records,
    can_view_import_runs,
    opportunities_in_admin_for,
)
from portal.procurement.services import posting


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LotInline(ReadOnlyMixin, admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["lot_id", "title", "value", "currency", "cpv_codes", "sme_suitable"]
    readonly_fields = fields


class OpportunityChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = OpportunityChange
    extra = 0
    fields = ["at", "user", "action", "fields"]
    readonly_fields = fields
    ordering = ["-at", "-id"]


def _run_on_each(modeladmin, request, queryset, *, service, done):
    count = 0
    for opportunity in queryset.select_related("publisher"):
        try:
            service(opportunity=opportunity, user=request.user)
        except (PermissionDenied, WorkflowError) as error:
            modeladmin.message_user(request, f"{opportunity}: {error}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done(count), messages.SUCCESS)


@admin.action(description=_("Approve the selected postings"))
def approve_opportunities(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        service=posting.approve_opportunity,
        done=lambda count: (
            ngettext("%(count)d posting approved.", "%(count)d postings approved.", count)
            % {"count": count}
        ),
    )


@admin.action(description=_("Close the selected opportunities to bids"))
def close_opportunities(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        service=posting.close_opportunity,
        done=lambda count: (
            ngettext("%(count)d opportunity closed.", "%(count)d opportunities closed.", count)
            % {"count": count}
        ),
    )


@admin.action(description=_("Withdraw the selected opportunities"))
def withdraw_opportunities(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        service=posting.withdraw_opportunity,
        done=lambda count: (
            ngettext(
                "%(count)d opportunity withdrawn.", "%(count)d opportunities withdrawn.", count
            )
            % {"count": count}
        ),
    )


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "publisher",
        "buyer_name",
        "status",
        "source",
        "deadline",
        "last_changed",
    ]
    list_filter = ["status", "source", "stage", "buyer_type", "main_category", "sme_suitable"]
    list_select_related = ["publisher"]
    search_fields = ["title", "buyer_name", "ocid", "release_id"]
    date_hierarchy = "last_changed"
    actions = [approve_opportunities, close_opportunities, withdraw_opportunities]
    inlines = [LotInline, OpportunityChangeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return opportunities_in_admin_for(request.user).select_related("publisher", "buyer")

    def get_readonly_fields(self, request, obj=None):
        return [
            field.name
            for field in [*Opportunity._meta.concrete_fields, *Opportunity._meta.many_to_many]
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewable and actionable; the fields themselves are read-only (see above).
        return super().has_change_permission(request, obj) and (
            obj is None or can_act_on_opportunity_in_admin(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpportunityChange)
class OpportunityChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["opportunity", "action", "user", "at"]
    list_filter = ["action"]
    list_select_related = ["opportunity", "user"]
    search_fields = ["opportunity__title"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_manage_records(request.user)


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "description"]
    search_fields = ["code", "description"]

    def has_delete_permission(self, request, obj=None):
        # Opportunities keep codes as text: deleting one here would not remove it there,
        # only its description.
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["source", "feed", "started", "finished", "outcome", *ImportRun.COUNTERS]
    list_filter = ["outcome", "feed"]
    search_fields = ["source", "feed"]
    date_hierarchy = "started"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_view_import_runs(request.user)


class AlertDeliveryInline(ReadOnlyMixin, admin.TabularInline):
    model = AlertDelivery
    extra = 0
    fields = ["opportunity", "sent_at"]
    readonly_fields = fields
    ordering = ["-sent_at"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """People's alerts: moderators may look them up (to answer a question) or stop one,
    never change what someone asked for."""

    list_display = ["email", "query", "frequency", "created", "confirmed_at", "unsubscribed_at"]
    list_filter = ["frequency", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "query"]
    readonly_fields = [
        "public_id",
        "email",
        "user",
        "query",
        "frequency",
        "created",
        "confirmed_at",
        "last_sent_at",
    ]
    fields = [*readonly_fields, "unsubscribed_at"]
    inlines = [AlertDeliveryInline]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_manage_records(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_manage_records(request.user)

    def has_delete_permission(self, request, obj=None):
        # Someone may ask for their data to be removed.
        return super().has_delete_permission(request, obj) and can_manage_records(request.user)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["saved_search", "opportunity", "sent_at"]
    list_select_related = ["saved_search", "opportunity"]
    search_fields = ["saved_search__email", "opportunity__title"]
    date_hierarchy = "sent_at"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_manage_records(request.user)


@admin.register(SavedOpportunity)
class SavedOpportunityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "opportunity", "created", "reminded_at"]
    list_select_related = ["user", "opportunity"]
    search_fields = ["user__email", "opportunity__title"]
    date_hierarchy = "created"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_manage_records(request.user)
