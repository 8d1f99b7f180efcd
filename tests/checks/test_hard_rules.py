"""Issue 20's hard-rule checks, each with a true and a false case, and fix texts that name a pane and key
(the registry that keeps stage gates honest is tested in test_registry.py)."""

from __future__ import annotations

import re

import pytest

from workbench.services.review.checks import run_checks

FIX_NAMES_A_PANE = re.compile(
    r"\b(Overview|Timeline|Causes|Actions|Taxonomy|Narrative|History|Review|Report|Evidence)"
    r" pane \(?\d|\b(Overview|Timeline|Causes|Actions|Narrative|Review) \(\d\)"
)


def rules(found):
    return [f.rule for f in found]


def only(found, rule):
    return [f for f in found if f.rule == rule]


ACTION = {
    "id": "AI-001",
    "action": "Add a canary stage to the rollout",
    "owner": "@platform",
    "due": "2025-05-01",
    "verification": "The canary alert fires on the replayed bad config in CI",
    "success_criteria": "100% blocked",
    "addresses": ["c-0001"],
}
ROOT = {
    "id": "c-0001",
    "statement": "No canary stage",
    "kind": "systemic",
    "status": "confirmed",
    "source": "deploy log",
}


# ------------------------------------------------------------------ rule 1: never fabricate
def test_confirmed_cause_needs_evidence(make):
    bare = make(stage="synthesis", causes=[{**ROOT, "source": ""}])
    [f] = only(run_checks(bare), "sources.unevidenced-cause")
    assert f.severity == "error" and f.entry == "c-0001" and FIX_NAMES_A_PANE.search(f.fix) and "press l" in f.fix
    assert not only(run_checks(make(stage="synthesis", causes=[ROOT])), "sources.unevidenced-cause")
    linked = make(
        stage="synthesis",
        timeline=[{"id": "t-0001", "time": "2025-03-04T10:00:00Z", "event": "x", "source": "log"}],
        causes=[{**ROOT, "source": "", "evidence": ["t-0001"]}],
    )
    assert not only(run_checks(linked), "sources.unevidenced-cause")


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The outage cost $2M in credits.", True),
        ("About 40,000 customers saw errors.", True),
        ("Error rate reached 35% at peak.", True),
        ("About 40,000 customers saw errors (source: billing export).", False),
        ("About 40,000 customers saw errors [DATA GAP] exact count needs the CRM export.", False),
        ("Error rate reached 35% per the gateway dashboard.", False),
        ("The deploy at 14:05 UTC rolled out to 3 regions.", False),
    ],
)
def test_figures_in_prose_need_a_source(make, text, flagged):
    found = only(run_checks(make(summary=text)), "sources.figure-in-prose")
    assert bool(found) == flagged, found
    if found:
        assert FIX_NAMES_A_PANE.search(found[0].fix) and "[DATA GAP]" in found[0].fix


def test_a_figure_already_sourced_elsewhere_is_traceable(make):
    incident = make(
        summary="About 40,000 customers saw errors.",
        impact={"users_affected": {"value": 40000, "source": "CRM query q-17"}},
    )
    assert not only(run_checks(incident), "sources.figure-in-prose")


def test_a_hypothesis_written_as_fact(make):
    fact = make(causes=[{"id": "c-0001", "statement": "The root cause was definitely the KV cache."}])
    [f] = only(run_checks(fact), "sources.hypothesis-as-fact")
    assert f.entry == "c-0001"
    hedged = make(causes=[{"id": "c-0001", "statement": "The KV cache eviction likely caused the drift."}])
    assert not only(run_checks(hedged), "sources.hypothesis-as-fact")
    narrative = "## Technical Analysis\n\nThe root cause was the reranker timeout.\n"
    [f] = only(run_checks(make(), narrative), "sources.hypothesis-as-fact")
    assert f.file == "postmortem.md" and f.line == 3
    assert not only(run_checks(make(causes=[ROOT]), narrative), "sources.hypothesis-as-fact")


# ------------------------------------------------------------------ rule 4: AI factors, no boilerplate
def _factors(answer):
    return {
        name: {"not_applicable": True, "reason": answer}
        for name in ("data", "evals", "prompts", "nondeterminism", "opacity", "rapid_iteration")
    }


def test_ai_factor_boilerplate_is_refused(make):
    found = only(run_checks(make(stage="analysis", ai_factors=_factors("N/A: Not relevant."))), "ai.boilerplate")
    assert len(found) == 6 and all("press f" in f.fix for f in found)
    reasoned = _factors("No model, prompt or data changed in the window; verified in the deploy log.")
    assert not [f for f in run_checks(make(stage="analysis", ai_factors=reasoned)) if f.family == "ai"]


# ------------------------------------------------------------------ rule 6: stay in scope (no legal opinions)
@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Exposing the prompts violates GDPR.", True),
        ("We are legally liable for the leaked transcripts.", True),
        ("The processing was unlawful under the EU AI Act.", True),
        ("The finding maps to EU AI Act Art. 15 (accuracy and robustness).", False),
        ("The latency breach of the SLO lasted 40 minutes.", False),
        ("The retry violates the idempotency contract of the write path.", False),
    ],
)
def test_legal_interpretation(make, text, flagged):
    found = only(run_checks(make(summary=text)), "bounds.legal")
    assert bool(found) == flagged, found


