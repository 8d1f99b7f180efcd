"""Errors the store reports. Each names the file, and where known the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class StoreError(Exception):
    """Something the user can act on; the message says what and where."""


@dataclass(frozen=True)
class Problem:
    """One finding about a file: `file:line: field: message`."""

    path: Path
    message: str
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.field or '-'}: {self.message}"


class LoadError(StoreError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class NotAStore(StoreError):
    pass


class NotFound(StoreError):
    pass


class RepoBusy(StoreError):
    """The repository is mid-merge/rebase, or another process holds its lock."""


class OutsideEdit(StoreError):
    """The file changed on disk since it was loaded; saving would clobber someone's edit."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path} changed on disk since it was opened; reload or keep your version")


class CommitFailed(StoreError):
    """git refused the commit. The files written for it are put back as they were (nothing half-done)."""


class SaveFailed(StoreError):
    """The disk refused a write (ENOSPC, EIO, ...). The files on disk are as they were before the save;
    the edit is kept in `recovery` (a folder) when a copy could be written."""

    def __init__(self, message: str, recovery: Path | None = None):
        self.recovery = recovery
        super().__init__(message)


class ConflictMarkers(StoreError):
    """A file still holds git conflict markers; it is never committed like that."""
