"""Where the persistent index lives and its format version: shared by `cache.py` (the index) and
`listing.py` (the list's first rows), which must not import numpy to learn them."""

from __future__ import annotations

from pathlib import Path

FORMAT_VERSION = 7  # 4: excerpts carry started_at, follow-up dates and load problems; 5: learning profiles;
# 6: the file table as columns (files-*.npy + files-*.paths) and folder mtimes, documents decoded row by row;
# 7: "unchecked", a base whose second pass (validation, learning profiles) has not run yet
CACHE_SUBDIR = Path(".workbench") / "cache" / "search"


def segment_name_ok(name: str) -> bool:
    """A segment folder name this cache writes (never a path elsewhere)."""
    return name.startswith("seg-") and "/" not in name and "\\" not in name and ".." not in name
