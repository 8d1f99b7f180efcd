"""Reading and writing text files the way a person left them, and atomically.

Encoding quirks are kept: a UTF-8 BOM and CRLF line endings found on read are written back,
so an unchanged file round-trips byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, StoreError

BOM = "\ufeff"
MAX_FILE_BYTES = 4 * 1024 * 1024  # an incident is a few KB; a 4 MB one is a mistake, not a postmortem


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


def decode(data: bytes, path: Path) -> TextFile:
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StoreError(str(Problem(path, f"not valid UTF-8 (byte {exc.start}); opened read-only", line))) from None
    bom = raw.startswith(BOM)
    if bom:
        raw = raw[1:]
    crlf = "\r\n" in raw
    return TextFile(raw.replace("\r\n", "\n") if crlf else raw, bom, crlf, sha256(data))


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> TextFile:
    size = path.stat().st_size
    if size > max_bytes:
        raise StoreError(str(Problem(path, f"file is {size:,} bytes; the limit is {max_bytes:,}")))
    return decode(path.read_bytes(), path)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: temporary file in the same folder, fsync, rename, fsync the folder.

    A crash at any moment leaves either the old file or the new one, never a truncated mix.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stray_temp_files(folder: Path) -> list[Path]:
    """Temporary files left by a save that was killed before its rename."""
    removed = []
    for tmp in folder.glob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink()
            removed.append(tmp)
    return removed
