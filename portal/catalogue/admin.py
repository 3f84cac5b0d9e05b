"""The catalogue in the admin: for moderators to find, inspect, publish and archive
offers. Editing goes through the curation pages, whose services check places, keep the
version and record history; the admin changes status only through those services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.catalogue.models import Offer, OfferChange, Referral
from portal.catalogue.rules import can_edit_offer, can_moderate_offers, offers_editable_by
from portal.catalogue.services import curation
from portal.lib.admin import (
    ActionOnlyMixin,
    PageRuleInlineMixin,
    ReadOnlyMixin,
    RuleMixin,
    service_action,
)


class OfferChangeInline(ReadOnlyMixin, PageRuleInlineMixin, admin.TabularInline):
    model = OfferChange
    extra = 0
    fields = ["at", "user", "action", "fields"]
    readonly_fields = fields
    ordering = ["-at", "-id"]


publish_offers = service_action(
    curation.publish_offer,
    name="publish_offers",
    keyword="offer",
    description=_("Publish the selected offers"),
    done=ngettext_lazy("%(count)d offer published.", "%(count)d offers published.", "count"),
)
archive_offers = service_action(
    curation.archive_offer,
    name="archive_offers",
    keyword="offer",
    description=_("Archive the selected offers"),
    done=ngettext_lazy("%(count)d offer archived.", "%(count)d offers archived.", "count"),
)


@admin.register(Offer)
class OfferAdmin(ActionOnlyMixin, RuleMixin, admin.ModelAdmin):
    list_display = ["title", "curator", "kind", "status", "review_due", "closes", "updated"]
    list_filter = ["status", "kind", "uk_wide", "curator"]
    list_select_related = ["curator"]
    search_fields = ["title", "title_cy", "provider_name", "external_id"]
    date_hierarchy = "updated"
    actions = [publish_offers, archive_offers]
    inlines = [OfferChangeInline]
    show_full_result_count = False

    rule = staticmethod(can_moderate_offers)
    object_rule = staticmethod(can_edit_offer)

    def get_queryset(self, request):
        return offers_editable_by(request.user).select_related("curator", "provider")


@admin.register(Referral)
class ReferralAdmin(RuleMixin, admin.ModelAdmin):
    list_display = ["offer", "at", "source_page"]
    list_select_related = ["offer"]
    readonly_fields = ["offer", "at", "session_hash", "source_page"]
    date_hierarchy = "at"
    rule = staticmethod(can_moderate_offers)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
