"""AI-native depth (hard rule 4): each of the six AI factors is addressed, or not applicable with a reason."""

from __future__ import annotations

import re

from ...domain.model import AI_FACTORS
from .findings import Finding, by_stage, stage_at_least
from .text import Context

FACTOR_LABELS = {
    "data": "data (provenance, drift, contamination, pipelines)",
    "evals": "evals (coverage, contamination, metric mis-specification, small samples)",
    "prompts": "prompts (system prompt and template changes, prompt archaeology)",
    "nondeterminism": "non-determinism (sampling, batching, reproduction rates)",
    "opacity": "opacity (what could not be observed or explained)",
    "rapid_iteration": "rapid iteration (model, prompt or config changes outpacing controls)",
}
_PLACEHOLDER_RE = re.compile(r"^\s*(n/?a|none|-+|tbd|todo|\?+|nothing|not applicable)\s*\.?\s*$", re.IGNORECASE)


def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    if not stage_at_least(i, "analysis"):
        return out  # the factors are the analysis lens; before it they are not yet due
    sev = by_stage(i, "synthesis")
    for name in AI_FACTORS:
        factor = getattr(i.ai_factors, name)
        loc = ("ai_factors", name)
        where = dict(field=f"ai_factors.{name}", line=ctx.toml_line(loc) or ctx.toml_line(("ai_factors",)))
        if factor.not_applicable and not factor.reason.strip():
            out.append(Finding("ai.factor", sev, f"AI factor {name} is marked not applicable without a reason",
                               "Say why it does not apply (e.g. 'no model or prompt changed in the window; "
                               "verified in the deploy log').", **where))
        elif factor.analysis.strip() and _PLACEHOLDER_RE.match(factor.analysis):
            out.append(Finding("ai.factor", sev, f"AI factor {name} says only \"{factor.analysis.strip()}\"",
                               "Either analyse it or set not_applicable = true with a reason.", **where))
        elif not factor.settled:
            out.append(Finding("ai.factor", sev, f"AI factor not addressed: {FACTOR_LABELS[name]}",
                               "Write what this incident shows about it, or mark it not applicable with a reason.",
                               **where))
    return out
