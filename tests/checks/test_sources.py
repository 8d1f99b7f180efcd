"""Never fabricate: unsourced entries and figures, the marker inventory, and hypotheses."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks


def rules(incident, narrative="", family="sources"):
    return [(f.rule, f.severity) for f in run_checks(incident, narrative, families=(family,))]


T = "2025-03-04T10:00:00Z"


@pytest.mark.parametrize(
    "entry, stage, expected",
    [
        ({"event": "deploy"}, "timeline", [("sources.timeline", "warning")]),
        ({"event": "deploy"}, "synthesis", [("sources.timeline", "error")]),
        ({"event": "deploy", "source": "deploy log #4411"}, "synthesis", []),
        ({"event": "deploy", "data_gap": True}, "synthesis", [("sources.inventory", "info")]),
        ({"event": "deploy", "assumption": True}, "synthesis", [("sources.inventory", "info")]),
    ],
)
def test_timeline_sources(make, entry, stage, expected):
    incident = make(stage=stage, timeline=[{"id": "t-0001", "time": T, **entry}])
    assert rules(incident) == expected


@pytest.mark.parametrize(
    "figure, expected",
    [
        ({"value": 1200, "unit": "users"}, [("sources.figure", "warning")]),
        ({"value": 1200, "unit": "users", "source": "analytics query q-17"}, []),
        (
            {"value": 1200, "note": "[ASSUMPTION] extrapolated from one region; the EU export would confirm it"},
            [("sources.figure", "info"), ("sources.inventory", "info")],
        ),
    ],
)
def test_figure_sources(make, figure, expected):
    assert sorted(rules(make(impact={"users_affected": figure}))) == sorted(expected)


@pytest.mark.parametrize(
    "narrative, expected",
    [
        (
            "Logs before 14:00 were lost. [DATA GAP] the archive bucket would have them.\n",
            [("sources.inventory", "info")],
        ),
        (
            "[ASSUMPTION] traffic mix matched last week's, per the weekly dashboard export.\n",
            [("sources.inventory", "info")],
        ),
        ("Tokens per request: [DATA GAP]\n", [("sources.marker-unexplained", "warning")]),
        ("No markers here, all sourced (trace 8812).\n", []),
        ("> [DATA GAP] quoted from the old report\n", []),
    ],
)
def test_marker_inventory_in_narrative(make, narrative, expected):
    assert rules(make(), narrative) == expected


@pytest.mark.parametrize(
    "gap, expected",
    [
        ({"text": "GPU node logs", "closes_by": "request the vendor's BMC logs"}, [("sources.inventory", "info")]),
        ({"text": "GPU node logs"}, [("sources.marker-unexplained", "warning")]),
        ({"text": "GPU node logs", "status": "closed"}, [("sources.inventory", "info")]),
    ],
)
def test_gap_entries(make, gap, expected):
    assert rules(make(gaps=[{"id": "g-0001", **gap}])) == expected


def test_hypotheses_are_listed(make):
    incident = make(
        causes=[
            {"id": "c-0001", "statement": "KV cache eviction", "status": "hypothesis"},
            {"id": "c-0002", "statement": "Config drift", "status": "confirmed", "source": "deploy log 14:02"},
        ]
    )
    narrative = "The *reranker fallback may have masked the drift* early on. A *word* in italics. **Bold fact**.\n"
    found = run_checks(incident, narrative, families=("sources",))
    assert [(f.rule, f.entry or f.line) for f in found] == [("sources.hypothesis", "c-0001"), ("sources.hypothesis", 1)]


@pytest.mark.parametrize(
    "gaps, expected",
    [
        ([], "sources.marker-unexplained"),
        (
            [{"id": "g-0001", "kind": "data-gap", "text": "time of day", "closes_by": "issue timestamps"}],
            "sources.inventory",
        ),
        ([{"id": "g-0001", "kind": "assumption", "text": "x", "closes_by": "y"}], "sources.marker-unexplained"),
    ],
)
def test_marker_closed_by_a_gap_entry(make, gaps, expected):
    found = run_checks(make(gaps=gaps), "Reported on 2024-12-05; time of day [DATA GAP].\n", families=("sources",))
    assert [f.rule for f in found if f.file == "postmortem.md"] == [expected]
