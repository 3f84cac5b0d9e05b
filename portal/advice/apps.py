from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    """ "Ask an adviser": a founder's consented request for help, handed to the team of
    the organisation that serves their council, and that team's case queue. Above
    diagnostics and matching (it reads them through their query functions), below the
    dashboards (which read its counts through portal/advice/queries.py)."""

    name = "portal.advice"
    label = "advice"
    verbose_name = _("Advice requests")
    # What seed_demo finds here (portal/lib/registry.py): after the organisations.
    demo = "portal.advice.demo"
    demo_order = 40

    def ready(self):
        from diagnostics.panels import register_results_panel
        from portal.advice import panels
        from portal.catalogue.panels import register_offer_panel
        from portal.matching.panels import register_recommended_panel

        register_results_panel(
            "advice",
            template=panels.TEMPLATE,
            context_function=panels.results_panel_context,
            order=20,
        )
        register_recommended_panel(
            "advice", template=panels.TEMPLATE, context_function=panels.recommended_panel_context
        )
        register_offer_panel(
            "advice", template=panels.TEMPLATE, context_function=panels.offer_panel_context
        )

        from portal.accounts.personal_data import declare_personal_fields, register_personal_data
        from portal.advice import personal_data

        declare_personal_fields(*personal_data.FIELDS)
        register_personal_data(
            "advice_requests",
            label=_("Your requests to business advisers"),
            export=personal_data.export_advice_requests,
            erase=personal_data.erase_advice_requests,
            order=70,
        )

        from portal.accounts.panels import register_account_panel
        from portal.advice import queue_views

        register_account_panel(
            "advice",
            template=queue_views.ACCOUNT_PANEL_TEMPLATE,
            context_function=queue_views.account_panel_context,
            order=30,
        )
