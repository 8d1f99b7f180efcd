"""The store boundary: every read and write of store content passes through here.

A store is a git repository anyone may have committed to, so its files are untrusted input. Before a
byte is read or written this module refuses, with one line naming the path:

- a path that leaves the store: checked on the resolved path, so a linked year folder, incident folder
  or `postmortem.md` pointing outside is caught, and the link that leaves is named;
- anything that is not a regular file (a FIFO, a device, a socket, a folder): `stat` before `open`,
  and the open itself is non-blocking, so a FIFO swapped in between cannot hang a command;
- a file over the size cap, before reading or hashing it (a FIFO or /dev/zero has no end);
- `.workbench` (cache, journal, lock) when it is not a real folder inside the store.

Files a person hands to a command from outside the store (`evidence add FILE`, `import FILE`) are read
with the same regular-file and size checks (`read_source`, `digest_source`), without the inside check.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from . import layout
from .errors import LoadError, Problem
from .textio import MAX_FILE_BYTES, TextFile, decode

_CHUNK = 1 << 20
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(LoadError):
    """The store boundary refused a path. A LoadError with one problem, so a refused file is listed
    like any other file that will not load (`validate`, `list`, the start screen's red rows)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        self.problems = [Problem(self.path, reason)]
        Exception.__init__(self, f"{path}: {reason}")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a link"
    return "not a regular file"


def _regular_fd(path: str, label: Path | str, max_bytes: int | None) -> int:
    """An fd open for reading on a regular file of at most `max_bytes`; refused otherwise. Never blocks."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Refused(label, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(label, f"is {kind_of(st.st_mode)}, not a regular file; refused")
    if max_bytes is not None and st.st_size > max_bytes:
        raise Refused(label, f"is {st.st_size:,} bytes; the limit is {max_bytes:,}")
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP: it became a link after the stat; ENXIO: a socket
        raise Refused(label, f"cannot be opened: {exc.strerror or exc}; refused") from None
    try:
        st = os.fstat(fd)  # what was opened, not what was stat'ed a moment ago
        if not stat.S_ISREG(st.st_mode):
            raise Refused(label, f"is {kind_of(st.st_mode)}, not a regular file; refused")
        if max_bytes is not None and st.st_size > max_bytes:
            raise Refused(label, f"is {st.st_size:,} bytes; the limit is {max_bytes:,}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: reads are plain reads again
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_fd(fd: int, label: Path | str, max_bytes: int | None) -> bytes:
    with os.fdopen(fd, "rb") as handle:
        data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we read it
        raise Refused(label, f"is over the limit of {max_bytes:,} bytes")
    return data


def _digest_fd(fd: int, label: Path | str, max_bytes: int | None) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise Refused(label, f"is over the limit of {max_bytes:,} bytes")
    return h.hexdigest(), size


# ---------------------------------------------------------------------- files from outside the store
# A person may name a link (a `current.log` pointing at today's file): it is followed, then the file it
# leads to must be a regular file like any other.
def read_source(path: Path, max_bytes: int | None = MAX_FILE_BYTES, *, label: Path | str | None = None) -> bytes:
    """A file a person named on the command line: a regular file of at most `max_bytes`, or refused."""
    return _read_fd(_regular_fd(os.path.realpath(path), label or path, max_bytes), label or path, max_bytes)


def digest_source(path: Path, max_bytes: int | None = None, *, label: Path | str | None = None) -> tuple[str, int]:
    """(sha256, size) of a regular file, refused before hashing when it is not one or is over `max_bytes`."""
    return _digest_fd(_regular_fd(os.path.realpath(path), label or path, max_bytes), label or path, max_bytes)


def open_source(path: Path, max_bytes: int | None = None, *, label: Path | str | None = None) -> BinaryIO:
    """A binary file object on a regular file a person named (for streaming copies); refused like `read_source`."""
    return os.fdopen(_regular_fd(os.path.realpath(path), label or path, max_bytes), "rb")


def check_source(path: Path, max_bytes: int | None = None, *, label: Path | str | None = None) -> int:
    """The size of a regular file a person named, refused like `read_source` without reading it."""
    fd = _regular_fd(os.path.realpath(path), label or path, max_bytes)
    try:
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------ store content
class Boundary:
    """Reads and writes inside one store. `root` is the store's resolved folder."""

    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))
        self._prefix = str(self.root).rstrip(os.sep) + os.sep

    def label(self, path: Path) -> Path:
        """Paths in messages are relative to the store: short, and the same on every machine."""
        try:
            return Path(path).relative_to(self.root)
        except ValueError:
            return Path(path)

    def _full(self, path: Path | str) -> Path:
        path = Path(path)
        return path if path.is_absolute() else self.root / path

    def is_inside(self, resolved: str) -> bool:
        return resolved == str(self.root) or resolved.startswith(self._prefix)

    def resolve(self, path: Path | str) -> str:
        """The real path of `path`, refused when it (or a folder on the way) leads outside the store."""
        full = self._full(path)
        resolved = os.path.realpath(full)
        if self.is_inside(resolved):
            return resolved
        raise Refused(self.label(full), self._why_outside(full, resolved))

    def _why_outside(self, full: Path, resolved: str) -> str:
        try:
            parts = full.relative_to(self.root).parts
        except ValueError:
            return "is outside the store; refused"
        current = self.root
        for part in parts:  # name the first link on the way that leaves the store
            current = current / part
            if os.path.islink(current):
                target = os.path.realpath(current)
                if not self.is_inside(target):
                    what = "" if current == full else f"{self.label(current)} "
                    return f"{what}is a link to {target}, outside the store; refused"
        return f"leads to {resolved}, outside the store; refused"

    def exists(self, path: Path | str) -> bool:
        """Whether anything is at `path` (a link, a FIFO too: reading it then says why it is refused)."""
        return os.path.lexists(self._full(path))

    def read_bytes(self, path: Path | str, max_bytes: int | None = MAX_FILE_BYTES) -> bytes:
        full = self._full(path)
        label = self.label(full)
        return _read_fd(_regular_fd(self.resolve(full), label, max_bytes), label, max_bytes)

    def read_text(self, path: Path | str, max_bytes: int | None = MAX_FILE_BYTES) -> TextFile:
        full = self._full(path)
        return decode(self.read_bytes(full, max_bytes), self.label(full))

    def read_prefix(self, path: Path | str, max_bytes: int) -> tuple[bytes, int]:
        """At most `max_bytes` of a regular file inside the store, and its whole size (read-only viewer)."""
        full = self._full(path)
        fd = _regular_fd(self.resolve(full), self.label(full), None)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(max_bytes), os.fstat(handle.fileno()).st_size

    def digest(self, path: Path | str, max_bytes: int | None = None) -> tuple[str, int]:
        full = self._full(path)
        label = self.label(full)
        return _digest_fd(_regular_fd(self.resolve(full), label, max_bytes), label, max_bytes)

    def check_folder(self, folder: Path | str) -> None:
        """A folder (an incident's) must resolve inside the store."""
        self.resolve(folder)

    def check_write(self, path: Path | str) -> Path:
        """`path` may be written: its folder resolves inside the store, and whatever is there now is a
        regular file (an atomic write replaces it; a link or a FIFO is refused, never replaced)."""
        full = self._full(path)
        self.resolve(full.parent)
        if os.path.lexists(full):
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                self.resolve(full)  # a link leaving the store is named as such
                raise Refused(self.label(full), "is a link; the workbench writes only regular files; refused")
            if not stat.S_ISREG(st.st_mode):
                raise Refused(self.label(full), f"is {kind_of(st.st_mode)}, not a regular file; refused")
        return full

    def private_dir(self, create: bool = True) -> Path:
        """`.workbench/` (caches, journal, recovery, lock): a real folder inside the store, or refused."""
        return private_dir(self.root, create)


