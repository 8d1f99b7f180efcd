"""An import reviewed before it is written: each extracted fact becomes a candidate in the same staging
list the timeline import uses; what the reviewer accepts (and edits) is what the one commit holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ....domain.model import ActionItem, Cause, Figure, Impact, Lessons, TimelineEntry
from ..timeline.base import Candidate
from ..timeline.review import Staged
from . import ImportResult
from .reader import Item, _reachable_stage

# The staging list's "source" filter lists these, so a reviewer can walk one kind of fact at a time.
ORIGINS = {
    "timeline": "timeline entries",
    "impact": "impact figures",
    "action": "action items",
    "cause": "causes",
    "lesson": "lessons",
}
UNTIMED = frozenset(v for k, v in ORIGINS.items() if k != "timeline")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Which impact field a figure fills, short enough for the staging list's Kind column.
_FIELD_LABELS = {
    "users_affected": "users",
    "requests_affected": "requests",
    "compute_hours_lost": "compute",
    "cost_usd": "cost (USD)",
    "figures": "figure",
}


@dataclass
class StagedImport:
    """An import laid out for review: the candidates, and which extracted fact each one stands for."""

    result: ImportResult
    staged: list[Staged]
    items: dict[int, Item]  # id(candidate) -> the fact it stands for

    @classmethod
    def of(cls, result: ImportResult) -> StagedImport:
        order = list(ORIGINS)
        staged, items = [], {}
        for item in sorted(result.items, key=lambda x: order.index(x.kind) if x.kind in order else 9):
            cand = _candidate(item)
            staged.append(Staged.of(cand))
            items[id(cand)] = item
        return cls(result, staged, items)

    def apply(self, reviewed: list[Staged]) -> ImportResult:
        """The import holding only the accepted facts, with the reviewer's edits; the stage chosen again."""
        accepted = {
            id(self.items[id(s.candidate)].obj): s
            for s in reviewed
            if s.decision == "accepted" and id(s.candidate) in self.items
        }
        lesson_texts = {
            s.candidate.raw for s in reviewed if s.decision == "accepted" and s.candidate.origin == ORIGINS["lesson"]
        }
        i = self.result.incident
        timeline = [
            e.model_copy(update={"time": s.time, "event": s.event, "kind": s.kind})
            for e in i.timeline
            if (s := accepted.get(id(e))) is not None
        ]
        actions = [
            a if accepted[id(a)].event == a.action else a.model_copy(update={"action": accepted[id(a)].event})
            for a in i.actions
            if id(a) in accepted
        ]
        causes = [
            c if accepted[id(c)].event == c.statement else c.model_copy(update={"statement": accepted[id(c)].event})
            for c in i.causes
            if id(c) in accepted
        ]
        impact = i.impact.model_copy(
            update={
                **{
                    n: _edited_figure(getattr(i.impact, n), accepted[id(getattr(i.impact, n))])
                    if id(getattr(i.impact, n)) in accepted
                    else Figure()
                    for n in Impact.FIGURES
                },
                "figures": [_edited_figure(f, accepted[id(f)]) for f in i.impact.figures if id(f) in accepted],
            }
        )
        lessons = Lessons(
            went_well=[t for t in i.lessons.went_well if t in lesson_texts],
            to_improve=[t for t in i.lessons.to_improve if t in lesson_texts],
        )
        incident = i.model_copy(
            update={"timeline": timeline, "actions": actions, "causes": causes, "impact": impact, "lessons": lessons}
        )
        incident = incident.model_copy(update={"stage": _reachable_stage(incident, self.result.narrative)})
        kept = [
            x
            for x in self.result.items
            if id(x.obj) in accepted or (x.kind == "lesson" and isinstance(x.obj, str) and x.obj in lesson_texts)
        ]
        notes = [*self.result.notes, f"reviewed: {len(kept)} accepted, {len(self.result.items) - len(kept)} left out"]
        return replace(self.result, incident=incident, items=kept, notes=notes)


def _candidate(item: Item) -> Candidate:
    obj = item.obj
    origin = ORIGINS.get(item.kind, item.kind)
    if isinstance(obj, TimelineEntry):
        return Candidate(obj.time, obj.event, obj.kind, item.cite, raw=obj.note, origin=origin)
    if isinstance(obj, ActionItem):
        return Candidate(_EPOCH, obj.action, obj.status, item.cite, raw=item.label, origin=origin)
    if isinstance(obj, Cause):
        return Candidate(_EPOCH, obj.statement, obj.kind, item.cite, raw=item.label, origin=origin)
    if isinstance(obj, Figure):
        text = figure_text(obj.value, obj.unit, obj.note)
        return Candidate(
            _EPOCH, text, _FIELD_LABELS.get(item.field, item.field), item.cite, raw=item.label, origin=origin
        )
    return Candidate(_EPOCH, str(obj or item.label), None, item.cite, raw=str(obj or item.label), origin=origin)


# A figure in the staging list reads "VALUE UNIT — note"; the review edits the three apart and writes them back.
_FIGURE_TEXT_RE = re.compile(r"^\s*(?P<value>-?\d[\d,]*(?:\.\d+)?)\s+(?P<unit>[^\s—]+)\s+—\s+(?P<note>.*)$", re.S)


def figure_text(value: float | None, unit: str, note: str) -> str:
    return f"{value:g} {unit} — {note}" if value is not None else note


def figure_parts(text: str) -> tuple[float, str, str] | None:
    """(value, unit, note) of a figure's staging text, or None when it is not in that form."""
    match = _FIGURE_TEXT_RE.match(text)
    if not match:
        return None
    return float(match.group("value").replace(",", "")), match.group("unit"), match.group("note").strip()


def _edited_figure(fig: Figure, staged: Staged) -> Figure:
    """The figure with the reviewer's value, unit and note (unchanged when the text was not edited)."""
    if staged.event == figure_text(fig.value, fig.unit, fig.note):
        return fig
    parts = figure_parts(staged.event)
    if parts is None:  # the value was cleared: the note says what is known
        return fig.model_copy(update={"value": None, "unit": "", "note": staged.event.strip()})
    value, unit, note = parts
    return fig.model_copy(update={"value": int(value) if value.is_integer() else value, "unit": unit, "note": note})
