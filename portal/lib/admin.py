"""The shapes the apps' admin classes share: admins whose permissions are the app's rule
(rules.py) rather than Django's model permissions, and their inlines; records that are
read-only, objects only acted on, people's subscriptions that a moderator may look up
or stop, and actions that run a service on each selected object.

Every ModelAdmin of the project lists RuleMixin last among its bases before Django's
class, and every inline PageRuleInlineMixin: a moderator needs no model permission (the
rules say who is one, portal/accounts/permissions.py), and staff who are not moderators
see nothing (tests/lib/test_admin.py checks every registered admin)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from portal.lib.versioning import WorkflowError


class ReadOnlyMixin:
    """A record of what happened: nobody adds, changes or deletes it here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionOnlyMixin:
    """Objects edited on the site's own pages, whose services check the rules and keep
    the history: here every field is read-only, nothing is added or deleted, and
    "change" (which here only runs the actions) also needs ``object_rule(user, obj)``."""

    @staticmethod
    def object_rule(user, obj) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        meta = self.model._meta
        return [field.name for field in [*meta.concrete_fields, *meta.many_to_many]]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.object_rule(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False


class RuleMixin:
    """Who may use this model's admin pages is the app's rule (its rules.py), not
    Django's model permissions: set ``rule = staticmethod(can_...)``; an app below
    accounts, which cannot name its rules, leaves it to the admin site's
    (``site_rule``: moderators, portal/core/admin_site.py). The rule opens the app's
    entry on the admin's index and the view, add, change and delete permissions alike;
    the mixins listed before this one narrow them (nothing added, read-only records,
    objects only acted on)."""

    rule = None

    def _allowed(self, request) -> bool:
        rule = self.rule or getattr(self.admin_site, "site_rule", None)
        return rule is not None and rule(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class PageRuleInlineMixin:
    """An inline of a page whose admin decides by its rule (RuleMixin): seen by whoever
    may see the page, added to, changed and deleted from by whoever may change it; the
    mixins listed before this one narrow that (ReadOnlyMixin)."""

    def _page(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self._page().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._page().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._page().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._page().has_change_permission(request, obj)


class SubscriptionMixin(RuleMixin):
    """People's alerts (portal/lib/subscriptions.py): a moderator may look one up, to
    answer a question, stop it (its ``unsubscribed_at``), or delete it when someone asks
    for their data to be removed; never change what someone asked for. Every field is
    shown, read-only, but those in ``internal_fields``."""

    internal_fields: tuple[str, ...] = ()

    def has_add_permission(self, request, obj=None):
        return False  # people ask for their alerts on the site

    def get_readonly_fields(self, request, obj=None):
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if not field.primary_key
            and field.name not in ("unsubscribed_at", *self.internal_fields)
        ]

    def get_fields(self, request, obj=None):
        return [*self.get_readonly_fields(request, obj), "unsubscribed_at"]


def service_action(service, *, name: str, keyword: str, description, done):
    """An admin action that calls ``service(<keyword>=object, user=...)`` on each
    selected object, so that the admin changes status only as the pages do. A refusal
    (the rule, or the workflow) is a warning naming the object; ``done`` is an
    ``ngettext_lazy`` with a ``count`` for the ones that went through."""

    def action(modeladmin, request, queryset):
        count = 0
        for selected in queryset:
            try:
                service(**{keyword: selected}, user=request.user)
            except (PermissionDenied, WorkflowError) as error:
                modeladmin.message_user(request, f"{selected}: {error}", messages.WARNING)
            else:
                count += 1
        if count:
            modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description)(action)
