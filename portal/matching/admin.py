from django.contrib import admin

from portal.matching.models import MatchDelivery, MatchSubscription
from portal.matching.rules import can_manage_match_alerts


class MatchDeliveryInline(admin.TabularInline):
    model = MatchDelivery
    extra = 0
    fields = ["offer", "opportunity", "emailed", "sent_at"]
    readonly_fields = fields
    ordering = ["-sent_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchSubscription)
class MatchSubscriptionAdmin(admin.ModelAdmin):
    """People's match alerts: moderators may look them up (to answer a question) or stop
    one, never change what someone asked for."""

    list_display = ["email", "size", "stage", "council", "created", "confirmed_at"]
    list_filter = ["confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    readonly_fields = [
        "public_id",
        "email",
        "frequency",
        "council",
        "region",
        "size",
        "stage",
        "sic_section",
        "turnover",
        "customer_types",
        "plans",
        "supplies",
        "scores",
        "created",
        "confirmed_at",
        "last_sent_at",
    ]
    fields = [*readonly_fields, "unsubscribed_at"]
    inlines = [MatchDeliveryInline]
    list_select_related = ["council"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_manage_match_alerts(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_manage_match_alerts(
            request.user
        )

    def has_delete_permission(self, request, obj=None):
        # Someone may ask for their data to be removed.
        return super().has_delete_permission(request, obj) and can_manage_match_alerts(
            request.user
        )
