from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Live local data on what businesses need and what support they use: the top app.
    It reads every other app through its query functions; none imports it."""

    name = "portal.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
