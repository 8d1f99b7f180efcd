"""The store's git history. The only module (with its package) that imports git.

Everything goes through the git executable with argument lists (GitPython's `repo.git`), never a
shell string: it is ~7x faster than GitPython's pure-Python index at commit time on large stores,
and arguments cannot be reinterpreted by a shell.
"""

from __future__ import annotations

import getpass
import os
import socket
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from .boundary import Boundary
from .errors import CommitFailed, ConflictMarkers, NotAStore, RepoBusy, StoreError
from .gitlocks import clear_stale_locks
from .textio import MAX_FILE_BYTES, conflict_marker_line

# A split index: each git add/commit rewrites only the entries that changed, not the whole index (4 MB at
# 10,000 incidents). Measured at 10,000 incidents, add + commit of one folder: 164 -> 134 ms of CPU.
# index.version 4, core.untrackedCache and feature.manyFiles were measured too and did not help a save.
STORE_SETTINGS = {"core.splitIndex": "true"}

_FIELD = "\x1f"
_RECORD = "\x1e"
_LOG_FORMAT = _FIELD.join(["%H", "%an", "%ae", "%aI", "%s", "%b"]) + _RECORD


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    time: datetime
    subject: str
    body: str = ""
    paths: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:8]


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        try:
            self.repo = git.Repo(root, search_parent_directories=False)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise NotAStore(f"{root} is not a git repository; run `workbench init {root}` to make it a store") from None
        self._identity_env: dict[str, str] | None = None
        self._hooks_dir: Path | None = None
        self.lock_notes: list[str] = []

    @classmethod
    def init(cls, root: Path) -> GitRepo:
        git.Repo.init(root, initial_branch="main") if _supports_initial_branch() else git.Repo.init(root)
        return cls(root)

    # ------------------------------------------------------------------------------------- state
    @property
    def git_dir(self) -> Path:
        return Path(self.repo.git_dir)

    @property
    def common_dir(self) -> Path:
        """The folder that holds hooks and config, shared by every worktree of the repository."""
        return Path(self.repo.common_dir)

    def config_value(self, key: str) -> str | None:
        try:
            return self.repo.git.config("--get", key).strip() or None
        except GitCommandError:
            return None

    def busy_reason(self) -> str | None:
        """Why a commit cannot be made now, in words a person can act on."""
        gd = self.git_dir
        if (gd / "MERGE_HEAD").exists():
            return "the store is in the middle of a merge; finish it (`git merge --continue`) or abort it first"
        if (gd / "rebase-merge").exists() or (gd / "rebase-apply").exists():
            return "the store is in the middle of a rebase; finish it (`git rebase --continue`) or abort it first"
        if (gd / "CHERRY_PICK_HEAD").exists() or (gd / "REVERT_HEAD").exists():
            return "the store is in the middle of a cherry-pick or revert; finish or abort it first"
        return None

    # Nothing here asks GitPython for an object (`repo.head.commit`): that goes through one long-lived
    # `git cat-file --batch-check` process per repository, which is not safe to share between threads; a History
    # pane's log in a worker and the incident screen's branch on the event loop once left it waiting forever for
    # an answer the other thread had read (the app then hung at exit). Every git call here is its own process.
    def branch(self) -> str:
        try:
            return self.repo.active_branch.name
        except TypeError:
            sha = self._head_sha()
            return f"detached at {sha[:8]}" if sha else "no commits yet"
        except ValueError:
            return "no commits yet"

    def root_commit(self) -> str | None:
        """The oldest root commit's sha (the same in every clone), or None before the first commit."""
        try:
            roots = self.repo.git.rev_list("--max-parents=0", "HEAD").split()
        except GitCommandError:
            return None
        return roots[-1] if roots else None

    def has_commits(self) -> bool:
        return self._head_sha() is not None

    # ------------------------------------------------------------------------------------ commit
    def identity_env(self) -> dict[str, str]:
        """Author from the user's git config; a clear fallback where none is set (a fresh machine)."""
        if self._identity_env is None:
            env: dict[str, str] = {}
            name = self._config("user.name") or os.environ.get("GIT_AUTHOR_NAME")
            email = self._config("user.email") or os.environ.get("GIT_AUTHOR_EMAIL")
            if not name or not email:
                user = _login_name()
                env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = name or user
                env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = email or f"{user}@{socket.gethostname()}"
            self._identity_env = env
        return self._identity_env

    def identity(self) -> str:
        """`Name <email>` as commits are authored here: who added a piece of evidence."""
        env = self.identity_env()
        name = self._config("user.name") or os.environ.get("GIT_AUTHOR_NAME") or env.get("GIT_AUTHOR_NAME", "")
        email = self._config("user.email") or os.environ.get("GIT_AUTHOR_EMAIL") or env.get("GIT_AUTHOR_EMAIL", "")
        return f"{name} <{email}>" if email else name

    def _config(self, key: str) -> str:
        try:
            value: str = self.repo.git.config("--get", key)
            return value.strip()
        except GitCommandError:
            return ""

    def commit(self, paths: list[str], message: str, *, allow_empty: bool = False) -> Commit | None:
        """Stage and commit exactly `paths` (added, changed or removed) as one commit.

        Other staged or unstaged changes in the store are left alone. Returns None when the paths
        had nothing to commit. The returned Commit does not list its paths (use `log` for that).

        Usually git plumbing (add, diff-index, write-tree, commit-tree, update-ref): `git commit -- paths`
        rebuilds a temporary index from HEAD and re-checks every file of the store, which at 10,000
        incidents costs twice as much. `git commit` itself is used whenever the plumbing would not
        do exactly what it does: other changes staged, commit hooks present, an empty commit wanted,
        no commit yet, or HEAD moved meanwhile.
        """
        reason = self.busy_reason()
        if reason:
            raise RepoBusy(reason)
        self.refuse_conflict_markers(paths)
        env = {**os.environ, **self.identity_env()}
        for attempt in (1, 2):
            try:
                self.repo.git.add("-A", "--", *paths, env=env)
                made = self._commit_staged(paths, message, env, allow_empty)
                if made is _NOTHING:
                    return None
                if isinstance(made, Commit):
                    return made
                args = ["-q", "-m", message, "--no-verify"]
                if allow_empty:
                    args.append("--allow-empty")
                try:
                    self.repo.git.commit(*args, "--", *paths, env=env)
                except GitCommandError as exc:
                    # git commit exits 1 when the paths hold no change (an unchanged save): not an error.
                    if not allow_empty and exc.status == 1 and not _is_lock_error(exc) and not self._staged(paths, env):
                        return None
                    raise
                break
            except GitCommandError as exc:
                detail = _detail(exc)
                if ".lock" in detail:
                    # A lock left by a git process that was killed is removed (with a note) and the
                    # commit tried once more; a lock some running git holds means: busy.
                    notes = self.clear_stale_locks()
                    if attempt == 1 and any(n.startswith("removed") for n in notes):
                        continue
                    raise RepoBusy(
                        "another git process is using the store (a .git lock file exists); try again in a moment"
                    ) from None
                raise CommitFailed(f"git commit failed: {detail}") from None
        return self._read_head_commit() or self.head_commit()

    def unstage(self, paths: list[str]) -> None:
        """Best effort after a refused commit whose files were put back: the index forgets what `git add`
        staged for `paths` (a held index lock, or no commit yet, leaves it; the next add re-stages anyway)."""
        try:
            self.repo.git.reset("-q", "--", *paths)
        except GitCommandError:
            pass

    def _commit_staged(
        self, paths: list[str], message: str, env: dict[str, str], allow_empty: bool
    ) -> Commit | object | None:
        """Commit what `git add` just staged for `paths` with plumbing. _NOTHING when the paths hold no
        change; None when `git commit` must do it (see `commit`)."""
        if allow_empty or self._commit_hooks():
            return None
        parent = self._head_sha()
        if parent is None:
            return None
        staged = [
            p
            for p in self.repo.git.diff_index("--cached", "--name-only", "--no-renames", "-z", parent, env=env).split(
                "\0"
            )
            if p
        ]
        if any(not _under(p, paths) for p in staged):
            return None  # someone else's staged change: `git commit -- paths` leaves it staged
        if not staged:
            return _NOTHING
        text = _clean_message(message)
        tree = self.repo.git.write_tree(env=env).strip()
        sha = self.repo.git.commit_tree(tree, "-p", parent, "-m", text, env=env).strip()
        try:
            self.repo.git.update_ref("-m", f"commit: {text.split(chr(10), 1)[0]}", "HEAD", sha, parent, env=env)
        except GitCommandError as exc:
            if _is_lock_error(exc):
                raise
            return None  # HEAD moved since we read it: let git commit do it on top of the new HEAD
        self._gc_when_git_would()
        return self._read_head_commit() or self.head_commit()

    def _commit_hooks(self) -> bool:
        """Whether a hook that `git commit --no-verify` still runs (prepare-commit-msg, post-commit) exists."""
        if self._hooks_dir is None:
            configured = self.config_value("core.hooksPath")
            self._hooks_dir = self.root / Path(configured).expanduser() if configured else self.common_dir / "hooks"
        return any(os.access(self._hooks_dir / name, os.X_OK) for name in ("prepare-commit-msg", "post-commit"))

    def _head_sha(self) -> str | None:
        """HEAD's commit id from .git (a git process only when the ref is packed); None before the first commit."""
        try:
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not head.startswith("ref: "):
            return head if len(head) == 40 else None
        try:
            return (self.common_dir / head[5:]).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            pass  # a packed ref, or no commit yet
        except (OSError, UnicodeDecodeError):
            return None
        try:
            return self.repo.git.rev_parse("--verify", "-q", "HEAD").strip() or None
        except GitCommandError:
            return None

    def _gc_when_git_would(self) -> None:
        """`git commit` runs `git gc --auto` afterwards; so does the plumbing path, on git's own estimate
        (more than gc.auto/256 loose objects in objects/17), so loose objects do not pile up."""
        try:
            loose = len(os.listdir(self.common_dir / "objects" / "17"))
        except OSError:
            return
        if loose > 6700 // 256:
            try:
                self.repo.git.gc("--auto", "--quiet")
            except GitCommandError:
                pass

    def _staged(self, paths: list[str], env: dict[str, str]) -> bool:
        """Whether the index holds changes to `paths` that HEAD does not have."""
        try:
            self.repo.git.diff("--cached", "--quiet", "--", *paths, env=env)
        except GitCommandError as exc:
            if exc.status == 1:
                return True
            raise
        return False

    def _read_head_commit(self) -> Commit | None:
        """HEAD's commit read from .git (the loose ref and object `git commit` just wrote), without a git
        process; None when it is not there in that form (packed, another encoding): ask `git log` then."""
        try:
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
            common = self.common_dir
            sha = (common / head[5:]).read_text(encoding="ascii").strip() if head.startswith("ref: ") else head
            raw = zlib.decompress((common / "objects" / sha[:2] / sha[2:]).read_bytes())
            kind, _, body = raw.partition(b"\0")
            headers, _, text = body.partition(b"\n\n")
            if not kind.startswith(b"commit ") or b"\nencoding " in headers:
                return None
            author = next(line[7:] for line in headers.split(b"\n") if line.startswith(b"author "))
            who, stamp, zone = author.decode("utf-8").rsplit(" ", 2)
            name, _, email = who.partition(" <")
            sign = -1 if zone.startswith("-") else 1
            offset = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
            paragraphs = text.decode("utf-8").split("\n\n", 1)
            subject = " ".join(line.strip() for line in paragraphs[0].strip().split("\n"))
            body_text = paragraphs[1].strip() if len(paragraphs) > 1 else ""
            return Commit(sha, name, email.rstrip(">"), datetime.fromtimestamp(int(stamp), offset), subject, body_text)
        except (OSError, ValueError, StopIteration, zlib.error, IndexError, UnicodeDecodeError):
            return None

    def configure_durability(self) -> None:
        """Make git fsync what a commit writes (objects, refs, index), as the workbench does for its files:
        a power cut right after a save then loses neither the file nor its commit. Also the settings
        that keep a save quick in a large store (see STORE_SETTINGS)."""
        try:
            self.repo.git.config("core.fsync", "committed,index")
            self.repo.git.config("core.fsyncMethod", "fsync")
        except GitCommandError:  # an older git without these settings: its default behaviour
            pass
        for key, value in STORE_SETTINGS.items():
            try:
                self.repo.git.config(key, value)
            except GitCommandError:
                pass

    def clear_stale_locks(self) -> list[str]:
        """Remove git lock files that no running git process holds; what was done, in words."""
        self.lock_notes = clear_stale_locks(self.root, self.git_dir)
        return self.lock_notes

    def refuse_conflict_markers(self, paths: list[str]) -> None:
        """Never commit a file with git conflict markers in it (the commit path's last guard)."""
        for rel in paths:
            target = self.root / rel
            files = (
                [target]
                if target.is_file()
                else ([p for p in target.rglob("*") if p.is_file()] if target.is_dir() else [])
            )
            for path in files:
                if path.suffix not in {".toml", ".md", ".txt"} or path.is_symlink():
                    continue
                try:
                    line = conflict_marker_line(Boundary(self.root).read_bytes(path, MAX_FILE_BYTES))
                except (OSError, StoreError):  # refused at the store boundary: never read (validate says why)
                    continue
                if line is not None:
                    shown = path.relative_to(self.root).as_posix()
                    raise ConflictMarkers(
                        f"{shown}:{line}: git conflict markers are still in the file; "
                        "resolve the conflict before saving (nothing was committed)"
                    )

    def head_commit(self) -> Commit:
        out = self.repo.git.log("-1", f"--format={_LOG_FORMAT}", "--name-only")
        return _parse_log(out)[0]

    # ----------------------------------------------------------------------------------- history
    def log(self, pathspecs: list[str], limit: int | None = None) -> list[Commit]:
        if not self.has_commits():
            return []
        args = [f"--format={_LOG_FORMAT}", "--name-only"]
        if limit:
            args.append(f"-{limit}")
        return _parse_log(self.repo.git.log(*args, "--", *pathspecs))

    def show_bytes(self, rev: str, path: str) -> bytes | None:
        try:
            out = self.repo.git.show(f"{rev}:{path}", stdout_as_string=False, strip_newline_in_stdout=False)
        except GitCommandError:
            return None
        return out if isinstance(out, bytes) else out.encode()

    def commit_diff(self, rev: str, pathspecs: list[str]) -> str:
        diff: str = self.repo.git.show(rev, "--format=", "--patch", "--no-color", "--", *pathspecs)
        return diff

    def tracked(self, path: str) -> bool:
        return bool(self.repo.git.ls_files("--", path).strip())

    def verify_rev(self, rev: str) -> str:
        try:
            sha: str = self.repo.git.rev_parse("--verify", f"{rev}^{{commit}}")
            return sha.strip()
        except GitCommandError:
            raise NotAStore(f"{rev!r} is not a commit of this store") from None

    def fsck(self) -> str:
        report: str = self.repo.git.fsck("--full")
        return report


