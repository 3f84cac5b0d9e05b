from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
    # What seed_demo and benchmark find here (portal/lib/registry.py).
    demo = "portal.catalogue.demo"
    demo_order = 20
    benchmark_suites = {"catalogue": "portal.catalogue.benchmarks"}

    def ready(self):
        from portal.catalogue.search import WORDS
        from portal.lib.wordsearch import index_kept_after_migrate

        # SQLite's schema editor rebuilds a table to alter it, dropping its triggers.
        post_migrate.connect(
            index_kept_after_migrate(WORDS), sender=self, weak=False, dispatch_uid="offer-words"
        )