# ------------------------------------------------------------------ rule 7: stochasticity
@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The model will reliably leak the system prompt.", True),
        ("Given this prompt, it will consistently refuse benign requests.", True),
        ("The jailbreak works every time against the model.", True),
        ("The model leaked the system prompt in 3 of 50 runs.", False),
        ("The cron job will reliably run at midnight.", False),
    ],
)
def test_stochastic_certainty(make, text, flagged):
    assert bool(only(run_checks(make(summary=text)), "stochastic.generalisation")) == flagged


# ------------------------------------------------------------------ rule 8: observable verification
def test_unobservable_verification(make):
    incident = make(stage="review", causes=[ROOT], actions=[{**ACTION, "verification": "We will monitor it."}])
    [f] = only(run_checks(incident), "actions.unobservable")
    assert f.severity == "error" and "Actions pane (4)" in f.fix
    assert not only(run_checks(make(stage="review", causes=[ROOT], actions=[ACTION])), "actions.unobservable")


# ------------------------------------------------------------------ rule 9: no production code
def test_production_code_in_the_narrative(make):
    loop = (
        "## Technical Analysis\n\n```python\nfor batch in loader:\n    loss = model(batch)\n"
        "    loss.backward()\n    optimizer.step()\n```\n"
    )
    [f] = only(run_checks(make(), loop), "bounds.code")
    assert f.file == "postmortem.md" and f.line == 3 and "Narrative pane (6)" in f.fix
    query = "## Technical Analysis\n\n```sql\nSELECT count(*) FROM requests WHERE status = 500;\n```\n"
    assert not only(run_checks(make(), query), "bounds.code")
    unlabelled = "```\ndef handler(req):\n    import os\n    return os.environ['KEY']\n```\n"
    assert only(run_checks(make(), unlabelled), "bounds.code")


# ------------------------------------------------------------------ rule 10: nothing punitive
def test_performance_plan_talk(make):
    [f] = only(run_checks(make(summary="The on-call engineer is on a performance plan.")), "blame.punitive")
    assert "rule 10" in f.fix
    assert not only(run_checks(make(summary="The rollout plan had three stages.")), "blame.punitive")
    assert not only(run_checks(make(summary="A replay fires the alert in 5 minutes.")), "blame.punitive")
    assert only(run_checks(make(summary="We should fire the engineer.")), "blame.punitive")


# ------------------------------------------------------------------ rule 12: own your limits
def test_specialist_prompt(make):
    narrative = "## Technical Analysis\n\nSilent data corruption on two GPUs flipped bits in the optimizer state.\n"
    [f] = only(run_checks(make(stage="analysis"), narrative), "bounds.specialist")
    assert "hardware physics" in f.message and "specialist" in f.fix
    owned = narrative + "\nThis is outside our expertise; the vendor's hardware team is reviewing the traces.\n"
    assert not only(run_checks(make(stage="analysis"), owned), "bounds.specialist")


# ------------------------------------------------------------------ TL;DR
def test_tldr_needs_impact_and_top_actions(make):
    broke = make(stage="synthesis", summary="Things broke.")
    [f] = only(run_checks(broke), "summary.tldr")
    assert "words" in f.message and "impact" in f.message and "action" in f.message and "Overview pane (1)" in f.fix
    good = make(
        stage="synthesis",
        causes=[ROOT],
        actions=[ACTION],
        summary="A config push without a canary stage reached every region and 212 queries failed over "
        "14 minutes. The top actions add a canary stage and a replay test of the config.",
    )
    assert not only(run_checks(good), "summary.tldr")


def test_two_summaries_that_differ_are_one_finding(make):
    """The report prints the Summary field only; a narrative Executive Summary saying something else asks the
    author to reconcile the two (hints and a repeat of the field are not a second summary)."""
    inc = make(stage="review", summary="A config push reached every region; 212 queries failed.")
    other = "## Executive Summary\n\nThe canary was skipped because the flag defaulted on.\n"
    [f] = only(run_checks(inc, other), "summary.conflict")
    assert f.severity == "error" and f.file == "postmortem.md" and f.line == 1
    assert "Overview pane (1): press e" in f.fix and "Narrative pane (6)" in f.fix
    assert only(run_checks(make(summary="A."), other), "summary.conflict")[0].severity == "warning"
    repeat = "## Summary\n\nA config push reached every region;\n212 queries **failed**.\n\n## Notes\n\nx\n"
    assert not only(run_checks(inc, repeat), "summary.conflict")
    hint = "## Executive Summary\n\n<!-- 2-4 sentences: what happened -->\n"
    assert not only(run_checks(inc, hint), "summary.conflict")
    assert not only(run_checks(make(stage="review", summary=""), other), "summary.conflict")
