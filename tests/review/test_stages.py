"""Stages and gates: entry criteria computed from the checks; overrides recorded in the commit."""

from __future__ import annotations

import pytest

from workbench.domain.model import Incident
from workbench.domain.review import Review, Signoff
from workbench.services.review.method_guide import evidence_coverage, guide
from workbench.services.review.steps import move_stage
from workbench.services.review.stages import ENTRY, GateBlocked, advance, criteria, path

BASE = {"id": "2025-03-04-gate", "title": "Gate", "severity": "P1", "review": "full"}


def inc(**fields) -> Incident:
    return Incident.model_validate({**BASE, **fields})


def unmet_ids(incident, to_stage, narrative="", review=None):
    return [c.id for c in advance(incident, to_stage, narrative, review=review)]


def test_every_stage_after_the_first_has_entry_criteria_and_guidance():
    assert set(ENTRY) == {"data-collection", "timeline", "analysis", "synthesis", "review", "tracking", "closed"}
    assert all(guide()[s].asks for s in guide())
    assert {k.id for k in guide()["data-collection"].sources} >= {
        "logs",
        "traces",
        "prompts",
        "evals",
        "git",
        "chat-paging",
        "model-versions",
        "deployment",
    }
    assert len(guide()["analysis"].five_whys) == 5 and guide()["analysis"].barrier_questions


@pytest.mark.parametrize(
    "fields, met",
    [
        ({}, ["scoping.review-kind", "scoping.severity"]),  # a P1 with a full review fits
        ({"severity": "P0", "review": "light"}, ["scoping.severity"]),
        (
            {
                "scope": {"covers": "serving", "blameless_intent": "conditions, not culprits"},
                "commander": "IC (role)",
                "lead": "PM lead",
            },
            ["scoping.covers", "scoping.blameless", "scoping.roles", "scoping.review-kind", "scoping.severity"],
        ),
        ({"scope": {"covers": "serving"}}, ["scoping.covers", "scoping.review-kind", "scoping.severity"]),
        ({"review": "light", "scope": {"covers": "x"}}, ["scoping.covers", "scoping.severity"]),  # P1 light: not met
        ({"severity": "", "scope": {"covers": "x"}}, ["scoping.covers", "scoping.review-kind"]),  # none stated: a gap
    ],
)
def test_scoping_gate(fields, met):
    result = criteria(inc(**fields), "data-collection")
    assert sorted(c.id for c in result if c.met) == sorted(met)


def test_backwards_and_same_stage_never_ask():
    assert path("review", "analysis") == [] and advance(inc(stage="review"), "analysis") == []
    assert path("scoping", "timeline") == ["data-collection", "timeline"]


def test_root_cause_gate_blocks_synthesis_until_confirmed():
    causes = [
        {"id": "c-0001", "statement": "no eval gate", "kind": "systemic", "status": "hypothesis", "lens": "5-whys"}
    ]
    stuck = inc(
        stage="analysis",
        causes=causes,
        barriers=[{"id": "b-0001", "control": "canary", "kind": "preventive", "outcome": "missing"}],
    )
    assert "analysis.root-cause" in unmet_ids(stuck, "synthesis")
    confirmed = stuck.model_copy(update={"causes": [stuck.causes[0].model_copy(update={"status": "confirmed"})]})
    assert "analysis.root-cause" not in unmet_ids(confirmed, "synthesis")
    assert "analysis.lenses" not in unmet_ids(confirmed, "synthesis")


def test_tracking_gate_needs_resolved_comments_and_a_signoff():
    incident = inc(stage="review")
    review = Review(comments=[{"id": "rc-0001", "on": "summary", "text": "source?", "at": "2025-03-05T10:00:00Z"}])
    assert {"review.comments", "review.signoff"} <= set(unmet_ids(incident, "tracking", review=review))
    done = Review(
        comments=[review.comments[0].model_copy(update={"resolved": True})],
        signoffs=[Signoff(stage="review", name="R", at="2025-03-05T11:00:00Z")],
    )
    assert not {"review.comments", "review.signoff"} & set(unmet_ids(incident, "tracking", review=done))


def test_criteria_judge_the_target_stage_severity():
    # An action without owner is a warning at analysis but an error at review: the gate sees the error.
    incident = inc(stage="synthesis", actions=[{"id": "AI-001", "action": "Add a gate"}])
    blocked = [c for c in advance(incident, "review") if c.id == "report.actions-complete"]
    assert blocked and {f.severity for f in blocked[0].findings} == {"error"}


def test_evidence_coverage_counts_cited_kinds():
    incident = inc(
        timeline=[
            {"id": "t-0001", "time": "2025-03-04T10:00:00Z", "event": "e", "source": "PagerDuty incident #991"},
            {"id": "t-0002", "time": "2025-03-04T10:05:00Z", "event": "e", "source": "gateway logs, Loki query"},
        ]
    )
    counts = {k.id: n for k, n in evidence_coverage(incident)}
    assert counts["chat-paging"] == 1 and counts["logs"] == 1 and counts["evals"] == 0


def test_move_stage_refuses_then_records_override(example_store):
    store = example_store
    record = next(r for r in store.load_all().records if r.incident.stage == "analysis")
    with pytest.raises(GateBlocked) as info:
        move_stage(store, record, "review")
    assert info.value.unmet and "cannot move analysis -> review" in str(info.value)
    assert store.load(record.id).incident.stage == "analysis"  # nothing written
    saved, trailers = move_stage(store, record, "review", override="exec readout needs the draft")
    assert saved.incident.stage == "review" and store.load(record.id).incident.stage == "review"
    head = store.history(record.id)[0]
    assert head.subject == f"{record.id}: stage: advance analysis -> review"
    assert "Override: analysis -> review with unmet " in head.body
    assert "Override-Reason: exec readout needs the draft" in head.body
    back, trailers = move_stage(store, saved, "analysis")  # moving back never asks
    assert trailers == [] and back.incident.stage == "analysis"
