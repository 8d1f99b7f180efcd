"""Layers go one way: ui -> cli -> services -> store -> domain. Checked by importing in a fresh
interpreter (what a CI run or `workbench validate` really loads) and by reading the sources (ast)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"


def loaded_modules(*imports: str) -> set[str]:
    code = "import sys, json\n" + "".join(f"import {m}\n" for m in imports) + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_the_non_tui_layers_never_import_textual() -> None:
    modules = loaded_modules(
        "workbench.services", "workbench.store", "workbench.domain", "workbench.cli", "workbench.cli.store_cmds"
    )
    assert not {m for m in modules if m == "textual" or m.startswith("textual.")}
    assert "workbench.cli" in modules  # the import did happen


def test_running_the_cli_parser_does_not_import_textual() -> None:
    code = (
        "import sys, json\nfrom workbench.cli import build_parser\nbuild_parser()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert not [m for m in json.loads(out) if m.split(".")[0] == "textual"]


def test_the_domain_alone_loads_no_io_libraries() -> None:
    modules = loaded_modules(
        "workbench.domain.model",
        "workbench.domain.ids",
        "workbench.domain.taxonomy",
        "workbench.domain.narrative",
        "workbench.domain.changes",
    )
    for banned in ("git", "tomlkit", "tomllib", "textual", "workbench.store", "workbench.services"):
        assert banned not in modules, banned


def imports_of(path: Path) -> set[str]:
    """Top-level names a module imports, with relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
                out.add(name)
                if not node.module:
                    out.update(f"{name}.{alias.name}" for alias in node.names)
            else:
                out.add(node.module or "")
    return out


SOURCES = sorted(p for p in PACKAGE.rglob("*.py"))


def layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0] if len(path.relative_to(PACKAGE).parts) > 1 else "top"


def test_there_are_sources_to_check() -> None:
    assert {layer(p) for p in SOURCES} >= {"domain", "store", "services", "cli"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_layer_rules_hold_in_the_source(path: Path) -> None:
    names = imports_of(path)
    roots = {n.split(".")[0] for n in names}
    here = layer(path)
    if here != "store":
        assert "git" not in roots, "only workbench/store imports git"
    if here != "ui":
        assert "textual" not in roots or here == "cli", "only workbench/ui imports textual"
    if here == "domain":
        banned = {"git", "tomlkit", "tomllib", "tomli_w", "textual", "subprocess", "shutil", "tempfile"}
        assert not roots & banned, f"the domain does no I/O: {roots & banned}"
        assert not any(
            n.startswith(("workbench.store", "workbench.services", "workbench.cli", "workbench.ui")) for n in names
        )
    if here == "store":
        assert not any(n.startswith(("workbench.services", "workbench.cli", "workbench.ui")) for n in names)
    if here == "services":
        assert not any(n.startswith(("workbench.cli", "workbench.ui")) for n in names)


def test_the_cli_imports_textual_only_inside_functions() -> None:
    """The TUI command may import the UI lazily; no cli module imports it at module level."""
    for path in (PACKAGE / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] == "textual" or ".ui" in f".{n}" for n in names), path


# --- Feature packages: services/<feature>/ says what it holds; other code uses only what it exports. ---

SERVICES = PACKAGE / "services"
FEATURES = sorted(p.name for p in SERVICES.iterdir() if (p / "__init__.py").is_file())


def exported(package: Path) -> set[str]:
    """The names a package's `__init__` lists in `__all__` (read from the source, so nothing is imported)."""
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def module_of(name: str) -> Path | None:
    """The file or package folder a dotted workbench name is, if it is one."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else None


def feature_imports(path: Path, source: str | None = None) -> list[tuple[str, str | None]]:
    """(module, name) pairs this file imports from services: `name` is None for `import module`."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if path.name == "__init__.py":
        package = package[:-1]
    out: list[tuple[str, str | None]] = []
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            out.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            out.extend((target, alias.name) for alias in node.names)
    return [(m, n) for m, n in out if m.startswith("workbench.services")]


