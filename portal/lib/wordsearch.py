"""Searching by words, the same way for every list that has a search box.

A search is read into terms by portal/lib/synonyms.py (every term must match; a term
matches if any of its alternative phrases does), then handed to the database's own
full-text search, with its English stemmer, so "exporting" finds "export":

- PostgreSQL: each phrase a ``phraseto_tsquery``, combined with ``||`` and ``&&``, over
  a weighted document ranked by ``ts_rank``. Each app indexes its document with a
  functional GIN index whose expression must stay byte for byte what its
  ``WordIndex.vector()`` builds.
- SQLite: an FTS5 table per indexed model (``<table>_words``, porter stemmer over the
  unicode61 tokenizer), holding the same fields and kept in step with the model's table
  by triggers, so every write finds its way in, ``bulk_create`` and ``update()`` too;
  ranked by ``bm25`` with the same weights as PostgreSQL's ranks. Each app creates it
  in a migration (``create_sqlite_index``), and re-creates anything missing after
  every migrate (``keep_sqlite_index``): rebuilding a table, as SQLite's schema editor
  does to alter one, drops its triggers.
"""

from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import FloatField, Value
from django.db.models.expressions import RawSQL

from portal.lib.synonyms import Terms, indexed, terms_of

SEARCH_CONFIG = "english"
# FTS5: the porter stemmer over unicode61, which also folds accents ("café" is "cafe").
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# PostgreSQL's ranks weigh a match in an A field 1.0, B 0.4, C 0.2 and D 0.1: bm25 the same.
BM25_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass(frozen=True)
class WordIndex:
    """A model's words: its ``table`` and its ``weighted_fields``, each a tuple of
    field names (their columns) and a weight from "A" (counts most) to "D"."""

    table: str
    weighted_fields: tuple[tuple[tuple[str, ...], str], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for names, _weight in self.weighted_fields for name in names)

    @property
    def sqlite_table(self) -> str:
        return f"{self.table}_words"

    def vector(self) -> SearchVector:
        """PostgreSQL's weighted document (the expression its GIN index holds)."""
        return weighted_vector(*self.weighted_fields)

    def bm25_weights(self) -> tuple[float, ...]:
        return tuple(
            BM25_WEIGHTS[weight] for names, weight in self.weighted_fields for _name in names
        )


def weighted_vector(*weighted_fields: tuple[tuple[str, ...], str]) -> SearchVector:
    """``weighted_vector((("title",), "A"), (("summary", "provider_name"), "B"))``."""
    vectors = [
        SearchVector(*fields, weight=weight, config=SEARCH_CONFIG)
        for fields, weight in weighted_fields
    ]
    vector = vectors[0]
    for other in vectors[1:]:
        vector = vector + other
    return vector


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


# Matching and ranking


def match_words(queryset, words: str, *, index: WordIndex):
    """Only the rows matching the words (all of them, when there are no terms)."""
    terms = indexed(terms_of(words))
    if not terms:
        return queryset
    if uses_full_text(queryset):
        return queryset.alias(document=index.vector()).filter(document=postgresql_query(terms))
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
        return queryset.annotate(rank=SearchRank(index.vector(), postgresql_query(terms)))
    weights = ", ".join(str(weight) for weight in index.bm25_weights())
    table = index.sqlite_table
    # bm25 is lower for a better match. Every match is ranked once, in a derived table
    # that "LIMIT -1" keeps SQLite from folding into the row's subquery: folded, the
    # search ran again for each row (68 ms for 160 offers, against 6 ms).
    rank = RawSQL(
        f'SELECT ranked.rank FROM (SELECT rowid AS id, -bm25("{table}", {weights}) AS rank '
        f'FROM "{table}" WHERE "{table}" MATCH %s LIMIT -1) ranked '
        f'WHERE ranked.id = "{index.table}"."id"',
        (fts5_query(terms),),
        output_field=FloatField(),
    )
    return queryset.annotate(rank=rank)


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


def create_sqlite_index(table: str, columns: tuple[str, ...]):
    """A migration's ``RunPython`` function creating the index (SQLite only)."""

    def create(apps, schema_editor):
        keep_sqlite_index(schema_editor.connection, table, columns)

    return create


def drop_sqlite_index(table: str):
    """A migration's ``RunPython`` function dropping the index (SQLite only)."""

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        words = f"{table}_words"
        for suffix in ("_insert", "_delete", "_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {words}{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {words}")

    return drop


def index_kept_after_migrate(index: WordIndex):
    """A ``post_migrate`` receiver mending ``index`` on the migrated database, once the
    migration creating it has run."""

    def receiver(*, using, **kwargs):
        keep_sqlite_index(connections[using], index.table, index.columns, create=False)

    return receiver
