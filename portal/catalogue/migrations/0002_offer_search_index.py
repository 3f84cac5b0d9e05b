"""A functional GIN index on the weighted search document, on PostgreSQL only.

The expression must stay the one portal.catalogue.search.search_vector() builds, or
the planner will not use the index (check with EXPLAIN after changing either).
SQLite searches without it.
"""

from django.db import migrations

INDEX = "catalogue_offer_search_document"
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig,"
    " COALESCE(summary, '') || ' ' || COALESCE(provider_name, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'C'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_offer USING gin ({DOCUMENT})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
