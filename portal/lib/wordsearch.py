"""Searching by words, the same way for every list that has a search box.

A search is read into terms by portal/lib/synonyms.py (every term must match; a term
matches if any of its alternative phrases does), then handed to the database's own
full-text search, with its English stemmer, so "exporting" finds "export". Each
indexed model has a ``WordIndex`` (its table and weighted fields), which its app's
migration builds on either database (``word_index_operation``):

- PostgreSQL: a stored generated ``tsvector`` column (``search_document``), the fields
  weighted A to D, with a GIN index; each phrase a ``phraseto_tsquery``, combined with
  ``||`` and ``&&``, ranked by ``ts_rank``. Stored rather than an index over the
  expression: a phrase ("artificial intelligence", "R&D") is checked against each
  candidate row's document, which an expression index computed again for each (76 ms
  for 1,774 offers). The column cannot change type while it is there: to alter a
  searched field's type, drop the column and add it again.
- SQLite: an FTS5 table (``<table>_words``, porter stemmer over the unicode61
  tokenizer) holding the same fields, kept in step with the model's table by
  triggers, so every write finds its way in, ``bulk_create`` and ``update()`` too;
  ranked by ``bm25`` with the same weights as PostgreSQL's ranks. Rebuilding a table,
  as SQLite's schema editor does to alter one, drops its triggers: they are restored
  after every migrate (``index_kept_after_migrate``).
"""

from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, FloatField, Value
from django.db.models.expressions import RawSQL

from portal.lib.facets import Condition
from portal.lib.synonyms import Terms, indexed, terms_of

SEARCH_CONFIG = "english"
# PostgreSQL: the stored document's column, and its GIN index "<table>_search_document".
DOCUMENT_COLUMN = "search_document"
# FTS5: the porter stemmer over unicode61, which also folds accents ("café" is "cafe").
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# PostgreSQL's ranks weigh a match in an A field 1.0, B 0.4, C 0.2 and D 0.1: bm25 the same.
BM25_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}

WeightedFields = tuple[tuple[tuple[str, ...], str], ...]


@dataclass(frozen=True)
class WordIndex:
    """A model's words: its ``table`` and its ``weighted_fields``, each a tuple of
    field names (their columns) and a weight from "A" (counts most) to "D"."""

    table: str
    weighted_fields: WeightedFields

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for names, _weight in self.weighted_fields for name in names)

    @property
    def sqlite_table(self) -> str:
        return f"{self.table}_words"

    def bm25_weights(self) -> tuple[float, ...]:
        return tuple(
            BM25_WEIGHTS[weight] for names, weight in self.weighted_fields for _name in names
        )


class StoredDocument(Expression):
    """PostgreSQL's stored document of the queried table (a column no model declares)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", []


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# The query, for each database


def postgresql_query(terms: Terms) -> SearchQuery:
    """Every term, each any of its phrases: ``(phrase || phrase) && term``."""

    def phrase(words):
        return SearchQuery(" ".join(words), search_type="phrase", config=SEARCH_CONFIG)

    return reduce(
        lambda left, right: left & right,
        (
            reduce(lambda left, right: left | right, map(phrase, term.alternatives))
            for term in terms
        ),
    )


def fts5_query(terms: Terms) -> str:
    """The FTS5 query: ``("r d" OR "research and development") AND "tax"``. Each
    phrase is quoted, so nothing typed is read as FTS5 syntax (the words hold letters
    and digits only)."""
    return " AND ".join(
        "(" + " OR ".join(f'"{" ".join(words)}"' for words in term.alternatives) + ")"
        for term in terms
    )


@dataclass(frozen=True)
class Words(Condition):
    """The rows matching every term, as ``match_words`` selects them, written out in SQL
    for a list's ``facets.Rows`` (no ORM filter: ``q`` is not offered)."""

    index: WordIndex
    terms: Terms

    def q(self):
        raise NotImplementedError("Words are written out only: use match_words for a queryset.")

    def fields(self):
        return ()

    def sql(self, columns):
        if columns.connection.vendor == "postgresql":
            params = []

            def phrase(words):
                params.extend((SEARCH_CONFIG, " ".join(words)))
                return "phraseto_tsquery(%s::regconfig, %s)"

            # What postgresql_query gives the ORM: || within a term, && between terms.
            query = reduce(
                lambda left, right: f"({left} && {right})",
                (
                    reduce(
                        lambda left, right: f"({left} || {right})", map(phrase, term.alternatives)
                    )
                    for term in self.terms
                ),
            )
            return f"{columns.name(DOCUMENT_COLUMN)} @@ {query}", params
        table = columns.connection.ops.quote_name(self.index.sqlite_table)
        row = columns.name(columns.model._meta.pk.name)
        return (
            f"{row} IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)",
            [fts5_query(self.terms)],
        )


def words_condition(words: str, *, index: WordIndex) -> Words | None:
    """The condition ``match_words`` filters by (None when the words hold no term)."""
    terms = indexed(terms_of(words))
    return Words(index, terms) if terms else None


# Matching and ranking


def match_words(queryset, words: str, *, index: WordIndex):
    """Only the rows matching the words (all of them, when there are no terms)."""
    terms = indexed(terms_of(words))
    if not terms:
        return queryset
    if uses_full_text(queryset):
        return queryset.alias(document=StoredDocument()).filter(document=postgresql_query(terms))
    found = RawSQL(
        f'SELECT rowid FROM "{index.sqlite_table}" WHERE "{index.sqlite_table}" MATCH %s',
        (fts5_query(terms),),
    )
    return queryset.filter(pk__in=found)


