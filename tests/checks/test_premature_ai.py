"""No premature fixes and AI-native depth."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks
from workbench.services.review.checks.premature import has_root_cause


def rules(incident, family):
    return [(f.rule, f.severity) for f in run_checks(incident, families=(family,))]


@pytest.mark.parametrize(
    "stage, causes, expected",
    [
        ("analysis", [], []),  # still exploring the why: no gate yet
        ("synthesis", [], [("premature.no-root-cause", "error")]),
        (
            "synthesis",
            [{"id": "c-0001", "statement": "s", "kind": "proximate", "status": "hypothesis"}],
            [("premature.no-root-cause", "error")],
        ),
        (
            "synthesis",
            [{"id": "c-0001", "statement": "s", "kind": "contributing", "status": "confirmed"}],
            [("premature.no-root-cause", "error")],
        ),
        ("synthesis", [{"id": "c-0001", "statement": "s", "kind": "proximate", "status": "confirmed"}], []),
        ("closed", [{"id": "c-0001", "statement": "s", "kind": "systemic", "status": "confirmed"}], []),
    ],
)
def test_root_cause_before_synthesis(make, stage, causes, expected):
    incident = make(stage=stage, causes=causes)
    assert rules(incident, "premature") == expected
    assert has_root_cause(incident) == (expected == [] and bool(causes))


@pytest.mark.parametrize(
    "stage, action, expected",
    [
        ("scoping", {"addresses": []}, [("premature.action-without-cause", "warning")]),
        ("review", {"addresses": []}, [("premature.action-without-cause", "error")]),
        ("review", {"addresses": ["c-0001"]}, []),
        ("review", {"addresses": [], "status": "wont-do"}, []),
    ],
)
def test_actions_address_a_cause(make, stage, action, expected):
    incident = make(
        stage=stage,
        causes=[{"id": "c-0001", "statement": "s", "kind": "systemic", "status": "confirmed"}],
        actions=[{"id": "AI-001", "action": "Add a gate", **action}],
    )
    assert rules(incident, "premature") == expected


SETTLED = {"analysis": "The eval set had no long-context prompts."}
NA = {"not_applicable": True, "reason": "No prompt changed in the window (deploy log checked)."}


@pytest.mark.parametrize(
    "stage, factors, expected",
    [
        ("timeline", {}, []),  # not due before the analysis stage
        ("analysis", {}, [("ai.factor", "warning")] * 6),
        ("synthesis", {}, [("ai.factor", "error")] * 6),
        (
            "synthesis",
            {n: SETTLED for n in ("data", "evals", "prompts", "nondeterminism", "opacity", "rapid_iteration")},
            [],
        ),
        (
            "synthesis",
            {**{n: SETTLED for n in ("data", "evals", "nondeterminism", "opacity", "rapid_iteration")}, "prompts": NA},
            [],
        ),
        (
            "synthesis",
            {
                **{n: SETTLED for n in ("data", "evals", "nondeterminism", "opacity", "rapid_iteration")},
                "prompts": {"not_applicable": True},
            },
            [("ai.factor", "error")],
        ),
        (
            "synthesis",
            {
                **{n: SETTLED for n in ("data", "evals", "nondeterminism", "opacity", "rapid_iteration")},
                "prompts": {"analysis": "n/a"},
            },
            [("ai.factor", "error")],
        ),
    ],
)
def test_ai_factors(make, stage, factors, expected):
    assert rules(make(stage=stage, ai_factors=factors), "ai") == expected
