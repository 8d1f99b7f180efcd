"""Respect stochasticity: generalisations need a reproduction rate; observations need k of n."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks


def rules(incident, narrative=""):
    return [(f.rule, f.severity) for f in run_checks(incident, narrative, families=("stochastic",))]


@pytest.mark.parametrize(
    "text",
    [
        "The model always refuses medical questions after the update.",
        "The agent will loop when the tool returns an empty list.",
        "Our classifier consistently misses sarcasm.",
        "The model never calls the search tool for dates.",
        "The LLM reliably hallucinates citations on long contexts.",
    ],
)
def test_generalisations_without_rates_are_flagged(make, text):
    assert rules(make(summary=text)) == [("stochastic.generalisation", "warning")]


@pytest.mark.parametrize(
    "text",
    [
        "The model always refused in 18/20 replays at temperature 0.7.",
        "The agent looped in 7 of 50 runs.",
        "The model never called the tool (0 of 40 samples, n=40).",
        "The model refused this prompt in this run.",
        "The model never saw these documents during training.",
        "The model produced an error on the first request.",
    ],
)
def test_rates_or_single_run_statements_are_fine(make, text):
    assert rules(make(summary=text)) == []


def test_narrative_and_quotes(make):
    assert rules(make(), "> the model always does this, said a user\n") == []
    found = run_checks(make(), "## Technical Analysis\n\nThe model always truncates.\n", families=("stochastic",))
    assert [(f.file, f.line, f.entry) for f in found] == [("postmortem.md", 3, "Technical Analysis")]


@pytest.mark.parametrize(
    "observation, expected",
    [
        ({}, [("stochastic.observation", "warning")]),
        ({"reproduced": 3}, [("stochastic.observation", "warning")]),
        ({"reproduced": 1, "runs": 1}, [("stochastic.observation", "info")]),
        ({"reproduced": 7, "runs": 20}, []),
        ({"conditions": "TPU pool; reproduction counts not published"}, [("stochastic.observation", "info")]),
        ({"conditions": "[DATA GAP] the traces expired before a replay"}, [("stochastic.observation", "info")]),
        ({"conditions": "replayed against the counts endpoint"}, [("stochastic.observation", "warning")]),
    ],
)
def test_observations(make, observation, expected):
    incident = make(observations=[{"id": "o-0001", "behaviour": "refuses", **observation}])
    assert rules(incident) == expected
