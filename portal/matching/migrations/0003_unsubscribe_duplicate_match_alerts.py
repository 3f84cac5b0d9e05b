"""Before the constraint of 0004: an address with the same match alert at the same
frequency twice keeps the one confirmed first; the others are unsubscribed."""

from django.db import migrations
from django.utils import timezone

from portal.lib.subscriptions import unsubscribe_duplicates


def forwards(apps, schema_editor):
    MatchSubscription = apps.get_model("matching", "MatchSubscription")
    unsubscribe_duplicates(MatchSubscription, "profile_key", now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_match_alerts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
