"""Helpers shared by the CLI commands: finding the store, printing tables."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..store import NotAStore, Store


class CliError(Exception):
    pass


def open_store(args: argparse.Namespace) -> Store:
    store = _find_store(args)
    store.cleanup_after_crash()  # what a killed save left behind (temporary files, stale git locks)
    for note in [*store.guard_notes, *store.crash_notes]:
        print(f"workbench: {note}", file=sys.stderr)
    return store


def _find_store(args: argparse.Namespace) -> Store:
    explicit = getattr(args, "store", None) or os.environ.get("WORKBENCH_STORE")
    if explicit:
        return Store(Path(explicit).expanduser())
    try:
        return Store(Path.cwd())
    except NotAStore:
        raise CliError(
            "no store here: pass --store PATH, set WORKBENCH_STORE, run inside a store, "
            "or try the examples with `workbench demo`"
        ) from None


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    widths[-1] = len(headers[-1]) if not rows else widths[-1]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
