"""`workbench` command line. Non-TUI commands never import Textual (fast start, usable in CI)."""

from __future__ import annotations

import argparse
import importlib
import sys

from ..store import StoreError
from .common import CliError

# Each module adds its subcommands with `register(subparsers)`; one line here per module.
COMMAND_MODULES = [
    "workbench.cli.store_cmds",
    "workbench.cli.lint_cmds",
    "workbench.cli.review_cmds",
    "workbench.cli.taxonomy_cmds",
    "workbench.cli.report_cmds",
    "workbench.cli.learning_cmds",
    "workbench.cli.sync_cmds",
    "workbench.cli.search_cmds",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A keyboard-driven workbench for blameless postmortems of AI/ML/LLM incidents, kept in git.",
    )
    parser.add_argument("--store", metavar="PATH", help="the store to use (default: $WORKBENCH_STORE, or the "
                        "current directory when it is a store)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        from .store_cmds import cmd_open

        args.func = cmd_open
    try:
        return int(args.func(args) or 0)
    except (CliError, StoreError, FileNotFoundError, FileExistsError) as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
