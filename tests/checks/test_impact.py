"""Quantify impact: what a severity requires, and figures given only in words."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks


def rules(incident, narrative=""):
    return [(f.rule, f.severity) for f in run_checks(incident, narrative, families=("impact",))]


USERS = {"value": 4200, "unit": "users", "source": "q"}
COST = {"value": 9100, "unit": "USD", "source": "bill"}


@pytest.mark.parametrize(
    "severity, stage, impact, expected",
    [
        ("P1", "analysis", {}, [("impact.required", "warning")] * 2),
        ("P0", "synthesis", {}, [("impact.required", "error")] * 2),
        ("P1", "synthesis", {"users_affected": USERS}, [("impact.required", "error")]),
        ("P1", "synthesis", {"cost_usd": COST}, [("impact.required", "error")]),
        ("P1", "synthesis", {"users_affected": USERS, "cost_usd": COST}, []),
        (
            "P1",
            "synthesis",
            {"users_affected": USERS, "quality_delta": {"value": -3.2, "unit": "pp", "source": "eval"}},
            [],
        ),
        (
            "P1",
            "synthesis",
            {
                "users_affected": {"note": "[DATA GAP] no per-user logging; the gateway export would give it"},
                "compute_hours_lost": {"value": 310, "source": "scheduler"},
            },
            [],
        ),
        ("P2", "synthesis", {}, []),
    ],
)
def test_required_figures(make, severity, stage, impact, expected):
    incident = make(severity=severity, review="full", stage=stage, impact=impact)
    assert rules(incident) == expected


@pytest.mark.parametrize(
    "impact, narrative, expected",
    [
        ({"users_affected": {"note": "a lot of users"}}, "", [("impact.words-only", "warning")] * 2),
        ({"cost_usd": {"note": "unknown"}}, "", [("impact.words-only", "warning")]),
        ({"requests_affected": {"note": "Not applicable: no requests were served by the package"}}, "", []),
        ({"requests_affected": {"note": "Not applicable"}}, "", [("impact.words-only", "warning")]),
        (
            {},
            "## Executive Summary\n\nMany customers saw refusals and there was significant cost.\n",
            [("impact.words-only", "warning")] * 2,
        ),
        ({}, "## Executive Summary\n\n**12,400 users** saw refusals; cost **$9,100**.\n", []),
        ({}, "## Technical Analysis\n\nMost requests hit the cache.\n", []),
    ],
)
def test_words_only(make, impact, narrative, expected):
    assert rules(make(impact=impact), narrative) == expected
