"""Reading and writing text files the way a person left them, and atomically.

Encoding quirks are kept: a UTF-8 BOM and CRLF line endings found on read are written back,
so an unchanged file round-trips byte for byte.

Writes go through `os.open/os.write/os.fsync/os.replace` directly (not buffered file objects) so that
every step that can fail on a failing disk is one visible call, and tests can inject ENOSPC/EIO there.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import LoadError, Problem

BOM = "\ufeff"
MAX_FILE_BYTES = 4 * 1024 * 1024  # an incident is a few KB; a 4 MB one is a mistake, not a postmortem
TMP_SUFFIX = ".tmp"  # every temporary file is `.<name>.<random>.tmp`: never a name a person would use

# A git conflict: a `<<<<<<< ` line, later a `=======` line, later a `>>>>>>> ` line. All three are
# required, so a markdown setext heading underline (`=======`) alone is not mistaken for one.
_CONFLICT_RE = re.compile(r"^<{7}(?: .*)?$.*?^={7}$.*?^>{7}(?: .*)?$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class TextFile:
    text: str  # with "\n" line endings and no BOM
    bom: bool = False
    crlf: bool = False
    sha256: str = ""

    def encode(self, text: str | None = None) -> bytes:
        body = self.text if text is None else text
        if self.crlf:
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        return ((BOM if self.bom else "") + body).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def conflict_marker_line(data: bytes | str) -> int | None:
    """The line of the first git conflict block in `data`, or None when there is none."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n")
    match = _CONFLICT_RE.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def decode(data: bytes, path: Path) -> TextFile:
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError([Problem(path, f"not valid UTF-8 (byte {exc.start}); opened read-only", line)]) from None
    bom = raw.startswith(BOM)
    if bom:
        raw = raw[1:]
    # CRLF only when every line ends so: a file with mixed endings keeps them as they are
    # (the text holds its "\r\n"s), instead of having every line rewritten on save.
    crlf = "\r\n" in raw and raw.count("\n") == raw.count("\r\n")
    return TextFile(raw.replace("\r\n", "\n") if crlf else raw, bom, crlf, sha256(data))


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES, *, label: Path | None = None) -> TextFile:
    """Read and decode a text file, refusing one over `max_bytes` before reading it.

    `label` is the path to name in problems (the store shows paths relative to its root).
    """
    shown = label if label is not None else path
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise LoadError([Problem(shown, f"file is {size:,} bytes; the limit is {max_bytes:,}")])
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we read it
        raise LoadError([Problem(shown, f"file is over the limit of {max_bytes:,} bytes")])
    return decode(data, shown)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: temporary file in the same folder, fsync, rename, fsync the folder.

    A crash at any moment leaves either the old file or the new one, never a truncated mix. An error
    at any step (ENOSPC, EIO, ...) is raised after putting things back: the temporary file is removed
    and, when the folder fsync fails after the rename, the original is renamed back into place, so
    the target keeps its original bytes whenever this raises.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=folder)
    backup: str | None = None
    replaced = False
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.exists():
            # A second name for the original, so a failed folder fsync can put it back.
            backup = str(folder / f".{path.name}.{secrets.token_hex(4)}.old{TMP_SUFFIX}")
            try:
                os.link(path, backup)
            except OSError:  # a filesystem without hard links: no undo for the last step, still atomic
                backup = None
        os.replace(tmp, path)
        replaced = True
        fsync_dir(folder)
    except BaseException:
        if replaced and backup is not None:
            try:
                os.replace(backup, path)
                backup = None
            except OSError:
                pass
        elif replaced:
            _unlink_quietly(str(path))  # it did not exist before this write
        _unlink_quietly(tmp)
        if backup is not None:
            _unlink_quietly(backup)
        raise
    if backup is not None:
        _unlink_quietly(backup)


def _unlink_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TMP_SUFFIX) and name.count(".") >= 3


def remove_stray_temp_files(folder: Path | str, older_than: float = 0.0) -> list[Path]:
    """Temporary files left by a save that was killed before it finished.

    Only called while holding the store lock, so no save of ours is writing them at the time.
    os.scandir, not Path.glob: this runs for every incident folder at start.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        with os.scandir(folder) as it:
            candidates = [e for e in it if e.name.endswith(TMP_SUFFIX) and is_temp_name(e.name)]
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in candidates:
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime >= older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue
    return removed
