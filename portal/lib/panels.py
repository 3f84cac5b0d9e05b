"""Panels: how an app lets apps above it add to one of its pages without importing them.

The lower app keeps a ``PanelRegistry`` for the page and renders it; a higher app
registers a panel (a template and a function that gives its context) from its
``AppConfig.ready``. The results page's registry is diagnostics/panels.py, the account
page's portal/accounts/panels.py.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Called with the page's keyword arguments (``request`` and the page's object); returns
# the panel template's context, or None to leave the panel out this time.
ContextFunction = Callable[..., dict | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context_function: ContextFunction
    order: int


class PanelRegistry:
    def __init__(self, page: str):
        self.page = page
        self._panels: dict[str, Panel] = {}

    def register(
        self, name: str, *, template: str, context_function: ContextFunction, order: int = 100
    ) -> None:
        if name in self._panels:
            raise ValueError(f"A panel named {name!r} is on the {self.page} page already.")
        self._panels[name] = Panel(name, template, context_function, order)

    def unregister(self, name: str) -> None:
        self._panels.pop(name, None)

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """The page without any registered panel for a while (a lower app's tests measure
        its own page, whatever apps above it add)."""
        saved, self._panels = self._panels, {}
        try:
            yield
        finally:
            self._panels = saved

    def panels(self) -> list[Panel]:
        """In ``order``, then by name."""
        return sorted(self._panels.values(), key=lambda panel: (panel.order, panel.name))

    def render(self, *, request, **page) -> list[SafeString]:
        """Each panel's HTML, in order; ``page`` (the page's object) goes to each
        context function with the request."""
        rendered = []
        for panel in self.panels():
            context = panel.context_function(request=request, **page)
            if context is not None:
                rendered.append(render_to_string(panel.template, context, request=request))
        return rendered
