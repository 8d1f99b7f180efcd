"""The diagnostics checks: claims of rate, reliability, regression or an experiment's result cite a
diagnostic; a cause may not rest on an eval delta that is not significant; an SRM makes conclusions an
[ASSUMPTION], in the findings and in the report."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import run_checks
from workbench.services.diagnostics import kinds
from workbench.services.report.canonical import render_markdown
from workbench.services.review.stages import criteria

from workbench.domain.model import DIAGNOSTIC_LABELS, Incident


def build(**fields) -> Incident:
    return Incident.model_validate(
        {"id": "2025-03-04-example", "title": "Example", "severity": "P2", "review": "light", **fields}
    )


def _dx(dx_id: str, kind: str, computed) -> dict:
    return {
        "id": dx_id,
        "kind": kind,
        "sentence": computed.sentence,
        "result": computed.result,
        "claim": "the claim",
        "computed_with": computed.computed_with,
    }


def findings(incident, narrative: str = ""):
    return [f for f in run_checks(incident, narrative, families=("diagnostics",))]


@pytest.mark.parametrize(
    "text,kind",
    [
        ("The A/B test showed the new prompt was better.", "srm"),
        ("Answer quality dropped 4% after the prompt change.", "eval-delta"),
        ("The eval regression went unnoticed.", "eval-delta"),
        ("After the deploy, timeouts spiked across the fleet.", "rate-change"),
        ("The model reliably refuses this request.", "reproduction"),
        ("The misroute rate was high for a week.", "reproduction"),
    ],
)
def test_uncited_claims_in_the_narrative_warn_with_the_right_form(text, kind):
    found = findings(build(), f"## Technical Analysis\n\n{text}\n")
    assert [f.rule for f in found] == [f"diagnostics.uncited-{kind}"]
    f = found[0]
    assert f.severity == "warning" and f.file == "postmortem.md" and f.line == 3
    assert "f8 (Diagnostics pane), a" in f.fix and f"choose '{DIAGNOSTIC_LABELS[kind].capitalize()}'" in f.fix


def test_a_cited_sentence_quoted_text_and_plain_prose_pass():
    narrative = (
        "## Technical Analysis\n\nQuality dropped 4 points (dx-3f9a).\n\n> The A/B test showed it, "
        "said the vendor.\n\nThe router sent requests to the wrong pool.\n"
    )
    assert findings(build(), narrative) == []


def test_causes_and_impact_need_a_citation():
    computed = kinds.eval_delta_counts(800, 1000, 760, 1000)
    incident = build(
        causes=[{"id": "c-0001", "statement": "Answer quality dropped 4% after the change."}],
        impact={"quality_delta": {"note": "Accuracy fell by 4 points on the eval [DATA GAP] size"}},
    )
    rules = sorted((f.rule, f.field) for f in findings(incident))
    assert rules == [
        ("diagnostics.uncited-eval-delta", "causes[c-0001].statement"),
        ("diagnostics.uncited-eval-delta", "impact.quality_delta.note"),
    ]
    cited = build(
        causes=[
            {"id": "c-0001", "statement": "Answer quality dropped 4% after the change.", "diagnostics": ["dx-0001"]}
        ],
        impact={"diagnostics": ["dx-0001"], "quality_delta": {"note": "Accuracy fell by 4 points"}},
        diagnostics=[_dx("dx-0001", "eval-delta", computed)],
    )
    assert findings(cited) == []


def test_a_cause_on_a_non_significant_eval_delta_is_an_error_and_blocks_synthesis():
    computed = kinds.eval_delta_counts(80, 100, 76, 100)
    assert computed.result["significant"] is False
    incident = build(
        causes=[
            {"id": "c-0001", "statement": "The new retriever lowered answer accuracy.", "diagnostics": ["dx-0001"]}
        ],
        diagnostics=[_dx("dx-0001", "eval-delta", computed)],
    )
    (f,) = findings(incident)
    assert f.rule == "diagnostics.not-significant" and f.severity == "error" and f.entry == "c-0001"
    unmet = {c.id for c in criteria(incident, "synthesis") if not c.met}
    assert "analysis.diagnostics" in unmet


def test_an_srm_marks_the_experiment_an_assumption_in_findings_and_report():
    computed = kinds.srm([5500, 4500])
    incident = build(
        review="full",
        diagnostics=[_dx("dx-0002", "srm", computed)],
        causes=[{"id": "c-0001", "statement": "The canary arm saw fewer errors.", "diagnostics": ["dx-0002"]}],
    )
    rules = sorted(f.rule for f in findings(incident))
    assert rules == ["diagnostics.srm", "diagnostics.srm"]
    assert all("[ASSUMPTION]" in f.message for f in findings(incident))
    report = render_markdown(incident, "")
    assert "### Diagnostics" in report
    assert "> **[ASSUMPTION]** dx-0002 found a sample ratio mismatch" in report


def test_report_table_and_summary_intervals():
    computed = kinds.reproduction(3, 20)
    incident = build(
        review="full",
        summary="The misroute reproduced often.",
        diagnostics=[{**_dx("dx-0003", "reproduction", computed), "inputs": {"k": 3, "n": 20}}],
    )
    report = render_markdown(incident, "## Technical Analysis\n\nThe misroute reproduced (dx-0003).\n")
    summary = report.split("## Executive Summary", 1)[1].split("## Timeline", 1)[0]
    assert "**Key figures, with their intervals**" in summary
    assert "- the claim: 3 of 20 runs (15%, 95% CI 3.2–38%, Clopper-Pearson). (dx-0003)" in summary
    analysis = report.split("## Technical Analysis", 1)[1].split("\n## ", 1)[0]
    assert "| Claim | Method | Inputs | Result |" in analysis
    assert (
        "| the claim (dx-0003) | Reproduction rate: binomial rate, exact Clopper-Pearson interval — scipy " in analysis
    ) and "| k = 3; n = 20 |" in analysis
    assert "### Diagnostics" not in render_markdown(build(review="full"), "")  # nothing without diagnostics
