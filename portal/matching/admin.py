from django.contrib import admin

from portal.lib.admin import PageRuleInlineMixin, ReadOnlyMixin, SubscriptionMixin
from portal.matching.models import MatchDelivery, MatchSubscription
from portal.matching.rules import can_manage_match_alerts


class MatchDeliveryInline(ReadOnlyMixin, PageRuleInlineMixin, admin.TabularInline):
    model = MatchDelivery
    extra = 0
    fields = ["offer", "opportunity", "emailed", "sent_at"]
    readonly_fields = fields
    ordering = ["-sent_at"]


@admin.register(MatchSubscription)
class MatchSubscriptionAdmin(SubscriptionMixin, admin.ModelAdmin):
    """People's match alerts: moderators may look them up (to answer a question) or stop
    one, never change what someone asked for."""

    list_display = ["email", "size", "stage", "council", "created", "confirmed_at"]
    list_filter = ["confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    # A digest of the other fields, for finding the same alert again.
    internal_fields = ("profile_key",)
    inlines = [MatchDeliveryInline]
    list_select_related = ["council"]
    date_hierarchy = "created"
    rule = staticmethod(can_manage_match_alerts)
