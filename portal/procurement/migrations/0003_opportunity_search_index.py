"""A functional GIN index on the weighted search document, on PostgreSQL only.

The expression must stay the one portal.procurement.queries.search_vector() builds,
or the planner will not use the index (check with EXPLAIN after changing either).
SQLite searches without it.
"""

from django.db import migrations

INDEX = "procurement_opportunity_search_document"
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(buyer_name, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'C'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON procurement_opportunity USING gin ({DOCUMENT})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_load_cpv")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
