"""How the index tells what changed on disk without reading the files, shared by the engine and the one-shot
reader (no numpy here): the incident folders' parents' mtimes (a new, removed or renamed incident folder changes
its month folder's), and when a stat is too recent to trust."""

from __future__ import annotations

import os
import time
from pathlib import Path

RACY_NS = 2_000_000_000  # files changed this close to being read are hashed again next time


def now_ns() -> int:
    return time.time_ns()


def subfolders(path: str) -> list[str]:
    try:
        with os.scandir(path) as it:
            return sorted(e.name for e in it if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return []


def dir_states(root: Path | str) -> dict[str, int]:
    """mtime_ns of incidents/ and of its year and month folders (-1 when too recent to trust: a change
    within the clock's granularity would not show)."""
    out: dict[str, int] = {}
    now = now_ns()
    base = os.path.join(root, "incidents")
    for rel, path in [("incidents", base)] + [(f"incidents/{y}", os.path.join(base, y)) for y in subfolders(base)]:
        _stat_dir(out, rel, path, now)
        if rel != "incidents":
            for month in subfolders(path):
                _stat_dir(out, f"{rel}/{month}", os.path.join(path, month), now)
    return out


def _stat_dir(out: dict[str, int], rel: str, path: str, now: int) -> None:
    try:
        mtime = os.stat(path).st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return
    out[rel] = -1 if now - mtime < RACY_NS else mtime
