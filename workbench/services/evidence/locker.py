"""The evidence locker: files kept beside incident.toml in `evidence/`, each listed in
incident.toml's `[[evidence]]` manifest with its SHA-256, size, when and by whom it was added.

The manifest lives in incident.toml (not a separate evidence/manifest.toml) so that one commit
adds the file and its entry through the store's usual save (outside-edit checks, comment-keeping
merge), timeline entries and the collection checklist can point at evidence ids that validate as
part of the same model, and there is one file to review per incident.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...domain import edit
from ...domain.model import Evidence, Incident
from ...store import IncidentRecord, Problem, Store, StoreError
from ...store import layout
from ...store.boundary import check_source, digest_source
from ...store.git_evidence import head_revision
from ...store.tomlfile import line_index, nearest_line

EVIDENCE_DIR = "evidence"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_ENV = "WORKBENCH_EVIDENCE_MAX_BYTES"

_KIND_HINTS: list[tuple[str, re.Pattern[str]]] = [
    ("paging", re.compile(r"pagerduty|opsgenie|incident[_-]?log|log_entries|alert[_-]?log", re.I)),
    ("chat", re.compile(r"slack|chat|teams|discord", re.I)),
    ("traces", re.compile(r"otlp|trace|span|langfuse|langsmith|jaeger|zipkin", re.I)),
    ("evals", re.compile(r"eval|experiment|benchmark|score", re.I)),
    ("prompts", re.compile(r"prompt", re.I)),
    ("model-versions", re.compile(r"model[_-]?(card|version|registry)|checkpoint", re.I)),
    ("deployment", re.compile(r"deploy|release|rollout|helm|k8s|manifest|changelog", re.I)),
    ("logs", re.compile(r"\.(log|jsonl|ndjson)$|logs?\b|syslog", re.I)),
]


def guess_kind(name: str) -> str:
    for kind, pattern in _KIND_HINTS:
        if pattern.search(name):
            return kind
    return "other"


def max_bytes_default() -> int:
    value = os.environ.get(MAX_ENV, "")
    try:
        return int(value) if value else DEFAULT_MAX_BYTES
    except ValueError:
        raise StoreError(f"{MAX_ENV}={value!r} is not a number of bytes") from None


def human_size(size: int | None) -> str:
    if size is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]  # int in, float from the first division on
    return f"{size}"


def _is_url(text: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I))


@dataclass(frozen=True)
class Planned:
    entry: Evidence
    copy_from: Path | None  # a file to copy into evidence/, or None for a reference


def plan(
    record: IncidentRecord,
    items: list[str],
    *,
    description: str = "",
    sensitive: bool = False,
    reference: bool = False,
    kind: str | None = None,
    max_bytes: int | None = None,
    added_by: str = "",
    now: datetime | None = None,
) -> list[Planned]:
    """Check every item and decide copy or reference, before anything is written."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    limit = max_bytes_default() if max_bytes is None else max_bytes
    incident = record.incident
    taken_ids = incident.entry_ids()
    taken_names = {e.path for e in incident.evidence if e.path}
    folder = record.folder / EVIDENCE_DIR
    out: list[Planned] = []
    for item in items:
        common = dict(description=description, sensitive=sensitive, added=now, added_by=added_by)
        entry_id = _fresh_id(taken_ids)
        if _is_url(item):
            entry = Evidence(
                id=entry_id,
                name=item.rstrip("/").rsplit("/", 1)[-1] or item,
                kind=kind or guess_kind(item),
                reference=item,
                **common,
            )
            out.append(Planned(entry, None))
            continue
        path = Path(item).expanduser()
        if not path.exists():
            raise StoreError(f"{item}: no such file or folder")
        if path.is_dir():
            if not (path / ".git").exists():
                raise StoreError(f"{item} is a folder: add its files, or a git repository (kept as a reference)")
            entry = Evidence(
                id=entry_id,
                name=path.resolve().name,
                kind=kind or "git-history",
                reference=str(path.resolve()),
                revision=head_revision(path),
                **common,
            )
            out.append(Planned(entry, None))
            continue
        if reference:
            # A reference's file stays where it is; still a regular file (a FIFO or /dev/zero never ends).
            sha, size = digest_source(path)
            entry = Evidence(
                id=entry_id,
                name=path.name,
                kind=kind or guess_kind(path.name),
                reference=str(path.resolve()),
                sha256=sha,
                size=size,
                **common,
            )
            out.append(Planned(entry, None))
            continue
        size = check_source(path)  # a regular file, and its size, before a byte is read or hashed
        if size > limit:
            raise StoreError(
                f"{item} is {human_size(size)}, over the {human_size(limit)} limit for copies kept in the store; "
                f"add it with --reference to record its path and SHA-256 instead (or raise the limit with "
                f"--max-size or {MAX_ENV})"
            )
        sha, size = digest_source(path, limit)
        name = _unique_name(path.name, taken_names, folder)
        taken_names.add(f"{EVIDENCE_DIR}/{name}")
        entry = Evidence(
            id=entry_id,
            name=name,
            kind=kind or guess_kind(path.name),
            path=f"{EVIDENCE_DIR}/{name}",
            sha256=sha,
            size=size,
            **common,
        )
        out.append(Planned(entry, path))
    return out


