"""The project's module graph, read from the source with ``ast`` (nothing is imported).

A module is every ``.py`` file under the given packages, migrations included: they are
code that runs, and their dependencies on other apps' migrations are real. An edge
``source → target`` is one *reference* of ours to another module of ours, of one of
three kinds:

- ``import``: an ``import`` or ``from … import`` statement anywhere in the file (module
  level or inside a function or method), relative imports resolved, or a call to
  ``importlib.import_module`` / ``import_string`` / ``__import__`` with a constant path.
  ``from package import name`` points at ``package.name`` when that is a module, else at
  ``package``.
- ``string``: any other string constant that is a dotted path to one of our modules, or
  to a module and a name defined at its top level: AppConfig attributes, Celery task
  names, settings (``"diagnostics.resume"``, a signing salt, names nothing and is no
  reference).
- ``model``: a lazy model reference ``"app_label.Model"`` (foreign keys, migrations), and
  a migration dependency ``("app_label", "0001_name")``; both point at that app's models
  or migration module.

Parent packages: importing ``a.b.c`` also runs ``a/__init__`` and ``a/b/__init__``, but
that is not counted as an edge. Only what a file names counts, so a package whose
``__init__`` imports its submodules is no cycle on its own; it is one only when a
submodule in turn names the package (``from a.b import x`` in ``a/b/c.py``), which is
an import of the package's ``__init__`` and counts.

The cycle test uses the ``import`` edges (a string or a model reference is resolved at
run time, after every module has loaded, so it cannot make an import loop; enqueueing a
Celery task by name is the way to call up without importing). The layer test uses all
three kinds: a lower app must not even name a higher one.
"""

import ast
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

IMPORT_FUNCTIONS = {"import_module", "import_string", "__import__"}
IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"


@dataclass(frozen=True, order=True)
class Reference:
    source: str
    target: str
    kind: str  # "import", "string" or "model"
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} → {self.target} ({self.kind})"


@dataclass(frozen=True)
class Module:
    name: str
    path: Path  # relative to the root it was found under
    is_package: bool
    tree: ast.Module


def find_modules(root: Path, packages: Iterable[str]) -> dict[str, Module]:
    """Every module of ``packages`` (dotted names of directories under ``root``)."""
    modules = {}
    for package in packages:
        directory = root.joinpath(*package.split("."))
        for path in sorted(directory.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            modules[name] = Module(name, path.relative_to(root), is_package, tree)
    return modules


class _Resolver:
    def __init__(self, modules: dict[str, Module]):
        self.modules = modules
        self.prefixes = {name.split(".")[0] for name in modules}
        self.dotted = re.compile(
            rf"(?:{'|'.join(map(re.escape, sorted(self.prefixes)))})(?:\.{IDENTIFIER})+"
        )
        self.labels = self._app_labels()

    def _app_labels(self) -> dict[str, str]:
        """App label → app package, from each ``apps.py``'s AppConfig ``name``/``label``."""
        labels = {}
        for module in self.modules.values():
            if not module.name.endswith(".apps") and module.name != "apps":
                continue
            for node in ast.walk(module.tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                values = {
                    target.id: statement.value.value
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)
                    for target in statement.targets
                    if isinstance(target, ast.Name)
                }
                if "name" in values:
                    name = values["name"]
                    labels[values.get("label", name.rpartition(".")[2])] = name
        return labels

    def module(self, dotted: str) -> str | None:
        """The longest prefix of ``dotted`` that is one of our modules."""
        while dotted:
            if dotted in self.modules:
                return dotted
            dotted = dotted.rpartition(".")[0]
        return None

    def string(self, value: str) -> str | None:
        """The module a dotted-path string names (itself, or its module + one attribute)."""
        if not self.dotted.fullmatch(value):
            return None
        found = self.module(value)
        if found == value:
            return found
        attribute = value.rpartition(".")[2]
        if found is None or value.rpartition(".")[0] != found:
            return None
        return found if attribute in self._top_level_names(found) else None

    def _top_level_names(self, module: str) -> set[str]:
        """The names a module defines or imports at its top level."""
        names = set()
        for node in self.modules[module].tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        return names

    def model_reference(self, value: str) -> str | None:
        """The models module an ``"app_label.Model"`` string points at."""
        label, dot, model = value.partition(".")
        if not dot or label not in self.labels or not re.fullmatch(IDENTIFIER, model):
            return None
        models = self.module(f"{self.labels[label]}.models")
        if models is None or model.lower() not in self._model_names(models):
            return None
        return models

    def migration(self, label: str, name: str) -> str | None:
        if label not in self.labels:
            return None
        migration = f"{self.labels[label]}.migrations.{name}"
        return migration if migration in self.modules else None

    def _model_names(self, models: str) -> set[str]:
        names = set()
        for candidate, module in self.modules.items():
            if candidate == models or candidate.startswith(models + "."):
                names |= {
                    node.name.lower()
                    for node in ast.walk(module.tree)
                    if isinstance(node, ast.ClassDef)
                }
        return names


def _imported(module: Module, node: ast.AST, resolver: _Resolver) -> list[str]:
    if isinstance(node, ast.Import):
        return [found for alias in node.names if (found := resolver.module(alias.name))]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    targets = []
    for alias in node.names:
        if f"{base}.{alias.name}" in resolver.modules:
            targets.append(f"{base}.{alias.name}")
        elif found := resolver.module(base):
            targets.append(found)
    return targets


def _called_name(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def references(modules: dict[str, Module]) -> list[Reference]:
    """Every reference from one of ``modules`` to another (never to itself)."""
    resolver = _Resolver(modules)
    found = set()
    for module in modules.values():
        path = str(module.path)
        import_strings = set()
        pairs = set()

        def add(target, kind, node, module=module, path=path):
            if target and target != module.name:
                found.add(Reference(module.name, target, kind, path, node.lineno))

        for node in ast.walk(module.tree):
            for target in _imported(module, node, resolver):
                add(target, "import", node)
            if isinstance(node, ast.Call) and _called_name(node) in IMPORT_FUNCTIONS:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    import_strings.add(id(first))
                    add(resolver.module(first.value), "import", node)
            if (
                isinstance(node, ast.Tuple)
                and len(node.elts) == 2
                and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
                )
            ):
                label, name = (e.value for e in node.elts)
                if migration := resolver.migration(label, name):
                    pairs.update(id(e) for e in node.elts)
                    add(migration, "model", node)
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in import_strings or id(node) in pairs:
                continue
            add(resolver.string(node.value), "string", node)
            add(resolver.model_reference(node.value), "model", node)
    return sorted(found)


def import_cycles(found: Iterable[Reference]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others
    (strongly connected components of more than one module), counting ``import``
    references only."""
    graph = defaultdict(set)
    for reference in found:
        if reference.kind == "import":
            graph[reference.source].add(reference.target)
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    # Tarjan's algorithm, iteratively, so a long chain cannot hit the recursion limit.
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return sorted(groups)


def cycle_path(found: Iterable[Reference], group: list[str]) -> list[Reference]:
    """One loop through ``group``, as the references that make it, for a readable failure."""
    inside = set(group)
    edges = defaultdict(list)
    for reference in sorted(found):
        if (
            reference.kind == "import"
            and reference.source in inside
            and reference.target in inside
        ):
            edges[reference.source].append(reference)
    start = group[0]
    # Breadth-first search from start back to start.
    paths = {start: []}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for reference in edges[node]:
            if reference.target == start:
                return [*paths[node], reference]
            if reference.target not in paths:
                paths[reference.target] = [*paths[node], reference]
                queue.append(reference.target)
    return []
