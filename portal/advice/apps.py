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
