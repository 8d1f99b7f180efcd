"""The model's own rules: cross references, order of key times, k of n, UTC, unknown fields, versions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from workbench.domain.model import SCHEMA_VERSION, Figure, Incident, durations, format_minutes

T0 = "2025-08-05T16:00:00Z"


def base(**extra: Any) -> dict[str, Any]:
    return {"id": "x", "title": "t", **extra}


INVALID = [
    ("unknown top-level field", base(titel="t"), "titel"),
    ("unknown nested field", base(scope={"cover": "x"}), "cover"),
    ("severity outside P0-P2", base(severity="P3"), "severity"),
    ("stage not in the method", base(stage="done"), "stage"),
    ("naive time", base(times={"started": "2025-08-05T16:00:00"}), "offset"),
    ("detected before started", base(times={"started": T0, "detected": "2025-08-05T15:00:00Z"}), "before started"),
    ("evidence to a missing entry", base(causes=[{"id": "c-1", "statement": "s", "evidence": ["t-9"]}]), "evidence"),
    ("parent that is not a cause", base(causes=[{"id": "c-1", "statement": "s", "parent": "c-2"}]), "parent"),
    (
        "cause loop",
        base(
            causes=[{"id": "c-1", "statement": "s", "parent": "c-2"}, {"id": "c-2", "statement": "s", "parent": "c-1"}]
        ),
        "loops",
    ),
    (
        "action addresses a missing cause",
        base(actions=[{"id": "AI-001", "action": "a", "addresses": ["c-1"]}]),
        "addresses",
    ),
    (
        "id used twice across collections",
        base(timeline=[{"id": "x-1", "time": T0, "event": "e"}], gaps=[{"id": "x-1", "text": "g"}]),
        "used twice",
    ),
    (
        "reproduced more often than run",
        base(observations=[{"id": "o-1", "behaviour": "b", "reproduced": 3, "runs": 2}]),
        "cannot exceed",
    ),
    ("zero runs", base(observations=[{"id": "o-1", "behaviour": "b", "runs": 0}]), "greater than or equal to 1"),
    ("empty event", base(timeline=[{"id": "t-1", "time": T0, "event": ""}]), "at least 1"),
    ("bad entry id", base(timeline=[{"id": "../t", "time": T0, "event": "e"}]), "entry id"),
    ("newer schema", base(schema_version=SCHEMA_VERSION + 1), "newer"),
    ("title too long", base(title="x" * 201), "at most 200"),
    ("text too long", base(summary="x" * 20_001), "at most 20000"),
    ("bad tag", base(tags=["Has Space"]), "pattern"),
    ("NaN figure", base(impact={"users_affected": {"value": float("nan")}}), "finite"),
    ("barrier without outcome", base(barriers=[{"id": "b-1", "control": "c", "kind": "preventive"}]), "outcome"),
]


@pytest.mark.parametrize(("case", "data", "needle"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_incidents_are_refused(case: str, data: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as info:
        Incident.model_validate(data)
    assert needle in str(info.value)


def test_times_are_stored_in_utc_whatever_offset_they_came_with() -> None:
    incident = Incident.model_validate(
        base(
            times={"started": "2025-08-05T18:00:00+02:00"},
            timeline=[{"id": "t-1", "time": "2025-08-05T11:00:00-05:00", "event": "e"}],
        )
    )
    assert incident.times.started == datetime(2025, 8, 5, 16, tzinfo=timezone.utc)
    assert incident.times.started.utcoffset() == timedelta(0)
    assert incident.timeline[0].time == datetime(2025, 8, 5, 16, tzinfo=timezone.utc)


def test_a_valid_incident_with_chains_and_references() -> None:
    incident = Incident.model_validate(
        base(
            timeline=[
                {"id": "t-2", "time": "2025-08-05T17:00:00Z", "event": "later"},
                {"id": "t-1", "time": T0, "event": "first"},
            ],
            causes=[
                {"id": "c-1", "statement": "root", "evidence": ["t-1"]},
                {"id": "c-2", "statement": "child", "parent": "c-1", "evidence": ["t-1", "t-2"]},
            ],
            actions=[
                {"id": "AI-001", "action": "fix", "addresses": ["c-1", "c-2"], "status": "done"},
                {"id": "AI-002", "action": "fix", "due": "2025-09-01"},
            ],
        )
    )
    assert [e.id for e in incident.sorted_timeline()] == ["t-1", "t-2"]
    assert [a.id for a in incident.open_actions()] == ["AI-002"]
    assert incident.entry_ids() == {"t-1", "t-2", "c-1", "c-2", "AI-001", "AI-002"}


def test_durations_from_key_times() -> None:
    incident = Incident.model_validate(
        base(times={"started": T0, "detected": "2025-08-05T16:30:00Z", "resolved": "2025-08-07T18:05:00Z"})
    )
    d = durations(incident)
    assert (d.to_detect, d.to_mitigate, d.to_resolve) == (30.0, None, 2 * 24 * 60 + 125.0)
    assert [format_minutes(v) for v in (d.to_detect, d.to_mitigate, d.to_resolve)] == ["30m", "—", "2d 2h 5m"]


def test_a_figure_keeps_int_and_float_apart() -> None:
    assert type(Figure(value=3).value) is int
    assert type(Figure(value=3.5).value) is float
