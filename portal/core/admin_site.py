"""The project's admin site: Django's, with the rule of who moderates for the admins of
apps that cannot name it (portal/lib/admin.py, RuleMixin), and a sign-in page that
answers HEAD as it answers GET. INSTALLED_APPS names ``AdminConfig`` in place of
``django.contrib.admin``; models are imported lazily, as that list is read before they
are ready."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class AdminConfig(DjangoAdminConfig):
    default_site = "portal.core.admin_site.AdminSite"


class AdminSite(admin.AdminSite):
    @staticmethod
    def site_rule(user) -> bool:
        """Who may use the pages of a model whose admin names no rule of its own."""
        from portal.accounts.permissions import is_moderator

        return is_moderator(user)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        # Django sends signed-in staff on from its sign-in page to the index on GET
        # only: a HEAD, a GET without its body, is sent on alike.
        if request.method == "HEAD" and self.has_permission(request):
            from django.contrib.auth.views import LoginView

            index = reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(LoginView().get_redirect_url(request) or index)
        return super().login(request, extra_context)
