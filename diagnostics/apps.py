from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"
    # What seed_demo finds here (portal/lib/registry.py). First, as seed_demo has always
    # printed it: the peer benchmarks the results pages show come from these.
    demo = "diagnostics.demo"
    demo_order = 10
