"""Review before it lands: de-duplicate candidates (against the timeline and each other), turn the
accepted ones into entries in one commit that names the sources; derive key times from the
timeline; find long silences that may be [DATA GAP]s."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from rapidfuzz import fuzz

from ....domain.wording import counted
from ....domain import edit
from ....domain.model import Incident, KeyTimes, TimelineEntry
from . import Candidate

SIMILAR = 85  # rapidfuzz token_set_ratio at or above which two texts in the same minute are one event
KEY_KINDS = {"started": "trigger", "detected": "detection", "mitigated": "mitigation", "resolved": "resolution"}


@dataclass(frozen=True)
class Staged:
    """A candidate in the staging list, with the reviewer's edits and decision."""

    candidate: Candidate
    time: datetime
    event: str
    kind: str | None
    decision: str = "pending"  # pending | accepted | dropped

    @classmethod
    def of(cls, candidate: Candidate) -> Staged:
        return cls(candidate, candidate.time, candidate.event, candidate.kind)

    @property
    def source(self) -> str:
        return self.candidate.source

    @property
    def origin(self) -> str:
        return self.candidate.origin


@dataclass(frozen=True)
class Duplicate:
    candidate: Candidate
    of: str  # "t-3f9a" (an existing entry) or the source of the earlier candidate


def deduplicate(incident: Incident, candidates: list[Candidate]) -> tuple[list[Staged], list[Duplicate]]:
    """Candidates in UTC order, without those already in the timeline or repeated within the import."""
    kept: list[Staged] = []
    dropped: list[Duplicate] = []
    by_minute: dict[datetime, list[tuple[str, str]]] = {}
    for entry in incident.timeline:
        by_minute.setdefault(entry.time.replace(second=0, microsecond=0), []).append((entry.id, entry.event))
    for candidate in sorted(candidates, key=lambda c: c.time):
        minute = candidate.time.replace(second=0, microsecond=0)
        match = next(
            (
                who
                for who, text in by_minute.get(minute, [])
                if fuzz.token_set_ratio(candidate.event.lower(), text.lower()) >= SIMILAR
            ),
            None,
        )
        if match:
            dropped.append(Duplicate(candidate, match))
            continue
        kept.append(Staged.of(candidate))
        by_minute.setdefault(minute, []).append((candidate.source, candidate.event))
    return kept, dropped


def filter_staged(items: list[Staged], text: str = "", origin: str = "") -> list[int]:
    """Indexes of the items whose event/source contain `text` (case-insensitive) from `origin`."""
    needle = text.lower().strip()
    return [
        i
        for i, s in enumerate(items)
        if (not origin or s.origin == origin)
        and (not needle or needle in s.event.lower() or needle in s.source.lower())
    ]


def accept(incident: Incident, items: list[Staged]) -> tuple[Incident, str, list[str]] | None:
    """The incident with the accepted items added, the commit's `what`, and trailers naming each
    source. None when nothing was accepted."""
    accepted = [s for s in items if s.decision == "accepted"]
    if not accepted:
        return None
    entries = list(incident.timeline)
    taken = incident.entry_ids()
    for item in accepted:
        from ....domain.ids import new_entry_id

        entry_id = new_entry_id("timeline", taken)
        taken.add(entry_id)
        entries.append(TimelineEntry(id=entry_id, time=item.time, event=item.event, source=item.source, kind=item.kind))
    new = edit.replace(incident, timeline=entries)
    origins = sorted({s.origin for s in accepted if s.origin})
    counts = {o: sum(1 for s in accepted if s.origin == o) for o in origins}
    what = f"import {counted(len(accepted), 'event')} from " + ", ".join(origins)
    trailers = [f"Imported-from: {o} ({counted(counts[o], 'event')})" for o in origins]
    return new, what, trailers


def decide(items: list[Staged], index: int, decision: str, **changes: Any) -> list[Staged]:
    out = list(items)
    out[index] = replace(out[index], decision=decision, **changes)
    return out


def default_window(
    fmt: str, incident: Incident, since: datetime | None, until: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """Git history is read around the incident (a day either side of its key times) unless told
    otherwise: a repository's whole history would bury the few changes that matter."""
    if fmt != "git":
        return since, until
    times = incident.times
    if since is None and times.started:
        since = times.started - timedelta(days=1)
    end = times.resolved or times.mitigated or times.started
    if until is None and end:
        until = end + timedelta(days=1)
    return since, until


# --------------------------------------------------------------------------------- derived facts
@dataclass(frozen=True)
class ProposedTime:
    name: str  # started | detected | mitigated | resolved
    current: datetime | None
    proposed: datetime
    entry_id: str
    event: str

    @property
    def changes(self) -> bool:
        return self.current != self.proposed


def propose_times(incident: Incident) -> list[ProposedTime]:
    """The first trigger, detection, mitigation and resolution entries as key-time proposals."""
    out = []
    ordered = incident.sorted_timeline()
    for name, kind in KEY_KINDS.items():
        first = next((e for e in ordered if e.kind == kind), None)
        if first is not None:
            out.append(ProposedTime(name, getattr(incident.times, name), first.time, first.id, first.event))
    return out


def apply_times(incident: Incident, proposals: list[ProposedTime]) -> Incident:
    """Raises ValueError (pydantic) when the proposed times are out of order: nothing is applied."""
    values = incident.times.model_dump()
    for p in proposals:
        values[p.name] = p.proposed
    return edit.replace(incident, times=KeyTimes.model_validate(values))


@dataclass(frozen=True)
class SilentGap:
    after: TimelineEntry
    before: TimelineEntry

    @property
    def minutes(self) -> float:
        return (self.before.time - self.after.time).total_seconds() / 60


def silent_gaps(incident: Incident, minimum: timedelta | None = None) -> list[SilentGap]:
    """Stretches with no timeline entry, longer than `minimum` (default: the larger of 60 minutes and
    four times the median spacing), between the incident's start and its resolution."""
    ordered = incident.sorted_timeline()
    if incident.times.started:
        ordered = [e for e in ordered if e.time >= incident.times.started] or ordered
    if incident.times.resolved:
        ordered = [e for e in ordered if e.time <= incident.times.resolved] or ordered
    if len(ordered) < 2:
        return []
    spacings = [(b.time - a.time) for a, b in zip(ordered, ordered[1:])]
    if minimum is None:
        # statistics.median works on timedeltas (it sorts, and halves the sum of the middle two); typeshed
        # allows numbers only
        minimum = max(timedelta(minutes=60), 4 * median(spacings))  # type: ignore[type-var]
    return [SilentGap(a, b) for a, b in zip(ordered, ordered[1:]) if b.time - a.time > minimum]
