"""Files <-> models: TOML/markdown I/O, atomic writes and git history. The only layer that imports git."""

from .errors import (CommitFailed, ConflictMarkers, LoadError, NotAStore, NotFound, OutsideEdit, Problem, RepoBusy,
                     SaveFailed, StoreError)
from .lock import StoreBusy
from .gitrepo import Commit
from .store import IncidentRecord, LoadResult, Store, message

__all__ = [
    "Commit", "CommitFailed", "ConflictMarkers", "SaveFailed", "StoreBusy", "IncidentRecord", "LoadError", "LoadResult", "NotAStore", "NotFound",
    "OutsideEdit", "Problem", "RepoBusy", "Store", "StoreError", "message",
]
