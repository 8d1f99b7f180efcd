"""Light excerpts of incidents: what lists, filters and search results need, without loading the full model.

An excerpt is built from the parsed TOML (plain data, no pydantic validation: that is the slow part
of loading thousands of incidents), kept in the search cache, and turned into JSON as is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Any

OPEN_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class Excerpt:
    id: str
    title: str
    severity: str = "P2"
    stage: str = "scoping"
    kind: str = "incident"
    started: str = ""  # ISO date (YYYY-MM-DD) of times.started, "" when undated
    path: str = ""  # the incident folder, relative to the store
    tags: tuple[str, ...] = ()
    taxonomy: tuple[str, ...] = ()  # the incident's modes and its causes' modes
    owners: tuple[str, ...] = ()  # action owners, commander and lead
    statuses: tuple[str, ...] = ()  # one per action
    open_due: tuple[str, ...] = ()  # ISO due dates of open actions
    open_actions: int = 0
    started_at: str = ""  # "YYYY-MM-DD HH:MM" in UTC, for lists; "" when undated
    follow_up: str = ""  # ISO date of the promised follow-up review
    follow_up_held: str = ""  # ISO date it took place
    # "problems": what stops the incident from loading, as {"path", "message", "line", "field"} dicts
    # (the store's own messages), so a list can report broken files without loading every incident.
    extra: dict[str, Any] = field(default_factory=dict)

    def overdue(self, today: date) -> bool:
        iso = today.isoformat()
        return any(d < iso for d in self.open_due)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Excerpt:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**fields)

    # Rows (plain lists in field order) are what the search cache stores: ~10x faster than asdict.
    def to_row(self) -> list[Any]:
        return [
            self.id,
            self.title,
            self.severity,
            self.stage,
            self.kind,
            self.started,
            self.path,
            self.tags,
            self.taxonomy,
            self.owners,
            self.statuses,
            self.open_due,
            self.open_actions,
            self.started_at,
            self.follow_up,
            self.follow_up_held,
            self.extra,
        ]

    @classmethod
    def from_row(cls, row: list[Any]) -> Excerpt:
        (
            id_,
            title,
            severity,
            stage,
            kind,
            started,
            path,
            tags,
            taxonomy,
            owners,
            statuses,
            open_due,
            open_actions,
            started_at,
            follow_up,
            follow_up_held,
            extra,
        ) = row
        return cls(
            str(id_),
            str(title),
            str(severity),
            str(stage),
            str(kind),
            str(started),
            str(path),
            tuple(tags),
            tuple(taxonomy),
            tuple(owners),
            tuple(statuses),
            tuple(open_due),
            int(open_actions),
            str(started_at),
            str(follow_up),
            str(follow_up_held),
            dict(extra),
        )

    @property
    def problems(self) -> list[dict[str, Any]]:
        return list(self.extra.get("problems", ()))


def _iso_day(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value[:10]
    return ""


def _utc_minute(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return f"{value:%Y-%m-%d %H:%M}"
    return ""


def _strs(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def excerpt_from_data(data: dict[str, Any], path: str) -> Excerpt:
    """An excerpt from an incident.toml parsed as plain data (tolerant: a bad field is left out)."""
    raw_times = data.get("times")
    times: dict[str, Any] = raw_times if isinstance(raw_times, dict) else {}
    actions = (
        [a for a in data.get("actions", []) if isinstance(a, dict)] if isinstance(data.get("actions"), list) else []
    )
    causes = [c for c in data.get("causes", []) if isinstance(c, dict)] if isinstance(data.get("causes"), list) else []
    modes = _strs(data.get("taxonomy"))
    for cause in causes:
        modes.extend(m for m in _strs(cause.get("taxonomy")) if m not in modes)
    owners: list[str] = []
    for person in [data.get("commander"), data.get("lead"), *(a.get("owner") for a in actions)]:
        if isinstance(person, str) and person and person not in owners:
            owners.append(person)
    statuses = [str(a.get("status", "open")) for a in actions]
    open_due = sorted(
        _iso_day(a.get("due")) for a in actions if str(a.get("status", "open")) in OPEN_STATUSES and a.get("due")
    )
    return Excerpt(
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        severity=str(data.get("severity", "P2")),
        stage=str(data.get("stage", "scoping")),
        kind=str(data.get("kind", "incident")),
        started=_iso_day(times.get("started")),
        path=path,
        tags=tuple(_strs(data.get("tags"))),
        taxonomy=tuple(modes),
        owners=tuple(owners),
        statuses=tuple(statuses),
        open_due=tuple(d for d in open_due if d),
        open_actions=sum(1 for s in statuses if s in OPEN_STATUSES),
        started_at=_utc_minute(times.get("started")),
        follow_up=_iso_day(data.get("follow_up")),
        follow_up_held=_iso_day(data.get("follow_up_held")),
    )
