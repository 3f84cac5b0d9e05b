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

A model's fields in another language (the Welsh ``title_cy``...) have an index of their
own beside the English one (``WordIndex.suffix``): PostgreSQL has no Welsh text search
configuration, so its document uses ``simple`` (lower case, no stemming, no stop
words), and its FTS5 table unicode61 without the porter stemmer, which would cut Welsh
words as if they were English (porter makes "busn" of "busnes", a business, and "cwr",
a corner, of "cwrs", a course). A search given several indexes (``match_words(...,
indexes=...)``) finds a row when each term matches in any of them, each in its own
language: a Welsh page's search finds the Welsh fields and the English fields of
listings not translated yet. Each index ranks the rows matching every term in it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from portal.lib.facets import Condition
from portal.lib.synonyms import Terms, indexed, terms_of

SEARCH_CONFIG = "english"
# PostgreSQL: the stored document's column, and its GIN index "<table>_search_document".
DOCUMENT_COLUMN = "search_document"
# FTS5: the porter stemmer over unicode61, which also folds accents ("café" is "cafe").
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# Welsh: no stemmer on either database; accents folded on SQLite ("ŵ" is "w").
WELSH_SEARCH_CONFIG = "simple"
WELSH_SQLITE_TOKENIZER = "unicode61 remove_diacritics 2"
# PostgreSQL: accents folded as FTS5 folds them, for an index that asks (``fold_accents``),
# so that "gwyl" finds "Gŵyl" on both databases: ``translate`` in the stored document
# (``unaccent`` cannot be used in a generated column), the same letters in the query.
ACCENTED = "âêîôûŵŷäëïöüẅÿáéíóúẃýàèìòùẁỳ"
UNACCENTED = "aeiouwy" * 4
ACCENTS_FOLDED = str.maketrans(ACCENTED, UNACCENTED)
# PostgreSQL's ranks weigh a match in an A field 1.0, B 0.4, C 0.2 and D 0.1: bm25 the same.
BM25_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}

WeightedFields = tuple[tuple[tuple[str, ...], str], ...]


@dataclass(frozen=True)
class WordIndex:
    """A model's words: its ``table`` and its ``weighted_fields``, each a tuple of
    field names (their columns) and a weight from "A" (counts most) to "D"."""

    table: str
    weighted_fields: WeightedFields
    # The fields' language: PostgreSQL's text search configuration, FTS5's tokenizer.
    config: str = SEARCH_CONFIG
    tokenizer: str = SQLITE_TOKENIZER
    # Tells a table's second index from its first ("_cy": search_document_cy, ..._words_cy).
    suffix: str = ""
    # PostgreSQL: the document and the query fold accents (FTS5's tokenizer does).
    fold_accents: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for names, _weight in self.weighted_fields for name in names)

    @property
    def sqlite_table(self) -> str:
        return f"{self.table}_words{self.suffix}"

    @property
    def document_column(self) -> str:
        return f"{DOCUMENT_COLUMN}{self.suffix}"

    def bm25_weights(self) -> tuple[float, ...]:
        return tuple(
            BM25_WEIGHTS[weight] for names, weight in self.weighted_fields for _name in names
        )


class StoredDocument(Expression):
    """PostgreSQL's stored document of the queried table (a column no model declares)."""

    output_field = SearchVectorField()

    def __init__(self, column: str = DOCUMENT_COLUMN):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# The query, for each database


def _phrase_text(words: tuple[str, ...], fold_accents: bool) -> str:
    text = " ".join(words)
    return text.translate(ACCENTS_FOLDED) if fold_accents else text


def postgresql_query(
    terms: Terms, config: str = SEARCH_CONFIG, *, fold_accents: bool = False
) -> SearchQuery:
    """Every term, each any of its phrases: ``(phrase || phrase) && term``."""

    def phrase(words):
        text = _phrase_text(words, fold_accents)
        return SearchQuery(text, search_type="phrase", config=config)

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


def _indexes(index: WordIndex | None, indexes: Sequence[WordIndex] | None) -> tuple:
    return tuple(indexes) if indexes else (index,)


def postgresql_phrases_sql(terms: Terms, index: WordIndex, params: list) -> str:
    """What postgresql_query gives the ORM, as SQL: || within a term, && between terms
    (its parameters added to ``params``)."""

    def phrase(words):
        params.extend((index.config, _phrase_text(words, index.fold_accents)))
        return "phraseto_tsquery(%s::regconfig, %s)"

    return reduce(
        lambda left, right: f"({left} && {right})",
        (
            reduce(lambda left, right: f"({left} || {right})", map(phrase, term.alternatives))
            for term in terms
        ),
    )


