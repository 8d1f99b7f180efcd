"""Timeline hygiene, scope discipline, and close & track."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.review.checks import load_config, run_checks
from workbench.store import LoadError


def rules(incident, family, narrative="", toml_text=None, config=None):
    return [
        (f.rule, f.severity)
        for f in run_checks(incident, narrative, toml_text=toml_text, config=config, families=(family,))
    ]


def entry(n, time, kind="mitigation"):
    return {"id": f"t-000{n}", "time": time, "event": f"event {n}", "source": "log", "kind": kind}


TIMES = {"started": "2025-03-04T09:50:00Z", "detected": "2025-03-04T10:00:00Z", "mitigated": "2025-03-04T12:00:00Z"}


@pytest.mark.parametrize(
    "timeline, expected",
    [
        (
            [
                entry(1, "2025-03-04T10:00:00Z", "detection"),
                entry(2, "2025-03-04T10:45:00Z"),
                entry(3, "2025-03-04T11:30:00Z"),
                entry(4, "2025-03-04T12:00:00Z"),
            ],
            [],
        ),
        (
            [entry(1, "2025-03-04T10:00:00Z", "detection"), entry(2, "2025-03-04T12:00:00Z")],
            [("timeline.gap", "warning")],
        ),
        (
            [
                entry(1, "2025-03-04T10:00:00Z", "detection"),
                {**entry(2, "2025-03-04T10:30:00Z"), "kind": None},
                entry(3, "2025-03-04T11:15:00Z"),
                entry(4, "2025-03-04T12:00:00Z"),
            ],
            [("timeline.kind", "warning")],
        ),
        (
            [
                entry(1, "2025-03-04T10:40:00Z"),
                entry(2, "2025-03-04T10:00:00Z", "detection"),
                entry(3, "2025-03-04T11:20:00Z"),
                entry(4, "2025-03-04T12:00:00Z"),
            ],
            [("timeline.order", "info")],
        ),
    ],
)
def test_timeline(make, timeline, expected):
    assert rules(make(times=TIMES, timeline=timeline), "timeline") == expected


def test_gap_span_is_configurable(make, tmp_path: Path):
    (tmp_path / ".workbench-rules").mkdir()
    (tmp_path / ".workbench-rules" / "checks.toml").write_text("[checks]\ntimeline_gap_minutes = 180\n")
    incident = make(
        times=TIMES, timeline=[entry(1, "2025-03-04T10:00:00Z", "detection"), entry(2, "2025-03-04T12:00:00Z")]
    )
    assert rules(incident, "timeline", config=load_config(tmp_path)) == []


@pytest.mark.parametrize(
    "content, field",
    [
        ('[checks]\ntimeline_gap_minutes = "soon"\n', "checks.timeline_gap_minutes"),
        ("[checks]\nfollow_up_min_days = 100\n", "checks.follow_up_min_days"),
        ("[checks]\ncolour = 1\n", "checks.colour"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, content, field):
    (tmp_path / ".workbench-rules").mkdir()
    (tmp_path / ".workbench-rules" / "checks.toml").write_text(content)
    with pytest.raises(LoadError) as info:
        load_config(tmp_path)
    assert info.value.problems[0].field == field and info.value.problems[0].line


@pytest.mark.parametrize(
    "toml_text, narrative, expected",
    [
        ("[times]\nstarted = 2025-03-04T11:50:00+02:00\n", "", [("timeline.utc", "warning")]),
        ("[times]\nstarted = 2025-03-04T09:50:00Z\n", "", []),
        ("", "Paged at 09:14 PST by the monitor.\n", [("timeline.utc", "warning")]),
        ("", "Paged at 09:14 UTC by the monitor.\n", []),
    ],
)
def test_utc(make, toml_text, narrative, expected):
    assert rules(make(), "timeline", narrative, toml_text or None) == expected


FULL_NARRATIVE = "## Executive Summary\n\nx\n\n## Detection & Initial Response\n\ny\n\n## Technical Analysis\n\nz\n"
FULL_DATA = {
    "timeline": [entry(1, "2025-03-04T10:00:00Z", "detection")],
    "causes": [{"id": "c-0001", "statement": "s"}],
    "actions": [{"id": "AI-001", "action": "a"}],
    "lessons": {"went_well": ["w"], "to_improve": ["i"]},
}


@pytest.mark.parametrize(
    "fields, narrative, expected",
    [
        ({"severity": "P2", "review": "full"}, "", [("scope.light-review", "info")]),
        ({"severity": "P2", "kind": "near-miss", "review": "full"}, "", [("scope.light-review", "info")]),
        ({"severity": "P2", "review": "light"}, "", []),
        ({"severity": "P1", "review": "full"}, "", []),
        ({"severity": "P0", "review": "light"}, "", [("scope.light-review", "warning")]),
        ({"severity": "", "review": "full"}, "", [("scope.severity", "warning")]),  # none stated: a gap, not a P2
        (
            {"severity": "P2", "review": "light", "stage": "synthesis"},
            "## Executive Summary\n\nx\n\n## Technical Analysis\n\ny\n",
            [],
        ),
        (
            {"severity": "P2", "review": "light", "stage": "synthesis"},
            "## Executive Summary\n\nx\n\n## Technical Analysis\n\n<!-- hint -->\n",
            [("scope.section", "warning")],
        ),
        ({"severity": "P1", "review": "full", "stage": "synthesis", **FULL_DATA}, FULL_NARRATIVE, []),
        (
            {"severity": "P1", "review": "full", "stage": "review", **FULL_DATA},
            "## Executive Summary\n\nx\n\n## Technical Analysis\n\nz\n",
            [("scope.section", "error")],
        ),
        (
            {"severity": "P1", "review": "full", "stage": "synthesis"},
            FULL_NARRATIVE,
            [("scope.section", "warning")] * 4,
        ),
    ],
)
def test_scope(make, fields, narrative, expected):
    assert rules(make(**fields), "scope", narrative) == expected


ACTION = {"id": "AI-001", "action": "Add a gate", "owner": "@ml", "tracker": "JIRA-1"}


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"stage": "review", "actions": [{**ACTION, "owner": "", "tracker": ""}]}, []),  # not due before tracking
        ({"stage": "tracking", "postmortem_date": "2025-03-10", "follow_up": "2025-04-20", "actions": [ACTION]}, []),
        (
            {
                "stage": "tracking",
                "postmortem_date": "2025-03-10",
                "follow_up": "2025-04-20",
                "actions": [{**ACTION, "owner": "", "tracker": ""}],
            },
            [("close.tracked", "error")],
        ),
        (
            {
                "stage": "tracking",
                "postmortem_date": "2025-03-10",
                "follow_up": "2025-04-20",
                "actions": [{**ACTION, "tracker": ""}],
            },
            [("close.tracked", "info")],
        ),
        ({"stage": "closed", "postmortem_date": "2025-03-10", "actions": [ACTION]}, [("close.follow-up", "error")]),
        (
            {"stage": "closed", "postmortem_date": "2025-03-10", "follow_up": "2025-03-20"},
            [("close.follow-up", "error")],
        ),
        (
            {"stage": "closed", "postmortem_date": "2025-03-10", "follow_up": "2025-07-20"},
            [("close.follow-up", "error")],
        ),
        (
            {
                "stage": "closed",
                "times": {"started": "2025-03-04T09:00:00Z", "resolved": "2025-03-04T12:00:00Z"},
                "follow_up": "2025-05-01",
            },
            [],
        ),
        ({"stage": "closed", "follow_up": "2025-05-01"}, [("close.follow-up", "warning")]),
    ],
)
def test_close_and_track(make, fields, expected):
    assert rules(make(**fields), "close") == expected
