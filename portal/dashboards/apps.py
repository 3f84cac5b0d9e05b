from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Live local data on what businesses need and what support they use: the top app.
    It reads every other app through its query functions; none imports it."""

    name = "portal.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    benchmark_suites = {
        "dashboards": "portal.dashboards.benchmarks",
        "http": "portal.dashboards.load",
    }

    def ready(self):
        from diagnostics.signals import assessment_completed
        from portal.dashboards.refresh import on_assessment_completed
        from portal.dashboards.views_count import count_opportunity_view
        from portal.procurement.signals import opportunity_viewed

        assessment_completed.connect(
            on_assessment_completed, dispatch_uid="dashboards-assessment-completed"
        )
        opportunity_viewed.connect(count_opportunity_view, dispatch_uid="dashboards-views")

        from portal.dashboards.platform_queries import opportunity_views_of
        from portal.procurement.columns import register_posting_column

        register_posting_column(
            "page_views", heading=_("Page views"), figures_function=opportunity_views_of
        )
