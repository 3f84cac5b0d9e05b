"""Imports point down the layers and no two modules import each other.

The graph is read from the source with ``ast`` (tests/architecture/imports.py says what
counts as a reference); the layers are in tests/architecture/layers.py. Each rule is
shown failing on a small fixture package first, then holding on the real tree.
"""

from pathlib import Path

from tests.architecture.imports import cycle_path, find_modules, import_cycles, references
from tests.architecture.layers import LAYERS, layer_violations, place_of
from tests.architecture.templates import template_references

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "architecture" / "fixtures"
PACKAGES = ("portal", "diagnostics")

FIXTURE_LAYERS = (("layered.base",), ("layered.left", "layered.right"), ("layered.top",))
FIXTURE_APPS = [app for layer in FIXTURE_LAYERS for app in layer]
PROJECT_APPS = [app for layer in LAYERS for app in layer]


def project_references():
    return references(find_modules(ROOT, PACKAGES))


def project_template_references():
    return template_references(ROOT, find_modules(ROOT, PACKAGES), PROJECT_APPS)


def describe(found, groups):
    lines = []
    for group in groups:
        lines.append(" ↔ ".join(group))
        lines += [f"    {reference}" for reference in cycle_path(found, group)]
    return "\n".join(lines)


def test_cycle_finder_reports_modules_importing_each_other_in_a_fixture():
    found = references(find_modules(FIXTURES, ["cyclic"]))

    # a imports b at the top; b imports a inside a function. c → d → e → c runs
    # through another module, the last step by importlib.import_module("cyclic.c").
    assert import_cycles(found) == [
        ["cyclic.a", "cyclic.b"],
        ["cyclic.c", "cyclic.d", "cyclic.e"],
    ]
    loop = cycle_path(found, ["cyclic.a", "cyclic.b"])
    assert [(r.source, r.target) for r in loop] == [
        ("cyclic.a", "cyclic.b"),
        ("cyclic.b", "cyclic.a"),
    ]


def test_cycle_finder_ignores_a_package_importing_its_submodule_and_a_task_named_by_string():
    found = references(find_modules(FIXTURES, ["cyclic"]))
    edges = {(r.source, r.target, r.kind) for r in found}

    assert ("cyclic.package", "cyclic.package.leaf", "import") in edges
    # services enqueues tasks by name: a reference, but not an import.
    assert ("cyclic.services", "cyclic.tasks", "string") in edges
    assert ("cyclic.tasks", "cyclic.services", "import") in edges
    flat = {module for group in import_cycles(found) for module in group}
    assert not flat & {"cyclic.package", "cyclic.package.leaf", "cyclic.tasks"}


def test_no_two_modules_import_each_other():
    found = project_references()
    groups = import_cycles(found)

    assert not groups, "Modules that import each other:\n" + describe(found, groups)


def test_layer_check_reports_upward_and_sideways_references_in_a_fixture():
    found = references(find_modules(FIXTURES, ["layered"]))

    violations = {(r.source, r.target, r.kind) for r in layer_violations(found, FIXTURE_LAYERS)}

    assert violations == {
        # A string naming a module of a higher layer.
        ("layered.base.apps", "layered.left.models", "string"),
        # An app importing the composition root.
        ("layered.base.health", "layered.settings", "import"),
        # Sideways, inside a function.
        ("layered.right.views", "layered.left.models", "import"),
        # Sideways, as a lazy model reference.
        ("layered.left.models", "layered.right.models", "model"),
    }


def test_layer_check_allows_the_composition_root_and_downward_references():
    found = references(find_modules(FIXTURES, ["layered"]))
    allowed = set(found) - set(layer_violations(found, FIXTURE_LAYERS))
    edges = {(r.source, r.target) for r in allowed}

    assert ("layered.settings", "layered.top.views") in edges
    assert ("layered.top.views", "layered.left.models") in edges
    assert ("layered.left.models", "layered.base.models") in edges


def test_imports_point_down_the_layers():
    violations = layer_violations(project_references())

    assert not violations, "References up or across the layers:\n" + "\n".join(
        f"    {reference}" for reference in violations
    )


def test_layer_check_reports_templates_that_reach_up_or_sideways_in_a_fixture():
    modules = find_modules(FIXTURES, ["layered"])
    found = template_references(FIXTURES, modules, FIXTURE_APPS)

    violations = {(r.source, r.target, r.path) for r in layer_violations(found, FIXTURE_LAYERS)}

    assert violations == {
        # A link to a higher app's URL, and a higher app's template-tag library.
        ("layered.base", "layered.top.urls", "templates/base/page.html"),
        ("layered.base", "layered.left.templatetags.left_tags", "templates/base/page.html"),
        # Python naming a template of the other app of this layer.
        ("layered.left.views", "layered.right", "layered/left/views.py"),
    }
    # Including a lower app's template, or the shared layout, is allowed; the shared
    # layout itself (templates/includes/) may name any app.
    allowed = {(r.source, r.target) for r in found} - {(s, t) for s, t, _ in violations}
    assert ("layered.right", "layered.base") in allowed
    assert all(not r.path.startswith("templates/includes/") for r in found)


def test_templates_point_down_the_layers():
    violations = layer_violations(project_template_references())

    assert not violations, "Template references up or across the layers:\n" + "\n".join(
        f"    {reference}" for reference in violations
    )


def test_every_app_of_the_project_has_a_layer():
    """A new app must be given its place in LAYERS before the layer test can judge it."""
    apps = {path.parent for path in ROOT.glob("portal/*/apps.py")}
    apps |= {path.parent for path in ROOT.glob("diagnostics/apps.py")}
    for app in apps:
        name = ".".join(app.relative_to(ROOT).parts)
        assert place_of(name).app == name, f"{name} is in no layer of LAYERS"
    # portal.lib has no AppConfig; the future apps are named already.
    named = {app for layer in LAYERS for app in layer}
    assert {"portal.lib", "portal.matching", "portal.advice", "portal.dashboards"} <= named
