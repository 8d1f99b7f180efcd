"""Stages and gates: each stage's entry criteria, computed from the checks.

Moving forward checks the criteria of every stage passed through; moving back never asks. An
advance with unmet criteria is refused unless the person gives a reason, which is then written into
the commit message as trailers:

    <id>: stage: stage analysis -> synthesis

    Override: analysis -> synthesis with unmet analysis.root-cause, analysis.ai-factors
    Override-Reason: exec readout tomorrow; root cause confirmed verbally, evidence to follow
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...domain.model import STAGES, Incident
from ...domain.review import Review
from .checks import CheckConfig, Finding, known_rule, run_checks
from .checks.premature import has_root_cause


@dataclass(frozen=True)
class Criterion:
    id: str
    stage: str  # the stage this is an entry criterion for
    label: str
    met: bool
    detail: str = ""
    findings: tuple[Finding, ...] = field(default=(), compare=False)


class GateBlocked(Exception):
    def __init__(self, from_stage: str, to_stage: str, unmet: list[Criterion]):
        self.from_stage, self.to_stage, self.unmet = from_stage, to_stage, unmet
        listed = "; ".join(f"{c.label}" + (f" ({c.detail})" if c.detail else "") for c in unmet)
        super().__init__(
            f"cannot move {from_stage} -> {to_stage}: {len(unmet)} entry criteria unmet: {listed}. "
            "Fix them, or give a reason to override (it is recorded in the commit)."
        )


@dataclass
class _Inputs:
    incident: Incident  # as if already at the target stage, so stage-dependent rules apply
    narrative: str
    review: Review
    findings: list[Finding]

    def having(self, *prefixes: str, min_severity: str = "warning") -> tuple[Finding, ...]:
        levels = ("error",) if min_severity == "error" else ("error", "warning")
        return tuple(f for f in self.findings if f.severity in levels and f.rule.startswith(prefixes))


Rule = Callable[[_Inputs], tuple[bool, str, tuple[Finding, ...]]]


class UnknownRule(RuntimeError):
    """A gate names a rule id no check reports: the gate would never block, so it must not load."""


def _no(*prefixes: str, min_severity: str = "warning") -> Rule:
    unknown = [p for p in prefixes if not known_rule(p)]
    if unknown:
        raise UnknownRule(
            f"a stage gate names unknown rule id(s) {', '.join(unknown)}; the known ones are those the checks "
            "register (services/review/checks/registry.py; `workbench lint --rules` lists them)"
        )

    def rule(x: _Inputs) -> tuple[bool, str, tuple[Finding, ...]]:
        found = x.having(*prefixes, min_severity=min_severity)
        return (not found, f"{len(found)} finding(s)" if found else "", found)

    rule.rule_ids = prefixes  # type: ignore[attr-defined]  # a function attribute: the ids a gate checks
    return rule


no_findings = _no  # the public name, for tests and extensions that build gate rules


def _true(test: Callable[[_Inputs], bool], why_not: str) -> Rule:
    def rule(x: _Inputs) -> tuple[bool, str, tuple[Finding, ...]]:
        ok = test(x)
        return ok, "" if ok else why_not, ()

    return rule


def _errors_besides(x: _Inputs, prefix: str) -> tuple[bool, str, tuple[Finding, ...]]:
    found = tuple(f for f in x.having("", min_severity="error") if not f.rule.startswith(prefix))
    return (not found, f"{len(found)} error(s)" if found else "", found)


# stage -> [(criterion id, label, rule)]: what must hold to ENTER that stage.
ENTRY: dict[str, list[tuple[str, str, Rule]]] = {
    "data-collection": [
        (
            "scoping.covers",
            "Scope says what the review covers",
            _true(
                lambda x: bool(x.incident.scope.covers.strip()),
                "empty: Overview pane (1), press s and write what the review covers",
            ),
        ),
        (
            "scoping.blameless",
            "Blameless intent is confirmed in writing",
            _true(
                lambda x: bool(x.incident.scope.blameless_intent.strip()),
                "empty: Overview pane (1), press s and state the blameless intent",
            ),
        ),
        (
            "scoping.roles",
            "Incident commander and postmortem lead are named",
            _true(
                lambda x: bool(x.incident.commander.strip() and x.incident.lead.strip()),
                "Overview pane (1): press e and name the commander and the lead",
            ),
        ),
        (
            "scoping.severity",
            "Severity is set",
            _true(
                lambda x: x.incident.severity is not None,
                "no severity [DATA GAP]: Overview pane (1), press e and set it",
            ),
        ),
        ("scoping.review-kind", "Review depth fits the severity", _no("scope.light-review")),
    ],
    "timeline": [
        (
            "data.key-times",
            "Start and detection times are recorded",
            _true(
                lambda x: bool(x.incident.times.started and x.incident.times.detected),
                "Overview pane (1): press e and set Started and Detected",
            ),
        ),
        (
            "data.evidence",
            "Evidence is gathered (a sourced timeline entry or a recorded gap)",
            _true(
                lambda x: any(e.source.strip() for e in x.incident.timeline) or bool(x.incident.gaps),
                "Timeline pane (2): press a and add an entry with its Source",
            ),
        ),
    ],
    "analysis": [
        ("timeline.sourced", "Every timeline entry has a source or is marked", _no("sources.timeline")),
        ("timeline.kinds", "Every timeline entry has a kind", _no("timeline.kind")),
        ("timeline.utc", "Times are in UTC", _no("timeline.utc")),
        (
            "timeline.mitigated",
            "Mitigation time is recorded (or marked as a gap)",
            _true(
                lambda x: bool(x.incident.times.mitigated) or any(g.status == "open" for g in x.incident.gaps),
                "Overview pane (1): press e and set Mitigated",
            ),
        ),
    ],
    "synthesis": [
        (
            "analysis.root-cause",
            "A root cause is recorded (a confirmed proximate or systemic cause)",
            _true(
                lambda x: has_root_cause(x.incident),
                "Causes pane (3): link evidence with l and confirm a proximate or systemic cause with h",
            ),
        ),
        ("analysis.ai-factors", "Each AI factor is addressed or not applicable with a reason", _no("ai.")),
        ("analysis.evidence", "Every confirmed cause cites its evidence", _no("sources.unevidenced-cause")),
        (
            "analysis.lenses",
            "More than one lens was applied (causes tagged with a lens, or barriers analysed)",
            _true(
                lambda x: len({c.lens for c in x.incident.causes if c.lens}) + (1 if x.incident.barriers else 0) >= 2,
                "Causes pane (3): press e and set the Lens of causes found by two different lenses",
            ),
        ),
        ("analysis.stochastic", "Model behaviour is stated with reproduction rates", _no("stochastic.generalisation")),
        (
            "analysis.diagnostics",
            "No cause rests on an eval delta that is not significant",
            _no("diagnostics.not-significant", min_severity="error"),
        ),
    ],
    "review": [
        ("report.sections", "Every section the review needs is written", _no("scope.section")),
        ("report.impact", "Impact is quantified for the severity", _no("impact.required")),
        (
            "report.sources",
            "Every claim is sourced or marked [DATA GAP]/[ASSUMPTION] with what would close it",
            _no("sources.timeline", "sources.figure", "sources.marker-unexplained", min_severity="error"),
        ),
        (
            "report.actions",
            "Action items pass the actionability test",
            _true(lambda x: bool(x.incident.actions), "Actions pane (4): press a to add an action"),
        ),
        (
            "report.actions-complete",
            "Each action has owner, due date, verification, success criteria and a cause",
            _no(
                "actions.owner",
                "actions.due",
                "actions.verification",
                "actions.unobservable",
                "actions.success-criteria",
                "premature.action-without-cause",
                min_severity="error",
            ),
        ),
        ("report.blameless", "No blame language", _no("blame.")),
        ("report.tldr", "One TL;DR, holding the impact and the top actions", _no("summary.")),
        ("report.bounds", "No legal opinions or production code; specialists named where needed", _no("bounds.")),
        (
            "report.fabrication",
            "Figures in prose are sourced; hypotheses are not written as fact",
            _no("sources.figure-in-prose", "sources.hypothesis-as-fact"),
        ),
    ],
    "tracking": [
        # Close & track findings are the work of the tracking stage itself, so they do not block entering it.
        (
            "review.no-errors",
            "No error findings remain (besides close & track)",
            lambda x: _errors_besides(x, "close."),
        ),
        (
            "review.comments",
            "Every review comment is resolved",
            _true(
                lambda x: not x.review.open_comments(),
                "Review pane (8): answer each open comment and resolve it with x",
            ),
        ),
        (
            "review.signoff",
            "A reviewer signed off the review stage",
            _true(
                lambda x: bool(x.review.signoffs_for("review")), "Review pane (8): press S to sign off the review stage"
            ),
        ),
    ],
    "closed": [
        ("close.tracked", "Every action is in the tracker or explicitly owned", _no("close.tracked")),
        ("close.follow-up", "A follow-up review is scheduled 30–90 days out", _no("close.follow-up")),
    ],
}


def criteria(
    incident: Incident,
    stage: str,
    narrative: str = "",
    *,
    review: Review | None = None,
    config: CheckConfig | None = None,
    toml_text: str | None = None,
) -> list[Criterion]:
    """The entry criteria of `stage`, each met or not, judged as if the incident were already there."""
    at_stage = incident.model_copy(update={"stage": stage})
    x = _Inputs(
        at_stage, narrative, review or Review(), run_checks(at_stage, narrative, toml_text=toml_text, config=config)
    )
    out = []
    for cid, label, rule in ENTRY.get(stage, []):
        met, detail, found = rule(x)
        out.append(Criterion(cid, stage, label, met, detail, found))
    return out


def path(from_stage: str, to_stage: str) -> list[str]:
    """The stages entered when moving forward (empty when moving back or staying)."""
    a, b = STAGES.index(from_stage), STAGES.index(to_stage)
    return list(STAGES[a + 1 : b + 1]) if b > a else []


def advance(
    incident: Incident,
    to_stage: str,
    narrative: str = "",
    *,
    review: Review | None = None,
    config: CheckConfig | None = None,
    toml_text: str | None = None,
) -> list[Criterion]:
    """The unmet entry criteria between the incident's stage and `to_stage` (empty: free to move)."""
    if to_stage not in STAGES:
        raise ValueError(f"unknown stage {to_stage!r}; stages are {', '.join(STAGES)}")
    unmet: list[Criterion] = []
    for stage in path(incident.stage, to_stage):
        unmet += [
            c
            for c in criteria(incident, stage, narrative, review=review, config=config, toml_text=toml_text)
            if not c.met
        ]
    return unmet


def override_trailers(from_stage: str, to_stage: str, unmet: list[Criterion], reason: str) -> list[str]:
    reason = " ".join(reason.split())
    ids = ", ".join(c.id for c in unmet)
    return [f"Override: {from_stage} -> {to_stage} with unmet {ids}", f"Override-Reason: {reason}"]


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None
