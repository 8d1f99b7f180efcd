"""Import of existing markdown postmortems (and of the workbench's own canonical reports), and of ATLAS and
AI Incident Database records, as incidents.

`prepare` reads and parses a file (nothing written), `staging.py` turns what was read into candidates a
person reviews, `commit` writes the reviewed import as one commit. reader.py reads a published postmortem
the way a person does (blocks, headings, clock, figures, wording help it); canonical.py reads the
workbench's own reports back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ....domain.ids import slug_problem
from ....domain.model import Incident
from ....store import IncidentRecord, Store, StoreError
from . import canonical, records
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


def parse_markdown(
    text: str,
    filename: str,
    incident_id: str | None = None,
    taken: set[str] | frozenset[str] = frozenset(),
    *,
    given_date: date | None = None,
) -> ImportResult:
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


def parse_records(
    text: str,
    filename: str,
    taken: set[str] | frozenset[str] = frozenset(),
    record: str | None = None,
    given_date: date | None = None,
) -> list[ImportResult]:
    """The incidents of an ATLAS (YAML) or AI Incident Database (JSON) record file; `record` picks one
    ("AML.CS0003", "23" or "AIID 23")."""
    kind = records.kind_of(filename, text)
    try:
        found = (records.read_atlas if kind == "atlas" else records.read_aiid)(text, filename, set(taken), given_date)
    except records.RecordProblem as exc:
        raise ImportProblem(str(exc)) from None
    if record is not None:
        want = record.strip().upper().removeprefix("AIID").strip()
        found = [r for r in found if r.key.upper().removeprefix("AIID").strip() == want]
        if not found:
            raise ImportProblem(f"{filename}: no record {record!r} in the file")
    return [ImportResult(r.incident, r.narrative, [*r.notes], r.items, [], "", r.undated) for r in found]


def prepare_all(
    store: Store, path: Path, incident_id: str | None = None, given_date: date | None = None, record: str | None = None
) -> list[ImportResult]:
    """What `import` would create from one file: one incident for a postmortem, one per record for an
    ATLAS or AI Incident Database file (nothing written)."""
    if records.kind_of(path.name, "") is None:
        if record is not None:
            raise ImportProblem(f"--record {record!r}: {path.name} is a postmortem, not a file of records")
        return [prepare(store, path, incident_id, given_date)]
    text = read_markdown(path)
    if not text.strip():
        raise ImportProblem(f"{path}: the file is empty; nothing to import")
    results = parse_records(text, path.name, set(store.ids()), record, given_date)
    if incident_id is not None:
        if len(results) != 1:
            raise ImportProblem(f"--id needs one record; {path.name} holds {len(results)} (pick one with --record)")
        if slug_problem(incident_id):
            raise ImportProblem(f"--id {incident_id!r}: {slug_problem(incident_id)}")
        if incident_id in store.ids():
            raise ImportProblem(f"an incident with id {incident_id!r} already exists; pass --id NEW-ID")
        results = [replace(results[0], incident=results[0].incident.model_copy(update={"id": incident_id}))]
    return results


def prepare(
    store: Store, path: Path, incident_id: str | None = None, given_date: date | None = None, record: str | None = None
) -> ImportResult:
    """Read and parse one file for the store (nothing written): what `import` would create."""
    if records.kind_of(path.name, "") is not None:
        found = prepare_all(store, path, incident_id, given_date, record)
        if len(found) != 1:
            keys = ", ".join(r.notes[0].removeprefix("record: ") for r in found[:5])
            raise ImportProblem(
                f"{path.name} holds {len(found)} records ({keys}{', …' if len(found) > 5 else ''}); "
                "name the one to import"
            )
        return found[0]
    text = read_markdown(path)
    if not text.strip():
        raise ImportProblem(f"{path}: the file is empty; nothing to import")
    result = parse_markdown(text, path.name, incident_id, set(store.ids()), given_date=given_date)
    if result.incident.id in store.ids():
        raise ImportProblem(f"an incident with id {result.incident.id!r} already exists; pass --id NEW-ID")
    return result


def commit(store: Store, result: ImportResult, source_name: str) -> IncidentRecord:
    """Write a (reviewed) import as a new incident: one commit."""
    return store.create(
        result.incident, result.narrative, where="import", what=f"import '{result.incident.title}' from {source_name}"
    )


def import_file(
    store: Store, path: Path, incident_id: str | None = None, given_date: date | None = None, record: str | None = None
) -> tuple[IncidentRecord, ImportResult]:
    """Import one markdown file (or one record of a record file) into the store as a new incident: one commit."""
    result = prepare(store, path, incident_id, given_date, record)
    return commit(store, result, path.name), result


__all__ = [
    "ImportProblem",
    "ImportResult",
    "commit",
    "import_file",
    "parse_markdown",
    "parse_records",
    "prepare",
    "prepare_all",
    "read_markdown",
    "staging",
]
