"""What a check reports: a Finding (rule, severity, where, what, how to fix). The rules themselves are in
registry.py, registered by the checks that report them."""

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
