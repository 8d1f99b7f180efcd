"""The actionability test: owner, due, verification, success criteria, no vague verbs."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks

GOOD = {
    "id": "AI-001",
    "action": "Add a pre-deploy eval gate on refusal rate",
    "owner": "@ml-platform",
    "due": "2025-04-01",
    "verification": "Replay the incident's prompts in CI: the gate blocks the candidate",
    "success_criteria": "Gate blocks 100% of replayed regressions in the quarterly drill",
    "addresses": ["c-0001"],
}
CAUSE = [{"id": "c-0001", "statement": "No eval gate", "kind": "systemic", "status": "confirmed"}]


def found(make, action, stage="review"):
    incident = make(stage=stage, causes=CAUSE, actions=[{k: v for k, v in {**GOOD, **action}.items() if v is not None}])
    return [(f.rule, f.severity) for f in run_checks(incident, families=("actions",))]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({}, []),
        ({"owner": None}, [("actions.owner", "error")]),
        ({"due": None}, [("actions.due", "error")]),
        ({"due": None, "status": "done"}, []),
        ({"due": None, "status": "in-progress"}, [("actions.due", "error")]),
        ({"verification": "In a future compromise, no release appears without a matching publish attestation."}, []),
        ({"verification": None}, [("actions.verification", "error")]),
        ({"verification": "We will see."}, [("actions.unobservable", "error")]),
        ({"verification": "it should be better overall now"}, [("actions.unobservable", "error")]),
        ({"verification": "We will monitor it."}, [("actions.unobservable", "error")]),  # issue 20: rule 8
        ({"verification": "We will keep an eye on things going forward."}, [("actions.unobservable", "error")]),
        ({"verification": "The refusal-rate alert fires above 2% on the replayed prompts."}, []),
        ({"verification": "Query `errors_total` weekly until 2025-06-30; zero recurrences."}, []),
        ({"verification": "Alert fires."}, [("actions.verification", "warning")]),  # too short to say how
        ({"success_criteria": None}, [("actions.success-criteria", "error")]),
        ({"action": "Improve monitoring"}, [("actions.vague", "warning")]),
        ({"action": "Look into the KV cache settings"}, [("actions.vague", "warning")]),
        ({"action": "Engineers should be more careful with flags"}, [("actions.vague", "warning")]),
        ({"action": "Investigate the reranker"}, [("actions.vague", "warning")]),
        ({"action": "We will consider a canary"}, [("actions.vague", "warning")]),
        ({"action": "Add an alert when eval score improves or drops by 5pp"}, []),  # 'improves' mid-sentence is fine
        ({"action": "Publish the investigation notes to the wiki"}, []),
        ({"status": "wont-do", "owner": None, "due": None}, []),
    ],
)
def test_actionability(make, change, expected):
    assert found(make, change) == expected


def test_severity_follows_the_stage(make):
    assert found(make, {"owner": None}, stage="analysis") == [("actions.owner", "warning")]
