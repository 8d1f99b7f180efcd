"""Random concurrent edit pairs of every shape the merge driver meets, with what each pair must give.

Each side makes one edit to the same base incident, as the app or the CLI would write it (through
`encode_incident`, so the file keeps the base's layout). The shapes:

- an entry added (timeline, causes, actions: two actions added on both sides take the same AI-00N);
- a field of an entry edited; an entry deleted;
- a key the base lacks added to an entry or to a table (`kind`, `times.mitigated`), or a key removed
  (an entry's `source` emptied, which leaves the key out);
- a table the base lacks (`[impact.users_affected]`, `[ai_factors.data]`, `[lessons]`, `[scope]`);
- a top-level field (`summary`).

`expected(pair)` says what the merge must do: the fields both sides set to different values (or an
entry edited on one side and deleted on the other) are conflicts, named as the driver names them;
everything else must be merged with both sides' edits present. Used by tests/store/test_merge_shapes.py
and benchmarks/reliability.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from workbench.domain.ids import next_action_id
from workbench.domain.model import ActionItem, Cause, Factor, Figure, Incident, Lessons, Scope, TimelineEntry

# A change: (path, value). Paths: ("summary",), ("times", "mitigated"), ("timeline", id, "event"),
# ("timeline", id) with value None for a deleted entry, ("timeline", id, "+") for an added entry (value:
# the entry's text), ("impact", "users_affected", "value"), ...
Change = tuple[tuple[str, ...], Any]


@dataclass
class Edit:
    shape: str
    incident: Incident
    changes: list[Change] = field(default_factory=list)


def _pick(rng: random.Random, items: list[Any]) -> Any:
    # A small pool, so both sides often touch the same entry: that is where merges go wrong.
    return items[rng.randrange(min(len(items), 2))]


def make_edit(base: Incident, rng: random.Random, side: str) -> Edit:
    shapes = [
        "add-entry",
        "edit-field",
        "delete-entry",
        "add-key",
        "remove-key",
        "add-table",
        "add-action",
        "add-cause",
        "summary",
    ]
    shape = rng.choice(shapes)
    timeline = list(base.timeline)
    if shape in {"edit-field", "delete-entry", "add-key", "remove-key"} and not timeline:
        shape = "add-entry"
    if shape == "add-entry":
        anchor = timeline[0].time if timeline else base.times.started
        entry = TimelineEntry(
            id=f"t-{side[0]}{rng.randrange(16**3):03x}",
            time=anchor + timedelta(minutes=7),
            event=f"{side} adds an entry",
            source=f"{side}'s log",
        )
        timeline.insert(rng.randrange(len(timeline) + 1), entry)
        return Edit(shape, base.model_copy(update={"timeline": timeline}), [(("timeline", entry.id, "+"), entry.event)])
    # Both sides draw entries from the same small pool of entries no cause cites yet (the app refuses to
    # delete a cited entry), so edit x delete and cite x delete pairs are frequent.
    cited = {e for c in base.causes for e in c.evidence}
    pool = [e for e in timeline if e.id not in cited]
    if shape == "delete-entry" and not pool:
        shape = "edit-field"
    if shape in {"edit-field", "delete-entry", "add-key", "remove-key"}:
        i = timeline.index(_pick(rng, pool or timeline))
        entry = timeline[i]
        if shape == "delete-entry":
            del timeline[i]
            return Edit(shape, base.model_copy(update={"timeline": timeline}), [(("timeline", entry.id), None)])
        if shape == "edit-field":
            name = rng.choice(["event", "source"])
            value = f"{name} edited by {side}"
        elif shape == "add-key":
            name = "kind" if entry.kind is None else "assumption"
            value = rng.choice(["trigger", "detection"]) if name == "kind" else not entry.assumption
        else:
            name, value = ("source", "") if entry.source else ("data_gap", not entry.data_gap)
        timeline[i] = entry.model_copy(update={name: value})
        return Edit(shape, base.model_copy(update={"timeline": timeline}), [(("timeline", entry.id, name), value)])
    if shape == "add-table":
        what = rng.choice(["impact", "ai_factors", "lessons", "scope", "times"])
        if what == "impact":
            figure = Figure(value=rng.choice([120, 4500]), unit="users", source=f"{side}'s dashboard")
            impact = base.impact.model_copy(update={"users_affected": figure})
            return Edit(
                shape,
                base.model_copy(update={"impact": impact}),
                [(("impact", "users_affected", "value"), figure.value)],
            )
        if what == "ai_factors":
            factor = Factor(analysis=f"{side}: the eval set had no long-context cases")
            factors = base.ai_factors.model_copy(update={"evals": factor})
            return Edit(
                shape,
                base.model_copy(update={"ai_factors": factors}),
                [(("ai_factors", "evals", "analysis"), factor.analysis)],
            )
        if what == "lessons":
            lessons = Lessons(
                went_well=list(base.lessons.went_well) + [f"{side}: paging worked"],
                to_improve=list(base.lessons.to_improve),
            )
            return Edit(
                shape,
                base.model_copy(update={"lessons": lessons}),
                [(("lessons", "went_well", "+"), f"{side}: paging worked")],
            )
        if what == "scope":
            scope = Scope(
                covers=f"{side}: the serving fleet",
                excludes=base.scope.excludes,
                blameless_intent=base.scope.blameless_intent,
            )
            return Edit(shape, base.model_copy(update={"scope": scope}), [(("scope", "covers"), scope.covers)])
        mitigated = base.times.started + timedelta(hours=rng.choice([1, 2]))
        times = base.times.model_copy(update={"mitigated": mitigated})
        return Edit(shape, base.model_copy(update={"times": times}), [(("times", "mitigated"), mitigated)])
    if shape == "add-action":
        action = ActionItem(
            id=next_action_id({a.id for a in base.actions}), action=f"{side}: add a canary for it", owner=f"@{side}"
        )
        return Edit(
            shape, base.model_copy(update={"actions": [*base.actions, action]}), [(("actions", "+"), action.action)]
        )
    if shape == "add-cause":
        # Half the new causes cite a timeline entry, which the other side may delete meanwhile.
        evidence = [_pick(rng, pool or timeline).id] if timeline and rng.random() < 0.5 else []
        cause = Cause(
            id=f"c-{side[0]}{rng.randrange(16**3):03x}",
            statement=f"{side}: the cache key ignored the model",
            evidence=evidence,
        )
        changes: list[Change] = [(("causes", cause.id, "+"), cause.statement)]
        changes += [(("cites", e), True) for e in evidence]
        return Edit(shape, base.model_copy(update={"causes": [*base.causes, cause]}), changes)
    summary = f"summary by {side}"
    return Edit("summary", base.model_copy(update={"summary": summary}), [(("summary",), summary)])


def _driver_name(path: tuple[str, ...]) -> str:
    """A path as the driver names a conflict: 'summary', 'times.mitigated', 'timeline[t-1].event'."""
    if path[0] in {"timeline", "causes"} and len(path) >= 2:
        return f"{path[0]}[{path[1]}]" + (f".{path[2]}" if len(path) == 3 else "")
    return ".".join(path)


def expected_conflicts(ours: Edit, theirs: Edit) -> set[str]:
    """The conflicts the driver must report: the same field set differently on both sides, or an
    entry changed on one side and deleted on the other."""
    out: set[str] = set()
    for path_o, value_o in ours.changes:
        for path_t, value_t in theirs.changes:
            for cite, delete in ((path_o, path_t), (path_t, path_o)):
                if cite[0] == "cites" and delete[0] == "timeline" and len(delete) == 2 and delete[1] == cite[1]:
                    out.add(_driver_name(delete))  # cited here, deleted there
            if path_o[-1] == "+" or path_t[-1] == "+":
                continue  # additions never clash (same-numbered actions are renumbered)
            if path_o == path_t and value_o != value_t:
                out.add(_driver_name(path_o))
            elif (
                path_o[0] == path_t[0] == "timeline"
                and path_o[1] == path_t[1]
                and ((value_o is None and len(path_o) == 2) != (value_t is None and len(path_t) == 2))
            ):
                out.add(_driver_name(path_o[:2]))  # edited here, deleted there (or the reverse)
    return out


def _get(incident: Incident, path: tuple[str, ...]) -> Any:
    kind = path[0]
    if kind in {"timeline", "causes"}:
        entries = {e.id: e for e in getattr(incident, kind)}
        entry = entries.get(path[1])
        if len(path) == 2 or path[-1] == "+":
            return entry
        return getattr(entry, path[2]) if entry is not None else None
    value: Any = incident
    for part in path:
        value = getattr(value, part)
    return value


def missing_changes(merged: Incident, edit: Edit, conflicted: set[str]) -> list[str]:
    """Changes of `edit` that did not reach the merged incident (conflicted fields excepted)."""
    lost = []
    for path, value in edit.changes:
        if path[0] == "cites":
            continue  # a citation survives unless its entry's deletion was chosen (conflicted above)
        name = _driver_name(path)
        if name in conflicted or (path[0] == "timeline" and _driver_name(path[:2]) in conflicted):
            continue
        if path == ("actions", "+"):
            ok = value in [a.action for a in merged.actions]
        elif path == ("lessons", "went_well", "+"):
            ok = value in merged.lessons.went_well
        elif path[-1] == "+":
            entry = _get(merged, path)
            ok = entry is not None and value in (getattr(entry, "event", None), getattr(entry, "statement", None))
        elif len(path) == 2 and path[0] == "timeline":
            ok = _get(merged, path) is None  # deleted
        else:
            ok = _get(merged, path) == value
        if not ok:
            lost.append(f"{edit.shape} {name} = {value!r}")
    return lost
