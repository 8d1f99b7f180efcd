"""Team sync over git: the merge driver's registration, fetch + rebase + push, private stores, moves.

Git is the distributed engine; there is no server of our own. What a store's *tracked* files can do is
limited on purpose: `.gitattributes` only names the merge driver `workbench`; the program that runs for
it is set in the clone's own `.git/config` by `workbench init` / `workbench setup-merge` (git never
copies config through a clone), and `store.toml` can only make a store *more* restricted (private).
Nothing the workbench reads from tracked files is ever executed.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from git.exc import GitCommandError

from . import conflicts as conflict_records
from . import gitdirs, layout
from .boundary import Boundary
from .errors import RepoBusy, StoreError
from .privacy import STORE_FILE as STORE_FILE, is_private as is_private  # re-exported: sync.STORE_FILE is the old name
from .textio import atomic_write

if TYPE_CHECKING:
    from .store import Store  # store.py imports this module inside its functions

ATTRIBUTES = ".gitattributes"
ATTRIBUTE_LINE = f"{layout.INCIDENTS}/**/{layout.INCIDENT_FILE} merge=workbench"
DRIVER_NAME = "Postmortem Workbench: merge incident.toml entry by entry"

PRIVATE_TEXT = """# Postmortem Workbench store settings (tracked, so every clone of this store knows them).
# A private store keeps incidents that must not leave this machine: the workbench refuses to add a
# remote to it or push it. Move an incident to a team store, once it is redacted, with
# `workbench move ID --to STORE`.
private = true
"""


class PrivateStore(StoreError):
    pass


class SyncConflict(StoreError):
    def __init__(self, message: str, paths: list[str]):
        self.paths = paths
        super().__init__(message)


@dataclass
class SyncResult:
    messages: list[str] = field(default_factory=list)
    pushed: bool = False
    merged_by_driver: int = 0


# --------------------------------------------------------------------------------------- settings
def private_reason(root: Path) -> str:
    return (
        f"{root.name} is a private store ({STORE_FILE} says private = true): its incidents must not leave "
        "this machine, so it has no remote and is never pushed. To share an incident, redact it and "
        "move it to a team store with `workbench move ID --to STORE`"
    )


def mark_private(store: Store) -> None:
    root: Path = store.root
    atomic_write(root / STORE_FILE, PRIVATE_TEXT.encode())
    store.git.commit([STORE_FILE], "store: private: never add a remote or push")
    store.guard_notes = store.guard_private()


def driver_command() -> str:
    """What git runs for the driver: this Python, this package. Quoted for the shell git uses for it."""
    return f"{shlex.quote(sys.executable)} -m workbench merge-driver %O %A %B %P"


def setup_merge(store: Store, *, commit: bool = True) -> list[str]:
    """Register the merge driver: `.gitattributes` (tracked) names it; `.git/config` (local) defines it."""
    root: Path = store.root
    git = store.git
    notes = []
    git.repo.git.config("merge.workbench.name", DRIVER_NAME)
    git.repo.git.config("merge.workbench.driver", driver_command())
    notes.append(f"merge driver registered in .git/config: {driver_command()}")
    path = root / ATTRIBUTES
    existing = Boundary(root).read_text(path).text if os.path.lexists(path) else ""
    if ATTRIBUTE_LINE not in existing.splitlines():
        text = existing + ("\n" if existing and not existing.endswith("\n") else "") + ATTRIBUTE_LINE + "\n"
        with store.lock:
            atomic_write(path, text.encode())
            if commit:
                git.commit([ATTRIBUTES], "store: merge: incident.toml merges entry by entry")
        notes.append(f"{ATTRIBUTES}: {ATTRIBUTE_LINE}")
    return notes


def driver_registered(store: Store) -> bool:
    try:
        registered: str = store.git.repo.git.config("--get", "merge.workbench.driver")
        return registered.strip() == driver_command()
    except GitCommandError:
        return False


# ------------------------------------------------------------------------------------------- sync
def _git(store: Store, *args: str) -> str:
    env = {**os.environ, **store.git.identity_env(), "GIT_EDITOR": "true", "GIT_TERMINAL_PROMPT": "0"}
    out: str = store.git.repo.git.execute(["git", *args], env=env)
    return out


def upstream(store: Store) -> str | None:
    """`origin/main` for the current branch (also while a sync's rebase has HEAD detached)."""
    ref = ""
    git_dir: Path = store.git.git_dir
    for state in ("rebase-merge", "rebase-apply"):
        head_name = git_dir / state / "head-name"
        if head_name.is_file():
            ref = head_name.read_text().strip().removeprefix("refs/heads/")
    try:
        return _git(store, "rev-parse", "--abbrev-ref", "--symbolic-full-name", f"{ref}@{{upstream}}").strip() or None
    except GitCommandError:
        return None


def unmerged_paths(store: Store) -> list[str]:
    out = _git(store, "diff", "--name-only", "--diff-filter=U")
    return [line for line in out.splitlines() if line.strip()]


def refuse_if_private(store: Store, doing: str) -> None:
    root: Path = store.root
    if is_private(root):
        raise PrivateStore(f"cannot {doing}: {private_reason(root)}")


def add_remote(store: Store, name: str, url: str) -> None:
    refuse_if_private(store, "add a remote")
    try:
        _git(store, "remote", "add", "--", name, url)
    except GitCommandError as exc:
        raise StoreError(f"git remote add failed: {_detail(exc)}") from None


def sync(store: Store, *, resume: bool = False, abort: bool = False) -> SyncResult:
    """Fetch, rebase local commits onto the upstream, push. Conflicts stop it with a clear message."""
    refuse_if_private(store, "sync")
    store.check_writable("sync")
    result = SyncResult()
    git_dir: Path = store.git.git_dir
    rebasing = (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()
    if abort:
        if not rebasing:
            raise StoreError("no sync is in progress")
        _git(store, "rebase", "--abort")
        _forget_all(store)
        result.messages.append("sync aborted: the store is as it was before it")
        return result
    if rebasing and not resume:
        raise RepoBusy(
            "a sync stopped on conflicts: resolve them (`workbench conflicts`), then "
            "`workbench sync --continue`, or `workbench sync --abort`"
        )
    up = upstream(store)
    if up is None:
        raise StoreError(
            f"this store has no upstream branch to sync with (branch {store.git.branch()}). "
            "Add the team's remote and publish once: `git remote add origin URL` then "
            f"`git push -u origin {store.git.branch()}`"
        )
    if not driver_registered(store):
        result.messages.extend(setup_merge(store))
    remote, _, branch = up.partition("/")
    with store.lock:
        if resume:
            if not rebasing:
                raise StoreError("no sync is waiting to continue")
            _continue(store, result)
        else:
            try:
                _git(store, "fetch", "--quiet", remote)
            except GitCommandError as exc:
                raise StoreError(f"could not fetch from {remote}: {_detail(exc)}") from None
            _rebase(store, up, result)
        for attempt in (1, 2):
            try:
                _git(store, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
                result.pushed = True
                break
            except GitCommandError as exc:
                detail = _detail(exc)
                if attempt == 1 and ("rejected" in detail or "fetch first" in detail or "non-fast-forward" in detail):
                    _git(store, "fetch", "--quiet", remote)  # someone pushed in between: once more
                    _rebase(store, up, result)
                    continue
                raise StoreError(f"could not push to {remote}: {detail}") from None
    store.folders(refresh=True)
    result.messages.append(f"synced with {up}: up to date and pushed")
    return result


def _rebase(store: Store, up: str, result: SyncResult) -> None:
    before = _git(store, "rev-parse", "HEAD").strip()
    try:
        _git(store, "rebase", "--autostash", up)
    except GitCommandError as exc:
        _stopped(store, exc)
    after = _git(store, "rev-parse", "HEAD").strip()
    if before != after:
        result.messages.append(f"rebased your commits onto {up}")


def _continue(store: Store, result: SyncResult) -> None:
    left = unmerged_paths(store)
    if left:
        raise SyncConflict("still unresolved: " + ", ".join(left) + "; resolve them with `workbench resolve`", left)
    refuse_staged_markers(store)
    try:
        _git(store, "rebase", "--continue")
    except GitCommandError as exc:
        _stopped(store, exc)
    result.messages.append("conflicts resolved; rebase finished")


def _stopped(store: Store, exc: GitCommandError) -> None:
    paths = unmerged_paths(store)
    if not paths:
        raise StoreError(f"git rebase failed: {_detail(exc)}") from None
    recorded = {c.path for c in conflict_records.load_all(store.private_dir)}
    lines = []
    for path in paths:
        how = (
            "fields changed on both sides (see `workbench conflicts`)"
            if path in recorded
            else "changed on both sides; edit the file, then `git add` it"
        )
        lines.append(f"  {path}: {how}")
    raise SyncConflict(
        "sync stopped on conflicts:\n" + "\n".join(lines) + "\nResolve them (in the app or with "
        "`workbench resolve`), then `workbench sync --continue`; or `workbench sync --abort`.",
        paths,
    ) from None


def _forget_all(store: Store) -> None:
    for c in conflict_records.load_all(store.private_dir):
        conflict_records.forget(store.private_dir, c.incident_id)


def open_conflicts(store: Store) -> list[conflict_records.ConflictSet]:
    """Recorded conflicts still unmerged in git; records of conflicts settled some other way are dropped."""
    live = set(unmerged_paths(store))
    out = []
    for c in conflict_records.load_all(store.private_dir):
        if c.path in live:
            out.append(c)
        else:
            conflict_records.forget(store.private_dir, c.incident_id)
    return out


def resolve(store: Store, incident_id: str, choices: dict[str, str]) -> list[str]:
    """Apply the choices; when nothing is left, write the file and mark it resolved (`git add`)."""
    found = [c for c in open_conflicts(store) if c.incident_id == incident_id]
    if not found:
        raise StoreError(f"no open conflict for {incident_id!r}")
    conflict = found[0]
    unknown = set(choices) - set(conflict.field_names())
    if unknown:
        raise StoreError(
            f"not a conflicting field of {incident_id}: {', '.join(sorted(unknown))}; "
            f"the fields are: {', '.join(conflict.field_names())}"
        )
    data, left = conflict_records.resolved_text(conflict, choices)
    if left:
        return [c.field for c in left]
    root: Path = store.root
    atomic_write(root / conflict.path, data)
    _git(store, "add", "--", conflict.path)
    conflict_records.forget(store.private_dir, incident_id)
    return []


def refuse_staged_markers(store: Store) -> None:
    """Conflict markers are never committed: not by finishing a rebase or merge either (a file settled by
    hand and `git add`ed with its markers still in is refused, named with its line)."""
    staged = [line for line in _git(store, "diff", "--cached", "--name-only").splitlines() if line.strip()]
    store.git.refuse_conflict_markers(staged)


def waiting(store: Store) -> str | None:
    """'rebase' while a sync is stopped on conflicts, 'merge' while a merge is, else None."""
    return gitdirs.stopped(store.git_dirs.git_dir)


def finish(store: Store) -> SyncResult:
    """After the conflicts are resolved: the stopped sync goes on (rebase, commit, push), or a stopped
    merge (a `git pull` outside the workbench) is committed."""
    how = waiting(store)
    if how == "rebase":
        return sync(store, resume=True)
    if how != "merge":
        raise StoreError("no sync or merge is waiting to be finished")
    left = unmerged_paths(store)
    if left:
        raise SyncConflict("still unresolved: " + ", ".join(left), left)
    with store.lock:
        refuse_staged_markers(store)
        try:
            _git(store, "commit", "--no-edit", "--quiet")
        except GitCommandError as exc:
            raise StoreError(f"could not commit the merge: {_detail(exc)}") from None
    store.folders(refresh=True)
    return SyncResult(["conflicts resolved; merge committed"])


def _detail(exc: GitCommandError) -> str:
    return (exc.stderr or exc.stdout or str(exc)).strip().strip("'").strip()
