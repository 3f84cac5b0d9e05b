from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts import services
from portal.accounts.models import Membership, MembershipRequest, Organisation, Role, User
from portal.accounts.permissions import can_manage_accounts, can_moderate_organisations
from portal.lib.admin import PageRuleInlineMixin, RuleMixin


class EmailFormMixin:
    """Admin user forms keyed on the email address, stored in lower case like sign-up."""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AdminUserCreationForm(EmailFormMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class AdminUserChangeForm(EmailFormMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(PageRuleInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(RuleMixin, auth_admin.UserAdmin):
    """People's accounts: moderators look them up; only superusers add, change (staff
    status, permissions, email, password) or delete one (``can_manage_accounts``)."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__organisation__kind"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    rule = staticmethod(can_moderate_organisations)

    def has_add_permission(self, request):
        return can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def get_inlines(self, request, obj):
        # Memberships are added once the user exists, as Django's own user admin does
        # with its second page.
        return self.inlines if obj is not None else []


class OrganisationMembershipInline(PageRuleInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(RuleMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "verified", "created"]
    list_filter = ["kind", "verified"]
    list_editable = ["verified"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["councils"]
    inlines = [OrganisationMembershipInline]
    rule = staticmethod(can_moderate_organisations)


@admin.register(MembershipRequest)
class MembershipRequestAdmin(RuleMixin, admin.ModelAdmin):
    """Requests come from people on the site; moderators decide them with the actions,
    which go through the services so the permission rules and emails apply."""

    list_display = ["user", "organisation", "status", "created", "decided_by", "decided_at"]
    list_filter = ["status", "organisation__kind"]
    list_select_related = ["user", "organisation", "decided_by"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    readonly_fields = [
        "user",
        "organisation",
        "message",
        "status",
        "created",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve_as_editor", "approve_as_manager", "decline"]
    rule = staticmethod(can_moderate_organisations)

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, decide, done_message):
        decided = 0
        for membership_request in queryset.select_related("user", "organisation"):
            try:
                decide(membership_request)
            except (PermissionDenied, ValidationError) as error:
                reason = (
                    " ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else _("You cannot decide this membership request.")
                )
                self.message_user(request, f"{membership_request}: {reason}", messages.WARNING)
            else:
                decided += 1
        if decided:
            self.message_user(request, done_message(decided), messages.SUCCESS)

    def _approve(self, request, queryset, role):
        self._decide(
            request,
            queryset,
            lambda membership_request: services.approve_membership_request(
                request=membership_request, decided_by=request.user, role=role
            ),
            lambda count: (
                ngettext("%(count)d request approved.", "%(count)d requests approved.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Approve the selected requests (as editor)"))
    def approve_as_editor(self, request, queryset):
        self._approve(request, queryset, Role.EDITOR)

    @admin.action(description=_("Approve the selected requests (as manager)"))
    def approve_as_manager(self, request, queryset):
        self._approve(request, queryset, Role.MANAGER)

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda membership_request: services.decline_membership_request(
                request=membership_request, decided_by=request.user
            ),
            lambda count: (
                ngettext("%(count)d request declined.", "%(count)d requests declined.", count)
                % {"count": count}
            ),
        )


# Groups hold Django's model permissions, which this admin does not go by (the rules
# do): superusers only.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RuleMixin, auth_admin.GroupAdmin):
    rule = staticmethod(can_manage_accounts)
