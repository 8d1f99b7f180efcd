"""Learning across incidents: what keeps going wrong, how fast we notice and recover, what was promised.

Definitions (the figures `workbench stats` prints and the Learning screen shows):
- An incident counts once per live mode it is tagged with, on itself or on any of its causes
  (aliases and merges followed), in the quarter it started (UTC). Families likewise.
- Recurring mode: tagged in more than one incident. Recurring cause: a group of cause statements, from more
  than one incident, each alike to the group as a whole (TF-IDF cosine >= CAUSE_SIMILARITY to the group's
  leader, then to its centroid; never chained through other members): see cause_groups.py.
- Time to detect / mitigate / resolve: minutes from `times.started`; medians over the incidents that
  have both times, by severity and by quarter.
- Closure rate: (done + verified) / (all actions - won't do); None when there is nothing to close.
- Overdue: open or in-progress actions whose due date is before `today`.
- `since` keeps incidents that started on or after that date (undated incidents are then left out).
"""

from __future__ import annotations

import statistics
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from sys import intern
from typing import TYPE_CHECKING, Any

from ...domain.model import severity_label
from ...domain.vocab import ACTION_STATUSES
from .memory import cyclic_gc_held_off
from .profile import Profile
from ..taxonomy.usage import incident_modes, live_mode_ids

if TYPE_CHECKING:
    from ...domain.model import Incident
    from ...domain.taxonomy import Taxonomy


CAUSE_SIMILARITY = 0.33
PROGRESS_EVERY = 500  # incidents read between two calls of compute_stats's `progress`
UNDATED = "undated"


