from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
    # What seed_demo and benchmark find here (portal/lib/registry.py).
    demo = "portal.catalogue.demo"
    demo_order = 20
    benchmark_suites = {"catalogue": "portal.catalogue.benchmarks"}
