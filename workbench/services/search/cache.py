"""The persistent index in the store's git-ignored `.workbench/cache/search/` folder.

    manifest.json   format version, the segments in use, and for every incident folder the
                    (size, mtime_ns, sha256) of its two files and where its document lives
    seg-<random>/   one Segment each (see segment.py): a large base and a small delta

A new manifest is written to a temporary file and renamed over the old one, so readers see the
old index or the new one, never a mix. Segments are written to fresh folders before the manifest
points at them, and removed only after it no longer does. Anything that fails to load (missing,
truncated, garbage, another format version) is treated as absent and rebuilt from the files; the
files are always the truth, the cache only saves re-reading them.

JSON and .npy are used rather than pickle so that a damaged or planted cache file cannot run
code when loaded.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ...store.boundary import private_dir
from .extract import FileState

FORMAT_VERSION = 5  # 4: excerpts carry started_at, follow-up dates and load problems; 5: learning profiles
CACHE_SUBDIR = Path(".workbench") / "cache" / "search"


class CorruptManifest(Exception):
    pass


@dataclass
class Entry:
    toml: FileState
    md: FileState
    segment: str  # "base" or "delta"
    doc: int
    racy: bool = False  # written within the mtime granularity of being read: hash it next time


@dataclass
class Manifest:
    base: str = ""
    delta: str = ""
    taxonomy: FileState = None
    files: dict[str, Entry] = field(default_factory=dict)
    dead: set[int] = field(default_factory=set)  # base documents superseded by the delta or deleted

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION, "base": self.base, "delta": self.delta, "taxonomy": self.taxonomy,
            "dead": sorted(self.dead),
            "files": {k: [e.toml, e.md, e.segment, e.doc, int(e.racy)] for k, e in self.files.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            found = data.get("format") if isinstance(data, dict) else None
            raise CorruptManifest(f"format {found!r}, expected {FORMAT_VERSION}")
        try:
            files = {
                str(k): Entry(_state(v[0]), _state(v[1]), str(v[2]), int(v[3]), bool(v[4]))
                for k, v in data["files"].items()
            }
            return cls(str(data["base"]), str(data["delta"] or ""), _state(data["taxonomy"]), files,
                       {int(d) for d in data["dead"]})
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise CorruptManifest(f"unreadable manifest: {exc!r}") from None


def _state(value: Any) -> FileState:
    if value is None:
        return None
    size, mtime, sha = value
    return (int(size), int(mtime), str(sha))


class CacheDir:
    def __init__(self, store_root: Path):
        # `.workbench` must be a real folder inside the store (refused otherwise): a committed link would
        # send the index wherever it points.
        private_dir(store_root, create=False)
        self.path = store_root / CACHE_SUBDIR

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def read_manifest(self) -> Manifest | None:
        """The manifest, or None when there is none yet. Raises CorruptManifest when it is damaged."""
        try:
            raw = self.manifest_path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return Manifest.from_json(orjson.loads(raw))
        except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
            raise CorruptManifest(f"manifest.json: {exc}") from None

    def write_manifest(self, manifest: Manifest) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        data = orjson.dumps(manifest.to_json())
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.manifest_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def new_segment_path(self) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        return self.path / f"seg-{secrets.token_hex(6)}"

    def segment_path(self, name: str) -> Path:
        if not name.startswith("seg-") or "/" in name or "\\" in name or ".." in name:
            raise CorruptManifest(f"segment name {name!r} is not one this cache writes")
        return self.path / name

    def remove_unused(self, keep: set[str]) -> None:
        """Delete segment folders and temporary files the manifest no longer names (old builds, crashes)."""
        if not self.path.is_dir():
            return
        for child in self.path.iterdir():
            if child.name.startswith("seg-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith(".manifest.") and child.name.endswith(".tmp"):
                child.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