def quarter_of(day: date | None) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}" if day else UNDATED


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last`, so a quiet quarter shows as a zero, not a gap."""
    y, q = int(first[:4]), int(first[5])
    end = (int(last[:4]), int(last[5]))
    out = []
    while (y, q) <= end:
        out.append(f"{y}Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


@dataclass(frozen=True)
class Recurring:
    id: str
    name: str
    incidents: list[str]  # every one, or the first few after `Stats.shown` (`incident_count` says how many)
    incident_count: int = -1  # -1: len(incidents)

    def __post_init__(self) -> None:
        if self.incident_count < 0:
            object.__setattr__(self, "incident_count", len(self.incidents))


@dataclass(frozen=True, slots=True)
class CauseRef:
    incident_id: str
    cause_id: str
    statement: str


@dataclass(frozen=True)
class CauseCluster:
    words: list[str]  # what the statements share
    incidents: list[str]  # every one, or the first few after `Stats.shown` (the counts say how many)
    causes: list[CauseRef]
    incident_count: int = -1  # -1: len(incidents)
    cause_count: int = -1  # -1: len(causes)

    def __post_init__(self) -> None:
        if self.incident_count < 0:
            object.__setattr__(self, "incident_count", len(self.incidents))
        if self.cause_count < 0:
            object.__setattr__(self, "cause_count", len(self.causes))


@dataclass(frozen=True)
class IncidentTimes:
    incident_id: str
    severity: str
    quarter: str
    to_detect: float | None
    to_mitigate: float | None
    to_resolve: float | None


@dataclass(frozen=True)
class Medians:
    to_detect: float | None
    to_mitigate: float | None
    to_resolve: float | None
    incidents: int


@dataclass(frozen=True)
class OverdueAction:
    incident_id: str
    action_id: str
    action: str
    owner: str
    due: date
    days_overdue: int
    status: str


@dataclass
class Stats:
    today: date
    since: date | None
    incidents: int
    quarters: list[str]
    by_mode: dict[str, dict[str, int]]  # mode id -> quarter -> incidents
    by_family: dict[str, dict[str, int]]
    mode_names: dict[str, str]
    family_names: dict[str, str]
    recurring_modes: list[Recurring]
    recurring_causes: list[CauseCluster]
    times: list[IncidentTimes]
    medians_by_severity: dict[str, Medians]
    medians_by_quarter: dict[str, Medians]
    actions_by_status: dict[str, int]
    closure_rate: float | None
    overdue: list[OverdueAction] = field(default_factory=list)  # most overdue first; the first few after `shown`
    overdue_count: int = -1  # -1: len(overdue)

    def __post_init__(self) -> None:
        if self.overdue_count < 0:
            self.overdue_count = len(self.overdue)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(asdict(self))
        return data

    def shown(self, causes: int, incidents: int, overdue: int) -> Stats:
        """What a screen shows, and nothing it does not: each recurring group's first `causes` statements and
        first `incidents` ids, the `overdue` most overdue actions (the counts kept), no per-incident times. At
        10,000 incidents the whole Stats holds every cause statement (~45,000), every overdue action (~13,000)
        and a row per incident: a screen showing a few of each kept them all alive as long as it was open."""
        return replace(
            self,
            overdue=self.overdue[:overdue],
            overdue_count=self.overdue_count,
            recurring_modes=[replace(r, incidents=r.incidents[:incidents]) for r in self.recurring_modes],
            recurring_causes=[
                replace(c, incidents=c.incidents[:incidents], causes=c.causes[:causes]) for c in self.recurring_causes
            ],
            times=[],
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _medians(rows: list[IncidentTimes]) -> Medians:
    return Medians(
        _median([r.to_detect for r in rows]),
        _median([r.to_mitigate for r in rows]),
        _median([r.to_resolve for r in rows]),
        len(rows),
    )


def compute_stats(
    incidents: Iterable[Incident | Profile],
    taxonomy: Taxonomy,
    today: date,
    since: date | None = None,
    *,
    with_causes: bool = True,
    overdue_kept: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    causes_kept: int | None = None,
) -> Stats:
    """From full models (the CLI) or from the search index's profiles (the Learning screen): the same figures.

    `incidents` is read once, one at a time, and only what the figures need is kept of each (a generator of
    profiles never has them all alive at once: at 10,000 incidents the profiles were ~90 MB resident).
    `with_causes=False` leaves recurring causes out (their cost is statements x groups: a caller that wants
    them on a window of its choosing computes them itself). `overdue_kept`: keep only that many of the most
    overdue actions (`overdue_count` still counts every one), for a caller that shows no more; `causes_kept`
    likewise for each recurring group's statements (a reference is made only for those: at 10,000 incidents the
    ~45,000 made for every statement were ~3 MB of a Learning screen's peak). `progress` is told
    ("reading", incidents read so far) every PROGRESS_EVERY incidents, then ("grouping", cause statements) before
    the causes are grouped (most of the time left)."""
    with cyclic_gc_held_off():  # tens of thousands of acyclic objects: see services/learning/memory.py
        return _compute_stats(incidents, taxonomy, today, since, with_causes, overdue_kept, progress, causes_kept)


@dataclass(frozen=True, slots=True)
class _Row:
    """What the figures need of one incident once its actions are counted."""

    key: tuple[date, str]  # the order incidents are listed in: by start, then id
    id: str
    severity: str
    quarter: str
    modes: tuple[str, ...]  # live modes, sorted
    durations: Any  # DurationsProfile or domain Durations: to_detect, to_mitigate, to_resolve
    causes: range  # its causes' places in the flat lists of cause ids and statements (no tuple per cause)


class _MostOverdue:
    """The most overdue actions, most first: all of them, or the first `limit` without ever holding many more."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.items: list[OverdueAction] = []
        self.count = 0

    @staticmethod
    def _order(o: OverdueAction) -> tuple[int, str, str]:
        return (-o.days_overdue, o.incident_id, o.action_id)

    def add(self, item: OverdueAction) -> None:
        self.count += 1
        self.items.append(item)
        if self.limit is not None and len(self.items) >= 4 * self.limit + 64:
            self.items = sorted(self.items, key=self._order)[: self.limit]

    def result(self) -> list[OverdueAction]:
        ordered = sorted(self.items, key=self._order)
        return ordered if self.limit is None else ordered[: self.limit]


def _compute_stats(
    incidents: Iterable[Incident | Profile],
    taxonomy: Taxonomy,
    today: date,
    since: date | None,
    with_causes: bool,
    overdue_kept: int | None,
    progress: Callable[[str, int], None] | None,
    causes_kept: int | None,
) -> Stats:
    live = live_mode_ids(taxonomy)
    statuses: Counter[str] = Counter()
    most_overdue = _MostOverdue(overdue_kept)
    rows: list[_Row] = []
    cause_ids: list[str] = []  # interned: "C1", "C2" ... repeat in every incident
    statements: list[str] = []
    for read, incident in enumerate(incidents, 1):
        if progress is not None and read % PROGRESS_EVERY == 0:
            progress("reading", read)
        i = Profile.of(incident, with_words=False)
        if since is not None and (i.started_on is None or i.started_on < since):
            continue
        for a in i.actions:
            statuses[a.status] += 1
            if a.is_overdue(today) and a.due is not None:
                most_overdue.add(OverdueAction(i.id, a.id, a.action, a.owner, a.due, (today - a.due).days, a.status))
        rows.append(
            _Row(
                (i.started_on or date.max, i.id),
                i.id,
                severity_label(i.severity),
                quarter_of(i.started_on),
                tuple(sorted(incident_modes(i, taxonomy, live))),
                i.durations,
                range(len(statements), len(statements) + len(i.causes)) if with_causes else range(0),
            )
        )
        if with_causes:
            cause_ids.extend(intern(c.id) for c in i.causes)
            statements.extend(c.statement for c in i.causes)
    if progress is not None and with_causes:
        progress("grouping", len(statements))
    rows.sort(key=lambda r: r.key)
    family_of = {m.id: m.family for m in taxonomy.modes}
    dated = [r.quarter for r in rows if r.quarter != UNDATED]
    quarters = quarter_range(min(dated), max(dated)) if dated else []
    if len(dated) < len(rows):
        quarters.append(UNDATED)

    by_mode: dict[str, Counter[str]] = {}
    by_family: dict[str, Counter[str]] = {}
    mode_incidents: dict[str, list[str]] = {}
    for row in rows:
        for mode_id in row.modes:
            by_mode.setdefault(mode_id, Counter())[row.quarter] += 1
            mode_incidents.setdefault(mode_id, []).append(row.id)
        for family in sorted({family_of[m] for m in row.modes if m in family_of}):
            by_family.setdefault(family, Counter())[row.quarter] += 1

    def series(counter: Counter[str]) -> dict[str, int]:
        return {q: counter.get(q, 0) for q in quarters}

    mode_names = {m.id: m.name for m in taxonomy.modes}
    recurring = [Recurring(m, mode_names.get(m, m), ids) for m, ids in mode_incidents.items() if len(ids) > 1]
    recurring.sort(key=lambda r: (-len(r.incidents), r.id))

    times = []
    for row in rows:
        d = row.durations
        times.append(IncidentTimes(row.id, row.severity, row.quarter, d.to_detect, d.to_mitigate, d.to_resolve))
    by_severity = {
        sev: _medians([t for t in times if t.severity == sev]) for sev in sorted({t.severity for t in times})
    }
    by_quarter = {
        q: _medians([t for t in times if t.quarter == q]) for q in quarters if any(t.quarter == q for t in times)
    }

    actions_by_status = {s: statuses.get(s, 0) for s in ACTION_STATUSES}
    to_close = sum(statuses.values()) - statuses.get("wont-do", 0)
    closed = statuses.get("done", 0) + statuses.get("verified", 0)
    # Every cause in the order incidents are listed in: whose it is (an id already held) and where its id and
    # statement are (a machine integer, not an object per cause).
    at = array("q")
    owner: list[str] = []
    for r in rows:
        at.extend(r.causes)
        owner.extend([r.id] * len(r.causes))
    incident_count = len(rows)
    del rows
    recurring_groups = (
        _recurring_of(
            [statements[a] for a in at],
            lambda n: CauseRef(owner[n], cause_ids[at[n]], statements[at[n]]),
            owner,
            CAUSE_SIMILARITY,
            causes_kept,
        )
        if with_causes
        else []
    )

    return Stats(
        today=today,
        since=since,
        incidents=incident_count,
        quarters=quarters,
        by_mode={m: series(c) for m, c in sorted(by_mode.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))},
        by_family={f: series(c) for f, c in sorted(by_family.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))},
        mode_names={m: mode_names.get(m, m) for m in by_mode},
        family_names={f.id: f.name for f in taxonomy.families},
        recurring_modes=recurring,
        recurring_causes=recurring_groups,
        times=times,
        medians_by_severity=by_severity,
        medians_by_quarter=by_quarter,
        actions_by_status=actions_by_status,
        closure_rate=round(closed / to_close, 4) if to_close else None,
        overdue=most_overdue.result(),
        overdue_count=most_overdue.count,
    )


def recurring_causes(
    incidents: list[Incident] | list[Profile], threshold: float = CAUSE_SIMILARITY
) -> list[CauseCluster]:
    """Recurring causes: groups of alike cause statements that span more than one incident, most incidents
    first. A group is one cause that keeps coming back: each statement is alike to the group as a whole, not
    chained through other members (the definition and the method: services/learning/cause_groups.py)."""
    return _recurring([CauseRef(i.id, c.id, c.statement) for i in incidents for c in i.causes], threshold)


def _recurring(refs: list[CauseRef], threshold: float) -> list[CauseCluster]:
    return _recurring_of([r.statement for r in refs], refs.__getitem__, [r.incident_id for r in refs], threshold, None)


def _recurring_of(
    statements: list[str],
    ref: Callable[[int], CauseRef],
    incident_of: list[str],
    threshold: float,
    kept: int | None,
) -> list[CauseCluster]:
    """Groups of `statements` (the n-th said by incident `incident_of[n]`, `ref(n)` its reference), each with the
    references of its first `kept` statements (all when None), its incidents in order and whole counts."""
    if len(statements) < 2:
        return []
    from .cause_groups import group_statements

    with cyclic_gc_held_off():
        grouping = group_statements(statements, threshold)
    members: list[list[int]] = [[] for _ in grouping.words]
    for n, g in enumerate(grouping.group_of):
        members[g].append(n)
    clusters = []
    for words, numbers in zip(grouping.words, members, strict=True):
        incidents_in = list(dict.fromkeys(incident_of[n] for n in numbers))
        if len(incidents_in) >= 2:
            shown = numbers if kept is None else numbers[:kept]
            clusters.append(CauseCluster(words, incidents_in, [ref(n) for n in shown], cause_count=len(numbers)))
    clusters.sort(key=lambda c: (-len(c.incidents), c.incidents[0]))
    return clusters
