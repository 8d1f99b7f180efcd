"""What every command does first, kept light: is this a store, and what did a killed save leave behind.

No GitPython and no domain models here, so that a read-only command (`workbench search`) can start
without them (~0.3 s of imports); `Store` uses the same functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .errors import NotAStore
from .gitlocks import clear_stale_locks, lock_files
from .lock import StoreLock
from .textio import remove_stray_temp_files


def check_store(root: Path) -> None:
    """Raise NotAStore unless `root` has a store's layout (taxonomy.toml or incidents/)."""
    if not (root / layout.TAXONOMY).is_file() and not (root / layout.INCIDENTS).is_dir():
        raise NotAStore(
            f"{root} is not a workbench store (no taxonomy.toml or incidents/); create one with `workbench init {root}`"
        )


def git_dir_of(root: Path) -> Path | None:
    """`<root>/.git`, or where a `.git` file (a worktree, a submodule) points; None when neither."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        text = dot_git.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("gitdir:"):
        return None
    target = Path(text[len("gitdir:") :].strip())
    return target if target.is_absolute() else (root / target).resolve()


def common_dir_of(git_dir: Path) -> Path:
    """The folder shared by every worktree (info/exclude, hooks, config): `commondir` when git_dir has one."""
    try:
        pointer = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    target = Path(pointer)
    return target if target.is_absolute() else (git_dir / target).resolve()


def check_git(root: Path) -> None:
    if git_dir_of(root) is None:
        raise NotAStore(f"{root} is not a git repository; run `workbench init {root}` to make it a store")


def incident_dirs(root: Path) -> list[str]:
    """Every folder at incidents/<YYYY>/<MM>/<name>, in one os.scandir walk (pathlib's glob is ~10x slower
    at 10,000 incidents: this runs at every start)."""
    out: list[str] = []
    for year in _subdirs(os.path.join(root, layout.INCIDENTS)):
        for month in _subdirs(year):
            out.extend(_subdirs(month))
    return out


def _subdirs(path: str) -> list[str]:
    try:
        with os.scandir(path) as it:
            return [e.path for e in it if e.is_dir(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


@dataclass
class Cleanup:
    removed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was done (or why not), in words
    lock_notes: list[str] = field(default_factory=list)  # the git lock part of `notes`
    ran: bool = False  # False when skipped: another process or thread held the store lock


def cleanup_after_crash(root: Path, git_dir: Path, lock: StoreLock, display: Callable[[Path], Path]) -> Cleanup:
    """Remove the temporary files a killed save left (in the store's top folders, and in every incident
    folder when the lock file says its last holder was killed mid-save) and git lock files no running git
    holds. Skipped, with a note, while another process or thread holds the store lock (it may be saving).

    Saves to incident folders only happen under the store lock, so without the marker no incident folder
    can hold a half-written file, and the walk of every folder (~0.1 s at 10,000 incidents) is skipped."""
    try:
        if not lock.acquire(wait=False):
            return Cleanup(
                notes=["a save to this store is in progress (another process or thread); crash cleanup skipped"]
            )
    except OSError:  # a read-only store: nothing of ours can have been left half-written there
        return Cleanup()
    try:
        done = Cleanup(ran=True)
        folders = [str(root), os.path.join(root, layout.INCIDENTS)]
        if lock.interrupted():
            folders.extend(incident_dirs(root))
        for folder in folders:
            done.removed.extend(remove_stray_temp_files(folder))
        if done.removed:
            done.notes.append(
                f"removed {len(done.removed)} temporary file(s) left by an interrupted save: "
                + ", ".join(str(display(p)) for p in done.removed[:5])
            )
        before = set(lock_files(git_dir))
        done.lock_notes = clear_stale_locks(root, git_dir)
        done.notes.extend(done.lock_notes)
        done.removed.extend(p for p in before if not p.exists())
        return done
    finally:
        lock.release()
