"""References between apps made in templates, for the layer test.

A template under ``templates/<app>/`` (the folder named after an app's package, as
``templates/catalogue/`` for ``portal.catalogue``) belongs to that app. It references
another app when it links to one of its URLs (``{% url "catalogue:…" %}``: the
namespace is the ``app_name`` of that app's URLconf), loads one of its template-tag
libraries (``{% load curation %}``), or includes or extends one of its templates.
Python code references an app's templates by naming them (``"catalogue/offer.html"``).

The templates outside the apps' folders (``base.html``, ``home.html``, ``includes/``,
``errors/``, ``emails/``, ``admin/``) are the site's shared layout: the header's
navigation and the home page's ways in name every app, so they are part of the
composition root and are not checked; an app's template may use them.
"""

import ast
import re
from pathlib import Path

from tests.architecture.imports import Module, Reference

TAG = re.compile(r"\{%\s*(url|load|include|extends)\s+(.*?)\s*%\}", re.S)
QUOTED = re.compile(r"""^["']([^"']+)["']""")


def _app_packages(modules: dict[str, Module], apps: list[str]) -> dict[str, str]:
    """Template folder → app package: the last part of each app's name."""
    return {app.rpartition(".")[2]: app for app in apps}


def _url_namespaces(modules: dict[str, Module]) -> dict[str, str]:
    """URL namespace (``app_name``) → the module that sets it."""
    namespaces = {}
    for module in modules.values():
        for node in module.tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "app_name" for t in node.targets)
                and isinstance(node.value, ast.Constant)
            ):
                namespaces[node.value.value] = module.name
    return namespaces


def _tag_libraries(modules: dict[str, Module]) -> dict[str, str]:
    """Template-tag library name → its module."""
    return {
        name.rpartition(".")[2]: name
        for name in modules
        if name.rpartition(".")[0].endswith(".templatetags")
    }


def template_references(
    root: Path, modules: dict[str, Module], apps: list[str]
) -> list[Reference]:
    """Every reference an app's template, or a Python module, makes to an app's URLs,
    tag libraries or templates. Source and target are app packages (the source of a
    Python one is its module)."""
    folders = _app_packages(modules, apps)
    namespaces = _url_namespaces(modules)
    libraries = _tag_libraries(modules)

    def template_app(name: str) -> str | None:
        return folders.get(name.split("/")[0]) if "/" in name else None

    found = set()
    for path in sorted((root / "templates").rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(root / "templates").as_posix()
        source = template_app(relative)
        if source is None:
            continue
        text = path.read_text(encoding="utf-8")
        for match in TAG.finditer(text):
            tag, argument = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            targets = []
            if tag == "url" and (quoted := QUOTED.match(argument)):
                namespace = quoted.group(1).partition(":")[0]
                targets = [namespaces.get(namespace)]
            elif tag == "load":
                words = argument.split()
                if "from" in words:
                    words = words[words.index("from") + 1 :]
                targets = [libraries.get(word) for word in words]
            elif quoted := QUOTED.match(argument):
                targets = [template_app(quoted.group(1))]
            for target in filter(None, targets):
                reference = Reference(source, target, "template", f"templates/{relative}", line)
                found.add(reference)
    for module in modules.values():
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z_]+/[\w/.-]+\.(html|txt)(#\w+)?", node.value)
                and (target := template_app(node.value))
            ):
                found.add(
                    Reference(module.name, target, "template", str(module.path), node.lineno)
                )
    return sorted(found)
