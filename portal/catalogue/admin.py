"""The catalogue in the admin: for moderators to find, inspect, publish and archive
offers. Editing goes through the curation pages, whose services check places, keep the
version and record history; the admin changes status only through those services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.catalogue.models import Offer, OfferChange, Referral
from portal.catalogue.rules import can_edit_offer, offers_editable_by
from portal.catalogue.services import curation
from portal.lib.versioning import StatusError


class OfferChangeInline(admin.TabularInline):
    model = OfferChange
    extra = 0
    fields = ["at", "user", "action", "fields"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _run_on_each(modeladmin, request, queryset, *, service, done):
    count = 0
    for offer in queryset:
        try:
            service(offer=offer, user=request.user)
        except (PermissionDenied, StatusError) as error:
            modeladmin.message_user(request, f"{offer}: {error}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done(count), messages.SUCCESS)


@admin.action(description=_("Publish the selected offers"))
def publish_offers(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        service=curation.publish_offer,
        done=lambda count: (
            ngettext("%(count)d offer published.", "%(count)d offers published.", count)
            % {"count": count}
        ),
    )


@admin.action(description=_("Archive the selected offers"))
def archive_offers(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        service=curation.archive_offer,
        done=lambda count: (
            ngettext("%(count)d offer archived.", "%(count)d offers archived.", count)
            % {"count": count}
        ),
    )


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "curator", "kind", "status", "review_due", "closes", "updated"]
    list_filter = ["status", "kind", "uk_wide", "curator"]
    list_select_related = ["curator"]
    search_fields = ["title", "provider_name", "external_id"]
    date_hierarchy = "updated"
    actions = [publish_offers, archive_offers]
    inlines = [OfferChangeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return offers_editable_by(request.user).select_related("curator", "provider")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in [*Offer._meta.concrete_fields, *Offer._meta.many_to_many]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewable and actionable; the fields themselves are read-only (see above).
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_offer(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["offer", "at", "source_page"]
    list_select_related = ["offer"]
    readonly_fields = ["offer", "at", "session_hash", "source_page"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
