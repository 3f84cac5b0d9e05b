from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class PlacesConfig(AppConfig):
    name = "portal.places"
    label = "places"
    verbose_name = "Places"

    def ready(self):
        from portal.places.models import Council, Region

        for model in (Council, Region):
            post_save.connect(places_changed, sender=model, dispatch_uid=f"places-{model}-save")
            post_delete.connect(
                places_changed, sender=model, dispatch_uid=f"places-{model}-delete"
            )
        post_migrate.connect(places_migrated, sender=self, dispatch_uid="places-migrated")


def places_changed(sender, **kwargs):
    """Every process reads the places again (portal/places/choices.py): at once, for
    this transaction's own pages, and once it commits, for the others'."""
    from portal.lib import versions
    from portal.places.choices import DATA_VERSION

    versions.bump_now(DATA_VERSION)
    versions.bump(DATA_VERSION)


def places_migrated(sender, **kwargs):
    """A data migration may have changed the places without a signal (bulk writes)."""
    from portal.lib import versions
    from portal.places.choices import DATA_VERSION

    versions.bump_now(DATA_VERSION)
