"""Helpers shared by the CLI commands: finding the store, printing tables."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..store.errors import NotAStore
from .errors import CliError  # noqa: F401 - the command modules import it from here

if TYPE_CHECKING:
    from ..store import Store


class Subcommands(Protocol):
    """What a command module's `register` needs of `add_subparsers()`'s result: argparse names that class only
    privately (`_SubParsersAction`), so the commands depend on this shape instead."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


_NO_STORE = (
    "no store here: pass --store PATH, set WORKBENCH_STORE, run inside a store, "
    "or try the examples with `workbench demo`"
)


# An edit command holds the store lock from before it loads anything to after its commit: two edits
# never interleave, none loads what another is about to change, and one that cannot commit has written
# nothing (the store puts its files back). Edits queue for their turn for up to EDIT_WAIT seconds.
EDIT_WAIT = 120.0
_EDIT_LOCKS: ContextVar[list | None] = ContextVar("workbench_edit_locks", default=None)


def edits(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Mark a command that changes the store: `open_store` takes the store lock for the whole command."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        held: list = []
        token = _EDIT_LOCKS.set(held)
        try:
            return func(args)
        finally:
            _EDIT_LOCKS.reset(token)
            for lock in reversed(held):
                lock.release()

    return run


def open_store(args: argparse.Namespace) -> Store:
    store = _find_store(args)
    held = _EDIT_LOCKS.get()
    if held is not None:
        if not store.lock.acquire(wait=False):
            if sys.stderr.isatty():
                print(
                    f"workbench: waiting for another save to finish (pid {store.lock.holder() or '?'})", file=sys.stderr
                )
            store.lock.acquire(timeout=EDIT_WAIT)
        held.append(store.lock)
    store.cleanup_after_crash()  # what a killed save left behind (temporary files, stale git locks)
    for note in [*store.guard_notes, *store.crash_notes]:
        print(f"workbench: {note}", file=sys.stderr)
    return store


def open_store_root(args: argparse.Namespace) -> Path:
    """The store's folder, checked and cleaned after a crash like `open_store`, for read-only commands
    that never load an incident model or call git (`workbench search`): it imports neither."""
    from ..store import startup
    from ..store import layout
    from ..store.lock import StoreLock

    explicit = getattr(args, "store", None) or os.environ.get("WORKBENCH_STORE")
    root = Path(explicit).expanduser().resolve() if explicit else Path.cwd().resolve()
    try:
        startup.check_store(root)
        startup.check_git(root)
    except NotAStore:
        if explicit:
            raise
        raise CliError(_NO_STORE) from None
    if (root / "store.toml").exists():  # store settings (a private store's push guard): the full path
        return open_store(args).root
    git_dir = startup.git_dir_of(root)
    assert git_dir is not None  # check_git
    from ..store.boundary import ensure_excluded

    ensure_excluded(startup.common_dir_of(git_dir))  # as Store does: .workbench/ is ignored in every store
    done = startup.cleanup_after_crash(
        root, git_dir, StoreLock(root / layout.PRIVATE_DIR), lambda p: p.relative_to(root) if root in p.parents else p
    )
    for note in done.notes:
        print(f"workbench: {note}", file=sys.stderr)
    return root


def _find_store(args: argparse.Namespace) -> Store:
    from ..store import Store

    explicit = getattr(args, "store", None) or os.environ.get("WORKBENCH_STORE")
    if explicit:
        return Store(Path(explicit).expanduser())
    try:
        return Store(Path.cwd())
    except NotAStore:
        raise CliError(_NO_STORE) from None


def index_progress() -> Callable[[int, int], None] | None:
    """A first build of the search index (or a long catch-up) reported on one line of stderr, when stderr is a
    terminal: "indexing the store for search: 6,250/10,000 incidents". None otherwise (a pipe or a log gets
    no carriage returns)."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rindexing the store for search: {done:,}/{total:,} incidents", end=end, file=sys.stderr, flush=True)

    return report


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    widths[-1] = len(headers[-1]) if not rows else widths[-1]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