def private_dir(root: Path, create: bool = True) -> Path:
    """`<root>/.workbench`, refused when it is a link or not a folder: a committed `.workbench` link
    would otherwise send the cache and the lock wherever it points."""
    path = Path(root) / layout.PRIVATE_DIR
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if create:
            path.mkdir(exist_ok=True)
        return path
    if stat.S_ISLNK(st.st_mode):
        raise Refused(
            layout.PRIVATE_DIR,
            f"is a link to {os.path.realpath(path)}; the workbench keeps its cache, "
            "journal and lock only in a real folder inside the store: remove the link and run again",
        )
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(
            layout.PRIVATE_DIR,
            f"is {kind_of(st.st_mode)}, not a folder; the workbench keeps its "
            "cache, journal and lock there: remove it and run again",
        )
    # Its own folders and the lock must not be links either (a `.workbench/cache` link committed with
    # `git add -f` would send the index out of the store). Two small folders: a few stat calls.
    for folder in (path, path / "cache"):
        try:
            with os.scandir(folder) as entries:
                linked = [e for e in entries if e.is_symlink()]
        except (FileNotFoundError, NotADirectoryError):
            continue
        if linked:
            shown = Path(layout.PRIVATE_DIR) / Path(linked[0].path).relative_to(path)
            raise Refused(
                shown,
                f"is a link to {os.path.realpath(linked[0].path)}; the workbench keeps its cache, "
                "journal and lock only in real folders inside the store: remove the link and run again",
            )
    return path


# ------------------------------------------------------------------------- git's ignore rule for us
EXCLUDE_RULE = f"/{layout.PRIVATE_DIR}/"


def ensure_excluded(common_dir: Path) -> bool:
    """Add `/.workbench/` to `.git/info/exclude` when it is not there: every store gets it, whoever made
    it (a plain `git init`, a clone), so `git add -A` never commits the lock or the caches. True when
    the rule was added. Quietly does nothing where git's folder cannot be written (a read-only store)."""
    info = Path(common_dir) / "info"
    exclude = info / "exclude"
    try:
        existing = exclude.read_bytes().decode("utf-8", "replace") if exclude.is_file() else ""
    except OSError:
        return False
    if any(
        line.strip() in (EXCLUDE_RULE, EXCLUDE_RULE.rstrip("/"), f"{layout.PRIVATE_DIR}/", layout.PRIVATE_DIR)
        for line in existing.splitlines()
    ):
        return False
    text = existing + ("\n" if existing and not existing.endswith("\n") else "")
    text += f"# Postmortem Workbench: caches, journal and lock stay local\n{EXCLUDE_RULE}\n"
    try:
        info.mkdir(parents=True, exist_ok=True)
        from .textio import atomic_write

        atomic_write(exclude, text.encode("utf-8"))
    except OSError:
        return False
    return True
