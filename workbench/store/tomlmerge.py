"""Three-way merge of incident.toml, entry by entry, by the entries' stable ids.

git merges text line by line, so two people adding timeline entries at the end of the same file, or
editing two fields of one entry, "conflict" although their edits are independent. Here the three
versions are parsed and merged as data:

- a field changed on one side only takes that side's value; on both sides to the same value, that value;
- arrays of tables whose entries have an `id` (timeline, causes, actions, ...) are merged entry by
  entry: entries added on either side are kept (in order), an entry deleted on one side and untouched on
  the other is deleted, and entries present on both sides are merged field by field;
- lists of plain values (tags, systems, evidence ids) are merged as sets of additions and removals;
- two action items added on both sides with the same sequential id (AI-004) are both kept: the second
  side's item gets the next free number (in a rebase, that side is your own, not yet published, work);
- only the same field of the same entry changed differently on both sides (or an entry changed on one
  side and deleted on the other) is a conflict. The merged data then holds `ours` for that field, and
  the conflict is listed for the person to resolve: no conflict markers are ever written.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.ids import next_action_id
from .tomlfile import merge as merge_into_text

_MISSING: Any = object()  # Any: it stands in for a value of any type in the merge's lookups
OURS, THEIRS = "ours", "theirs"


@dataclass(frozen=True)
class Conflict:
    field: str  # 'summary', 'timeline[t-3f9a].event', 'actions[AI-002]' (whole entry: changed vs deleted)
    base: Any
    ours: Any
    theirs: Any


class MergeError(Exception):
    """A side is not valid TOML: the text merge of git is the only fallback."""


def merge3(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], choices: dict[str, str] | None = None
) -> tuple[dict[str, Any], list[Conflict]]:
    """Merged data and the conflicts left. `choices` resolves conflicts by field: 'ours' or 'theirs'."""
    conflicts: list[Conflict] = []
    # A copy: the merged data shares tables with the inputs, and keeping citations valid may edit them.
    merged = copy.deepcopy(_merge_tables(base, ours, theirs, "", conflicts, choices or {}))
    _keep_cited(base, ours, theirs, merged, conflicts, choices or {})
    return merged, conflicts


# (entries, their field, the entries it names): one side may delete an entry the other side cites.
REFERENCES = (
    ("causes", "evidence", "timeline"),
    ("causes", "parent", "causes"),
    ("actions", "addresses", "causes"),
    ("collection", "evidence", "evidence"),
    ("collection", "gap", "gaps"),
    ("causes", "diagnostics", "diagnostics"),
    ("impact", "diagnostics", "diagnostics"),
)


def _referring(merged: dict[str, Any], referrers: str) -> list[Any]:
    """The entries (or the one table, such as `impact`) that may cite another entry."""
    value = merged.get(referrers, [])
    return [value] if isinstance(value, dict) else list(value) if isinstance(value, list) else []


def _keep_cited(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    merged: dict[str, Any],
    conflicts: list[Conflict],
    choices: dict[str, str],
) -> None:
    """An entry deleted on one side but cited on the other (a new cause citing a timeline entry) is a
    conflict, not a file that no longer loads. As for every conflict, ours is kept until a side is
    chosen; either way the file stays valid: keeping the entry restores it, deleting it also drops the
    citations."""
    for referrers, field_name, target in REFERENCES:
        present = {e.get("id") for e in merged.get(target, []) if isinstance(e, dict)}
        for referrer in _referring(merged, referrers):
            if not isinstance(referrer, dict):
                continue
            cited = referrer.get(field_name)
            for ref in cited if isinstance(cited, list) else [cited]:
                if not isinstance(ref, str) or ref in present:
                    continue
                original = next((e for e in base.get(target, []) if isinstance(e, dict) and e.get("id") == ref), None)
                if original is None:
                    continue  # not a deletion: the file was dangling before, validation says so
                label = f"{target}[{ref}]"
                mine = next((e for e in ours.get(target, []) if isinstance(e, dict) and e.get("id") == ref), _MISSING)
                other = next(
                    (e for e in theirs.get(target, []) if isinstance(e, dict) and e.get("id") == ref), _MISSING
                )
                known = [c for c in conflicts if c.field == label]
                kept = _conflict(label, original, mine, other, [] if known else conflicts, choices)
                if kept is _MISSING:
                    _drop_citations(merged, target, ref)
                else:
                    _restore(merged, base, target, kept if isinstance(kept, dict) else original)
                    present.add(ref)


def _drop_citations(merged: dict[str, Any], target: str, ref: str) -> None:
    for referrers, field_name, named in REFERENCES:
        if named != target:
            continue
        for referrer in _referring(merged, referrers):
            value = referrer.get(field_name) if isinstance(referrer, dict) else None
            if isinstance(value, list) and ref in value:
                referrer[field_name] = [v for v in value if v != ref]
            elif value == ref:
                del referrer[field_name]


def _restore(merged: dict[str, Any], base: dict[str, Any], target: str, entry: dict[str, Any]) -> None:
    """Put a deleted entry back after the entry that preceded it in the base."""
    entries = merged.setdefault(target, [])
    ids = [e.get("id") for e in entries]
    before = [e.get("id") for e in base.get(target, [])]
    position = 0
    for earlier in before[: before.index(entry["id"])] if entry["id"] in before else []:
        if earlier in ids:
            position = ids.index(earlier) + 1
    entries.insert(position, entry)


def merge_texts(
    base_text: str, ours_text: str, theirs_text: str, choices: dict[str, str] | None = None
) -> tuple[str, list[Conflict]]:
    """The merged file, written into `ours_text` so its comments and layout survive."""
    try:
        base = tomllib.loads(base_text) if base_text.strip() else {}
        ours = tomllib.loads(ours_text)
        theirs = tomllib.loads(theirs_text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise MergeError(f"not valid TOML: {exc}") from None
    merged, conflicts = merge3(base, ours, theirs, choices)
    return merge_into_text(ours_text, merged), conflicts


# ------------------------------------------------------------------------------------------ tables
def _merge_tables(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    where: str,
    conflicts: list[Conflict],
    choices: dict[str, str],
) -> dict[str, Any]:
    keys = list(ours) + [k for k in theirs if k not in ours]
    out: dict[str, Any] = {}
    for key in keys:
        value = _merge_value(
            base.get(key, _MISSING),
            ours.get(key, _MISSING),
            theirs.get(key, _MISSING),
            f"{where}.{key}" if where else key,
            conflicts,
            choices,
        )
        if value is not _MISSING:
            out[key] = value
    return out


def _merge_value(
    base: Any, ours: Any, theirs: Any, where: str, conflicts: list[Conflict], choices: dict[str, str]
) -> Any:
    if _equal(ours, theirs):
        return ours
    if _equal(ours, base):
        return theirs
    if _equal(theirs, base):
        return ours
    # Changed on both sides, differently.
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return _merge_tables(base if isinstance(base, dict) else {}, ours, theirs, where, conflicts, choices)
    key = ENTRY_KEYS.get(where, "id")
    if (
        _is_entries(ours, key)
        and _is_entries(theirs, key)
        and (base is _MISSING or _is_entries(base, key) or base == [])
    ):
        return _merge_entries(base if isinstance(base, list) else [], ours, theirs, where, conflicts, choices, key)
    if _is_plain_list(ours) and _is_plain_list(theirs) and (base is _MISSING or _is_plain_list(base)):
        return _merge_sets(base if isinstance(base, list) else [], ours, theirs)
    return _conflict(where, base, ours, theirs, conflicts, choices)


def _conflict(where: str, base: Any, ours: Any, theirs: Any, conflicts: list[Conflict], choices: dict[str, str]) -> Any:
    choice = choices.get(where)
    if choice == THEIRS:
        return theirs
    if choice == OURS:
        return ours
    conflicts.append(Conflict(where, _shown(base), _shown(ours), _shown(theirs)))
    return ours


def _shown(value: Any) -> Any:
    return None if value is _MISSING else value


def _equal(a: Any, b: Any) -> bool:
    return a is b or (a is not _MISSING and b is not _MISSING and type(a) is type(b) and a == b)


# Lists of tables merged entry by entry, by the field that names an entry: "id" everywhere, except the
# data-collection checklist, whose lines are named by their source (the model allows each source once).
ENTRY_KEYS = {"collection": "source"}


def _is_entries(value: Any, key: str = "id") -> bool:
    if not isinstance(value, list) or not all(isinstance(v, dict) and isinstance(v.get(key), str) for v in value):
        return False
    return len({v[key] for v in value}) == len(value)  # a name used twice cannot pair entries up


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value)


def _merge_sets(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    removed = {v for v in base if v not in ours or v not in theirs}
    out = [v for v in ours if v not in removed or v not in base]
    out += [v for v in theirs if v not in base and v not in out]
    return out


# ----------------------------------------------------------------------------------------- entries
def _merge_entries(
    base: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    where: str,
    conflicts: list[Conflict],
    choices: dict[str, str],
    key: str = "id",
) -> list[dict[str, Any]]:
    by_base = {e[key]: e for e in base}
    by_ours = {e[key]: e for e in ours}
    theirs = _renumber_clashing_actions(where, by_base, by_ours, theirs)
    by_theirs = {e[key]: e for e in theirs}

    order = [e[key] for e in ours]
    # Entries new on their side go after the entry that precedes them there; so do entries we deleted
    # that they kept (unchanged there, they stay deleted below; changed there, it is a conflict).
    for index, entry in enumerate(theirs):
        entry_id = entry[key]
        if entry_id in by_ours:
            continue
        previous = next((theirs[j][key] for j in range(index - 1, -1, -1) if theirs[j][key] in order), None)
        order.insert(order.index(previous) + 1 if previous else 0, entry_id)

    out: list[dict[str, Any]] = []
    for entry_id in order:
        label = f"{where}[{entry_id}]"
        b, o, t = by_base.get(entry_id, _MISSING), by_ours.get(entry_id, _MISSING), by_theirs.get(entry_id, _MISSING)
        if o is not _MISSING and t is not _MISSING:
            out.append(_merge_tables(b if b is not _MISSING else {}, o, t, label, conflicts, choices))
        elif o is not _MISSING:  # absent on their side: added here, or deleted there
            if b is _MISSING:
                out.append(o)
            elif not _equal(o, b):  # changed here, deleted there
                kept = _conflict(label, b, o, _MISSING, conflicts, choices)
                if kept is not _MISSING:
                    out.append(kept)
        elif t is not _MISSING:
            if b is _MISSING:
                out.append(t)
            elif not _equal(t, b):  # deleted here, changed there
                kept = _conflict(label, b, _MISSING, t, conflicts, choices)
                if kept is not _MISSING:
                    out.append(kept)
    return out


_ACTION_RE = re.compile(r"^AI-\d+$")


def _renumber_clashing_actions(
    where: str, by_base: dict[str, Any], by_ours: dict[str, Any], theirs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if where != "actions":
        return theirs
    taken = set(by_base) | set(by_ours) | {e["id"] for e in theirs}
    out = []
    for entry in theirs:
        entry_id = entry["id"]
        ours = by_ours.get(entry_id)
        if _ACTION_RE.match(entry_id) and entry_id not in by_base and ours is not None and ours != entry:
            new_id = next_action_id(taken)
            taken.add(new_id)
            entry = {**entry, "id": new_id}
        out.append(entry)
    return out


def describe(value: Any) -> str:
    """A value as one short line for a person: conflict lists, the CLI and the app."""
    if value is None:
        return "(deleted)"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {describe(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 200 else repr(value[:197] + "...")
    return str(value)


def read_texts(paths: tuple[Path, Path, Path]) -> tuple[str, str, str]:
    base, ours, theirs = (p.read_bytes().decode("utf-8-sig") for p in paths)
    return base, ours, theirs
