"""AI-native depth (hard rule 4): each of the six AI factors is addressed, or not applicable with a reason."""

from __future__ import annotations

import re
from typing import Any

from ....domain.model import AI_FACTORS
from .findings import Finding, by_stage, stage_at_least
from .registry import Rule, register_check
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
# Words that fill an answer without saying why: "N/A: Not relevant.", "No impact for this incident."
_FILLER = frozenset(
    "n a na n/a not relevant applicable none irrelevant no impact nothing to report does doesn't "
    "apply issue issues concern concerns factor here this incident for the of in it is was tbd todo "
    "see above same as nope nil known unknown".split()
)
_MIN_SUBSTANCE = 3
FIX_WHERE = "Overview pane (1): press f (AI factors)"


def boilerplate(text: str) -> bool:
    """An answer made only of filler: it does not say why the factor does not apply or what was found."""
    words = re.findall(r"[a-z0-9/']+", text.lower())
    substance = [w for w in words if w not in _FILLER]
    return bool(words) and len(substance) < _MIN_SUBSTANCE


@register_check(
    "ai",
    order=60,
    title="AI-native depth",
    why="Hard rule 4: data, evals, prompts, non-determinism, opacity, rapid iteration.",
    rules=(
        Rule(
            "ai.factor",
            "error",
            "Overview pane (1): press f and analyse each AI factor, or tick not applicable with the reason.",
        ),
        Rule(
            "ai.boilerplate",
            "error",
            "Overview pane (1): press f and say why the factor does not apply and how you know.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    if not stage_at_least(i, "analysis"):
        return out  # the factors are the analysis lens; before it they are not yet due
    sev = by_stage(i, "synthesis")
    for name in AI_FACTORS:
        factor = getattr(i.ai_factors, name)
        loc = ("ai_factors", name)
        where: dict[str, Any] = dict(
            field=f"ai_factors.{name}", line=ctx.toml_line(loc) or ctx.toml_line(("ai_factors",))
        )
        if factor.not_applicable and not factor.reason.strip():
            out.append(
                Finding(
                    "ai.factor",
                    sev,
                    f"AI factor {name} is marked not applicable without a reason",
                    f"{FIX_WHERE} and say why it does not apply (e.g. 'no model or prompt changed in the "
                    "window; verified in the deploy log').",
                    **where,
                )
            )
        elif factor.analysis.strip() and _PLACEHOLDER_RE.match(factor.analysis):
            out.append(
                Finding(
                    "ai.factor",
                    sev,
                    f'AI factor {name} says only "{factor.analysis.strip()}"',
                    f"{FIX_WHERE}: analyse it, or tick not applicable and give the reason.",
                    **where,
                )
            )
        elif not factor.settled:
            out.append(
                Finding(
                    "ai.factor",
                    sev,
                    f"AI factor not addressed: {FACTOR_LABELS[name]}",
                    f"{FIX_WHERE}: write what this incident shows about it, or tick not applicable with a reason.",
                    **where,
                )
            )
        else:
            answer = factor.analysis if factor.analysis.strip() else factor.reason
            if boilerplate(answer):
                out.append(
                    Finding(
                        "ai.boilerplate",
                        sev,
                        f'AI factor {name} answer is boilerplate: "{" ".join(answer.split())[:60]}"',
                        f"{FIX_WHERE}: say why it does not apply and how you know (e.g. 'no prompt or "
                        "template changed between 09:00 and 15:00; checked in the prompt registry "
                        "history'), or what this incident shows about it.",
                        **where,
                    )
                )
    return out
