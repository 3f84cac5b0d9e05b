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

        from portal.accounts.personal_data import declare_personal_fields, register_personal_data
        from portal.matching import personal_data

        declare_personal_fields(*personal_data.FIELDS)
        register_personal_data(
            "match_alerts",
            label=_("Your alerts of new matches for your business"),
            export=personal_data.export_match_alerts,
            erase=personal_data.erase_match_alerts,
            order=60,
        )
