"""A faster bulk_create for generated data (synthetic offers and opportunities).

``insert(model, objects, key=...)`` writes unsaved instances with one COPY (PostgreSQL)
or one ``executemany`` of a plain INSERT (SQLite) and returns their primary keys, in
order, read back by a unique field (one query). The values are prepared exactly as
``bulk_create`` prepares them (each field's ``pre_save`` and ``get_db_prep_save``); what
it skips is building one SQL statement with a placeholder per value (most of
bulk_create's cost on SQLite at tens of thousands of rows) and, on PostgreSQL, feeding
the search indexes row by row. Signals are not sent (bulk_create sends none either).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models
from django.db.models.expressions import DatabaseDefault


def _columns(model) -> list:
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: multi-table inheritance is not supported")
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    if any(field.has_db_default() for field in fields) or meta.pk.has_db_default():
        raise ValueError(f"{meta.label}: fields with db_default are not supported")
    return fields


def insert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    key: str | None,
    using: str = "default",
) -> list[int]:
    """Insert ``objects`` (whose primary keys are unset) and return their primary keys,
    read back by ``key``, a unique field (with ``key=None``, nothing is read back)."""
    if not objects:
        return []
    connection = connections[using]
    fields = _columns(model)
    rows = []
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="insert")
        row = []
        for field in fields:
            value = field.pre_save(obj, True)
            if isinstance(value, DatabaseDefault):  # pragma: no cover - refused above
                raise ValueError(f"{field.name}: database defaults are not supported")
            row.append(field.get_db_prep_save(value, connection=connection))
        rows.append(row)
    _write(connection, model._meta.db_table, [field.column for field in fields], rows)
    if key is None:
        return []
    keys = [getattr(obj, key) for obj in objects]
    found = dict(
        model._base_manager.using(using).filter(**{f"{key}__in": keys}).values_list(key, "pk")
    )
    pks = [found[value] for value in keys]
    for obj, pk in zip(objects, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return pks


def insert_links(
    through, owner: str, target: str, pairs: Sequence[tuple[int, int]], *, using="default"
) -> None:
    """Insert many-to-many rows ``(owner id, target id)`` into ``through`` (a model's
    ``field.through``), whose foreign keys to the two sides are ``owner`` and ``target``."""
    if not pairs:
        return
    columns = [through._meta.get_field(owner).column, through._meta.get_field(target).column]
    _write(connections[using], through._meta.db_table, columns, pairs)


def _write(connection, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """The rows into the table: COPY on PostgreSQL (psycopg 3), where it is several times
    faster than INSERT (the search indexes are fed in bulk); one executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor, "copy"):
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)
