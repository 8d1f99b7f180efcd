"""The postmortem, as data: pydantic v2 models with no I/O, no Textual and no git.

Field order is the file order: `store` writes keys in the order they are declared here, scalars
first, then tables, then arrays of tables, so that files stay stable and review well in git.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, ClassVar, Literal, cast

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from . import vocab
from .ids import entry_id_problem, slug_problem

SCHEMA_VERSION = 1

Severity = Literal["P0", "P1", "P2"]
SEVERITY_VALUES: tuple[str, ...] = ("P0", "P1", "P2")
# The list shows these without loading pydantic: they live in vocab, and are model's names too.
NO_SEVERITY = vocab.NO_SEVERITY
severity_label = vocab.severity_label


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


# An absent severity is written as `severity = ""`: TOML has no null, and leaving the key out would read
# back as the default (P2), silently inventing a severity the source never stated.
OptionalSeverity = Annotated[
    Severity | None,
    BeforeValidator(_blank_is_none),
    PlainSerializer(lambda v: "" if v is None else v, return_type=str),
]
IncidentKind = Literal["incident", "near-miss"]
ReviewKind = Literal["full", "light"]
Stage = Literal["scoping", "data-collection", "timeline", "analysis", "synthesis", "review", "tracking", "closed"]
# vocab holds the names as plain strings (no pydantic needed to read them); the same names (tests check).
STAGES = cast("tuple[Stage, ...]", vocab.STAGES)
STAGE_LABELS = vocab.STAGE_LABELS
EntryKind = Literal[
    "trigger", "detection", "escalation", "mitigation", "resolution", "decision", "communication", "context"
]
CauseKind = Literal["proximate", "contributing", "systemic"]
Lens = Literal[
    "5-whys",
    "fault-tree",
    "fishbone",
    "barrier-analysis",
    "change-analysis",
    "causal-factor-charting",
    "eval-gap",
    "data-provenance",
    "prompt-archaeology",
    "reward-model-forensics",
]
LENS_LABELS: dict[str, str] = {
    "5-whys": "5 Whys",
    "fault-tree": "Fault tree",
    "fishbone": "Fishbone",
    "barrier-analysis": "Barrier analysis",
    "change-analysis": "Change analysis",
    "causal-factor-charting": "Event & causal factor charting",
    "eval-gap": "Eval gap",
    "data-provenance": "Data provenance",
    "prompt-archaeology": "Prompt archaeology",
    "reward-model-forensics": "Reward-model forensics",
}
# Ishikawa categories, named for systems rather than people: the method is blameless.
FishboneCategory = Literal[
    "process", "tooling", "infrastructure", "model", "data", "evaluation", "monitoring", "organisation"
]
CauseStatus = Literal["confirmed", "hypothesis"]
Priority = Literal["P0", "P1", "P2", "P3"]
ActionStatus = Literal["open", "in-progress", "done", "verified", "wont-do"]
ACTION_STATUSES = cast("tuple[ActionStatus, ...]", vocab.ACTION_STATUSES)
OPEN_ACTION_STATUSES = frozenset({"open", "in-progress"})
BarrierKind = Literal["preventive", "detective", "mitigative"]
BarrierOutcome = Literal["held", "failed", "missing"]
GapKind = Literal["data-gap", "assumption"]
GapStatus = Literal["open", "closed"]
# The sources the method's data-collection step asks for; evidence kinds use the same names so an
# item of evidence answers a checklist line.
SourceKind = Literal[
    "logs", "traces", "prompts", "evals", "git-history", "chat", "paging", "model-versions", "deployment"
]
SOURCE_KINDS: tuple[SourceKind, ...] = (
    "logs",
    "traces",
    "prompts",
    "evals",
    "git-history",
    "chat",
    "paging",
    "model-versions",
    "deployment",
)
SOURCE_LABELS: dict[str, str] = {
    "logs": "Logs",
    "traces": "Traces",
    "prompts": "Prompts",
    "evals": "Evals",
    "git-history": "Git history",
    "chat": "Chat records",
    "paging": "Paging records",
    "model-versions": "Model versions",
    "deployment": "Deployment metadata",
}
EvidenceKind = Literal[
    "logs", "traces", "prompts", "evals", "git-history", "chat", "paging", "model-versions", "deployment", "other"
]
CollectionStatus = Literal["gathered", "not-needed", "missing"]
AI_FACTORS: tuple[str, ...] = ("data", "evals", "prompts", "nondeterminism", "opacity", "rapid_iteration")
# The statistics a postmortem can save and re-run (workbench/services/diagnostics computes them).
DiagnosticKind = Literal["reproduction", "srm", "eval-delta", "impact", "rate-change"]
DIAGNOSTIC_KINDS: tuple[DiagnosticKind, ...] = ("reproduction", "srm", "eval-delta", "impact", "rate-change")
DIAGNOSTIC_LABELS: dict[str, str] = {
    "reproduction": "reproduction rate",
    "srm": "sample ratio mismatch",
    "eval-delta": "eval delta",
    "impact": "impact calculation",
    "rate-change": "rate change",
}


def _check_slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_entry_id(value: str) -> str:
    problem = entry_id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time needs an offset or 'Z' (for example 2025-08-05T16:00:00Z); it is stored in UTC")
    return value.astimezone(timezone.utc)


Slug = Annotated[str, AfterValidator(_check_slug)]
EntryId = Annotated[str, AfterValidator(_check_entry_id)]
UtcTime = Annotated[datetime, AfterValidator(_to_utc)]
Short = Annotated[str, Field(max_length=300)]
Text = Annotated[str, Field(max_length=20_000)]
Tag = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
ModeId = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9._-]*$")]


# Fields whose default is a model use default_factory: pydantic deep-copies a default instance on every
# validation, which was a third of validating an incident (and a first index build validates 10,000).
class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False)


class Scope(Model):
    covers: Text = ""
    excludes: Text = ""
    blameless_intent: Text = ""


class KeyTimes(Model):
    started: UtcTime | None = None
    detected: UtcTime | None = None
    mitigated: UtcTime | None = None
    resolved: UtcTime | None = None

    @model_validator(mode="after")
    def _in_order(self) -> KeyTimes:
        seen: list[tuple[str, datetime]] = []
        for name in ("started", "detected", "mitigated", "resolved"):
            value = getattr(self, name)
            if value is None:
                continue
            for earlier_name, earlier in seen:
                if value < earlier:
                    raise ValueError(f"{name} ({value:%Y-%m-%dT%H:%MZ}) is before {earlier_name}")
            seen.append((name, value))
        return self


class Figure(Model):
    """A quantity of impact: a number where a number is possible, else a note saying why not."""

    # NaN and infinity are not quantities (and NaN never equals itself, so it cannot round-trip).
    value: int | Annotated[float, Field(allow_inf_nan=False)] | None = None
    unit: Short = ""
    note: Text = ""
    source: Short = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.note


class Exposure(Model):
    text: Text = ""
    source: Short = ""


class FrameworkRef(Model):
    """A pointer into a framework (EU AI Act, NIST AI RMF, ISO/IEC 42001). Information only, never a legal reading."""

    framework: Short
    reference: Short
    note: Text = ""


class Impact(Model):
    diagnostics: list[EntryId] = []  # diagnostics (dx-…) the figures rest on
    users_affected: Figure = Field(default_factory=Figure)
    requests_affected: Figure = Field(default_factory=Figure)
    p99_latency_delta_ms: Figure = Field(default_factory=Figure)
    compute_hours_lost: Figure = Field(default_factory=Figure)
    cost_usd: Figure = Field(default_factory=Figure)
    quality_delta: Figure = Field(default_factory=Figure)
    safety_exposure: Exposure = Field(default_factory=Exposure)
    trust_exposure: Exposure = Field(default_factory=Exposure)
    regulatory: list[FrameworkRef] = []
    figures: list[Figure] = []  # further quantities (durations, percentages, counts), each citing its source

    FIGURES: ClassVar[tuple[str, ...]] = (
        "users_affected",
        "requests_affected",
        "p99_latency_delta_ms",
        "compute_hours_lost",
        "cost_usd",
        "quality_delta",
    )


class Factor(Model):
    """One AI-native factor: addressed in text, or not applicable with a reason."""

    analysis: Text = ""
    not_applicable: bool = False
    reason: Text = ""

    @property
    def settled(self) -> bool:
        return bool(self.analysis.strip()) or (self.not_applicable and bool(self.reason.strip()))


class AIFactors(Model):
    data: Factor = Field(default_factory=Factor)
    evals: Factor = Field(default_factory=Factor)
    prompts: Factor = Field(default_factory=Factor)
    nondeterminism: Factor = Field(default_factory=Factor)
    opacity: Factor = Field(default_factory=Factor)
    rapid_iteration: Factor = Field(default_factory=Factor)


class Lessons(Model):
    went_well: list[Text] = []
    to_improve: list[Text] = []


class TimelineEntry(Model):
    id: EntryId
    time: UtcTime
    event: Text = Field(min_length=1)
    source: Text = ""
    kind: EntryKind | None = None
    data_gap: bool = False
    assumption: bool = False
    note: Text = ""  # how the source wrote it (original wording and zone), e.g. for an imported entry


class Cause(Model):
    id: EntryId
    statement: Text = Field(min_length=1)
    kind: CauseKind = "contributing"
    lens: Lens | None = None
    category: FishboneCategory | None = None
    status: CauseStatus = "hypothesis"
    parent: EntryId | None = None
    evidence: list[EntryId] = []
    taxonomy: list[ModeId] = []
    diagnostics: list[EntryId] = []  # diagnostics (dx-…) that back a claim of rate, reliability or regression
    source: Text = ""  # where the statement came from, e.g. the lines of an imported postmortem


class ActionItem(Model):
    id: EntryId
    action: Text = Field(min_length=1)
    owner: Short = ""
    due: date | None = None
    status: ActionStatus = "open"
    priority: Priority = "P2"
    verification: Text = ""
    success_criteria: Text = ""
    addresses: list[EntryId] = []
    tracker: Short = ""
    source: Text = ""  # where the action came from, e.g. the lines of an imported postmortem

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due is not None and self.due < today


class Barrier(Model):
    id: EntryId
    control: Text = Field(min_length=1)
    kind: BarrierKind
    outcome: BarrierOutcome
    note: Text = ""


class Observation(Model):
    """What the model did, under which conditions, in k of n runs: one run is never reliable behaviour."""

    id: EntryId
    behaviour: Text = Field(min_length=1)
    conditions: Text = ""
    model: Short = ""
    reproduced: int | None = Field(default=None, ge=0)
    runs: int | None = Field(default=None, ge=1)
    source: Text = ""

    @model_validator(mode="after")
    def _k_of_n(self) -> Observation:
        if self.reproduced is not None and self.runs is not None and self.reproduced > self.runs:
            raise ValueError(f"reproduced ({self.reproduced}) cannot exceed runs ({self.runs})")
        return self


class Gap(Model):
    """A [DATA GAP] or an [ASSUMPTION], with what would close it."""

    id: EntryId
    kind: GapKind = "data-gap"
    text: Text = Field(min_length=1)
    closes_by: Text = ""
    status: GapStatus = "open"


class Question(Model):
    id: EntryId
    text: Text = Field(min_length=1)
    specialist: Short = ""
    answered: bool = False


class Evidence(Model):
    """One item in the incident's evidence locker: a file kept in `evidence/` beside incident.toml
    (`path`), or a reference to something that stays outside the store (`reference`: a path or URL)."""

    id: EntryId
    name: Short = Field(min_length=1)
    kind: EvidenceKind = "other"
    path: Short = ""
    reference: Short = ""
    revision: Short = ""
    sha256: Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")] = ""
    size: int | None = Field(default=None, ge=0)
    added: UtcTime | None = None
    added_by: Short = ""
    description: Text = ""
    sensitive: bool = False

    @model_validator(mode="after")
    def _kept_or_referenced(self) -> Evidence:
        if bool(self.path) == bool(self.reference):
            raise ValueError(f"evidence {self.id}: give either path (a kept copy) or reference, not both or neither")
        if self.path and (not self.path.startswith("evidence/") or ".." in self.path.split("/") or "\\" in self.path):
            raise ValueError(f"evidence {self.id}: path must be inside evidence/ (got {self.path!r})")
        if self.path and not self.sha256:
            raise ValueError(f"evidence {self.id}: a kept copy needs its sha256")
        return self


_DIAG_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
Number = int | Annotated[float, Field(allow_inf_nan=False)]
# A flat value: inputs and results stay one level deep so they read as plain `key = value` lines.
DiagnosticValue = bool | int | Annotated[float, Field(allow_inf_nan=False)] | Short | list[Number | Short]


def _check_values(values: dict[str, DiagnosticValue]) -> dict[str, DiagnosticValue]:
    for key, value in values.items():
        if not _DIAG_KEY_RE.match(key):
            raise ValueError(f"{key!r}: a key is lowercase letters, digits and '_' (at most 40)")
        if isinstance(value, list) and not value:
            raise ValueError(f"{key}: an empty list says nothing; leave the key out")
    return values


DiagnosticValues = Annotated[dict[str, DiagnosticValue], AfterValidator(_check_values)]


class Diagnostic(Model):
    """A statistic saved with its inputs: re-run from them on demand (a different result is reported).

    `inputs` name numbers typed in, or an evidence file by id and SHA-256 (checked before use);
    `result` holds what was computed; `sentence` is the plain statement to cite."""

    id: EntryId
    kind: DiagnosticKind
    claim: Text = ""  # what it tests, in the postmortem's words ("the misroute reproduces")
    sentence: Text = ""
    computed_with: Short = ""  # e.g. "scipy 1.17.1, statsmodels 0.15.0"
    computed_at: UtcTime | None = None
    inputs: DiagnosticValues = {}
    result: DiagnosticValues = {}


class SourceCheck(Model):
    """One line of the data-collection checklist: a source gathered (with its evidence), not needed
    (with a reason), or missing (with the [DATA GAP] entry it recorded)."""

    source: SourceKind
    status: CollectionStatus
    evidence: list[EntryId] = []
    reason: Text = ""
    gap: EntryId | None = None


class Incident(Model):
    schema_version: int = SCHEMA_VERSION
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: IncidentKind = "incident"
    severity: OptionalSeverity = "P2"  # None: not stated (an imported source that gives none) -- a [DATA GAP]
    review: ReviewKind = "full"
    stage: Stage = "scoping"
    summary: Text = ""
    commander: Short = ""
    lead: Short = ""
    postmortem_date: date | None = None
    follow_up: date | None = None
    follow_up_held: date | None = None  # when the follow-up review took place; `workbench due` stops listing it
    systems: list[Short] = []
    models: list[Short] = []
    tags: list[Tag] = []
    taxonomy: list[ModeId] = []
    scope: Scope = Field(default_factory=Scope)
    times: KeyTimes = Field(default_factory=KeyTimes)
    impact: Impact = Field(default_factory=Impact)
    ai_factors: AIFactors = Field(default_factory=AIFactors)
    lessons: Lessons = Field(default_factory=Lessons)
    timeline: list[TimelineEntry] = []
    causes: list[Cause] = []
    actions: list[ActionItem] = []
    barriers: list[Barrier] = []
    observations: list[Observation] = []
    gaps: list[Gap] = []
    questions: list[Question] = []
    evidence: list[Evidence] = []
    collection: list[SourceCheck] = []
    diagnostics: list[Diagnostic] = []

    @model_validator(mode="after")
    def _consistent(self) -> Incident:
        if self.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is newer than this workbench understands ({SCHEMA_VERSION})"
            )
        ids: dict[str, str] = {}
        for collection in ENTRY_COLLECTIONS:
            for entry in getattr(self, collection):
                if entry.id in ids:
                    raise ValueError(f"entry id {entry.id!r} is used twice ({ids[entry.id]} and {collection})")
                ids[entry.id] = collection
        timeline_ids = {e.id for e in self.timeline}
        cause_ids = {c.id for c in self.causes}
        for cause in self.causes:
            if cause.parent is not None and cause.parent not in cause_ids:
                raise ValueError(f"cause {cause.id}: parent {cause.parent!r} is not a cause of this incident")
            missing = [e for e in cause.evidence if e not in timeline_ids]
            if missing:
                raise ValueError(f"cause {cause.id}: evidence {missing} are not timeline entries")
        for action in self.actions:
            missing = [c for c in action.addresses if c not in cause_ids]
            if missing:
                raise ValueError(f"action {action.id}: addresses {missing}, which are not causes")
        evidence_ids = {e.id for e in self.evidence}
        gap_ids = {g.id for g in self.gaps}
        seen_sources: set[str] = set()
        for check in self.collection:
            if check.source in seen_sources:
                raise ValueError(f"collection: source {check.source!r} is listed twice")
            seen_sources.add(check.source)
            missing = [e for e in check.evidence if e not in evidence_ids]
            if missing:
                raise ValueError(f"collection {check.source}: evidence {missing} are not evidence entries")
            if check.gap is not None and check.gap not in gap_ids:
                raise ValueError(f"collection {check.source}: gap {check.gap!r} is not a gap of this incident")
        diagnostic_ids = {d.id for d in self.diagnostics}
        for cause in self.causes:
            missing = [d for d in cause.diagnostics if d not in diagnostic_ids]
            if missing:
                raise ValueError(f"cause {cause.id}: diagnostics {missing} are not diagnostics of this incident")
        missing = [d for d in self.impact.diagnostics if d not in diagnostic_ids]
        if missing:
            raise ValueError(f"impact: diagnostics {missing} are not diagnostics of this incident")
        _check_no_cycles(self.causes)
        return self

    # -- conveniences that stay pure ------------------------------------------------------------
    def entry_ids(self) -> set[str]:
        out: set[str] = set()
        for collection in ENTRY_COLLECTIONS:
            out.update(e.id for e in getattr(self, collection))
        return out

    def sorted_timeline(self) -> list[TimelineEntry]:
        # A stable sort: entries at the same instant keep the order the author gave them.
        return sorted(self.timeline, key=lambda e: e.time)

    def open_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if a.status in OPEN_ACTION_STATUSES]

    @property
    def started_on(self) -> date | None:
        return self.times.started.date() if self.times.started else None


ENTRY_COLLECTIONS = (
    "timeline",
    "causes",
    "actions",
    "barriers",
    "observations",
    "gaps",
    "questions",
    "evidence",
    "diagnostics",
)


def _check_no_cycles(causes: list[Cause]) -> None:
    parent = {c.id: c.parent for c in causes}
    for start in parent:
        seen = {start}
        node = parent[start]
        while node is not None:
            if node in seen:
                raise ValueError(f"cause {start}: its parent chain loops back on itself")
            seen.add(node)
            node = parent.get(node)


class Durations(BaseModel):
    """Derived, never stored: time to detect, mitigate and resolve, from the key times."""

    to_detect: float | None = None
    to_mitigate: float | None = None
    to_resolve: float | None = None


def durations(incident: Incident) -> Durations:
    t = incident.times
    start = t.started

    def minutes(end: datetime | None) -> float | None:
        if start is None or end is None:
            return None
        return (end - start).total_seconds() / 60

    return Durations(to_detect=minutes(t.detected), to_mitigate=minutes(t.mitigated), to_resolve=minutes(t.resolved))


def format_minutes(value: float | None) -> str:
    if value is None:
        return "—"
    total = int(round(value))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {mins}m"
    if hours:
        return f"{hours}h {mins}m"
    return f"{mins}m"
