"""Describe what changed between two versions of an incident, for commit messages and history."""

from __future__ import annotations

from .model import Incident

COLLECTIONS = ("timeline", "causes", "actions", "barriers", "observations", "gaps", "questions")
_SINGULAR = {
    "timeline": "timeline entry",
    "causes": "cause",
    "actions": "action",
    "barriers": "barrier",
    "observations": "observation",
    "gaps": "gap",
    "questions": "question",
}


def _label(entry: object) -> str:
    for attr in ("event", "statement", "action", "control", "behaviour", "text"):
        value = getattr(entry, attr, None)
        if isinstance(value, str) and value:
            short = " ".join(value.split())
            return short if len(short) <= 40 else short[:37] + "..."
    return ""


def describe(old: Incident, new: Incident) -> list[str]:
    """Short phrases, most specific first: 'add timeline entry t-3f9a "Deploy v2"', 'stage analysis -> synthesis'."""
    out: list[str] = []
    if old.stage != new.stage:
        out.append(f"stage {old.stage} -> {new.stage}")
    for name in COLLECTIONS:
        before = {e.id: e for e in getattr(old, name)}
        after = {e.id: e for e in getattr(new, name)}
        for entry_id, entry in after.items():
            if entry_id not in before:
                out.append(f'add {_SINGULAR[name]} {entry_id} "{_label(entry)}"')
            elif before[entry_id] != entry:
                changed = [f for f in type(entry).model_fields if getattr(before[entry_id], f) != getattr(entry, f)]
                out.append(f"edit {_SINGULAR[name]} {entry_id} ({', '.join(changed)})")
        for entry_id, entry in before.items():
            if entry_id not in after:
                out.append(f'delete {_SINGULAR[name]} {entry_id} "{_label(entry)}"')
        if [e for e in before if e in after] != [e for e in after if e in before]:
            out.append(f"reorder {name}")
    for field in type(new).model_fields:
        if field in COLLECTIONS or field == "stage":
            continue
        if getattr(old, field) != getattr(new, field):
            out.append(f"edit {field}")
    return out


def summary(old: Incident, new: Incident, limit: int = 3) -> str:
    parts = describe(old, new)
    if not parts:
        return "no change"
    if len(parts) > limit:
        return "; ".join(parts[:limit]) + f"; and {len(parts) - limit} more"
    return "; ".join(parts)