def sqlite_rows_sql(indexes: Sequence[WordIndex], terms: Terms) -> tuple[str, list]:
    """(SQL selecting the ids of the rows matching every term, its parameters). With
    several indexes, each term may match in any of them."""
    if len(indexes) == 1:
        table = indexes[0].sqlite_table
        return f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [fts5_query(terms)]
    selects, params = [], []
    for term in terms:
        either = " UNION ".join(
            f'SELECT rowid AS id FROM "{index.sqlite_table}" WHERE "{index.sqlite_table}" MATCH %s'
            for index in indexes
        )
        selects.append(f"SELECT id FROM ({either})")
        params += [fts5_query((term,))] * len(indexes)
    return " INTERSECT ".join(selects), params


@dataclass(frozen=True)
class Words(Condition):
    """The rows matching every term, as ``match_words`` selects them, written out in SQL
    for a list's ``facets.Rows`` (no ORM filter: ``q`` is not offered)."""

    index: WordIndex
    terms: Terms
    # Several indexes (the English and the Welsh): each term may match in any of them.
    indexes: tuple[WordIndex, ...] = ()

    def q(self):
        raise NotImplementedError("Words are written out only: use match_words for a queryset.")

    def fields(self):
        return ()

    def sql(self, columns):
        indexes = _indexes(self.index, self.indexes)
        if columns.connection.vendor == "postgresql":
            params = []
            if len(indexes) == 1:
                query = postgresql_phrases_sql(self.terms, indexes[0], params)
                return f"{columns.name(indexes[0].document_column)} @@ {query}", params
            anded = []
            for term in self.terms:
                either = []
                for index in indexes:
                    query = postgresql_phrases_sql((term,), index, params)
                    either.append(f"{columns.name(index.document_column)} @@ {query}")
                anded.append("(" + " OR ".join(either) + ")")
            return "(" + " AND ".join(anded) + ")", params
        row = columns.name(columns.model._meta.pk.name)
        found, params = sqlite_rows_sql(indexes, self.terms)
        return f"{row} IN ({found})", params


def words_condition(
    words: str, *, index: WordIndex | None = None, indexes: Sequence[WordIndex] | None = None
) -> Words | None:
    """The condition ``match_words`` filters by (None when the words hold no term)."""
    terms = indexed(terms_of(words))
    if not terms:
        return None
    return Words(index or indexes[0], terms, tuple(indexes or ()))


# Matching and ranking


def match_words(
    queryset,
    words: str,
    *,
    index: WordIndex | None = None,
    indexes: Sequence[WordIndex] | None = None,
):
    """Only the rows matching the words (all of them, when there are no terms): in
    ``index``, or each term in any of ``indexes``."""
    terms = indexed(terms_of(words))
    if not terms:
        return queryset
    indexes = _indexes(index, indexes)
    if uses_full_text(queryset):
        if len(indexes) == 1:
            only = indexes[0]
            found = postgresql_query(terms, only.config, fold_accents=only.fold_accents)
            document = StoredDocument(only.document_column)
            return queryset.alias(document=document).filter(document=found)
        aliases = {
            f"document_{number}": StoredDocument(index.document_column)
            for number, index in enumerate(indexes)
        }
        condition = Q()
        for term in terms:
            either = Q()
            for number, index in enumerate(indexes):
                found = postgresql_query((term,), index.config, fold_accents=index.fold_accents)
                either |= Q(**{f"document_{number}": found})
            condition &= either
        return queryset.alias(**aliases).filter(condition)
    sql, params = sqlite_rows_sql(indexes, terms)
    return queryset.filter(pk__in=RawSQL(sql, params))


def rank_by_words(
    queryset,
    words: str,
    *,
    index: WordIndex | None = None,
    indexes: Sequence[WordIndex] | None = None,
):
    """Annotate ``rank``, higher for a better match of the words (with several indexes,
    the sum of each one's rank)."""
    terms = indexed(terms_of(words))
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    indexes = _indexes(index, indexes)
    if len(indexes) == 1:
        only = indexes[0]
        if uses_full_text(queryset):
            found = postgresql_query(terms, only.config, fold_accents=only.fold_accents)
            return queryset.annotate(rank=SearchRank(StoredDocument(only.document_column), found))
        return queryset.annotate(rank=Bm25Rank(only, fts5_query(terms)))
    # Each index ranks the rows matching every term in it; a row matching some terms in
    # one language and the rest in the other is found but ranked 0 (ranking by any term
    # doubled the time of a Welsh search on SQLite: most rows match one of two words).
    if uses_full_text(queryset):
        ranks = [
            SearchRank(
                StoredDocument(index.document_column),
                postgresql_query(terms, index.config, fold_accents=index.fold_accents),
            )
            for index in indexes
        ]
    else:
        ranks = [Coalesce(Bm25Rank(index, fts5_query(terms)), 0.0) for index in indexes]
    return queryset.annotate(rank=reduce(lambda left, right: left + right, ranks))


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


