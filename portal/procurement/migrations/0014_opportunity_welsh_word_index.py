"""The word index of opportunities' Welsh fields (portal/lib/wordsearch.py), beside
0006's English one: PostgreSQL's ``simple`` configuration (it has no Welsh one) in a
stored document of its own with a GIN index; on SQLite an FTS5 table with unicode61 and
no English stemmer, kept in step by triggers. Accents are folded on both ("gwyl" finds
"Gŵyl").
"""

from django.db import migrations

from portal.lib.wordsearch import word_index_operations

TABLE = "procurement_opportunity"
WEIGHTED_FIELDS = ((("title_cy",), "A"), (("description_cy",), "C"))


class Migration(migrations.Migration):
    dependencies = [("procurement", "0013_opportunity_welsh_text")]

    operations = [
        migrations.RunPython(
            *word_index_operations(
                TABLE,
                WEIGHTED_FIELDS,
                config="simple",
                tokenizer="unicode61 remove_diacritics 2",
                suffix="_cy",
                fold_accents=True,
            ),
            elidable=False,
        )
    ]