def rank_by_words(queryset, words: str, *, index: WordIndex):
    """Annotate ``rank``, higher for a better match of the words."""
    terms = indexed(terms_of(words))
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if uses_full_text(queryset):
        return queryset.annotate(rank=SearchRank(StoredDocument(), postgresql_query(terms)))
    return queryset.annotate(rank=Bm25Rank(index, fts5_query(terms)))


class Bm25Rank(Expression):
    """SQLite's rank of the queried table's row: minus its bm25 (lower is better).

    Every match is ranked once, in a derived table that "LIMIT -1" keeps SQLite from
    folding into the row's subquery: folded, the search ran again for each row (68 ms
    for 160 offers, against 6 ms).
    """

    output_field = FloatField()

    def __init__(self, index: WordIndex, query: str):
        super().__init__()
        self.index, self.query = index, query

    def as_sql(self, compiler, connection):
        table = self.index.sqlite_table
        weights = ", ".join(str(weight) for weight in self.index.bm25_weights())
        row = compiler.quote_name(compiler.query.get_initial_alias())
        return (
            f"(SELECT ranked.rank FROM (SELECT rowid AS id, -bm25({table}, {weights}) AS rank "
            f"FROM {table} WHERE {table} MATCH %s LIMIT -1) ranked WHERE ranked.id = {row}.id)",
            [self.query],
        )


# SQLite's index: an FTS5 table and the triggers that keep it in step


def sqlite_index_statements(table: str, columns: tuple[str, ...]) -> dict[str, str]:
    """{name: CREATE statement} of the FTS5 table over ``table``'s ``columns`` and of
    its three triggers. The FTS5 table reads its text from ``table`` (external content),
    so the text is stored once."""
    words = f"{table}_words"
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {words}(rowid, {listed}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {words}({words}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return {
        words: (
            f"CREATE VIRTUAL TABLE {words} USING fts5({listed}, content='{table}', "
            f"content_rowid='id', tokenize='{SQLITE_TOKENIZER}')"
        ),
        f"{words}_insert": (
            f"CREATE TRIGGER {words}_insert AFTER INSERT ON {table} BEGIN {insert} END"
        ),
        f"{words}_delete": (
            f"CREATE TRIGGER {words}_delete AFTER DELETE ON {table} BEGIN {delete} END"
        ),
        f"{words}_update": (
            f"CREATE TRIGGER {words}_update AFTER UPDATE OF {listed} ON {table} "
            f"BEGIN {delete} {insert} END"
        ),
    }


def keep_sqlite_index(
    connection, table: str, columns: tuple[str, ...], *, create: bool = True
) -> bool:
    """Create the FTS5 table and triggers where missing or different, and if anything
    was, rebuild the index from the table. With ``create=False``, only an index that
    exists is mended. Nothing on other databases. True if it changed anything."""
    if connection.vendor != "sqlite":
        return False
    wanted = sqlite_index_statements(table, columns)
    words = f"{table}_words"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN (%s, %s)", [table, words]
        )
        present = {name: sql for name, sql in cursor.fetchall() if name in (table, *wanted)}
        if table not in present or (words not in present and not create):
            return False
        present.pop(table)
        if present == wanted:
            return False
        for name in wanted:
            if name != words:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if present.get(words) != wanted[words]:
            cursor.execute(f"DROP TABLE IF EXISTS {words}")
        for name, sql in wanted.items():
            if name == words and present.get(words) == sql:
                continue
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {words}({words}) VALUES ('rebuild')")
    return True


def drop_sqlite_index(connection, table: str) -> None:
    with connection.cursor() as cursor:
        words = f"{table}_words"
        for suffix in ("_insert", "_delete", "_update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {words}{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {words}")


# PostgreSQL's index: a stored generated column and a GIN index over it


def postgresql_document_sql(weighted_fields: WeightedFields) -> str:
    """The weighted document, as SQL: each group of fields joined by spaces."""
    parts = []
    for names, weight in weighted_fields:
        text = " || ' ' || ".join(f"COALESCE({name}, '')" for name in names)
        parts.append(f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text}), '{weight}')")
    return "(" + " || ".join(parts) + ")"


def word_index_operations(table: str, weighted_fields: WeightedFields):
    """(forward, backward) functions of a migration's ``RunPython`` that build, or drop,
    the word index of ``table`` on its database: the FTS5 table and triggers on SQLite,
    the stored document and its GIN index on PostgreSQL, which replace the GIN index
    over the same expression (``<table>_search_document``) that earlier migrations made.
    """
    columns = tuple(name for names, _weight in weighted_fields for name in names)
    index = f"{table}_search_document"
    document = postgresql_document_sql(weighted_fields)

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            keep_sqlite_index(connection, table, columns)
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
                f"GENERATED ALWAYS AS {document} STORED"
            )
            schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({DOCUMENT_COLUMN})")

    def backward(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            drop_sqlite_index(connection, table)
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({document})"
            )

    return forward, backward


def index_kept_after_migrate(index: WordIndex):
    """A ``post_migrate`` receiver mending ``index`` on the migrated database, once the
    migration creating it has run."""

    def receiver(*, using, **kwargs):
        keep_sqlite_index(connections[using], index.table, index.columns, create=False)

    return receiver