def sqlite_index_statements(
    table: str,
    columns: tuple[str, ...],
    *,
    tokenizer: str = SQLITE_TOKENIZER,
    suffix: str = "",
) -> dict[str, str]:
    """{name: CREATE statement} of the FTS5 table over ``table``'s ``columns`` and of
    its three triggers. The FTS5 table reads its text from ``table`` (external content),
    so the text is stored once."""
    words = f"{table}_words{suffix}"
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {words}(rowid, {listed}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {words}({words}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return {
        words: (
            f"CREATE VIRTUAL TABLE {words} USING fts5({listed}, content='{table}', "
            f"content_rowid='id', tokenize='{tokenizer}')"
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
    connection,
    table: str,
    columns: tuple[str, ...],
    *,
    create: bool = True,
    tokenizer: str = SQLITE_TOKENIZER,
    suffix: str = "",
) -> bool:
    """Create the FTS5 table and triggers where missing or different, and if anything
    was, rebuild the index from the table. With ``create=False``, only an index that
    exists is mended. Nothing on other databases. True if it changed anything."""
    if connection.vendor != "sqlite":
        return False
    wanted = sqlite_index_statements(table, columns, tokenizer=tokenizer, suffix=suffix)
    words = f"{table}_words{suffix}"
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


def drop_sqlite_index(connection, table: str, *, suffix: str = "") -> None:
    with connection.cursor() as cursor:
        words = f"{table}_words{suffix}"
        for suffix in ("_insert", "_delete", "_update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {words}{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {words}")


# PostgreSQL's index: a stored generated column and a GIN index over it


def postgresql_document_sql(
    weighted_fields: WeightedFields, config: str = SEARCH_CONFIG, *, fold_accents: bool = False
) -> str:
    """The weighted document, as SQL: each group of fields joined by spaces."""
    parts = []
    for names, weight in weighted_fields:
        text = " || ' ' || ".join(f"COALESCE({name}, '')" for name in names)
        if fold_accents:
            text = f"translate(lower({text}), '{ACCENTED}', '{UNACCENTED}')"
        parts.append(f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')")
    return "(" + " || ".join(parts) + ")"


def word_index_operations(
    table: str,
    weighted_fields: WeightedFields,
    *,
    config: str = SEARCH_CONFIG,
    tokenizer: str = SQLITE_TOKENIZER,
    suffix: str = "",
    fold_accents: bool = False,
):
    """(forward, backward) functions of a migration's ``RunPython`` that build, or drop,
    the word index of ``table`` on its database: the FTS5 table and triggers on SQLite,
    the stored document and its GIN index on PostgreSQL, which replace the GIN index
    over the same expression (``<table>_search_document``) that earlier migrations made.
    A second index of the table (``suffix``, with its language's ``config`` and
    ``tokenizer``) replaces nothing.
    """
    columns = tuple(name for names, _weight in weighted_fields for name in names)
    column = f"{DOCUMENT_COLUMN}{suffix}"
    index = f"{table}_{column}"
    document = postgresql_document_sql(weighted_fields, config, fold_accents=fold_accents)

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            keep_sqlite_index(connection, table, columns, tokenizer=tokenizer, suffix=suffix)
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
                f"GENERATED ALWAYS AS {document} STORED"
            )
            schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({column})")

    def backward(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            drop_sqlite_index(connection, table, suffix=suffix)
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
            if not suffix:
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({document})"
                )

    return forward, backward


def index_kept_after_migrate(index: WordIndex):
    """A ``post_migrate`` receiver mending ``index`` on the migrated database, once the
    migration creating it has run."""

    def receiver(*, using, **kwargs):
        keep_sqlite_index(
            connections[using],
            index.table,
            index.columns,
            create=False,
            tokenizer=index.tokenizer,
            suffix=index.suffix,
        )

    return receiver
