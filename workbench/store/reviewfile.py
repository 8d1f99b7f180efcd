"""review.toml beside incident.toml: the review conversation (comments, sign-offs, meeting notes).

Kept apart from incident.toml so that a reviewer commenting and an author editing the facts touch
different files and rarely conflict in a git merge, and so that reports of the incident never have to
filter the conversation out. Same rules as the incident files: tomllib to read (file:line:field in
errors), tomlkit merge to write (comments and order survive), atomic writes, one commit per step,
and no clobbering of an edit made outside since the file was loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..domain.model import Incident
from ..domain.review import Review
from . import layout
from .errors import OutsideEdit, StoreError
from .store import IncidentRecord, Store, nothing_written
from .writes import message
from .textio import TextFile, atomic_write, sha256
from .tomlfile import merge_model, parse_toml, render, to_data, validate

REVIEW_FILE = layout.REVIEW_FILE


@dataclass(frozen=True)
class ReviewRecord:
    incident_id: str
    review: Review
    path: Path
    file: TextFile  # what was on disk when loaded ("" when there was no file)
    existed: bool


def load_review(store: Store, incident_id: str, folder: Path | None = None) -> ReviewRecord:
    folder = folder or store.folder_of(incident_id)
    path = folder / REVIEW_FILE
    store.boundary.check_folder(folder)  # a linked year or incident folder leaving the store is refused
    if not store.boundary.exists(path):
        return ReviewRecord(incident_id, Review(), path, TextFile(""), False)
    text_file = store.boundary.read_text(path)
    label = store.display(path)
    review = validate(Review, parse_toml(text_file.text, label), text_file.text, label)
    return ReviewRecord(incident_id, review, path, text_file, True)


def _encode(record: ReviewRecord, review: Review) -> tuple[str, bytes]:
    # merge_model, not merge: a default the author wrote on purpose (`resolved = false`) stays in the file.
    text = render(to_data(review)) if not record.file.text.strip() else merge_model(record.file.text, review)
    return text, record.file.encode(text)


def _check_unchanged(store: Store, record: ReviewRecord) -> None:
    store.boundary.check_write(record.path)
    on_disk = sha256(store.boundary.read_bytes(record.path)) if store.boundary.exists(record.path) else None
    expected = record.file.sha256 if record.existed else None
    if on_disk != expected:
        raise OutsideEdit(store.display(record.path))


def save_review(
    store: Store, record: ReviewRecord, review: Review, *, what: str, trailers: list[str] | None = None
) -> ReviewRecord:
    """Write review.toml and commit it alone: `<id>: review: <what>` (+ trailers).

    Under the store lock, from the outside-edit check to the commit; a refused commit puts the file back."""
    store.check_writable("record a review step")
    text, data = _encode(record, review)
    subject = message(record.incident_id, "review", what)
    if trailers:
        subject += "\n\n" + "\n".join(trailers)
    with store.lock:
        _check_unchanged(store, record)
        old = store.boundary.read_bytes(record.path) if store.boundary.exists(record.path) else None
        store.own_writes[record.path] = sha256(data)  # a watcher tells our writes from outside edits
        atomic_write(record.path, data)
        try:
            store.git.commit([layout.relative(store.root, record.path)], subject)
        except BaseException as exc:
            _put_back(store, record, old)
            raise nothing_written(exc) from None
    return _reloaded(record, review, text, data)


def _put_back(store: Store, record: ReviewRecord, old: bytes | None) -> None:
    """review.toml as it was before a step that could not be committed: nothing half-done stays."""
    if old is None:
        record.path.unlink(missing_ok=True)
        store.own_writes.pop(record.path, None)
    else:
        store.own_writes[record.path] = sha256(old)
        atomic_write(record.path, old)
    store.git.unstage([layout.relative(store.root, record.path)])


def save_with_incident(
    store: Store,
    record: ReviewRecord,
    review: Review,
    incident_record: IncidentRecord,
    incident: Incident,
    *,
    where: str,
    what: str,
    trailers: list[str] | None = None,
) -> tuple[ReviewRecord, IncidentRecord]:
    """review.toml and incident.toml changed together, as one commit (a meeting's new action item)."""
    store.check_writable("record a review step")
    if incident.times.started != incident_record.incident.times.started:
        raise StoreError("a review step cannot move the incident to another month folder")
    text, data = _encode(record, review)
    with store.lock:
        _check_unchanged(store, record)
        old = store.boundary.read_bytes(record.path) if store.boundary.exists(record.path) else None
        store.own_writes[record.path] = sha256(data)
        atomic_write(record.path, data)
        try:
            saved = store.save(incident_record, incident, where=where, what=what, trailers=trailers)
        except BaseException:
            _put_back(store, record, old)  # nothing half-done is left on disk
            raise
    return _reloaded(record, review, text, data), saved


def _reloaded(record: ReviewRecord, review: Review, text: str, data: bytes) -> ReviewRecord:
    return ReviewRecord(
        record.incident_id, review, record.path, replace(record.file, text=text, sha256=sha256(data)), True
    )


def reviewer_identity(store: Store) -> tuple[str, str]:
    """(name, email) the way git will sign this commit: config, environment, or the store's fallback."""
    env = {**os.environ, **store.git.identity_env()}
    try:
        ident = store.git.repo.git.var("GIT_AUTHOR_IDENT", env=env)
    except Exception:  # git var refuses when no identity can be found at all
        ident = ""
    if "<" in ident:
        name, _, rest = ident.partition("<")
        return name.strip(), rest.split(">", 1)[0].strip()
    return env.get("GIT_AUTHOR_NAME", "unknown"), env.get("GIT_AUTHOR_EMAIL", "")


__all__ = ["REVIEW_FILE", "ReviewRecord", "load_review", "reviewer_identity", "save_review", "save_with_incident"]
