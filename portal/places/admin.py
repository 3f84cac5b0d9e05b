from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.lib.admin import RuleMixin
from portal.places.models import Council, Region


class ReferenceDataAdmin(RuleMixin, admin.ModelAdmin):
    """Loaded by data migrations from portal/places/data: moderators (the admin site's
    rule: places cannot name accounts' rules) may only switch `active`."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = [
        "name",
        "nation",
        "ons_code",
        "itl_code",
        "nuts_code",
        "council_count",
        "active",
    ]
    list_filter = ["nation", "active"]
    search_fields = ["name", "ons_code", "itl_code", "nuts_code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(council_count=Count("councils"))

    @admin.display(description=_("councils"), ordering="council_count")
    def council_count(self, region):
        return region.council_count


@admin.register(Council)
class CouncilAdmin(ReferenceDataAdmin):
    list_display = ["name", "gss_code", "local_authority_code", "kind", "region", "active"]
    list_filter = ["region__nation", "region", "kind", "active"]
    list_select_related = ["region"]
    search_fields = ["name", "official_name", "gss_code", "local_authority_code", "slug"]
    show_full_result_count = False
