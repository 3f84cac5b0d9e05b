from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
    # What seed_demo and benchmark find here (portal/lib/registry.py).
    demo = "portal.catalogue.demo"
    demo_order = 20
    benchmark_suites = {
        "catalogue": "portal.catalogue.benchmarks",
        "csv_refusal": "portal.catalogue.refusal_benchmarks",
    }

    def ready(self):
        from portal.catalogue.search import WELSH_WORDS, WORDS
        from portal.lib.wordsearch import index_kept_after_migrate

        # SQLite's schema editor rebuilds a table to alter it, dropping its triggers.
        post_migrate.connect(
            index_kept_after_migrate(WORDS), sender=self, weak=False, dispatch_uid="offer-words"
        )
        post_migrate.connect(
            index_kept_after_migrate(WELSH_WORDS),
            sender=self,
            weak=False,
            dispatch_uid="offer-welsh-words",
        )

        from portal.accounts.personal_data import declare_personal_fields, register_personal_data
        from portal.catalogue import personal_data

        declare_personal_fields(*personal_data.FIELDS)
        register_personal_data(
            "offer_changes",
            label=_("Changes you made to support offers"),
            export=personal_data.export_offer_changes,
            erase=personal_data.erase_offer_changes,
            order=50,
        )
