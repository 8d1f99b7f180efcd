"""Search every incident and the taxonomy as you type: an inverted index kept in step with the files.

`SearchEngine` (engine.py) is the entry point; `text.py` says what is indexed and how it is weighted,
`segment.py` holds one immutable piece of the index, `cache.py` keeps it on disk between runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["Changes", "Hit", "SearchEngine", "SearchResult", "Span"]

if TYPE_CHECKING:
    from .engine import Changes, Hit, SearchEngine, SearchResult, Span


def __getattr__(name: str) -> Any:
    # The engine (numpy) loads on first use: the list's excerpts and the query language live here too
    # and must stay cheap to import.
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.engine"), name)
    globals()[name] = value
    return value
