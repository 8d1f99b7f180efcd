"""Settling the conflicts a sync left: the same steps for `workbench conflicts/resolve` and the app's
Conflicts screen.

A conflict is a field of incident.toml changed differently on both sides (the merge driver recorded the
three versions under `.workbench/conflicts/<id>/`; the file on disk stays whole, holding the upstream
value meanwhile). Resolving picks a side per field; when every field of an incident has one, the file is
written from a fresh three-way merge with those choices (never with conflict markers) and staged. When
nothing is left, `finish` completes the sync: the rebase goes on (one commit per rebased commit) and is
pushed, or a merge is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...store import Store, StoreError
from ...store import sync
from ...store.conflicts import ConflictSet
from ...store.tomlmerge import OURS, THEIRS

SIDES = (OURS, THEIRS)


@dataclass(frozen=True)
class OpenConflicts:
    incidents: list[ConflictSet]  # field conflicts, one set per incident
    other_files: list[str]  # unmerged files the merge driver could not settle (edit, then `git add`)
    waiting: str | None  # "rebase" (a sync stopped), "merge", or None

    @property
    def empty(self) -> bool:
        return not self.incidents and not self.other_files


def open_conflicts(store: Store) -> OpenConflicts:
    found = sync.open_conflicts(store)
    recorded = {c.path for c in found}
    others = [p for p in sync.unmerged_paths(store) if p not in recorded]
    return OpenConflicts(found, others, sync.waiting(store))


def waiting(store: Store) -> str | None:
    """'rebase' or 'merge' while one is stopped (a file check, no git process), else None."""
    return sync.waiting(store)


def choices(conflict: ConflictSet, *, take: str | None = None, fields: dict[str, str] | None = None) -> dict[str, str]:
    """`take` one side for every field, then `fields` ({field: side}) for single fields."""
    out: dict[str, str] = {}
    if take is not None:
        _check_side(take)
        out = {name: take for name in conflict.field_names()}
    for name, side in (fields or {}).items():
        _check_side(side, name)
        out[name] = side
    return out


def _check_side(side: str, field: str = "") -> None:
    if side not in SIDES:
        raise StoreError(f"{field + ': ' if field else ''}choose 'ours' or 'theirs', not {side!r}")


def resolve(
    store: Store, incident_id: str, *, take: str | None = None, fields: dict[str, str] | None = None
) -> list[str]:
    """Apply the choices; the file is written and staged once every field has a side. What is left."""
    found = [c for c in sync.open_conflicts(store) if c.incident_id == incident_id]
    if not found:
        raise StoreError(f"no open conflict for {incident_id!r}")
    return sync.resolve(store, incident_id, choices(found[0], take=take, fields=fields))


def finish(store: Store) -> list[str]:
    """Everything resolved: the sync (or merge) completes; what happened, in words."""
    return sync.finish(store).messages


def abort(store: Store) -> list[str]:
    """Give the stopped sync up: the store is as it was before it."""
    return sync.sync(store, abort=True).messages