_NOTHING = object()  # _commit_staged: the paths hold no change


def _under(path: str, specs: list[str]) -> bool:
    return any(path == spec or path.startswith(spec.rstrip("/") + "/") for spec in specs)


def _clean_message(text: str) -> str:
    """The message as `git commit` stores it (its default "whitespace" cleanup), without the final newline."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _detail(exc: GitCommandError) -> str:
    return (exc.stderr or exc.stdout or str(exc)).strip().strip("'").strip()


def _is_lock_error(exc: GitCommandError) -> bool:
    return ".lock" in _detail(exc)


def _parse_log(out: str) -> list[Commit]:
    """Parse `git log --format=<fields>\x1e --name-only`.

    Each chunk between record separators starts with the previous commit's paths (one a line),
    followed by the next commit's fields.
    """
    commits: list[Commit] = []
    pending: list[str] | None = None
    for chunk in out.split(_RECORD):
        lines = chunk.split("\n")
        first_field = next((i for i, line in enumerate(lines) if _FIELD in line), len(lines))
        paths = [line.strip() for line in lines[:first_field] if line.strip()]
        if commits and pending is not None:
            last = commits[-1]
            commits[-1] = Commit(last.sha, last.author, last.email, last.time, last.subject, last.body, tuple(paths))
        record = "\n".join(lines[first_field:])
        fields = record.split(_FIELD)
        if len(fields) < 6:
            pending = None
            continue
        sha, author, email, when, subject, body = fields[:6]
        commits.append(Commit(sha.strip(), author, email, datetime.fromisoformat(when), subject, body.strip()))
        pending = []
    return commits


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "workbench-user"


def _supports_initial_branch() -> bool:
    try:
        major, minor = git.Git().version_info[:2]
    except Exception:
        return False
    return (major, minor) >= (2, 28)
