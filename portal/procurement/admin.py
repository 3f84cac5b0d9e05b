"""Contract opportunities in the admin: for moderators to find and inspect opportunities,
import runs, saved searches and alerts, and to approve, close or withdraw postings.

Opportunities are read-only here: posting goes through the posting pages, whose services
check the rules, keep the version and record history, and imported ones are rewritten by
the next import. Status changes go through those same services (the actions below).
Import runs are a record of what happened: read-only. CPV codes are reference data.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.lib.admin import (
    ActionOnlyMixin,
    PageRuleInlineMixin,
    ReadOnlyMixin,
    RuleMixin,
    SubscriptionMixin,
    service_action,
)
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
    can_moderate_opportunities,
    can_view_import_runs,
    opportunities_in_admin_for,
)
from portal.procurement.services import posting


class LotInline(ReadOnlyMixin, PageRuleInlineMixin, admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["lot_id", "title", "value", "currency", "cpv_codes", "sme_suitable"]
    readonly_fields = fields


class OpportunityChangeInline(ReadOnlyMixin, PageRuleInlineMixin, admin.TabularInline):
    model = OpportunityChange
    extra = 0
    fields = ["at", "user", "action", "fields"]
    readonly_fields = fields
    ordering = ["-at", "-id"]


approve_opportunities = service_action(
    posting.approve_opportunity,
    name="approve_opportunities",
    keyword="opportunity",
    description=_("Approve the selected postings"),
    done=ngettext_lazy("%(count)d posting approved.", "%(count)d postings approved.", "count"),
)
close_opportunities = service_action(
    posting.close_opportunity,
    name="close_opportunities",
    keyword="opportunity",
    description=_("Close the selected opportunities to bids"),
    done=ngettext_lazy(
        "%(count)d opportunity closed.", "%(count)d opportunities closed.", "count"
    ),
)
withdraw_opportunities = service_action(
    posting.withdraw_opportunity,
    name="withdraw_opportunities",
    keyword="opportunity",
    description=_("Withdraw the selected opportunities"),
    done=ngettext_lazy(
        "%(count)d opportunity withdrawn.", "%(count)d opportunities withdrawn.", "count"
    ),
)


@admin.register(Opportunity)
class OpportunityAdmin(ActionOnlyMixin, RuleMixin, admin.ModelAdmin):
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
    search_fields = ["title", "title_cy", "buyer_name", "ocid", "release_id"]
    date_hierarchy = "last_changed"
    actions = [approve_opportunities, close_opportunities, withdraw_opportunities]
    inlines = [LotInline, OpportunityChangeInline]
    show_full_result_count = False

    rule = staticmethod(can_moderate_opportunities)
    object_rule = staticmethod(can_act_on_opportunity_in_admin)

    def get_queryset(self, request):
        return opportunities_in_admin_for(request.user).select_related("publisher", "buyer")


@admin.register(OpportunityChange)
class OpportunityChangeAdmin(ReadOnlyMixin, RuleMixin, admin.ModelAdmin):
    list_display = ["opportunity", "action", "user", "at"]
    list_filter = ["action"]
    list_select_related = ["opportunity", "user"]
    search_fields = ["opportunity__title"]
    date_hierarchy = "at"
    rule = staticmethod(can_manage_records)


@admin.register(CpvCode)
class CpvCodeAdmin(RuleMixin, admin.ModelAdmin):
    list_display = ["code", "description"]
    search_fields = ["code", "description"]
    rule = staticmethod(can_moderate_opportunities)

    def has_delete_permission(self, request, obj=None):
        # Opportunities keep codes as text: deleting one here would not remove it there,
        # only its description.
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyMixin, RuleMixin, admin.ModelAdmin):
    list_display = ["source", "feed", "started", "finished", "outcome", *ImportRun.COUNTERS]
    list_filter = ["outcome", "feed"]
    search_fields = ["source", "feed"]
    date_hierarchy = "started"
    rule = staticmethod(can_view_import_runs)


class AlertDeliveryInline(ReadOnlyMixin, PageRuleInlineMixin, admin.TabularInline):
    model = AlertDelivery
    extra = 0
    fields = ["opportunity", "sent_at"]
    readonly_fields = fields
    ordering = ["-sent_at"]


@admin.register(SavedSearch)
class SavedSearchAdmin(SubscriptionMixin, admin.ModelAdmin):
    """People's alerts: moderators may look them up (to answer a question) or stop one,
    never change what someone asked for."""

    list_display = ["email", "query", "frequency", "created", "confirmed_at", "unsubscribed_at"]
    list_filter = ["frequency", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "query"]
    inlines = [AlertDeliveryInline]
    date_hierarchy = "created"
    rule = staticmethod(can_manage_records)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyMixin, RuleMixin, admin.ModelAdmin):
    list_display = ["saved_search", "opportunity", "sent_at"]
    list_select_related = ["saved_search", "opportunity"]
    search_fields = ["saved_search__email", "opportunity__title"]
    date_hierarchy = "sent_at"
    rule = staticmethod(can_manage_records)


@admin.register(SavedOpportunity)
class SavedOpportunityAdmin(ReadOnlyMixin, RuleMixin, admin.ModelAdmin):
    list_display = ["user", "opportunity", "created", "reminded_at"]
    list_select_related = ["user", "opportunity"]
    search_fields = ["user__email", "opportunity__title"]
    date_hierarchy = "created"
    rule = staticmethod(can_manage_records)
