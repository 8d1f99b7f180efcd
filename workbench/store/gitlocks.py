"""Stale git lock files left by a git process that was killed (a crash, a power cut, kill -9).

git refuses to work while `.git/index.lock` exists. A lock is stale only when no git process could be
holding it: on Linux, no process named git* has its working folder in the store (read from /proc);
where /proc is missing, the lock must also be older than a git command could run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

STALE_AFTER = 120.0  # seconds; used only where /proc cannot tell us who is running
_PROC = Path("/proc")


def lock_files(git_dir: Path) -> list[Path]:
    # index.lock, next-index-<pid>.lock (a commit of chosen paths), HEAD.lock, packed-refs.lock ...
    found = list(git_dir.glob("*.lock"))
    refs = git_dir / "refs"
    if refs.is_dir():
        found.extend(refs.rglob("*.lock"))
    return [p for p in found if p.is_file()]


def git_processes_in(root: Path) -> list[int] | None:
    """Pids of git processes working in `root` (or below it); None when /proc cannot say."""
    if not (_PROC / "self" / "cwd").exists():
        return None
    root = root.resolve()
    pids = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            if not comm.startswith("git"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
            if state in {"Z", "X"}:  # a dead process waiting to be reaped holds no files
                continue
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # gone, or not ours to read
            continue
        if cwd == root or root in cwd.parents:
            pids.append(int(entry.name))
    return pids


def clear_stale_locks(root: Path, git_dir: Path) -> list[str]:
    """Remove lock files no git process holds; one message per lock, removed or kept (and why)."""
    locks = lock_files(git_dir)
    if not locks:
        return []
    pids = git_processes_in(root)
    messages = []
    for lock in locks:
        name = lock.relative_to(git_dir.parent) if git_dir.parent in lock.parents else lock
        if pids:
            messages.append(f"kept {name}: git is running in the store (pid {', '.join(map(str, pids))})")
            continue
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            continue
        if pids is None and age < STALE_AFTER:
            messages.append(f"kept {name}: it is {age:.0f}s old and running processes cannot be checked here")
            continue
        try:
            lock.unlink()
        except FileNotFoundError:
            continue
        messages.append(f"removed a stale {name} left by a git process that was stopped (none is running now)")
    return messages
