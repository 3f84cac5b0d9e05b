"""The word index of opportunities (portal/lib/wordsearch.py): on SQLite, an FTS5 table
over the searched fields, kept in step by triggers; on PostgreSQL, a stored weighted
document with a GIN index, which replaces 0003's index over the same expression.
"""

from django.db import migrations

from portal.lib.wordsearch import word_index_operations

TABLE = "procurement_opportunity"
WEIGHTED_FIELDS = ((("title",), "A"), (("buyer_name",), "B"), (("description",), "C"))


class Migration(migrations.Migration):
    dependencies = [("procurement", "0005_load_full_cpv")]

    operations = [
        migrations.RunPython(*word_index_operations(TABLE, WEIGHTED_FIELDS), elidable=False)
    ]
