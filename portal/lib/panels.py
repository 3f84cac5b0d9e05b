"""Panels and columns: how an app lets apps above it add to one of its pages without
importing them.

The lower app keeps a ``PanelRegistry`` for the page and renders it; a higher app
registers a panel (a template and a function that gives its context) from its
``AppConfig.ready``. The results page's registry is diagnostics/panels.py, the account
page's portal/accounts/panels.py.

A ``ColumnRegistry`` does the same for a table: a higher app registers a column (a
heading and a function that gives the figures of the rows shown, by their keys, in one
query whatever their number); the lower app asks it for the figures of its page's rows.
The posting dashboard's is portal/procurement/columns.py.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Called with the page's keyword arguments (``request`` and the page's object); returns
# the panel template's context, or None to leave the panel out this time.
ContextFunction = Callable[..., dict | None]
# Called with the keys of the rows shown; returns each row's figure by its key (a row
# missing from the answer shows the column's ``default``).
FiguresFunction = Callable[[list], Mapping[Any, Any]]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context_function: ContextFunction
    order: int


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    figures_function: FiguresFunction
    order: int
    default: Any = 0


class _Registry:
    """What was registered for a page, by name."""

    kind = "extension"

    def __init__(self, page: str):
        self.page = page
        self._registered: dict[str, Any] = {}

    def _add(self, item) -> None:
        if item.name in self._registered:
            raise ValueError(
                f"A {self.kind} named {item.name!r} is on the {self.page} page already."
            )
        self._registered[item.name] = item

    def unregister(self, name: str) -> None:
        self._registered.pop(name, None)

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """The page without anything registered for a while (a lower app's tests measure
        its own page, whatever apps above it add)."""
        saved, self._registered = self._registered, {}
        try:
            yield
        finally:
            self._registered = saved

    def _in_order(self) -> list:
        """In ``order``, then by name."""
        return sorted(self._registered.values(), key=lambda item: (item.order, item.name))


class PanelRegistry(_Registry):
    kind = "panel"

    def register(
        self, name: str, *, template: str, context_function: ContextFunction, order: int = 100
    ) -> None:
        self._add(Panel(name, template, context_function, order))

    def panels(self) -> list[Panel]:
        """In ``order``, then by name."""
        return self._in_order()

    def render(self, *, request, **page) -> list[SafeString]:
        """Each panel's HTML, in order; ``page`` (the page's object) goes to each
        context function with the request."""
        rendered = []
        for panel in self.panels():
            context = panel.context_function(request=request, **page)
            if context is not None:
                rendered.append(render_to_string(panel.template, context, request=request))
        return rendered


@dataclass(frozen=True)
class Table:
    """A page of rows with the registered columns' figures beside each."""

    headings: list[str]
    # (row, [its figure in each column, in the order of ``headings``])
    rows: list[tuple[Any, list[Any]]]


class ColumnRegistry(_Registry):
    kind = "column"

    def register(
        self,
        name: str,
        *,
        heading: str,
        figures_function: FiguresFunction,
        order: int = 100,
        default: Any = 0,
    ) -> None:
        self._add(Column(name, heading, figures_function, order, default))

    def columns(self) -> list[Column]:
        """In ``order``, then by name."""
        return self._in_order()

    def table(self, rows: Iterable, *, key: Callable[[Any], Any] = lambda row: row.pk) -> Table:
        """``rows`` with each column's figures: one call of each column's function."""
        rows = list(rows)
        keys = [key(row) for row in rows]
        columns = self.columns()
        figures = [column.figures_function(keys) for column in columns]
        return Table(
            headings=[column.heading for column in columns],
            rows=[
                (
                    row,
                    [
                        found.get(row_key, column.default)
                        for column, found in zip(columns, figures, strict=True)
                    ],
                )
                for row, row_key in zip(rows, keys, strict=True)
            ],
        )
