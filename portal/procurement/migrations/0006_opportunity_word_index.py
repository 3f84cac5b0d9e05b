"""SQLite's full-text index of opportunities: an FTS5 table over the searched columns,
kept in step by triggers (portal/lib/wordsearch.py), then built from the opportunities
there are. PostgreSQL searches with the GIN index of 0003_opportunity_search_index.
"""

from django.db import migrations

from portal.lib.wordsearch import create_sqlite_index, drop_sqlite_index

TABLE = "procurement_opportunity"
COLUMNS = ("title", "buyer_name", "description")


class Migration(migrations.Migration):
    dependencies = [("procurement", "0005_load_full_cpv")]

    operations = [
        migrations.RunPython(
            create_sqlite_index(TABLE, COLUMNS), drop_sqlite_index(TABLE), elidable=False
        )
    ]
