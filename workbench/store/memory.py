"""A store kept in memory: the same incidents, versions and errors as the git store, without disk or git.

For tests of code written against StoreProtocol (tests/store_contract/ holds it to the git store's behaviour)
and for previews. Each version is a snapshot of every incident's file bytes, encoded exactly as the git
store writes them, so records, hashes, load errors and conflict detection match it byte for byte.
"""

from __future__ import annotations

import difflib
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..domain.model import Incident
from ..domain.taxonomy import Taxonomy
from . import layout
from .errors import LoadError, NotAStore, NotFound, OutsideEdit, Problem
from .gitrepo import Commit
from . import writes
from .store import IncidentRecord, LoadResult
from .textio import TextFile, decode, sha256
from .tomlfile import decode_incident, locate_line, parse_toml, validate

# Paths in records and messages look like the git store's, under a root that exists nowhere on disk.
MEMORY_ROOT = Path("/memory-store")


@dataclass(frozen=True)
class _Files:
    """One incident's files in one version: where its folder is (relative to the root) and their bytes."""

    folder: str
    toml: bytes
    md: bytes | None

    def paths(self) -> list[str]:
        names = [layout.INCIDENT_FILE] + ([layout.NARRATIVE_FILE] if self.md is not None else [])
        return [f"{self.folder}/{name}" for name in names]


@dataclass(frozen=True)
class _Version:
    commit: Commit
    incidents: dict[str, _Files]  # every incident as it was after this version
    changed: frozenset[str]  # the ids this version touched


