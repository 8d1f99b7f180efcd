"""What learning across incidents needs of one incident, kept beside the search index.

Suggestions, similar incidents and the Learning screen's statistics read tags, causes, actions, key
durations and the words of an incident's text. Loading 10,000 full models to get them cost ~700 MB and
~30 s of CPU; a Profile is made once per file content while the index is built (from the model the
index validates anyway), stored as one JSON line per document beside the index's texts, and read back
as plain data. A Profile answers the same attribute names as an Incident for everything the learning
services read (`id`, `taxonomy`, `causes[].taxonomy`, `actions[].is_overdue`, `started_on` ...), so
they take either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from sys import intern
from datetime import date
from typing import Any

from .textsim import join, surface_counts

OPEN_ACTION_STATUSES = frozenset({"open", "in-progress"})


@dataclass(frozen=True, slots=True)
class CauseProfile:
    id: str
    statement: str
    taxonomy: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionProfile:
    id: str
    action: str
    owner: str
    due: date | None
    status: str

    def is_overdue(self, today: date) -> bool:  # the same rule as ActionItem.is_overdue
        return self.status in OPEN_ACTION_STATUSES and self.due is not None and self.due < today


@dataclass(frozen=True, slots=True)
class DurationsProfile:
    to_detect: float | None = None
    to_mitigate: float | None = None
    to_resolve: float | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    title: str
    severity: str | None  # None: the source stated none
    started_on: date | None
    taxonomy: tuple[str, ...]  # the incident's own tags, as written
    causes: tuple[CauseProfile, ...]
    actions: tuple[ActionProfile, ...]
    systems: tuple[str, ...]
    durations: DurationsProfile
    # Content words of title, summary, cause statements and timeline events (textsim.words), counted.
    # Dropped (empty) once a similarity index has taken them in: they are most of a profile's memory.
    words: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, incident: Any, with_words: bool = True) -> Profile:
        """A Profile from a full Incident (or a Profile, returned as it is). Statistics need no words."""
        if isinstance(incident, Profile):
            return incident
        from ...domain.model import durations  # pydantic: only for callers that hold models already

        d = durations(incident)
        return cls(
            id=incident.id,
            title=incident.title,
            severity=incident.severity,
            started_on=incident.started_on,
            taxonomy=tuple(incident.taxonomy),
            causes=tuple(CauseProfile(c.id, c.statement, tuple(c.taxonomy)) for c in incident.causes),
            actions=tuple(ActionProfile(a.id, a.action, a.owner, a.due, a.status) for a in incident.actions),
            systems=tuple(incident.systems),
            durations=DurationsProfile(d.to_detect, d.to_mitigate, d.to_resolve),
            words=word_counts(incident) if with_words else {},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "taxonomy": list(self.taxonomy),
            "causes": [[c.id, c.statement, list(c.taxonomy)] for c in self.causes],
            "actions": [
                [a.id, a.action, a.owner, a.due.isoformat() if a.due else None, a.status] for a in self.actions
            ],
            "systems": list(self.systems),
            "durations": [self.durations.to_detect, self.durations.to_mitigate, self.durations.to_resolve],
            "words": self.words,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], keep_words: bool = True) -> Profile:
        """Raises KeyError/TypeError/ValueError on anything malformed (the caller treats the cache as damaged).

        Tags, owners, statuses, severities and systems repeat across thousands of incidents: each is kept
        once (interned), not once per incident as parsing makes them."""
        started = data["started_on"]
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            severity=None if data["severity"] is None else intern(str(data["severity"])),
            started_on=date.fromisoformat(started) if started else None,
            taxonomy=tuple(intern(str(t)) for t in data["taxonomy"]),
            causes=tuple(
                CauseProfile(str(i), str(s), tuple(intern(str(t)) for t in tags)) for i, s, tags in data["causes"]
            ),
            actions=tuple(
                ActionProfile(str(i), str(a), intern(str(o)), date.fromisoformat(d) if d else None, intern(str(s)))
                for i, a, o, d, s in data["actions"]
            ),
            systems=tuple(intern(str(s)) for s in data["systems"]),
            durations=DurationsProfile(*(None if v is None else float(v) for v in data["durations"])),
            words={str(k): int(v) for k, v in data["words"].items()} if keep_words else {},
        )


def incident_text(incident: Any) -> str:
    """The text similar incidents and suggestions compare: title, summary, causes and timeline events."""
    return join(
        [
            incident.title,
            incident.summary,
            *(c.statement for c in incident.causes),
            *(e.event for e in incident.timeline),
        ]
    )


def word_counts(incident: Any) -> dict[str, int]:
    if isinstance(incident, Profile):
        return incident.words
    return surface_counts(incident_text(incident))
