"""Import of existing markdown postmortems (and of the workbench's own canonical reports) as incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ....domain.ids import slug_problem
from ....domain.model import Incident
from ....store import IncidentRecord, Store, StoreError
from . import canonical
from .reader import Item, PostmortemReader
from .source import MAX_BYTES, SourceProblem, read_source


class ImportProblem(StoreError):
    pass


@dataclass(frozen=True)
class ImportResult:
    incident: Incident
    narrative: str
    notes: list[str]  # what was recognised, one line each
    items: list[Item] = field(default_factory=list)  # each extracted fact with its file:line citation
    sections: list[tuple[str, str]] = field(default_factory=list)  # (source heading, where it went)
    stated_severity: str = ""
    undated: bool = False


def parse_markdown(text: str, filename: str, incident_id: str | None = None,
                   taken: set[str] | frozenset[str] = frozenset(), *, given_date: date | None = None) -> ImportResult:
    """Turn a markdown document into an incident (nothing written)."""
    if incident_id is not None and slug_problem(incident_id):
        raise ImportProblem(f"--id {incident_id!r}: {slug_problem(incident_id)}")
    if canonical.is_canonical(text):
        incident, narrative, notes = canonical.parse(text, incident_id)
        return ImportResult(incident, narrative, notes)
    r = PostmortemReader(text, filename, given_date=given_date).run(incident_id, set(taken))
    return ImportResult(r.incident, r.narrative, r.notes, r.items, r.sections, r.stated_severity, r.undated)


def read_markdown(path: Path) -> str:
    """The file's text: a regular file (a FIFO never ends) no bigger than the store will load."""
    try:
        return read_source(path, MAX_BYTES)
    except SourceProblem as exc:
        raise ImportProblem(str(exc)) from None


def prepare(store: Store, path: Path, incident_id: str | None = None, given_date: date | None = None) -> ImportResult:
    """Read and parse one file for the store (nothing written): what `import` would create."""
    text = read_markdown(path)
    if not text.strip():
        raise ImportProblem(f"{path}: the file is empty; nothing to import")
    result = parse_markdown(text, path.name, incident_id, set(store.ids()), given_date=given_date)
    if result.incident.id in store.ids():
        raise ImportProblem(f"an incident with id {result.incident.id!r} already exists; pass --id NEW-ID")
    return result


def commit(store: Store, result: ImportResult, source_name: str) -> IncidentRecord:
    """Write a (reviewed) import as a new incident: one commit."""
    return store.create(result.incident, result.narrative, where="import",
                        what=f"import '{result.incident.title}' from {source_name}")


def import_file(store: Store, path: Path, incident_id: str | None = None,
                given_date: date | None = None) -> tuple[IncidentRecord, ImportResult]:
    """Import one markdown file into the store as a new incident: one commit."""
    result = prepare(store, path, incident_id, given_date)
    return commit(store, result, path.name), result
