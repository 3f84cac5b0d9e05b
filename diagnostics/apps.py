from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"
    # What seed_demo finds here (portal/lib/registry.py). First, as seed_demo has always
    # printed it: the peer benchmarks the results pages show come from these.
    demo = "diagnostics.demo"
    demo_order = 10

    def ready(self):
        from diagnostics.views import account
        from portal.accounts.panels import register_account_panel

        register_account_panel(
            "diagnostics",
            template=account.ACCOUNT_PANEL_TEMPLATE,
            context_function=account.account_panel_context,
            order=20,
        )
