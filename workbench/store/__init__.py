"""Files <-> models: TOML/markdown I/O, atomic writes and git history. The only layer that imports git.

The names below load on first use (PEP 562): `from workbench.store.startup import ...` or the errors
must not pull in GitPython and the domain models (~0.3 s) for a command that needs neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    **dict.fromkeys(
        [
            "CommitFailed",
            "ConflictMarkers",
            "LoadError",
            "NotAStore",
            "NotFound",
            "OutsideEdit",
            "Problem",
            "ReadOnlyStore",
            "RepoBusy",
            "SaveFailed",
            "StoreError",
        ],
        "errors",
    ),
    "StoreBusy": "lock",
    "MemoryStore": "memory",
    "StoreProtocol": "protocol",
    "Commit": "gitrepo",
    **dict.fromkeys(["IncidentRecord", "LoadResult", "Store"], "store"),
    "message": "writes",
    "atomic_write": "textio",  # the one way anything is written (the app's own settings too): whole or not at all
}

__all__ = [
    "Commit",
    "CommitFailed",
    "ConflictMarkers",
    "SaveFailed",
    "StoreBusy",
    "IncidentRecord",
    "LoadError",
    "LoadResult",
    "MemoryStore",
    "NotAStore",
    "NotFound",
    "StoreProtocol",
    "OutsideEdit",
    "Problem",
    "ReadOnlyStore",
    "RepoBusy",
    "Store",
    "StoreError",
    "atomic_write",
    "message",
]

if TYPE_CHECKING:
    from .errors import (
        CommitFailed,
        ConflictMarkers,
        LoadError,
        NotAStore,
        NotFound,
        OutsideEdit,
        Problem,
        ReadOnlyStore,
        RepoBusy,
        SaveFailed,
        StoreError,
    )
    from .gitrepo import Commit
    from .lock import StoreBusy
    from .memory import MemoryStore
    from .protocol import StoreProtocol
    from .store import IncidentRecord, LoadResult, Store
    from .writes import message
    from .textio import atomic_write


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