def _fresh_id(taken: set[str]) -> str:
    from ...domain.ids import new_entry_id

    entry_id = new_entry_id("evidence", taken)
    taken.add(entry_id)
    return entry_id


def _unique_name(name: str, taken: set[str], folder: Path) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".") or "evidence"
    stem, dot, suffix = safe.partition(".")
    candidate, n = safe, 2
    while f"{EVIDENCE_DIR}/{candidate}" in taken or (folder / candidate).exists():
        candidate = f"{stem}-{n}{dot}{suffix}"
        n += 1
    return candidate


def add_evidence(
    store: Store, record: IncidentRecord, items: list[str], **options: Any
) -> tuple[IncidentRecord, list[Evidence]]:
    """Copy or reference each item and list it in the manifest: one commit for all of them."""
    if not items:
        raise StoreError("nothing to add: name one or more files, folders (git repositories) or URLs")
    planned = plan(record, items, added_by=store.git.identity(), **options)
    incident = edit.replace(record.incident, evidence=[*record.incident.evidence, *(p.entry for p in planned)])
    files = {p.entry.path: p.copy_from for p in planned if p.copy_from is not None}
    names = ", ".join(f"{p.entry.id} {p.entry.name}" for p in planned)
    kept = sum(1 for p in planned if p.copy_from is not None)
    what = f"add evidence {names}" if len(planned) <= 2 else f"add {len(planned)} items of evidence ({kept} kept)"
    new = store.save(record, incident, where="evidence", what=what, files=files)
    return new, [p.entry for p in planned]


@dataclass(frozen=True)
class Removed:
    record: IncidentRecord
    entry: Evidence
    sources: list[str]  # timeline entries whose source names it: their claims lose this backing
    left_behind: str = ""  # a kept file that could not be deleted (validate will list it)


