"""Faceted search over one model, for every public list (support offers, contracts).

A filter option is written once, as a ``Condition``, which gives both the ORM filter
(``.q()``) that selects the list and the SQL (``.sql()``) that counts it, so the two
never drift apart. ``count_facets`` gives the total and every option's count in one
query; ``Sorts`` chooses and applies the list's order; ``Option`` and ``FacetGroup``
are what the shared templates (``templates/includes/facets.html``) render.
"""

import datetime
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, reduce
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from portal.lib.choicesets import has_pattern, has_prefix_pattern

# Conditions


class Columns:
    """The counted rows' columns, by model field or annotation name."""

    def __init__(self, connection, model):
        self.connection = connection
        self.model = model

    def name(self, field_name: str) -> str:
        try:
            column = self.model._meta.get_field(field_name).column
        except FieldDoesNotExist:  # an annotation: its alias is its column
            column = field_name
        return self.connection.ops.quote_name(column)

    def param(self, value):
        if isinstance(value, datetime.datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return self.connection.ops.adapt_datefield_value(value)
        return value


class Condition:
    """Which rows an option selects, as an ORM filter and as SQL over the counted rows."""

    def q(self) -> Q:
        raise NotImplementedError

    def sql(self, columns: Columns) -> tuple[str, list]:
        raise NotImplementedError

    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def __or__(self, other: "Condition") -> "Condition":
        return AnyOf((self, other))

    def __and__(self, other: "Condition") -> "Condition":
        return AllOf((self, other))


@dataclass(frozen=True)
class Compare(Condition):
    field: str
    value: Any
    lookup: str = "exact"  # exact, gte, gt, lte or lt

    OPERATORS = {"exact": "=", "gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}

    def q(self) -> Q:
        return Q(**{f"{self.field}__{self.lookup}": self.value})

    def sql(self, columns):
        return f"{columns.name(self.field)} {self.OPERATORS[self.lookup]} %s", [
            columns.param(self.value)
        ]


def equals(field_name: str, value) -> Compare:
    return Compare(field_name, value)


def at_least(field_name: str, value) -> Compare:
    return Compare(field_name, value, "gte")


def at_most(field_name: str, value) -> Compare:
    return Compare(field_name, value, "lte")


def below(field_name: str, value) -> Compare:
    return Compare(field_name, value, "lt")


@dataclass(frozen=True)
class IsNull(Condition):
    field: str
    null: bool = True

    def q(self) -> Q:
        return Q(**{f"{self.field}__isnull": self.null})

    def sql(self, columns):
        return f"{columns.name(self.field)} IS {'' if self.null else 'NOT '}NULL", []


@dataclass(frozen=True)
class Has(Condition):
    """A set of choices (``portal.lib.choicesets``) holding ``value``, or with
    ``prefix``, holding a code that starts with it."""

    field: str
    value: str
    prefix: bool = False

    def q(self) -> Q:
        return Q(**{f"{self.field}__{'has_prefix' if self.prefix else 'has'}": self.value})

    def sql(self, columns):
        pattern = has_prefix_pattern(self.value) if self.prefix else has_pattern(self.value)
        return f"{columns.name(self.field)} LIKE %s ESCAPE '\\'", [pattern]


@dataclass(frozen=True)
class AnyOf(Condition):
    conditions: tuple[Condition, ...]

    def q(self) -> Q:
        return reduce(operator.or_, (condition.q() for condition in self.conditions), Q())

    def sql(self, columns):
        return _joined(" OR ", self.conditions, columns)

    def fields(self):
        return tuple(name for condition in self.conditions for name in condition.fields())


@dataclass(frozen=True)
class AllOf(AnyOf):
    def q(self) -> Q:
        return reduce(operator.and_, (condition.q() for condition in self.conditions), Q())

    def sql(self, columns):
        return _joined(" AND ", self.conditions, columns)


def _joined(connector: str, conditions, columns) -> tuple[str, list]:
    parts = [condition.sql(columns) for condition in conditions]
    return (
        "(" + connector.join(sql for sql, _params in parts) + ")",
        [param for _sql, params in parts for param in params],
    )


@dataclass(frozen=True)
class Everything(Condition):
    """Every row: the count of a facet's "any" option."""

    def q(self) -> Q:
        return Q()

    def sql(self, columns):
        return "1 = 1", []

    def fields(self):
        return ()


def any_of(conditions: Iterable[Condition]) -> Condition:
    """Rows matching any of the conditions (one condition: that condition)."""
    conditions = tuple(conditions)
    return conditions[0] if len(conditions) == 1 else AnyOf(conditions)


def all_of(conditions: Iterable[Condition]) -> Condition:
    """Rows matching every one of the conditions (none: every row)."""
    conditions = tuple(conditions)
    if not conditions:
        return Everything()
    return conditions[0] if len(conditions) == 1 else AllOf(conditions)


# A list's rows


@dataclass(frozen=True)
class Rows:
    """A list before any facet is applied: the rows of ``model`` meeting ``condition``.

    Its SQL is the condition's, written once per process (``_compiled``), where a
    queryset's filters are compiled by the ORM for each query: a search starts both its
    queries (``count_facets``, ``select``) from it, and compiling the same filters twice
    was a fifth of the search page's time.
    """

    model: Any
    condition: Condition
    db: str = "default"

    def sql(self, fields: Iterable[str]) -> tuple[str, tuple]:
        """SELECT ``fields`` of the rows."""
        columns = Columns(connections[self.db], self.model)
        where, params, _names = _compiled(self.db, self.model, self.condition)
        selected = ", ".join(columns.name(name) for name in fields) or "1"
        table = columns.connection.ops.quote_name(self.model._meta.db_table)
        return f"SELECT {selected} FROM {table} WHERE {where}", params


def select(rows: Rows, chosen: dict[str, Condition]):
    """The rows matching every chosen facet, as a queryset of the model's default
    manager, its WHERE clause the conditions' SQL. The columns there are not qualified
    by their table: the queryset must join no other."""
    where, params, _names = _compiled(
        rows.db, rows.model, all_of((rows.condition, *chosen.values()))
    )
    return rows.model._default_manager.using(rows.db).filter(
        RawSQL(where, params, output_field=BooleanField())
    )


# Counts


@dataclass(frozen=True)
class Counted:
    """An option the page counts: ``counts[param][value]``, what choosing it would give
    with every chosen facet but ``facet`` (by default ``param``) as it is."""

    param: str
    value: str
    condition: Condition
    facet: str = ""


@dataclass
class FacetCounts:
    total: int
    # param → {value: count}
    options: dict[str, dict[str, int]]

    def of(self, param: str, value: str) -> int:
        return self.options.get(param, {}).get(value, 0)


def count_facets(
    base,
    *,
    chosen: dict[str, Condition],
    counted: Iterable[Counted],
    grouped_by: str = "",
) -> FacetCounts:
    """The total and every option's count, in one query.

    ``base`` is the list before any facet is applied (a queryset, or ``Rows``); ``chosen``
    the condition of each chosen facet (its chosen options combined with "or"). Each
    option's count is what choosing it would give with every other facet as it is, the
    usual convention for facets whose options combine with "or". The rows are grouped by
    which chosen facets they match (at most 2**len(chosen) groups), each group counting
    every option; the sums over the groups that match "every other facet" are done here.

    ``grouped_by`` names a field that many options test alone (the contracts' CPV codes,
    about sixty prefixes) and whose values repeat across rows: the rows are first
    counted per value of it, and those options tested once per value instead of once per
    row (fifty LIKEs on each of 35,000 rows were most of the contracts list's time).
    """
    counted = list(counted)
    flags = [_compiled(base.db, base.model, condition) for condition in chosen.values()]
    tallies = [_compiled(base.db, base.model, option.condition) for option in counted]
    on_group = [bool(grouped_by) and names == (grouped_by,) for _sql, _params, names in tallies]
    fields = dict.fromkeys(name for _sql, _params, names in (*flags, *tallies) for name in names)
    if isinstance(base, Rows):
        rows_sql, rows_params = base.sql(fields)
    else:
        rows_sql, rows_params = (
            base.order_by().values(*fields).query.get_compiler(using=base.db).as_sql()
        )
    # Named, for the outer query when grouped.
    selected = [
        f"CASE WHEN {sql} THEN 1 ELSE 0 END AS flag_{number}"
        for number, (sql, _params, _names) in enumerate(flags)
    ]
    group_by = list(range(1, len(flags) + 1))
    if any(on_group):
        column = Columns(connections[base.db], base.model).name(grouped_by)
        selected.append(f"{column} AS {column}")
        group_by.append(len(selected))
    selected.append("COUNT(*) AS rows_counted")
    selected += [
        f"COUNT(CASE WHEN {sql} THEN 1 END) AS tally_{number}"
        for number, ((sql, _params, _names), grouped) in enumerate(
            zip(tallies, on_group, strict=True)
        )
        if not grouped
    ]
    sql = f"SELECT {', '.join(selected)} FROM ({rows_sql}) counted"
    if group_by:
        sql += " GROUP BY " + ", ".join(str(position) for position in group_by)
    params = [param for _sql, params, _names in flags for param in params]
    params += [
        param
        for (_sql, params, _names), grouped in zip(tallies, on_group, strict=True)
        if not grouped
        for param in params
    ]
    params += rows_params
    if any(on_group):
        # Summed over the values of the grouped field, each grouped option tested once
        # per value; the columns keep the single query's order.
        flag_columns = [f"flag_{number}" for number in range(len(flags))]
        outer = [*flag_columns, "SUM(rows_counted)"]
        outer_params = []
        for number, ((tally_sql, tally_params, _names), grouped) in enumerate(
            zip(tallies, on_group, strict=True)
        ):
            if grouped:
                outer.append(f"SUM(CASE WHEN {tally_sql} THEN rows_counted ELSE 0 END)")
                outer_params += tally_params
            else:
                outer.append(f"SUM(tally_{number})")
        sql = f"SELECT {', '.join(outer)} FROM ({sql}) grouped"
        if flags:
            sql += " GROUP BY " + ", ".join(flag_columns)
        params = [*outer_params, *params]
    with connections[base.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            (*row[: len(flags)], *(int(value or 0) for value in row[len(flags) :]))
            for row in cursor.fetchall()
        ]

    facets = list(chosen)
    total = 0
    counts: dict[str, dict[str, int]] = {}
    for option in counted:
        counts.setdefault(option.param, {})[option.value] = 0
    for row in rows:
        matched = dict(zip(facets, row, strict=False))
        group_total, *option_counts = row[len(facets) :]
        if all(matched.values()):
            total += group_total
        # For each facet, whether the group matches every other chosen facet.
        others_match = {
            facet: all(ok for other, ok in matched.items() if other != facet)
            for facet in {option.facet or option.param for option in counted}
        }
        for option, count in zip(counted, option_counts, strict=True):
            if others_match[option.facet or option.param]:
                counts[option.param][option.value] += count
    return FacetCounts(total=total, options=counts)


@lru_cache(maxsize=4096)
def _compiled(alias: str, model, condition: Condition) -> tuple[str, tuple, tuple[str, ...]]:
    """A condition's SQL, params and fields. Most options are the same for every
    search, so each is written once per process: built for each request, a page's ~60
    cost a quarter of a millisecond."""
    sql, params = condition.sql(Columns(connections[alias], model))
    return sql, tuple(params), condition.fields()


def apply_facets(queryset, chosen: dict[str, Condition]):
    """The rows matching every chosen facet."""
    return queryset.filter(*(condition.q() for condition in chosen.values()))


# Sorting


@dataclass(frozen=True)
class Sort:
    value: str  # the ``sort`` parameter
    label: Any
    order_by: tuple  # after the rank, for a sort by relevance
    by_relevance: bool = False  # best match of the words first: only with words


class Sorts:
    """A list's ways to sort, the first ``default`` (or ``default_with_words`` when
    the search has words)."""

    def __init__(self, *sorts: Sort, default: str, default_with_words: str = ""):
        self.sorts = {sort.value: sort for sort in sorts}
        self.default = default
        self.default_with_words = default_with_words or default

    def __contains__(self, value) -> bool:
        return value in self.sorts

    def offered(self, *, words: bool) -> list[Sort]:
        """The sorts a page offers: by relevance only when there are words."""
        return [sort for sort in self.sorts.values() if words or not sort.by_relevance]

    def choose(self, asked: str, *, words: bool) -> str:
        """The sort asked for when offered, else the default."""
        if asked in {sort.value for sort in self.offered(words=words)}:
            return asked
        return self.default_with_words if words else self.default

    def options(self, current: str, *, words: bool, chosen: bool) -> list["Option"]:
        """The options of a sort ``<select>``, ``current`` selected. Unless the person
        ``chosen`` it, the current sort is the default, and its option's value is
        empty: the next search, with words or without, then gets its own default
        (relevance once there are words) instead of keeping the one shown."""
        return [
            Option(
                "sort",
                "" if sort.value == current and not chosen else sort.value,
                str(sort.label),
                None,
                sort.value == current,
                f"sort-{sort.value}",
            )
            for sort in self.offered(words=words)
        ]

    def order(self, queryset, value: str, *, rank: Callable | None = None):
        """``queryset`` in the order of sort ``value``; ``rank`` annotates ``rank`` for
        a sort by relevance (None: no words to rank by, so the default order)."""
        sort = self.sorts.get(value) or self.sorts[self.default]
        if sort.by_relevance:
            if rank is None:
                sort = self.sorts[self.default]
            else:
                return rank(queryset).order_by("-rank", *sort.order_by)
        return queryset.order_by(*sort.order_by)


# What the templates show


@dataclass(frozen=True)
class Option:
    """A checkbox or radio: its parameter, value, label, count and whether chosen."""

    name: str
    value: str
    label: str
    count: int | None
    checked: bool
    id: str
    divider: str = ""  # said before it, apart from the options above ("and")


@dataclass(frozen=True)
class FacetGroup:
    """A facet's options, rendered by ``includes/facets.html``."""

    param: str
    legend: str
    options: list[Option]
    kind: str = "checkboxes"  # or "radios"
    hint: str = ""
    empty: str = ""  # said when there are no options (checkboxes)


def options(
    param: str,
    choices: Iterable[tuple[str, Any]],
    *,
    counts: FacetCounts,
    chosen: Iterable[str],
    counted_as: str = "",
) -> list[Option]:
    """An option for each (value, label) of ``choices``, counted as ``counts[param]``
    (or ``counts[counted_as]``)."""
    counted = counts.options.get(counted_as or param, {})
    chosen = set(chosen)
    return [
        Option(
            param,
            str(value),
            str(label),
            counted.get(value, 0),
            value in chosen,
            f"{param}-{value}",
        )
        for value, label in choices
    ]


# Requests


def fragment_requested(request) -> bool:
    """Whether htmx asks for the results alone. A history restore wants the whole page
    even though htmx asks for it."""
    return bool(request.htmx) and not request.htmx.history_restore_request
