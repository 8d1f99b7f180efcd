"""Evidence files inside an incident folder: copies that are atomic, paths that cannot escape, and
streamed SHA-256 digests (evidence may be large; it is never read into memory whole)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .boundary import open_source
from .errors import StoreError

_CHUNK = 1 << 20


def inside_folder(folder: Path, relative_path: str) -> Path:
    """`folder / relative_path`, refusing anything that would land outside the folder."""
    parts = relative_path.replace("\\", "/").split("/")
    if relative_path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise StoreError(f"{relative_path!r} is not a plain path inside the incident folder")
    target = folder.joinpath(*parts)
    if folder.resolve() not in target.resolve().parents:
        raise StoreError(f"{relative_path!r} points outside the incident folder")
    return target


def copy_file(source: Path, target: Path) -> None:
    """Copy through a temporary file in the target folder and rename: a reader never sees half a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, open_source(source) as src:  # never blocks on a FIFO
            shutil.copyfileobj(src, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
