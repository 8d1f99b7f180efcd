"""Pure edits of an incident: each returns a new, fully validated Incident (or raises ValidationError).

Deleting an entry also removes references to it, so an edit never leaves a dangling id behind.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel

from .ids import new_entry_id, next_action_id
from .model import Incident


def replace(incident: Incident, **changes: Any) -> Incident:
    """A copy with `changes`, validated as a whole (cross references included)."""
    data = incident.model_dump()
    for key, value in changes.items():
        data[key] = _dump(value)
    return Incident.model_validate(data)


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def fresh_id(incident: Incident, collection: str) -> str:
    taken = incident.entry_ids()
    return next_action_id(taken) if collection == "actions" else new_entry_id(collection, taken)


class Entry(Protocol):
    """A timeline entry, cause, action, ...: any entry of an incident's collections has an id."""

    @property
    def id(self) -> str: ...


def upsert(incident: Incident, collection: str, entry: Entry) -> Incident:
    entries = list(getattr(incident, collection))
    index = next((i for i, e in enumerate(entries) if e.id == entry.id), None)
    if index is None:
        entries.append(entry)
    else:
        entries[index] = entry
    return replace(incident, **{collection: entries})


def delete(incident: Incident, collection: str, entry_id: str) -> Incident:
    entries = [e for e in getattr(incident, collection) if e.id != entry_id]
    changes: dict[str, Any] = {collection: entries}
    if collection == "timeline":
        changes["causes"] = [
            c.model_copy(update={"evidence": [x for x in c.evidence if x != entry_id]}) for c in incident.causes
        ]
    if collection == "causes":
        gone = next(c for c in incident.causes if c.id == entry_id)
        # Children move up to the deleted cause's parent: the chain stays connected.
        changes["causes"] = [
            c.model_copy(update={"parent": gone.parent}) if c.parent == entry_id else c for c in entries
        ]
        changes["actions"] = [
            a.model_copy(update={"addresses": [x for x in a.addresses if x != entry_id]}) for a in incident.actions
        ]
    return replace(incident, **changes)


def duplicate(incident: Incident, collection: str, entry_id: str) -> tuple[Incident, str]:
    entries = list(getattr(incident, collection))
    index = next(i for i, e in enumerate(entries) if e.id == entry_id)
    copy_id = fresh_id(incident, collection)
    entries.insert(index + 1, entries[index].model_copy(update={"id": copy_id}))
    return replace(incident, **{collection: entries}), copy_id


def move(incident: Incident, collection: str, entry_id: str, delta: int) -> Incident | None:
    """Move an entry up (-1) or down (+1) in file order; None when it is already at that end."""
    entries = list(getattr(incident, collection))
    index = next(i for i, e in enumerate(entries) if e.id == entry_id)
    target = index + delta
    if not 0 <= target < len(entries):
        return None
    entries[index], entries[target] = entries[target], entries[index]
    return replace(incident, **{collection: entries})
