"""Where a store's git folder is, found without GitPython.

A store opens at every start, and importing GitPython costs ~0.7 s; a start needs only the git folder (for
stale lock files and `.git/info/exclude`). Only the plain layout is recognised here: `<store>/.git` a real
folder holding objects/, refs/ and HEAD, as `git init` and `git clone` make it. Anything else (a linked
worktree's `.git` file, a `.git` link, GIT_OBJECT_DIRECTORY) gives None, and the store asks GitPython, whose
verdict, paths and messages then stay the only ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GitDirs:
    git_dir: Path  # the repository's own folder (HEAD, index, lock files)
    common_dir: Path  # config, hooks, info/exclude: shared by every worktree (the same folder here)


def locate(root: Path) -> GitDirs | None:
    """The git folders of the work tree at `root` (resolved) in the plain layout, else None."""
    if "GIT_OBJECT_DIRECTORY" in os.environ:
        return None
    dot_git = os.path.join(root, ".git")
    if os.path.islink(dot_git) or not os.path.isdir(dot_git):
        return None
    if not (os.path.isdir(os.path.join(dot_git, "objects")) and os.path.isdir(os.path.join(dot_git, "refs"))):
        return None
    head = os.path.join(dot_git, "HEAD")
    if os.path.islink(head) or not os.path.isfile(head) or os.path.exists(os.path.join(dot_git, "commondir")):
        return None
    return GitDirs(Path(dot_git), Path(dot_git))


def branch(git_dir: Path) -> str | None:
    """The branch HEAD names (`ref: refs/heads/<name>`), None when HEAD is detached or unreadable."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    prefix = "ref: refs/heads/"
    return head[len(prefix) :] if head.startswith(prefix) and len(head) > len(prefix) else None


def stopped(git_dir: Path) -> str | None:
    """'rebase' while a rebase is stopped (a sync on conflicts), 'merge' while a merge is, else None."""
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        return "rebase"
    if (git_dir / "MERGE_HEAD").exists():
        return "merge"
    return None