def private_reach(path: Path, source: str | None = None) -> list[str]:
    """Imports of another feature's private parts: a module or name starting with `_`, or a submodule (or a
    name from a package's `__init__`) that the package does not list in `__all__`."""
    parts = path.relative_to(SERVICES).parts if path.is_relative_to(SERVICES) else ()
    home = parts[0] if len(parts) > 1 else None  # the feature this file belongs to
    problems: list[str] = []
    for module, name in feature_imports(path, source):
        steps = module.split(".")[2:]  # below workbench.services
        if not steps or steps[0] == home:
            continue
        if name is not None and module_of(f"{module}.{name}") is not None:
            steps, name = [*steps, name], None  # `from package import submodule`
        where = SERVICES
        for step in steps:
            if step.startswith("_") or (where != SERVICES and step not in exported(where)):
                problems.append(f"{module}{'.' + name if name else ''}: {step} is private to {where.name}/")
                break
            where = where / step
        else:
            if name is not None and (
                name.startswith("_") or ((where / "__init__.py").is_file() and name not in exported(where))
            ):
                problems.append(f"{module}.{name}: not exported by {where.name}/__init__.py")
    return problems


def test_services_is_feature_packages_and_two_shared_modules() -> None:
    loose = sorted(p.stem for p in SERVICES.glob("*.py") if p.name != "__init__.py")
    assert loose == ["bundled", "clock"], "a service module belongs in the feature package it serves"
    assert {"review", "report", "learning", "taxonomy", "evidence", "search", "importing"} <= set(FEATURES)


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_package_says_what_it_holds_and_what_it_exports(feature: str) -> None:
    package = SERVICES / feature
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"services/{feature}/__init__.py needs a docstring saying what it holds"
    names = exported(package)
    assert names, f"services/{feature}/__init__.py lists its public names in __all__"
    defined = {
        n
        for node in tree.body
        if isinstance(node, (ast.ImportFrom, ast.Import))
        for n in (a.asname or a.name for a in node.names)
    }
    defined |= {
        t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }
    defined |= {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    for name in names:  # every exported name is a submodule or is defined (or lazily provided) here
        lazy = "__getattr__" in defined and name not in defined
        assert module_of(f"workbench.services.{feature}.{name}") or name in defined or lazy, (feature, name)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_reaches_into_another_features_private_modules(path: Path) -> None:
    assert not private_reach(path)


def test_the_private_module_rule_catches_a_reach() -> None:
    """The rule above is not vacuous: reaching into a module search does not export is caught, a public one is not."""
    probe = SERVICES / "learning" / "probe.py"  # never written: the source is given
    problems = private_reach(
        probe,
        "from ..search.segment import CorruptSegment\nfrom ..search import _private\n"
        "from ..review.stages import criteria\nfrom .stats import compute_stats\n",
    )
    assert problems == [
        "workbench.services.search.segment.CorruptSegment: segment is private to search/",
        "workbench.services.search._private: not exported by search/__init__.py",
    ]


# --- The UI's modules import in one direction: panes never import the screen that holds them. ---

UI = PACKAGE / "ui"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def ui_import_graph() -> dict[str, set[str]]:
    """Module -> the ui modules it imports, counting every import: module level, inside functions and under
    TYPE_CHECKING (a type-only import still ties the two modules together for a reader)."""
    modules = {module_name(p): p for p in UI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for target in imports_of(path):
            if target in modules and target != name:
                edges.add(target)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set(), "g": {"g"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d", "e"]]


def test_the_ui_has_no_import_cycle() -> None:
    graph = ui_import_graph()
    assert "workbench.ui.screens.incident" in graph and graph["workbench.ui.screens.incident"]
    assert cycles(graph) == []


def test_panes_never_import_a_screen() -> None:
    """Panes post messages (panes/base.py) and the incident screen handles them; the one screen a pane
    opens itself is the review meeting, which knows nothing of the incident screen."""
    graph = ui_import_graph()
    for module, targets in graph.items():
        if module.startswith("workbench.ui.panes"):
            screens = {t for t in targets if t.startswith("workbench.ui.screens.")}
            assert screens <= {"workbench.ui.screens.meeting"}, (module, screens)
