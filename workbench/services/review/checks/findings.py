"""What a check reports: a Finding (rule, severity, where, what, how to fix) and the catalogue of rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from ....domain.model import STAGES, Incident
from ....store.layout import INCIDENT_FILE

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a principal postmortem lead would point at.

    `file` is the file's name inside the incident folder; the CLI turns it into a store path.
    `line` is 1-based where known (narrative lines exactly; incident.toml lines from a light scan).
    """

    rule: str
    severity: Severity
    message: str
    fix: str = ""
    file: str = INCIDENT_FILE
    entry: str | None = None  # an entry id (t-…, c-…, AI-001) or a narrative section heading
    field: str = ""  # 'timeline[t-3f9a].event'
    line: int | None = None

    @property
    def family(self) -> str:
        return self.rule.split(".", 1)[0]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    why: str  # the method's reason, shown in the Review pane


# Families, in the order the Review pane shows them; each names the method's hard rule it enforces.
FAMILIES: dict[str, tuple[str, str]] = {
    "blame": ("Zero blame", "Hard rule 2: reframe to the system, process, incentive or missing control."),
    "sources": (
        "Never fabricate",
        "Hard rule 1: every claim has a source, or is marked [DATA GAP]/[ASSUMPTION] with what would close it.",
    ),
    "impact": ("Quantify impact", "Hard rule 5: users affected, latency, compute, cost, quality, in numbers."),
    "actions": (
        "Actionability test",
        "Hard rule 8: if implemented, how will we know in a future incident that it worked?",
    ),
    "premature": ("No premature fixes", "Hard rule 3: no solutions until the why is explored and documented."),
    "ai": ("AI-native depth", "Hard rule 4: data, evals, prompts, non-determinism, opacity, rapid iteration."),
    "stochastic": (
        "Respect stochasticity",
        "Hard rule 7: 'the model produced X in this run' is not 'the model will reliably produce X'.",
    ),
    "timeline": ("Timeline hygiene", "Step 3: a precise shared timeline, in UTC, with sources."),
    "bounds": (
        "Stay in bounds",
        "Hard rules 6, 9 and 12: no legal opinions, no production code, and name the "
        "specialist when the analysis leaves the team's expertise.",
    ),
    "summary": ("TL;DR first", "Formatting rule 1: open with a TL;DR holding the impact and the top 3 actions."),
    "scope": (
        "Scope discipline",
        "Hard rule 11 and the canonical template: light review for minor issues, every section for a full postmortem.",
    ),
    "close": ("Close & track", "Step 7: actions in the tracker with owners, and a 30–90 day follow-up review."),
    "diagnostics": (
        "Statistics behind the numbers",
        "Hard rules 5 and 7: a rate, a regression or an experiment's "
        "result is stated with its diagnostic (interval, test), not as a bare number.",
    ),
    "review": ("Review comments", "Step 6: review and refine; open comments are answered before sign-off."),
    "load": ("Readable files", "A file that does not load cannot be checked."),
}


# Every rule id a check can report. Stage gates name rules from here; a gate naming anything else fails to
# load (services/review/stages.py), so a renamed rule can never silently stop blocking a stage.
RULE_IDS: frozenset[str] = frozenset(
    {
        "blame.language",
        "blame.person",
        "blame.failure",
        "blame.counterfactual",
        "blame.judgment",
        "blame.fault",
        "blame.error-noun",
        "blame.corrective",
        "blame.punitive",
        "sources.timeline",
        "sources.figure",
        "sources.inventory",
        "sources.marker-unexplained",
        "sources.hypothesis",
        "sources.unevidenced-cause",
        "sources.figure-in-prose",
        "sources.hypothesis-as-fact",
        "impact.required",
        "impact.words-only",
        "actions.owner",
        "actions.due",
        "actions.verification",
        "actions.unobservable",
        "actions.success-criteria",
        "actions.vague",
        "premature.no-root-cause",
        "premature.action-without-cause",
        "ai.factor",
        "ai.boilerplate",
        "stochastic.generalisation",
        "stochastic.observation",
        "timeline.kind",
        "timeline.order",
        "timeline.gap",
        "timeline.key-times",
        "timeline.utc",
        "bounds.legal",
        "bounds.code",
        "bounds.specialist",
        "summary.tldr",
        "summary.conflict",
        "scope.light-review",
        "scope.section",
        "scope.severity",
        "close.tracked",
        "close.follow-up",
        "diagnostics.uncited-reproduction",
        "diagnostics.uncited-eval-delta",
        "diagnostics.uncited-rate-change",
        "diagnostics.uncited-srm",
        "diagnostics.not-significant",
        "diagnostics.srm",
        "review.orphan",
        "review.open-comment",
        "load.invalid",
    }
)


def known_rule(name: str) -> bool:
    """An exact rule id, or a family prefix ending in '.' that holds at least one rule."""
    if name.endswith("."):
        return any(r.startswith(name) for r in RULE_IDS)
    return name in RULE_IDS


def stage_at_least(incident: Incident, stage: str) -> bool:
    return STAGES.index(incident.stage) >= STAGES.index(stage)


def by_stage(incident: Incident, stage: str, before: Severity = "warning", after: Severity = "error") -> Severity:
    """A gap is a warning while the work is in progress and an error once the report should be complete."""
    return after if stage_at_least(incident, stage) else before


def counts(findings: list[Finding]) -> dict[str, int]:
    out: dict[str, int] = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] += 1
    return out


def sort_key(finding: Finding) -> tuple[int, str, int, str]:
    families = list(FAMILIES)
    family = families.index(finding.family) if finding.family in families else len(families)
    return (family, finding.file, finding.line or 0, finding.rule)
