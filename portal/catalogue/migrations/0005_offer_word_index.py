"""The word index of offers (portal/lib/wordsearch.py): on SQLite, an FTS5 table over
the searched fields, kept in step by triggers; on PostgreSQL, a stored weighted
document with a GIN index, which replaces 0002's index over the same expression.
"""

from django.db import migrations

from portal.lib.wordsearch import word_index_operations

TABLE = "catalogue_offer"
WEIGHTED_FIELDS = ((("title",), "A"), (("summary", "provider_name"), "B"), (("description",), "C"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_referral_rank_and_reasons")]

    operations = [
        migrations.RunPython(*word_index_operations(TABLE, WEIGHTED_FIELDS), elidable=False)
    ]
