"""Import of existing markdown postmortems (and of the workbench's own canonical reports) as incidents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...domain.ids import slug_problem
from ...domain.model import Incident
from ...store import IncidentRecord, Store, StoreError
from ...store.boundary import Refused, read_source
from ...store.textio import MAX_FILE_BYTES
from . import canonical
from .generic import GenericImporter


class ImportProblem(StoreError):
    pass


@dataclass(frozen=True)
class ImportResult:
    incident: Incident
    narrative: str
    notes: list[str]  # what was recognised, one line each


def parse_markdown(text: str, filename: str, incident_id: str | None = None,
                   taken: set[str] | frozenset[str] = frozenset()) -> ImportResult:
    """Turn a markdown document into an incident (nothing written)."""
    if incident_id is not None and slug_problem(incident_id):
        raise ImportProblem(f"--id {incident_id!r}: {slug_problem(incident_id)}")
    if canonical.is_canonical(text):
        incident, narrative, notes = canonical.parse(text, incident_id)
    else:
        incident, narrative, notes = GenericImporter(text, filename).run(incident_id, set(taken))
    return ImportResult(incident, narrative, notes)


def read_markdown(path: Path) -> str:
    """The file's text: a regular file (a FIFO never ends) no bigger than the store will load."""
    try:
        data = read_source(path, MAX_FILE_BYTES)
    except Refused as exc:
        reason = exc.reason
        if "bytes; the limit is" in reason or "over the limit" in reason:
            reason += ": the store could not load a postmortem that large; split it or trim it first"
        raise ImportProblem(f"{path}: {reason}") from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 and import again") \
            from None


def import_file(store: Store, path: Path, incident_id: str | None = None) -> tuple[IncidentRecord, ImportResult]:
    """Import one markdown file into the store as a new incident: one commit."""
    text = read_markdown(path)
    if not text.strip():
        raise ImportProblem(f"{path}: the file is empty; nothing to import")
    result = parse_markdown(text, path.name, incident_id, set(store.ids()))
    if result.incident.id in store.ids():
        raise ImportProblem(f"an incident with id {result.incident.id!r} already exists; pass --id NEW-ID")
    record = store.create(result.incident, result.narrative, where="import",
                          what=f"import '{result.incident.title}' from {path.name}")
    return record, result
