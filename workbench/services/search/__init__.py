"""Search every incident and the taxonomy as you type: an inverted index kept in step with the files.

`SearchEngine` (engine.py) is the entry point; `text.py` says what is indexed and how it is weighted,
`segment.py` holds one immutable piece of the index, `cache.py` keeps it on disk between runs,
`extract.py` reads incident folders for it (in worker processes).
Public beside the engine: `excerpt.py` (light excerpts of incidents for lists and filters), `listing.py` (the
list's first rows read from the index on disk before the engine opens) and `query.py` (the query language:
filters plus free text).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    **dict.fromkeys(["Changes", "Hit", "SearchResult", "Span"], "hits"),
    "SearchEngine": "engine",
    "CorruptSegment": "docs",
}

__all__ = [
    "CorruptSegment",
    "Changes",
    "Hit",
    "SearchEngine",
    "SearchResult",
    "Span",
    "engine",
    "excerpt",
    "listing",
    "oneshot",
    "query",
]

if TYPE_CHECKING:
    from .docs import CorruptSegment
    from .engine import SearchEngine
    from .hits import Changes, Hit, SearchResult, Span


def __getattr__(name: str) -> Any:
    # The engine (numpy) loads on first use: the list's excerpts and the query language live here too
    # and must stay cheap to import.
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
