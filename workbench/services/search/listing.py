"""The incident list's first rows, read straight from the index on disk before the index itself is opened.

Opening the index (`SearchEngine.open`) imports numpy, reads the file table and stats 20,000 files to catch up
with changes: about half a second of CPU at 10,000 incidents, all before the list could show a row. The
excerpts a list needs are already on disk, one JSON row per document in each segment's `docs.json`; this
reads them with one JSON parse, no numpy and no per-file stat. What it returns is the list as the index
last saw it: the caller shows it at once and checks it against the opened index (`key` says which state
it came from, `SearchEngine.state_key` the state the index is in) before trusting it further.

Nothing here writes, and anything unexpected (no index yet, another format version, a segment removed
meanwhile, a damaged row) gives None: the list then waits for the index, as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ...store.boundary import private_dir
from ...store.errors import StoreError
from .cache_format import CACHE_SUBDIR, FORMAT_VERSION, segment_name_ok
from .excerpt import Excerpt

# Base segment, delta segment, dead base documents, and the base segment while a first build's second pass
# (validation: the load problems the list reports) has not run on it; "" when there is none.
StateKey = tuple[str, str, frozenset[int], str]


@dataclass(frozen=True)
class Listing:
    excerpts: list[Excerpt]  # live incidents (no taxonomy modes), newest first, as `SearchEngine.excerpts`
    key: StateKey


def read_listing(root: Path) -> Listing | None:
    """The live incident excerpts of the index on disk, or None when they cannot be read as they are."""
    try:
        private_dir(root, create=False)  # a `.workbench` link is refused here as the index refuses it
        folder = Path(root) / CACHE_SUBDIR
        head = orjson.loads((folder / "manifest.json").read_bytes())
        if not isinstance(head, dict) or head.get("format") != FORMAT_VERSION:
            return None
        base, delta = str(head["base"]), str(head["delta"] or "")
        dead = frozenset(int(d) for d in head["dead"])
        if not segment_name_ok(base) or (delta and not segment_name_ok(delta)):
            return None
        out = _live(_rows(folder / base), dead)
        if delta:
            out += _live(_rows(folder / delta), frozenset())
    except (OSError, ValueError, KeyError, TypeError, StoreError):  # orjson's decode error is a ValueError
        return None
    out.sort(key=lambda e: (e.started, e.id), reverse=True)
    return Listing(out, (base, delta, dead, str(head.get("unchecked") or "")))


def _rows(segment: Path) -> list[Any]:
    rows = orjson.loads((segment / "docs.json").read_bytes())
    if not isinstance(rows, list):
        raise ValueError("docs.json is not a list")
    return rows


def _live(rows: list[Any], dead: frozenset[int]) -> list[Excerpt]:
    out = []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != _ROW_LEN:
            raise ValueError(f"docs.json row {index} is not an excerpt")
        if index in dead or row[4] == "mode":  # superseded by the delta or deleted; a taxonomy mode
            continue
        out.append(Excerpt.from_row(row))
    return out


_ROW_LEN = len(Excerpt("", "").to_row())
