"""The persistent index in the store's git-ignored `.workbench/cache/search/` folder.

    manifest.json   format version, the segments in use, the mtimes of incidents/ and its year and
                    month folders (a new incident changes its month folder's), and the file table's name
    files-<random>.npy / .paths   the file table: for every incident folder the (size, mtime_ns, sha256)
                    of its two files and where its document lives, as columns
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ...store.boundary import private_dir
from .cache_format import CACHE_SUBDIR, FORMAT_VERSION, segment_name_ok
from .extract import FileState

__all__ = ["CACHE_SUBDIR", "FORMAT_VERSION", "CacheDir", "CorruptManifest", "Entry", "Manifest"]


# One row per incident folder: what its two files were when indexed, and where its document lives. Kept as
# a numpy structured array, so opening the index reads ~1.7 MB at 10,000 incidents and makes no Python
# object per incident (the JSON table it replaced took ~0.13 s to turn into objects on every search).
FILE_ROW = np.dtype(
    [
        ("toml_size", "<i8"),
        ("toml_mtime", "<i8"),
        ("toml_sha", "S64"),
        ("md_size", "<i8"),
        ("md_mtime", "<i8"),
        ("md_sha", "S64"),
        ("delta", "u1"),
        ("racy", "u1"),
        ("doc", "<i4"),
    ]
)


class CorruptManifest(Exception):
    pass


@dataclass
class Entry:
    toml: FileState
    md: FileState
    segment: str  # "base" or "delta"
    doc: int
    racy: bool = False  # written within the mtime granularity of being read: hash it next time


class Manifest:
    """The segments in use, the taxonomy's state, the folders' mtimes and the file table.

    `paths` and `rows` are the table as read from disk; `files` (a dict of Entry) is made from them only
    when something changes, so a search that finds nothing new never builds 10,000 objects."""

    def __init__(
        self,
        base: str = "",
        delta: str = "",
        taxonomy: FileState = None,
        files: dict[str, Entry] | None = None,
        dead: set[int] | None = None,
        dirs: dict[str, int] | None = None,
    ):
        self.base, self.delta, self.taxonomy = base, delta, taxonomy
        # The base segment's name while its second pass is pending (its excerpts lack load problems found by
        # validation and its learning profiles are "null"), else "".
        self.unchecked = ""
        self.dead: set[int] = dead if dead is not None else set()  # base documents superseded or deleted
        self.dirs: dict[str, int] = dirs if dirs is not None else {}  # incidents/, years, months: mtime_ns
        self._files: dict[str, Entry] | None = files if files is not None else {}
        self.paths: list[str] = []
        self.rows: np.ndarray = np.zeros(0, dtype=FILE_ROW)
        self.files_name = ""  # the file table on disk (files-<random>.npy and .paths)

    @classmethod
    def from_table(cls, head: dict[str, Any], paths: list[str], rows: np.ndarray) -> Manifest:
        manifest = cls(head["base"], head["delta"], head["taxonomy"], None, head["dead"], head["dirs"])
        manifest._files = None
        manifest.unchecked = head["unchecked"]
        manifest.paths, manifest.rows, manifest.files_name = paths, rows, head["files"]
        return manifest

    @property
    def files(self) -> dict[str, Entry]:
        if self._files is None:
            self._files = {p: _entry(r) for p, r in zip(self.paths, self.rows.tolist(), strict=True)}
        return self._files

    @property
    def columns_current(self) -> bool:
        """`paths` and `rows` are the table (no Entry was made or changed since it was read)."""
        return self._files is None

    def __len__(self) -> int:
        return len(self._files) if self._files is not None else len(self.paths)

    def table(self) -> tuple[list[str], np.ndarray]:
        """The file table as (paths, rows), made from `files` when that is what is current."""
        if self._files is None:
            return self.paths, self.rows
        paths = list(self._files)
        rows = np.zeros(len(paths), dtype=FILE_ROW)
        for index, entry in enumerate(self._files.values()):
            rows[index] = _row(entry)
        return paths, rows

    def head(self, files_name: str) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "base": self.base,
            "delta": self.delta,
            "taxonomy": self.taxonomy,
            "dead": sorted(self.dead),
            "dirs": self.dirs,
            "files": files_name,
            "unchecked": self.unchecked,
        }


def _entry(row: tuple[Any, ...]) -> Entry:
    toml_size, toml_mtime, toml_sha, md_size, md_mtime, md_sha, delta, racy, doc = row
    md = None if md_size < 0 else (md_size, md_mtime, md_sha.decode("ascii"))
    return Entry((toml_size, toml_mtime, toml_sha.decode("ascii")), md, "delta" if delta else "base", doc, bool(racy))


def _row(entry: Entry) -> tuple[Any, ...]:
    toml = entry.toml or (-1, 0, "")
    md = entry.md or (-1, 0, "")
    return (
        toml[0],
        toml[1],
        toml[2].encode("ascii"),
        md[0],
        md[1],
        md[2].encode("ascii"),
        int(entry.segment == "delta"),
        int(entry.racy),
        entry.doc,
    )


def _head(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        found = data.get("format") if isinstance(data, dict) else None
        raise CorruptManifest(f"format {found!r}, expected {FORMAT_VERSION}")
    try:
        files = str(data["files"])
        if not files.startswith("files-") or "/" in files or "\\" in files or ".." in files:
            raise ValueError(f"file table name {files!r}")
        return {
            "base": str(data["base"]),
            "delta": str(data["delta"] or ""),
            "taxonomy": _state(data["taxonomy"]),
            "dead": {int(d) for d in data["dead"]},
            "dirs": {str(k): int(v) for k, v in data["dirs"].items()},
            "files": files,
            "unchecked": str(data["unchecked"]),
        }
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
            head = _head(orjson.loads(raw))
        except ValueError as exc:  # orjson.JSONDecodeError is a ValueError
            raise CorruptManifest(f"manifest.json: {exc}") from None
        try:
            rows = np.load(self.path / f"{head['files']}.npy", allow_pickle=False)
            text = (self.path / f"{head['files']}.paths").read_text(encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CorruptManifest(f"file table: {exc}") from None
        paths = text.split("\n") if text else []
        if rows.dtype != FILE_ROW or rows.ndim != 1 or len(rows) != len(paths):
            raise CorruptManifest("the file table does not match its paths")
        return Manifest.from_table(head, paths, rows)

    def write_manifest(self, manifest: Manifest) -> None:
        """The file table to fresh files, then manifest.json naming them, renamed into place: one atomic step."""
        self.path.mkdir(parents=True, exist_ok=True)
        paths, rows = manifest.table()
        name = f"files-{secrets.token_hex(6)}"
        # Not fsynced: after a power cut a table cut short fails its checks on reading and the index is rebuilt
        # from the files (the cache is never trusted over them), and two fsyncs cost more than the save itself.
        with open(self.path / f"{name}.npy", "wb") as handle:
            np.save(handle, rows, allow_pickle=False)
        (self.path / f"{name}.paths").write_bytes("\n".join(paths).encode("utf-8"))
        data = orjson.dumps(manifest.head(name))
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
        manifest.files_name = name

    def new_segment_path(self) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        return self.path / f"seg-{secrets.token_hex(6)}"

    def segment_path(self, name: str) -> Path:
        if not segment_name_ok(name):
            raise CorruptManifest(f"segment name {name!r} is not one this cache writes")
        return self.path / name

    def remove_unused(self, keep: set[str]) -> None:
        """Delete segment folders and temporary files the manifest no longer names (old builds, crashes)."""
        if not self.path.is_dir():
            return
        for child in self.path.iterdir():
            if child.name.startswith("seg-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith("files-") and child.name.split(".", 1)[0] not in keep:
                child.unlink(missing_ok=True)
            elif child.name.startswith(".manifest.") and child.name.endswith(".tmp"):
                child.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
