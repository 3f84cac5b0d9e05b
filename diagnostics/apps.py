from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"
    # What seed_demo finds here (portal/lib/registry.py). First, as seed_demo has always
    # printed it: the peer benchmarks the results pages show come from these.
    demo = "diagnostics.demo"
    demo_order = 10

    def ready(self):
        from diagnostics import personal_data
        from diagnostics.views import account
        from portal.accounts.panels import register_account_panel
        from portal.accounts.personal_data import declare_personal_fields, register_personal_data

        register_account_panel(
            "diagnostics",
            template=account.ACCOUNT_PANEL_TEMPLATE,
            context_function=account.account_panel_context,
            order=20,
        )
        declare_personal_fields(*personal_data.FIELDS)
        register_personal_data(
            "assessments",
            label=_("Your diagnostics: business profiles, answers and scores"),
            export=personal_data.export_assessments,
            erase=personal_data.erase_assessments,
            order=30,
        )
