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
        from portal.procurement.queries.search import WELSH_WORDS, WORDS

        # SQLite's schema editor rebuilds a table to alter it, dropping its triggers.
        post_migrate.connect(
            index_kept_after_migrate(WORDS),
            sender=self,
            weak=False,
            dispatch_uid="opportunity-words",
        )
        post_migrate.connect(
            index_kept_after_migrate(WELSH_WORDS),
            sender=self,
            weak=False,
            dispatch_uid="opportunity-welsh-words",
        )
        from portal.accounts.panels import register_account_panel
        from portal.procurement.views import account

        register_account_panel(
            "procurement",
            template=account.ACCOUNT_PANEL_TEMPLATE,
            context_function=account.account_panel_context,
            order=10,
        )

        from portal.accounts.personal_data import declare_personal_fields, register_personal_data
        from portal.procurement import personal_data

        declare_personal_fields(*personal_data.FIELDS)
        register_personal_data(
            "saved_searches",
            label=_("Your contract alerts (saved searches)"),
            export=personal_data.export_saved_searches,
            erase=personal_data.erase_saved_searches,
            order=40,
        )
        register_personal_data(
            "saved_opportunities",
            label=_("Contract opportunities you saved"),
            export=personal_data.export_saved_opportunities,
            erase=personal_data.erase_saved_opportunities,
            order=41,
        )
        register_personal_data(
            "opportunity_changes",
            label=_("Changes you made to contract opportunities"),
            export=personal_data.export_opportunity_changes,
            erase=personal_data.erase_opportunity_changes,
            order=42,
        )
        register_personal_data(
            "import_runs",
            label=_("Contract imports you started"),
            export=personal_data.export_import_runs,
            erase=personal_data.erase_import_runs,
            order=43,
        )
