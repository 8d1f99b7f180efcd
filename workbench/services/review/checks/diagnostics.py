"""Numbers need their statistics: claims of rate, reliability or regression cite a diagnostic, an eval delta
cited as a cause must be significant, and a sample ratio mismatch makes an experiment's conclusions an
[ASSUMPTION] (Fabijan et al., KDD 2019: its results are not trustworthy until the cause is found)."""

from __future__ import annotations

import re

from ....domain.model import DIAGNOSTIC_LABELS, Diagnostic
from .findings import Finding
from .registry import Rule, register_check
from .text import Context, Span

PANE_KEY = "f8"  # the Diagnostics pane's key on the incident screen (ui/panes/diagnostics.py)
DX_RE = re.compile(r"\bdx-[0-9a-f]{4}\b")

# (the kind of diagnostic that backs the claim, the claim's words). The first that matches decides the form.
CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "srm",
        re.compile(
            r"\b(A/B|split|canary|holdout)[ -]?(test|experiment|rollout)?s?\b[^.\n]{0,60}?\b(show|showed|"
            r"shows|found|proved?|indicated?|confirm\w*|demonstrat\w*)\b"
            r"|\bthe experiment\s+(showed|shows|found|proved|confirmed)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "eval-delta",
        re.compile(
            r"\bregress(ed|ion|ions)?\b|\b(quality|accuracy|pass rate|win rate|score|scores|"
            r"eval\w*)\s+(dropped|fell|declined|degraded|decreased|improved|rose|increased)\b"
            r"|\b(dropped|fell|declined|decreased|improved|rose|increased)\s+(by\s+)?"
            r"\d+(\.\d+)?\s*(%|percent|points?|pp)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rate-change",
        re.compile(
            r"\b(after|since|following) the (deploy\w*|release|rollout|change|update)\b[^.\n]{0,60}?"
            r"\b(increased|rose|spiked|doubled|tripled|jumped|fell|dropped|went up|went down)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "reproduction",
        re.compile(
            r"\b(reliably|consistently|invariably)\b|\b(failure|error|success|refusal|"
            r"hallucination|reproduction|misroute|misrouting) rate\b",
            re.IGNORECASE,
        ),
    ),
)
FORMS = {kind: f"{label[0].upper()}{label[1:]}" for kind, label in DIAGNOSTIC_LABELS.items()}


def claim_kind(text: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in CLAIMS:
        match = pattern.search(text)
        if match:
            return kind, match
    return None


def fix_for(kind: str, where: str) -> str:
    return (
        f"Press {PANE_KEY} (Diagnostics pane), a, choose '{FORMS[kind]}' and fill the form; then cite the "
        f"dx- id it gives {where}."
    )


def _uncited(span: Span, where: str, out: list[Finding]) -> None:
    found = claim_kind(span.text)
    if found is None:
        return
    kind, match = found
    out.append(
        Finding(
            f"diagnostics.uncited-{kind}",
            "warning",
            f"a claim of {'an experiment result' if kind == 'srm' else 'rate, reliability or regression'}"
            f' with no diagnostic cited: "{span.raw[match.start() : match.end()]}"',
            fix_for(kind, where),
            span.file,
            span.entry,
            span.field,
            span.line_at(match.start()),
        )
    )


# One rule per kind of claim the check finds (CLAIMS), and two about the diagnostics themselves.
DIAGNOSTIC_RULES = (
    *(
        Rule(
            f"diagnostics.uncited-{kind}",
            "warning",
            f"Diagnostics pane (F8): press a, choose '{FORMS[kind]}' and fill the form; then cite the dx- id it "
            "gives where the claim is written.",
        )
        for kind, _ in CLAIMS
    ),
    Rule(
        "diagnostics.not-significant",
        "error",
        "Causes pane (3): press l and take the eval delta the data cannot tell from noise out of the cause's "
        "evidence, or run a larger eval.",
    ),
    Rule(
        "diagnostics.srm",
        "warning",
        "Diagnostics pane (F8): press e on the experiment and note what unbalanced its arms; until it is found "
        "its conclusions are an [ASSUMPTION].",
    ),
)


@register_check(
    "diagnostics",
    order=130,
    title="Statistics behind the numbers",
    why=(
        "Hard rules 5 and 7: a rate, a regression or an experiment's "
        "result is stated with its diagnostic (interval, test), not as a bare number."
    ),
    rules=DIAGNOSTIC_RULES,
)
def check(ctx: Context) -> list[Finding]:
    incident = ctx.incident
    out: list[Finding] = []
    by_id: dict[str, Diagnostic] = {d.id: d for d in incident.diagnostics}
    causes = {c.id: c for c in incident.causes}
    for span in ctx.all_spans():
        if span.file == "postmortem.md":
            if not DX_RE.search(span.raw):
                _uncited(span, "in this sentence (e.g. '… (dx-3f9a)')", out)
        elif span.field.startswith("causes[") and span.field.endswith(".statement"):
            cause = causes.get(span.entry or "")
            if cause is not None and not cause.diagnostics:
                _uncited(span, f"from cause {cause.id} (Causes pane: e, field 'Diagnostics')", out)
        elif span.field.startswith("impact") and not incident.impact.diagnostics:
            _uncited(span, "from the impact (Overview pane: i, field 'Diagnostics')", out)
    for index, cause in enumerate(incident.causes):
        for dx_id in cause.diagnostics:
            d = by_id.get(dx_id)
            if d is None:
                continue
            line = ctx.toml_line(("causes", index, "diagnostics"))
            if d.kind == "eval-delta" and d.result.get("significant") is False:
                out.append(
                    Finding(
                        "diagnostics.not-significant",
                        "error",
                        f"cause {cause.id} cites eval delta {d.id}, which is not significant: {d.sentence[:160]}",
                        "Do not rest a cause on a difference the data cannot tell from noise: run a "
                        "larger eval, or keep the cause a hypothesis without this citation.",
                        entry=cause.id,
                        field=f"causes[{cause.id}].diagnostics",
                        line=line,
                    )
                )
            if d.kind == "srm" and d.result.get("flagged") is True:
                out.append(
                    Finding(
                        "diagnostics.srm",
                        "warning",
                        f"cause {cause.id} rests on an experiment with a sample ratio mismatch ({d.id}): "
                        "its conclusions are an [ASSUMPTION] until the cause of the mismatch is found",
                        "Find why the arms are unbalanced (assignment, logging, bot filtering, a crash "
                        "in one arm) before trusting the experiment; mark the cause a hypothesis.",
                        entry=cause.id,
                        field=f"causes[{cause.id}].diagnostics",
                        line=line,
                    )
                )
    for index, d in enumerate(incident.diagnostics):
        if d.kind == "srm" and d.result.get("flagged") is True:
            out.append(
                Finding(
                    "diagnostics.srm",
                    "warning",
                    f"{d.id}: sample ratio mismatch — the experiment's results are not trustworthy "
                    "until the cause is found; its conclusions are an [ASSUMPTION]",
                    "Record the mismatch as an [ASSUMPTION] gap with what would close it (the cause of "
                    "the imbalance), and do not cite the experiment's outcome as fact.",
                    entry=d.id,
                    field=f"diagnostics[{d.id}].result",
                    line=ctx.toml_line(("diagnostics", index, "result")),
                )
            )
    return out
