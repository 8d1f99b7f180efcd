"""Noticing outside edits to an open incident, and the three ways to settle them.

`OutsideEditWatcher.poll()` is cheap enough to run every second: a `stat` per file, and a sha256 only
when size, mtime, inode or ctime moved (an editor saving in place or by rename, `git pull`, a checkout).
Changes are decided by hash, not by mtime, and the app's own writes are recognised (the store remembers
the hash of every file it wrote), so a save of ours is never reported as an outside edit.

When the person also has unsaved changes, they choose:
- reload: take the outside version; their unsaved version is kept in a recovery folder;
- keep mine: save theirs over it; the outside version is kept in a recovery folder first;
- see both: a diff of the outside version against theirs.
Both versions are always kept.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ...domain.model import Incident
from ...store import IncidentRecord, Store
from ...store import StoreError, layout, recovery
from ...store.boundary import Boundary
from ...store.textio import TextFile, decode, sha256
from ...store.tomlfile import encode_incident

FILES = (layout.INCIDENT_FILE, layout.NARRATIVE_FILE)
# Watched too, but only to be shown again when it changes: review.toml has no unsaved state in the app (each
# review step loads it, checks it and commits at once), so reload / keep mine never concern it.
REVIEW_FILE = layout.REVIEW_FILE


@dataclass(frozen=True)
class OutsideChange:
    path: Path
    kind: str  # "changed", "deleted" or "created"
    sha256: str | None


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _hash(boundary: Boundary, path: Path) -> str | None:
    try:
        return sha256(boundary.read_bytes(path))
    except FileNotFoundError:
        return None
    except StoreError as exc:  # refused at the store boundary (a FIFO, a link out): noticed, never read
        return f"refused: {exc}"


class OutsideEditWatcher:
    def __init__(self, store: Store, record: IncidentRecord):
        self.store = store
        self.watch(record)

    def watch(self, record: IncidentRecord) -> None:
        """(Re)start from a record: after opening, reloading or saving the incident."""
        self.record = record
        self.folder = record.folder
        self._known: dict[Path, str | None] = {
            record.folder / layout.INCIDENT_FILE: record.toml.sha256 or None,
            record.folder / layout.NARRATIVE_FILE: record.md.sha256 if record.md else None,
            record.folder / REVIEW_FILE: _hash(self.store.boundary, record.folder / REVIEW_FILE),
        }
        self._seen = {path: _signature(path) for path in self._known}

    def acknowledge(self, record: IncidentRecord) -> None:
        """After our own save or a reload: the record's hashes are the new baseline.

        The stat signatures are left as they were, so the next poll re-hashes every file whose stat moved:
        an outside edit that landed between the save (or the load) and this call is still reported.
        """
        if record.folder != self.folder:  # the incident moved (its start month changed): start afresh
            self.watch(record)
            return
        self.record = record
        self._known = {
            **self._known,  # review.toml keeps its own baseline: the record does not carry it
            record.folder / layout.INCIDENT_FILE: record.toml.sha256 or None,
            record.folder / layout.NARRATIVE_FILE: record.md.sha256 if record.md else None,
        }

    def poll(self) -> list[OutsideChange]:
        """Outside changes since the baseline or the last poll (each reported once)."""
        changes = []
        for path, known in self._known.items():
            signature = _signature(path)
            if signature == self._seen[path]:
                continue
            self._seen[path] = signature
            current = _hash(self.store.boundary, path)
            if current == known or (current is not None and self.store.own_writes.get(path) == current):
                continue
            kind = "deleted" if current is None else ("created" if known is None else "changed")
            changes.append(OutsideChange(path, kind, current))
            self._known[path] = current
        return changes


# ---------------------------------------------------------------------------------- resolutions
def _mine_bytes(record: IncidentRecord, incident: Incident, narrative: str) -> dict[str, bytes]:
    toml_text = encode_incident(incident, record.toml.text or None)
    md = record.md or TextFile("")
    text = narrative if narrative.endswith("\n") or not narrative else narrative + "\n"
    return {layout.INCIDENT_FILE: record.toml.encode(toml_text), layout.NARRATIVE_FILE: md.encode(text)}


def _disk_bytes(boundary: Boundary, folder: Path) -> dict[str, bytes]:
    return {name: boundary.read_bytes(folder / name) for name in FILES if boundary.exists(folder / name)}


def reload(
    store: Store, record: IncidentRecord, incident: Incident, narrative: str
) -> tuple[IncidentRecord, Path | None]:
    """Take the outside version; the unsaved one goes to a recovery folder. (new record, where mine went)"""
    kept = recovery.keep(store.private_dir, record.id, _mine_bytes(record, incident, narrative), "mine-before-reload")
    return store.load(record.id), kept


def keep_mine(
    store: Store, record: IncidentRecord, incident: Incident, narrative: str, *, where: str, what: str
) -> tuple[IncidentRecord, Path | None]:
    """Save the unsaved version over the outside one, which is kept in a recovery folder first."""
    folder = record.folder
    outside = _disk_bytes(store.boundary, folder)
    kept = recovery.keep(store.private_dir, record.id, outside, "outside-version")
    # The save's outside-edit check compares against what is on disk now: the version just kept.
    toml = outside.get(layout.INCIDENT_FILE)
    md = outside.get(layout.NARRATIVE_FILE)
    based = replace(
        record,
        toml=replace(record.toml, sha256=sha256(toml) if toml is not None else ""),
        md=(replace(record.md or decode(md, folder), sha256=sha256(md)) if md is not None else None),
    )
    saved = store.save(based, incident, narrative, where=where, what=f"{what} (kept over an outside edit)")
    return saved, kept


def see_both(record: IncidentRecord, incident: Incident, narrative: str, store: Store | None = None) -> str:
    """A unified diff per file: the outside version on disk (---) against the unsaved one (+++).
    Read through the store's boundary (without a store: nothing outside the incident's folder)."""
    mine = _mine_bytes(record, incident, narrative)
    outside = _disk_bytes(store.boundary if store is not None else Boundary(record.folder), record.folder)
    parts: list[str] = []
    for name in FILES:
        a = outside.get(name, b"").decode("utf-8", "replace").replace("\r\n", "\n").splitlines(keepends=True)
        b = mine.get(name, b"").decode("utf-8", "replace").replace("\r\n", "\n").splitlines(keepends=True)
        parts.extend(difflib.unified_diff(a, b, f"{name} (changed outside)", f"{name} (yours, unsaved)"))
    return "".join(parts)