def remove_evidence(store: Store, record: IncidentRecord, evidence_id: str, reason: str = "") -> Removed:
    """Take one item off the manifest and delete its kept copy, as one commit; git history keeps the file.

    Refused while a data-collection line is backed by it (unmark that line first), so the checklist
    never claims a source was gathered with evidence that is gone."""
    incident = record.incident
    entry = next((e for e in incident.evidence if e.id == evidence_id), None)
    if entry is None:
        known = ", ".join(e.id for e in incident.evidence) or "none"
        raise StoreError(f"{incident.id} has no evidence {evidence_id!r} (it has: {known})")
    backing = [c.source for c in incident.collection if evidence_id in c.evidence]
    if backing:
        raise StoreError(
            f"evidence {evidence_id} backs the data-collection line(s) {', '.join(backing)}; "
            "mark them again without it first, so the checklist stays true"
        )
    sources = [
        t.id
        for t in incident.timeline
        if t.source and (cited := evidence_for_source(incident, t.source)) and cited.id == evidence_id
    ]
    remaining = [e for e in incident.evidence if e.id != evidence_id]
    what = f"remove evidence {entry.id} {entry.name}" + (f" ({reason.strip()})" if reason.strip() else "")
    new = store.save(
        record,
        edit.replace(incident, evidence=remaining),
        where="evidence",
        what=what,
        removes=[entry.path] if entry.path else None,
    )
    left = ""
    if entry.path and (new.folder / entry.path).exists():
        left = f"{store.display(new.folder / entry.path)} could not be deleted; `workbench validate` lists it"
    return Removed(new, entry, sources, left)


def verify(store: Store, record: IncidentRecord) -> list[Problem]:
    """Kept evidence whose file is missing or whose SHA-256 changed; files in evidence/ not listed."""
    problems: list[Problem] = []
    toml_path = store.display(record.folder / layout.INCIDENT_FILE)
    text = record.toml.text
    listed: set[str] = set()
    index_of_lines: dict[tuple[str, ...], int] = {}
    for index, entry in enumerate(record.incident.evidence):
        if not entry.path:
            continue
        listed.add(entry.path)
        index_of_lines = index_of_lines or line_index(text)  # one scan for every entry (not one each)
        line = nearest_line(index_of_lines, ("evidence", index, "sha256"))
        file = record.folder / entry.path
        if not os.path.lexists(file):
            problems.append(
                Problem(
                    toml_path,
                    f"{entry.path} is missing (listed with SHA-256 {entry.sha256[:12]}…)",
                    line,
                    f"evidence[{entry.id}].path",
                )
            )
            continue
        try:
            sha, size = store.boundary.digest(file, None)
        except StoreError as exc:  # a link out of the store, a FIFO: refused, never hashed
            problems.append(
                Problem(toml_path, f"{entry.path}: {getattr(exc, 'reason', exc)}", line, f"evidence[{entry.id}].path")
            )
            continue
        if sha != entry.sha256:
            problems.append(
                Problem(
                    toml_path,
                    f"{entry.path} was altered: SHA-256 is now {sha[:12]}… "
                    f"({size} bytes), the manifest says {entry.sha256[:12]}… ({entry.size} bytes)",
                    line,
                    f"evidence[{entry.id}].sha256",
                )
            )
    folder = record.folder / EVIDENCE_DIR
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            relative = file.relative_to(record.folder).as_posix()
            if file.is_file() and relative not in listed and not file.name.endswith(".tmp"):
                problems.append(
                    Problem(
                        store.display(file),
                        f"not listed in the evidence manifest of {toml_path}; add it with `workbench evidence add`",
                        None,
                        "evidence",
                    )
                )
    return problems


def source_label(record: IncidentRecord, path: Path) -> str:
    """How events imported from `path` name their source: the evidence path when the file is kept
    in the locker (or the reference it was added as), else the path as given."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(record.folder.resolve()).as_posix()
    except ValueError:
        pass
    for entry in record.incident.evidence:
        if entry.reference and entry.reference == str(resolved):
            return entry.name if entry.kind == "git-history" else entry.reference
    if path.is_file():
        try:
            sha, _ = digest_source(path)
        except StoreError:  # not a regular file: it cannot match kept evidence
            return str(path)
        for entry in record.incident.evidence:
            if entry.path and entry.sha256 == sha:
                return entry.path
    return path.name if path.is_dir() else str(path)


def evidence_for_source(incident: Incident, source: str) -> Evidence | None:
    for entry in incident.evidence:
        if entry.path and source.startswith(entry.path):
            return entry
    return None
