"""The store's taxonomy for the UI: read and indexed once, re-read only when taxonomy.toml changes
on disk (a taxonomy edit elsewhere shows up without a restart). Loaded from worker threads, so the
first `t` never makes typing wait for the disk."""

from __future__ import annotations

import threading
from pathlib import Path

from ..services.taxonomy.search import TaxonomyIndex
from ..store import Store
from ..store.layout import TAXONOMY

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], TaxonomyIndex]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def load_index(store: Store) -> TaxonomyIndex:
    """The index of the store's taxonomy; raises StoreError/OSError with the file and line when unreadable.
    Call it from a worker thread: a cold load parses TOML and validates every mode."""
    path = store.root / TAXONOMY
    stamp = _stamp(path)
    with _lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    index = TaxonomyIndex(store.load_taxonomy())
    with _lock:
        _cache[path] = (stamp, index)
    return index


def cached_index(store: Store) -> TaxonomyIndex | None:
    """The index if it is already loaded (whatever its age), without touching the disk: for drawing."""
    with _lock:
        hit = _cache.get(store.root / TAXONOMY)
    return hit[1] if hit else None
