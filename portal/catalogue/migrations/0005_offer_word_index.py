"""SQLite's full-text index of offers: an FTS5 table over the searched columns, kept in
step by triggers (portal/lib/wordsearch.py), then built from the offers there are.
PostgreSQL searches with the GIN index of 0002_offer_search_index instead.
"""

from django.db import migrations

from portal.lib.wordsearch import create_sqlite_index, drop_sqlite_index

TABLE = "catalogue_offer"
COLUMNS = ("title", "summary", "provider_name", "description")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_referral_rank_and_reasons")]

    operations = [
        migrations.RunPython(
            create_sqlite_index(TABLE, COLUMNS), drop_sqlite_index(TABLE), elidable=False
        )
    ]
