"""The rules every store applies to a write, whatever it writes to: the git store (store.py) and the in-memory
one (memory.py) both call these, so a refusal reads the same and the bytes they keep are the same.

    check_writable(store.read_only)                       read-only refusal
    first_narrative(incident, narrative)                  the template a new incident starts from
    check_new(incident, id_taken=..., folder_taken=...)   one incident per id and per folder
    save_subject(record, incident, where, what, trailers) an id never changes; the commit message
    encode_files(record, incident, narrative, label)      the bytes to write; conflict markers and size refused
    restore_version(store, record, rev, full_id)          an old version back as a new step
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.narrative import template
from . import layout
from .errors import ConflictMarkers, ReadOnlyStore, StoreError
from .textio import MAX_FILE_BYTES, TextFile, conflict_marker_line

if TYPE_CHECKING:  # the models (pydantic) and tomlfile load on first use, as in store.py: a start needs neither
    from ..domain.model import Incident
    from .protocol import StoreProtocol
    from .store import IncidentRecord


def message(incident_id: str, where: str, what: str) -> str:
    """The structured commit subject: `<incident-id>: <stage or pane>: <what changed>`, or `<subject>: <what
    changed>` when there is no where (the taxonomy: "taxonomy: add mode rag.x", never "taxonomy: taxonomy: ...")."""
    # One line of printable text: a title may hold control characters (even NUL, which the git
    # command line cannot carry at all), and a newline would split the subject.
    what = " ".join("".join(ch if ch.isprintable() else " " for ch in what).split())
    where = " ".join("".join(ch if ch.isprintable() else " " for ch in where).split())
    if len(what) > 120:
        what = what[:117] + "..."
    return f"{incident_id}: {where}: {what}" if where else f"{incident_id}: {what}"


def check_writable(read_only: bool, doing: str = "save") -> None:
    if read_only:
        raise ReadOnlyStore(f"cannot {doing}: the store is open read-only (viewing only)")


def first_narrative(incident: Incident, narrative: str | None) -> str:
    """What a new incident's postmortem.md starts as: the text given, else the template for its review level."""
    return narrative if narrative is not None else template(light=incident.review == "light")


def check_new(incident: Incident, *, id_taken: bool, folder_taken: bool, folder_label: object) -> None:
    if id_taken:
        raise StoreError(f"an incident with id {incident.id!r} already exists")
    if folder_taken:
        raise StoreError(f"{folder_label} already exists")


def create_subject(incident: Incident, where: str, what: str | None) -> str:
    return message(incident.id, where, what or f"create '{incident.title}'")


def save_subject(
    record: IncidentRecord, incident: Incident, where: str, what: str, trailers: list[str] | None = None
) -> str:
    """The commit message of a save; refuses a save that would change the incident's id."""
    if incident.id != record.id:
        raise StoreError("an incident's id cannot change; create a new incident instead")
    subject = message(incident.id, where, what)
    if trailers:
        subject += "\n\n" + "\n".join(t.replace("\x00", "") for t in trailers)
    return subject


@dataclass(frozen=True)
class Encoded:
    """An incident's two files as they will be written (each keeps its BOM and line endings)."""

    toml_text: str
    toml_file: TextFile
    toml_bytes: bytes
    md_text: str
    md_file: TextFile
    md_bytes: bytes


def encode_files(
    record: IncidentRecord | None, incident: Incident, narrative: str, label: Callable[[str], object]
) -> Encoded:
    """The bytes of incident.toml (comments and layout of `record`'s kept) and postmortem.md (ending in a
    newline); refuses a narrative holding git conflict markers and a file over the store's size limit.
    `record` None: a new incident. `label(file name)` names a file of the incident's folder in messages."""
    from .tomlfile import encode_incident

    toml_text = encode_incident(incident, record.toml.text if record is not None else None)
    toml_file = record.toml if record is not None else TextFile("")
    toml_bytes = toml_file.encode(toml_text)
    md_file = (record.md if record is not None else None) or TextFile("")
    md_text = narrative if narrative.endswith("\n") or not narrative else narrative + "\n"
    md_bytes = md_file.encode(md_text)
    marker = conflict_marker_line(md_bytes)
    if marker is not None:
        raise ConflictMarkers(
            f"{label(layout.NARRATIVE_FILE)}:{marker}: the narrative holds git conflict markers; resolve them "
            "before saving (nothing was written)"
        )
    for name, data in ((layout.INCIDENT_FILE, toml_bytes), (layout.NARRATIVE_FILE, md_bytes)):
        if len(data) > MAX_FILE_BYTES:  # never write what the store would refuse to load
            raise StoreError(
                f"{label(name)} would be {len(data):,} bytes; the store's limit is "
                f"{MAX_FILE_BYTES:,} (nothing was written)"
            )
    return Encoded(toml_text, toml_file, toml_bytes, md_text, md_file, md_bytes)


def restore_version(
    store: StoreProtocol, record: IncidentRecord, rev: str, full_id: Callable[[str], str]
) -> IncidentRecord:
    """Bring back the version at `rev` as a new step (its commit names the version by `full_id(rev)[:8]`);
    history is never rewritten."""
    old = store.show_at(record.id, rev)
    return store.save(record, old.incident, old.narrative, where="history", what=f"restore version {full_id(rev)[:8]}")
