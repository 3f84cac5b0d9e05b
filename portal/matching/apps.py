from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "portal.matching"
    label = "matching"
    verbose_name = _("Matching")
    benchmark_suites = {"matching": "portal.matching.benchmarks"}

    def ready(self):
        from diagnostics.panels import register_results_panel
        from diagnostics.profile_kinds import register_profile_kind
        from portal.matching.supplies import SUPPLIES_KIND
        from portal.matching.views import results_panel_context

        register_profile_kind("cpv", SUPPLIES_KIND)

        register_results_panel(
            "matching",
            template="matching/results_panel.html",
            context_function=results_panel_context,
            order=10,
        )
