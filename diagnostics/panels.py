"""Panels that apps above diagnostics add to the results page, so diagnostics never
imports them: the matcher's "What to do next", the adviser button.

An app registers its panel from its ``AppConfig.ready``::

    register_results_panel(
        "matching", template="matching/results_panel.html",
        context_function=next_steps_context, order=10,
    )

``context_function(*, request, assessment)`` returns the template's context, or None
to leave the panel out for this assessment. The results page renders every panel in
``order`` (then name) below the action plan; with none registered it shows nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

ContextFunction = Callable[..., dict | None]


@dataclass(frozen=True)
class ResultsPanel:
    name: str
    template: str
    context_function: ContextFunction
    order: int


_panels: dict[str, ResultsPanel] = {}


def register_results_panel(
    name: str, *, template: str, context_function: ContextFunction, order: int = 100
) -> None:
    if name in _panels:
        raise ValueError(f"A results panel named {name!r} is registered already.")
    _panels[name] = ResultsPanel(name, template, context_function, order)


def unregister_results_panel(name: str) -> None:
    _panels.pop(name, None)


def results_panels() -> list[ResultsPanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def render_results_panels(*, request, assessment) -> list[SafeString]:
    """Each registered panel's HTML for this assessment, in order."""
    rendered = []
    for panel in results_panels():
        context = panel.context_function(request=request, assessment=assessment)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
