"""Reading a postmortem file: the one place the importer touches the file system.

Kept to a single small function so that a store-wide boundary for outside files (regular files only,
a size limit) can be routed through here without touching the parsing.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ...store import StoreError

MAX_BYTES = 2 * 1024 * 1024  # a long postmortem is ~30 KB; anything near this is not one


class SourceProblem(StoreError):
    pass


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a markdown file, refusing what is not a regular file, too big, or not UTF-8."""
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceProblem(f"{path}: not a regular file; import reads one markdown file")
    if info.st_size > max_bytes:
        raise SourceProblem(f"{path}: {info.st_size:,} bytes is more than the {max_bytes:,} a postmortem may have")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # it grew between the stat and the read
        raise SourceProblem(f"{path}: more than the {max_bytes:,} bytes a postmortem may have")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceProblem(f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 and import again") \
            from None
