"""The report's diagnostics: a table in Technical Analysis (claim, method, inputs, result) and, in the
executive summary, each rate stated with its interval rather than bare. Kept apart from canonical.py,
which calls `diagnostics_table` and `summary_intervals` (one line each)."""

from __future__ import annotations

from typing import Any

from ...domain.model import DIAGNOSTIC_LABELS, Diagnostic, Incident
from .markup import ASSUMPTION, cell, markers, one_line

# Kinds whose result is a rate or a difference with an interval: what the summary cites.
INTERVAL_KINDS = ("reproduction", "eval-delta", "rate-change", "srm")


def method(d: Diagnostic) -> str:
    r = d.result
    if d.kind == "reproduction":
        interval = "Wilson" if d.inputs.get("method") == "wilson" else "exact Clopper-Pearson"
        how = f"binomial rate, {interval} interval"
    elif d.kind == "srm":
        how = "chi-square goodness of fit against the intended split, flagged at p < 0.001"
    elif d.kind == "eval-delta":
        how = str(r.get("method") or "difference of two eval runs")
    elif d.kind == "rate-change":
        how = "Poisson rate ratio (score interval; exact conditional test)"
    else:
        how = f"{d.inputs.get('calc', 'requests')} arithmetic, shown in the result"
    return f"{DIAGNOSTIC_LABELS[d.kind].capitalize()}: {how}" + (f" — {d.computed_with}" if d.computed_with else "")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return f"{value[:12]}…"  # a SHA-256: enough to tell files apart in a table
    return f"{value:g}" if isinstance(value, float) else str(value)


def inputs_text(d: Diagnostic) -> str:
    return "; ".join(f"{key} = {_value(value)}" for key, value in d.inputs.items())


def diagnostics_table(incident: Incident) -> list[str]:
    if not incident.diagnostics:
        return []
    lines = [
        "### Diagnostics",
        "",
        "Statistics saved with their inputs; `workbench diagnose rerun` repeats them.",
        "",
        "| Claim | Method | Inputs | Result |",
        "|---|---|---|---|",
    ]
    for d in incident.diagnostics:
        claim = f"{one_line(d.claim)} ({d.id})" if d.claim.strip() else d.id
        lines.append(
            f"| {cell(claim)} | {cell(method(d))} | {cell(inputs_text(d))} | {cell(markers(one_line(d.sentence)))} |"
        )
    flagged = [d for d in incident.diagnostics if d.kind == "srm" and d.result.get("flagged") is True]
    for d in flagged:
        lines += [
            "",
            f"> {ASSUMPTION} {d.id} found a sample ratio mismatch: the experiment's results are not "
            "trustworthy until the cause is found, so every conclusion drawn from it here is an assumption.",
        ]
    return lines


def summary_intervals(incident: Incident) -> list[str]:
    """'**Key figures, with their intervals**' bullets for the executive summary (empty without diagnostics)."""
    cited = [d for d in incident.diagnostics if d.kind in INTERVAL_KINDS and d.sentence.strip()]
    if not cited:
        return []
    lines = ["**Key figures, with their intervals**", ""]
    for d in cited:
        lead = f"{one_line(d.claim)}: " if d.claim.strip() else ""
        lines.append(f"- {lead}{markers(one_line(d.sentence))} ({d.id})")
    return [*lines, ""]