class MemoryStore:
    """StoreProtocol in memory. `edit_outside` plays the part of a person editing the files meanwhile."""

    def __init__(
        self,
        taxonomy_text: str,
        *,
        clock: Callable[[], datetime] | None = None,
        author: tuple[str, str] = ("Workbench", "workbench@localhost"),
    ) -> None:
        self.root = MEMORY_ROOT
        self.read_only = False
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._author = author
        self._lock = threading.RLock()  # the UI saves from a worker thread while the screen reads
        self._taxonomy_text = taxonomy_text
        validate(Taxonomy, parse_toml(taxonomy_text, Path(layout.TAXONOMY)), taxonomy_text, Path(layout.TAXONOMY))
        self._files: dict[str, _Files] = {}  # the working copy: what load reads
        self._versions: list[_Version] = []  # oldest first
        self._commit(frozenset(), "store: init: taxonomy and layout", "", [layout.TAXONOMY])

    # ------------------------------------------------------------------------------------- listing
    def ids(self) -> list[str]:
        with self._lock:
            return sorted(self._files)

    def load(self, incident_id: str) -> IncidentRecord:
        with self._lock:
            files = self._files.get(incident_id)
        if files is None:
            raise NotFound(f"no incident {incident_id!r} in {self.root}")
        return self._record(incident_id, files, None)

    def load_all(self) -> LoadResult:
        records: list[IncidentRecord] = []
        problems: list[Problem] = []
        with self._lock:
            current = sorted(self._files.items())
        for incident_id, files in current:
            try:
                records.append(self._record(incident_id, files, None))
            except LoadError as exc:
                problems.extend(exc.problems)
        return LoadResult(records, problems)

    def load_taxonomy(self) -> Taxonomy:
        path = Path(layout.TAXONOMY)
        return validate(Taxonomy, parse_toml(self._taxonomy_text, path), self._taxonomy_text, path)

    # --------------------------------------------------------------------------------------- writes
    def check_writable(self, doing: str = "save") -> None:
        writes.check_writable(self.read_only, doing)

    def create(
        self, incident: Incident, narrative: str | None = None, *, where: str = "scoping", what: str | None = None
    ) -> IncidentRecord:
        text = writes.first_narrative(incident, narrative)
        with self._lock:
            folder = self._folder(incident)
            writes.check_new(
                incident,
                id_taken=incident.id in self._files,
                folder_taken=any(f.folder == folder for f in self._files.values()),
                folder_label=folder,
            )
            return self._write(None, incident, text, writes.create_subject(incident, where, what))

    def save(
        self,
        record: IncidentRecord,
        incident: Incident,
        narrative: str | None = None,
        *,
        where: str,
        what: str,
        trailers: list[str] | None = None,
    ) -> IncidentRecord:
        subject = writes.save_subject(record, incident, where, what, trailers)
        with self._lock:
            return self._write(record, incident, record.narrative if narrative is None else narrative, subject)

    def restore(self, record: IncidentRecord, rev: str) -> IncidentRecord:
        return writes.restore_version(self, record, rev, lambda rev: self._version(rev).commit.sha)

    def edit_outside(self, incident_id: str, *, toml: str | None = None, narrative: str | None = None) -> None:
        """Change an incident's files as a person with an editor would (no version is made): the next save
        from a record loaded before this raises OutsideEdit, and a broken `toml` makes loading fail."""
        with self._lock:
            files = self._files[incident_id]
            self._files[incident_id] = _Files(
                files.folder,
                files.toml if toml is None else toml.encode(),
                files.md if narrative is None else narrative.encode(),
            )

    # -------------------------------------------------------------------------------------- history
    def history(self, incident_id: str, limit: int | None = None) -> list[Commit]:
        with self._lock:
            if incident_id not in self._files:
                raise NotFound(f"no incident {incident_id!r} in {self.root}")
            found = [v.commit for v in reversed(self._versions) if incident_id in v.changed]
        return found[:limit] if limit else found

    def show_at(self, incident_id: str, rev: str) -> IncidentRecord:
        version = self._version(rev)
        files = version.incidents.get(incident_id)
        if files is None:
            raise NotFound(f"incident {incident_id!r} did not exist at {rev}")
        return self._record(incident_id, files, rev)

    def diff(self, incident_id: str, rev: str) -> str:
        """The version's change to the incident's files, as `git show --patch` would print it (a/ and b/
        paths, /dev/null for a file made or removed), so the History pane shows the same thing."""
        with self._lock:
            version = self._version(rev)
            index = self._versions.index(version)
            before = self._versions[index - 1].incidents.get(incident_id) if index else None
        after = version.incidents.get(incident_id)
        out: list[str] = []
        for name in (layout.INCIDENT_FILE, layout.NARRATIVE_FILE):
            old, new = (_file_of(f, name) for f in (before, after))
            if old == new:
                continue
            a = f"a/{before.folder}/{name}" if before is not None and old is not None else "/dev/null"
            b = f"b/{after.folder}/{name}" if after is not None and new is not None else "/dev/null"
            lines = difflib.unified_diff(_lines(old), _lines(new), a, b, lineterm="")
            out.append("\n".join(lines))
        return "\n".join(out)

    # ------------------------------------------------------------------------------------- internals
    def _folder(self, incident: Incident) -> str:
        return layout.relative(self.root, layout.incident_folder(self.root, incident.id, incident.times.started))

    def _record(self, incident_id: str, files: _Files, rev: str | None) -> IncidentRecord:
        toml_name = f"{files.folder}/{layout.INCIDENT_FILE}"
        label = Path(f"{rev[:8]}:{toml_name}" if rev is not None else toml_name)
        toml = decode(files.toml, label)
        incident = decode_incident(toml.text, label)
        if rev is None and incident.id != incident_id:
            raise LoadError(
                [
                    Problem(
                        label,
                        f"id {incident.id!r} differs from its folder name {incident_id!r}",
                        locate_line(toml.text, ("id",)),
                        "id",
                    )
                ]
            )
        md = decode(files.md, label) if files.md is not None else None
        return IncidentRecord(incident, md.text if md else "", self.root / files.folder, toml, md)

    def _write(self, record: IncidentRecord | None, incident: Incident, narrative: str, subject: str) -> IncidentRecord:
        """`record` None: a new incident. The caller holds the lock."""
        self.check_writable()
        folder = self._folder(incident)
        encoded = writes.encode_files(record, incident, narrative, lambda name: f"{folder}/{name}")
        toml_text, toml_file, toml_bytes = encoded.toml_text, encoded.toml_file, encoded.toml_bytes
        md_text, md_file, md_bytes = encoded.md_text, encoded.md_file, encoded.md_bytes
        before = self._files.get(incident.id)
        if record is not None:
            self._check_latest(record, before)
        had_md = before is not None and before.md is not None
        after = _Files(folder, toml_bytes, md_bytes if (md_text or had_md) else None)
        if after != before:
            self._files[incident.id] = after
            paths = sorted({*after.paths(), *(before.paths() if before is not None else [])})
            subject_line, _, body = subject.partition("\n\n")
            self._commit(frozenset({incident.id}), subject_line, body, paths)
        return IncidentRecord(
            incident,
            md_text,
            self.root / folder,
            TextFile(toml_text, toml_file.bom, toml_file.crlf, sha256(toml_bytes)),
            TextFile(md_text, md_file.bom, md_file.crlf, sha256(md_bytes)) if after.md is not None else None,
        )

    def _check_latest(self, record: IncidentRecord, current: _Files | None) -> None:
        """The git store's outside-edit check: the files must be the bytes this record was loaded from."""
        toml_name = f"{layout.relative(self.root, record.folder)}/{layout.INCIDENT_FILE}"
        on_disk_toml = sha256(current.toml) if current is not None else ""
        if on_disk_toml != record.toml.sha256:
            raise OutsideEdit(Path(toml_name))
        on_disk_md = sha256(current.md) if current is not None and current.md is not None else None
        if on_disk_md != (record.md.sha256 if record.md else None):
            raise OutsideEdit(Path(toml_name).with_name(layout.NARRATIVE_FILE))

    def _commit(self, changed: frozenset[str], subject: str, body: str, paths: list[str]) -> None:
        parent = self._versions[-1].commit.sha if self._versions else ""
        now = self._clock().replace(microsecond=0)
        digest = hashlib.sha1(
            f"{parent}\n{now.isoformat()}\n{subject}\n{body}\n{len(self._versions)}".encode(), usedforsecurity=False
        )
        commit = Commit(digest.hexdigest(), self._author[0], self._author[1], now, subject, body, tuple(paths))
        self._versions.append(_Version(commit, dict(self._files), changed))

    def _version(self, rev: str) -> _Version:
        with self._lock:
            if rev == "HEAD":
                return self._versions[-1]
            found = [v for v in self._versions if len(rev) >= 4 and v.commit.sha.startswith(rev.lower())]
        if len(found) != 1:
            raise NotAStore(f"{rev!r} is not a commit of this store")
        return found[0]


def _file_of(files: _Files | None, name: str) -> bytes | None:
    if files is None:
        return None
    return files.toml if name == layout.INCIDENT_FILE else files.md


def _lines(data: bytes | None) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines() if data is not None else []
