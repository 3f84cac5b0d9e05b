"""The layers of Waymark's apps, bottom up, and the rule that imports point down.

A module may reference (import, or name in a string: see imports.py) a module of its
own app or of an app in a lower layer; never one of a higher layer, nor one of another
app of its own layer. The base is itself ordered (``portal.lib`` under ``places`` under
``accounts`` under ``core``), so its four parts form four layers.

The composition root (``portal/__init__``, ``settings``, ``urls``, ``celery``, ``wsgi``,
``asgi``, and the tests, which are not walked) sits above every layer: it may
reference any app, and no app may reference it (``django.conf.settings`` is the way
to read a setting).
"""

from dataclasses import dataclass

from tests.architecture.imports import Reference

LAYERS: tuple[tuple[str, ...], ...] = (
    # The base.
    ("portal.lib",),
    ("portal.places",),
    ("portal.accounts",),
    ("portal.core",),
    # The domain apps, which do not import each other.
    ("portal.catalogue", "portal.procurement", "diagnostics"),
    ("portal.matching",),
    ("portal.advice",),
    ("portal.dashboards",),
)


@dataclass(frozen=True)
class Place:
    app: str | None  # None: the composition root
    layer: int


def place_of(module: str, layers=LAYERS) -> Place:
    for level, apps in enumerate(layers):
        for app in apps:
            if module == app or module.startswith(app + "."):
                return Place(app, level)
    return Place(None, len(layers))


def layer_violations(found: list[Reference], layers=LAYERS) -> list[Reference]:
    """The references that point up a layer, sideways to another app of the same
    layer, or from an app into the composition root."""
    violations = []
    for reference in found:
        source = place_of(reference.source, layers)
        target = place_of(reference.target, layers)
        if source.app is None or source.app == target.app:
            continue
        if target.layer >= source.layer:
            violations.append(reference)
    return violations
