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
    modules = loaded_modules("workbench.services", "workbench.store", "workbench.domain", "workbench.cli",
                             "workbench.cli.store_cmds")
    assert not {m for m in modules if m == "textual" or m.startswith("textual.")}
    assert "workbench.cli" in modules  # the import did happen


def test_running_the_cli_parser_does_not_import_textual() -> None:
    code = ("import sys, json\nfrom workbench.cli import build_parser\nbuild_parser()\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert not [m for m in json.loads(out) if m.split(".")[0] == "textual"]


def test_the_domain_alone_loads_no_io_libraries() -> None:
    modules = loaded_modules("workbench.domain.model", "workbench.domain.ids", "workbench.domain.taxonomy",
                             "workbench.domain.narrative", "workbench.domain.changes")
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
        assert not any(n.startswith(("workbench.store", "workbench.services", "workbench.cli", "workbench.ui"))
                       for n in names)
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
