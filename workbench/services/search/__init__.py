"""Search every incident and the taxonomy as you type: an inverted index kept in step with the files.

`SearchEngine` (engine.py) is the entry point; `text.py` says what is indexed and how it is weighted,
`segment.py` holds one immutable piece of the index, `cache.py` keeps it on disk between runs.
"""

from .engine import Changes, Hit, SearchEngine, SearchResult, Span

__all__ = ["Changes", "Hit", "SearchEngine", "SearchResult", "Span"]
