"""Respect stochasticity (hard rule 7): one run is not reliable behaviour; state k of n runs."""

from __future__ import annotations

import re

from .findings import Finding
from .registry import Rule, register_check
from .text import Context

_GENERALISE_RE = re.compile(
    r"\b(the |this |our |that )?(model|llm|agent|classifier|assistant|chatbot|reranker|judge|policy)s?"
    r"(\s+\S+){0,2}?\s+(always|never|consistently|reliably|invariably|will always|will never|"
    r"will (reliably |consistently )?(produce|refuse|return|output|answer|generate|hallucinate|fail|comply|"
    r"respond|ignore|follow|call|loop))\b"
    r"(?!\s+(saw|seen|received|been|had|trained|encountered|existed|reached|ran)\b)",
    re.IGNORECASE,
)
# Certainty about future behaviour, whatever the subject: "it will reliably leak", "works every time".
_CERTAIN_FUTURE_RE = re.compile(
    r"\b(will|would|is going to|are going to) (reliably|consistently|always|invariably|deterministically|"
    r"predictably|never fail to)\b|\b(every (single )?time|100% of the time|without fail|(is|are) guaranteed to|"
    r"deterministically (produces?|leaks?|returns?|fails?|refuses?))\b",
    re.IGNORECASE,
)
_MODEL_WORDS_RE = re.compile(
    r"\b(model|llm|prompts?|agent|output|completions?|jailbreak|classifier|assistant|"
    r"generation|sampling|checkpoint|fine-?tune)\b",
    re.IGNORECASE,
)
# A reproduction rate nearby: '7/20', '7 of 20 runs', 'in 35% of 200 samples', 'k/n', 'n=50'.
_RATE_RE = re.compile(
    r"\b\d+\s*/\s*\d+\b|\b\d+\s+(of|out of)\s+\d+\b|\b\d+(\.\d+)?\s*%|\bn\s*=\s*\d+|\b\d+\s+(runs|samples|trials|"
    r"seeds|attempts|replays)\b|\breproduc\w*\s+(rate|in)\b",
    re.IGNORECASE,
)
_NEAR = 160
# An observation may say why there is no rate: "[DATA GAP]", "reproduction counts not published".
_NO_RATE_EXPLAINED_RE = re.compile(
    r"\[DATA GAP\]|\b(reproduction|k-of-n|k of n)\s+(counts?|rates?|numbers?)\b[^.]*\b(not|unknown|unpublished|"
    r"unavailable)\b|\bno\s+(k-of-n|k of n|reproduction|run)\b",
    re.IGNORECASE,
)  # characters either side that count as "nearby"


@register_check(
    "stochastic",
    order=70,
    title="Respect stochasticity",
    why="Hard rule 7: 'the model produced X in this run' is not 'the model will reliably produce X'.",
    rules=(
        Rule(
            "stochastic.generalisation",
            "warning",
            "Review pane (8): press enter on the finding to jump to the text and say what was observed and how often (e.g. 'in 7 of 20 runs at temperature 0.7').",
        ),
        Rule(
            "stochastic.observation",
            "warning",
            "Diagnostics pane (F8): press a and record a reproduction (reproduced of runs) for the behaviour.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    models = [m for m in ctx.incident.models if m.strip()]
    for span in ctx.all_spans():
        found = list(_GENERALISE_RE.finditer(span.text))
        if not found:
            found = [
                m
                for m in _CERTAIN_FUTURE_RE.finditer(span.text)
                if _MODEL_WORDS_RE.search(span.text) or any(name in span.text for name in models)
            ]
        for m in found:
            window = span.text[max(0, m.start() - _NEAR) : m.end() + _NEAR]
            if _RATE_RE.search(window):
                continue
            out.append(
                Finding(
                    "stochastic.generalisation",
                    "warning",
                    f'generalises model behaviour without a reproduction rate: "{span.raw[m.start() : m.end()]}"',
                    "Where it is written (Narrative pane 6, or e on the entry): say what was observed and how "
                    "often: 'produced X in 7 of 20 runs at temperature "
                    "0.7', or record an observation with reproduced/runs.",
                    span.file,
                    span.entry,
                    span.field,
                    span.line_at(m.start()),
                )
            )
    for index, o in enumerate(ctx.incident.observations):
        line = ctx.toml_line(("observations", index))
        explained = _NO_RATE_EXPLAINED_RE.search(" ".join((o.conditions, o.source, o.behaviour)))
        if (o.reproduced is None or o.runs is None) and explained:
            out.append(
                Finding(
                    "stochastic.observation",
                    "info",
                    f"observation {o.id} has no reproduction rate; the entry says why",
                    "Record reproduced and runs if the behaviour can be re-run.",
                    entry=o.id,
                    field=f"observations[{o.id}]",
                    line=line,
                )
            )
        elif o.reproduced is None or o.runs is None:
            out.append(
                Finding(
                    "stochastic.observation",
                    "warning",
                    f"observation {o.id} has no reproduction rate (reproduced of runs)",
                    "Re-run it and record reproduced and runs, or note [DATA GAP] if it cannot be reproduced.",
                    entry=o.id,
                    field=f"observations[{o.id}]",
                    line=line,
                )
            )
        elif o.runs == 1:
            out.append(
                Finding(
                    "stochastic.observation",
                    "info",
                    f"observation {o.id} rests on a single run",
                    "One run shows what the model did in this run, not what it will reliably do; "
                    "more runs give a rate.",
                    entry=o.id,
                    field=f"observations[{o.id}].runs",
                    line=line,
                )
            )
    return out
