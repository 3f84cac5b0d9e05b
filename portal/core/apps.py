from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Core"
    # What benchmark finds here (portal/lib/registry.py).
    benchmark_suites = {"pages": "portal.core.benchmarking.pages"}
