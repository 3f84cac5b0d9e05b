from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "portal.procurement"
    verbose_name = _("Contract opportunities")
    # What seed_demo and benchmark find here (portal/lib/registry.py).
    demo = "portal.procurement.demo"
    demo_order = 30
    benchmark_suites = {"ocds_import": "portal.procurement.benchmarks"}

    def ready(self):
        from portal.lib.wordsearch import index_kept_after_migrate
        from portal.procurement.queries import WORDS

        # SQLite's schema editor rebuilds a table to alter it, dropping its triggers.
        post_migrate.connect(
            index_kept_after_migrate(WORDS),
            sender=self,
            weak=False,
            dispatch_uid="opportunity-words",
        )
        from portal.accounts.panels import register_account_panel
        from portal.procurement.views import account

        register_account_panel(
            "procurement",
            template=account.ACCOUNT_PANEL_TEMPLATE,
            context_function=account.account_panel_context,
            order=10,
        )
