"""Before the constraint of 0010: an address with the same saved search at the same
frequency twice keeps the one confirmed first; the others are unsubscribed."""

from django.db import migrations
from django.utils import timezone

from portal.lib.subscriptions import unsubscribe_duplicates


def forwards(apps, schema_editor):
    SavedSearch = apps.get_model("procurement", "SavedSearch")
    unsubscribe_duplicates(SavedSearch, "query", now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("procurement", "0008_import_run_heartbeat_and_release_hashes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
