"""Reading a postmortem file: the one place the importer touches the file system.

Through the store boundary's reader for files a person names (regular files only, opened without
blocking, size checked before reading), with the store's own size limit: import never commits what the
store could not load back.
"""

from __future__ import annotations

from pathlib import Path

from ....store import StoreError
from ....store.boundary import Refused
from ....store.boundary import read_source as read_regular_file
from ....store.textio import MAX_FILE_BYTES

MAX_BYTES = MAX_FILE_BYTES  # a long postmortem is ~30 KB; the store refuses to load a narrative over this


class SourceProblem(StoreError):
    pass


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a markdown file, refusing what is not a regular file, too big, or not UTF-8."""
    try:
        data = read_regular_file(path, max_bytes)
    except Refused as exc:
        reason = exc.reason
        if "bytes; the limit is" in reason or "over the limit" in reason:
            reason += ": the store could not load a postmortem that large; split it or trim it first"
        raise SourceProblem(f"{path}: {reason}") from None
    except OSError as exc:
        raise SourceProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceProblem(f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 and import again") from None
