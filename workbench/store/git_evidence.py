"""Read the history of *any* git repository as evidence (deploys, config changes, merges, tags).

Kept in the store layer because only `workbench/store` imports git. Reads with GitPython's object
model (no working-tree access, nothing written): commits, merges and tags within a time window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from .errors import StoreError


@dataclass(frozen=True)
class GitEvent:
    kind: str  # "commit" | "merge" | "tag"
    time: datetime  # UTC
    sha: str
    subject: str
    author: str
    ref: str = ""  # the tag name, or the branch a commit was found on
    files: tuple[str, ...] = ()


def _open(path: Path) -> git.Repo:
    try:
        return git.Repo(path, search_parent_directories=False)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise StoreError(f"{path} is not a git repository") from None


def head_revision(path: Path) -> str:
    repo = _open(path)
    try:
        return repo.head.commit.hexsha
    except ValueError:
        raise StoreError(f"{path} has no commits yet") from None


def read_history(
    path: Path, since: datetime | None = None, until: datetime | None = None, rev: str = "--all", max_count: int = 5000
) -> list[GitEvent]:
    """Commits (by committer time) and tags of `path` in [since, until], oldest first."""
    repo = _open(path)
    try:
        _ = repo.head.commit  # raises ValueError in a repository with no commit yet
    except ValueError:
        return []
    kwargs: dict[str, Any] = {"max_count": max_count}
    if since is not None:
        kwargs["since"] = since.astimezone(timezone.utc).isoformat()
    if until is not None:
        kwargs["until"] = until.astimezone(timezone.utc).isoformat()
    events: list[GitEvent] = []
    try:
        commits = list(repo.iter_commits(rev if rev != "--all" else None, all=rev == "--all", **kwargs))
    except GitCommandError as exc:
        raise StoreError(f"{path}: cannot read history ({(exc.stderr or '').strip()})") from None
    for commit in commits:
        when = commit.committed_datetime.astimezone(timezone.utc)
        subject = str(commit.message).strip().splitlines()[0] if str(commit.message).strip() else "(no message)"
        kind = "merge" if len(commit.parents) > 1 else "commit"
        files: tuple[str, ...] = ()
        if kind == "commit":
            files = tuple(sorted(str(f) for f in commit.stats.files))[:20]
        events.append(GitEvent(kind, when, commit.hexsha, subject, str(commit.author.name or ""), files=files))
    for tag in repo.tags:
        try:
            target = tag.commit
        except ValueError:
            continue
        annotated = tag.tag
        if annotated is not None:
            when = datetime.fromtimestamp(annotated.tagged_date, timezone.utc)
            message = (annotated.message or "").strip().splitlines()
            author = str(annotated.tagger.name or "") if annotated.tagger else ""
        else:
            when = target.committed_datetime.astimezone(timezone.utc)
            message, author = [], str(target.author.name or "")
        if (since and when < since) or (until and when > until):
            continue
        subject = message[0] if message else str(target.message).strip().splitlines()[0]
        events.append(GitEvent("tag", when, target.hexsha, subject, author, ref=tag.name))
    events.sort(key=lambda e: (e.time, e.kind != "tag"))
    return events
