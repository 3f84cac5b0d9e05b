from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "portal.procurement"
    verbose_name = _("Contract opportunities")
    # What seed_demo and benchmark find here (portal/lib/registry.py).
    demo = "portal.procurement.demo"
    demo_order = 30
    benchmark_suites = {"ocds_import": "portal.procurement.benchmarks"}
