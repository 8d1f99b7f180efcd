"""Learning across incidents: what keeps going wrong, how fast we notice and recover, what was promised.

Definitions (the figures `workbench stats` prints and the Learning screen shows):
- An incident counts once per live mode it is tagged with, on itself or on any of its causes
  (aliases and merges followed), in the quarter it started (UTC). Families likewise.
- Recurring mode: tagged in more than one incident. Recurring cause: cause statements of different
  incidents whose wording is alike (TF-IDF cosine >= CAUSE_SIMILARITY and at least two shared words),
  grouped transitively.
- Time to detect / mitigate / resolve: minutes from `times.started`; medians over the incidents that
  have both times, by severity and by quarter.
- Closure rate: (done + verified) / (all actions - won't do); None when there is nothing to close.
- Overdue: open or in-progress actions whose due date is before `today`.
- `since` keeps incidents that started on or after that date (undated incidents are then left out).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from datetime import date
from typing import TYPE_CHECKING, Any

from ...domain.model import severity_label
from ...domain.vocab import ACTION_STATUSES
from .profile import Profile
from ..taxonomy.usage import incident_modes
from .textsim import top_shared
from .textsim import words as _words

if TYPE_CHECKING:
    from ...domain.model import Incident
    from ...domain.taxonomy import Taxonomy


CAUSE_SIMILARITY = 0.33
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
    incidents: list[str]


@dataclass(frozen=True)
class CauseRef:
    incident_id: str
    cause_id: str
    statement: str


@dataclass(frozen=True)
class CauseCluster:
    words: list[str]  # what the statements share
    incidents: list[str]
    causes: list[CauseRef]


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
    overdue: list[OverdueAction] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(asdict(self))
        return data


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
) -> Stats:
    """From full models (the CLI) or from the search index's profiles (the Learning screen): the same figures.

    `with_causes=False` leaves recurring causes out (they compare every pair of cause statements: a caller
    with thousands of incidents computes them on a window of its choosing)."""
    profiles = [Profile.of(i, with_words=False) for i in incidents]
    if since is not None:
        profiles = [i for i in profiles if i.started_on is not None and i.started_on >= since]
    profiles = sorted(profiles, key=lambda i: (i.started_on or date.max, i.id))
    family_of = {m.id: m.family for m in taxonomy.modes}
    dated = [quarter_of(i.started_on) for i in profiles if i.started_on]
    quarters = quarter_range(min(dated), max(dated)) if dated else []
    if any(i.started_on is None for i in profiles):
        quarters.append(UNDATED)

    by_mode: dict[str, Counter[str]] = {}
    by_family: dict[str, Counter[str]] = {}
    mode_incidents: dict[str, list[str]] = {}
    for incident in profiles:
        quarter = quarter_of(incident.started_on)
        modes = incident_modes(incident, taxonomy)
        for mode_id in sorted(modes):
            by_mode.setdefault(mode_id, Counter())[quarter] += 1
            mode_incidents.setdefault(mode_id, []).append(incident.id)
        for family in sorted({family_of[m] for m in modes if m in family_of}):
            by_family.setdefault(family, Counter())[quarter] += 1

    def series(counter: Counter[str]) -> dict[str, int]:
        return {q: counter.get(q, 0) for q in quarters}

    mode_names = {m.id: m.name for m in taxonomy.modes}
    recurring = [Recurring(m, mode_names.get(m, m), ids) for m, ids in mode_incidents.items() if len(ids) > 1]
    recurring.sort(key=lambda r: (-len(r.incidents), r.id))

    times = []
    for incident in profiles:
        d = incident.durations
        times.append(
            IncidentTimes(
                incident.id,
                severity_label(incident.severity),
                quarter_of(incident.started_on),
                d.to_detect,
                d.to_mitigate,
                d.to_resolve,
            )
        )
    by_severity = {
        sev: _medians([t for t in times if t.severity == sev]) for sev in sorted({t.severity for t in times})
    }
    by_quarter = {
        q: _medians([t for t in times if t.quarter == q]) for q in quarters if any(t.quarter == q for t in times)
    }

    statuses = Counter(a.status for i in profiles for a in i.actions)
    actions_by_status = {s: statuses.get(s, 0) for s in ACTION_STATUSES}
    to_close = sum(statuses.values()) - statuses.get("wont-do", 0)
    closed = statuses.get("done", 0) + statuses.get("verified", 0)
    overdue = [
        OverdueAction(i.id, a.id, a.action, a.owner, a.due, (today - a.due).days, a.status)
        for i in profiles
        for a in i.actions
        if a.is_overdue(today) and a.due is not None
    ]
    overdue.sort(key=lambda o: (-o.days_overdue, o.incident_id, o.action_id))

    return Stats(
        today=today,
        since=since,
        incidents=len(profiles),
        quarters=quarters,
        by_mode={m: series(c) for m, c in sorted(by_mode.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))},
        by_family={f: series(c) for f, c in sorted(by_family.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))},
        mode_names={m: mode_names.get(m, m) for m in by_mode},
        family_names={f.id: f.name for f in taxonomy.families},
        recurring_modes=recurring,
        recurring_causes=recurring_causes(profiles) if with_causes else [],
        times=times,
        medians_by_severity=by_severity,
        medians_by_quarter=by_quarter,
        actions_by_status=actions_by_status,
        closure_rate=round(closed / to_close, 4) if to_close else None,
        overdue=overdue,
    )


def recurring_causes(
    incidents: list[Incident] | list[Profile], threshold: float = CAUSE_SIMILARITY
) -> list[CauseCluster]:
    """Groups of alike cause statements that span more than one incident.

    Leader clustering over one sparse TF-IDF matrix, in near-linear time: each statement (in incident
    order) is compared with the *leaders* so far, in blocks of sparse matrix products, and is linked to
    its (at most MAX_LINKS) most alike leaders of other incidents (cosine >= threshold and at least two
    shared words); links merge groups, as comparing every pair did. A statement leads too unless it
    nearly repeats a leader (cosine >= NEAR_REPEAT) or MAX_LEADERS lead already and it joined one, so in
    a store of distinct causes every statement leads and the groups and their words are exactly those of
    comparing every pair. Comparing every pair (what this replaced) is quadratic: 45,000 statements at
    10,000 incidents made 1e9 comparisons and 1.7e8 alike pairs, and the Learning screen never finished.
    """
    refs = [CauseRef(i.id, c.id, c.statement) for i in incidents for c in i.causes]
    if len(refs) < 2:
        return []
    import numpy as np  # first use only: the app starts without numpy

    from .textsim import SparseCorpus

    corpus = SparseCorpus((str(n), _surface_counts(r.statement)) for n, r in enumerate(refs))
    matrix = corpus.matrix
    binary = matrix.copy()
    binary.data[:] = 1.0
    owner = np.asarray(_incident_numbers(refs), dtype=np.int64)
    parent = list(range(len(refs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[tuple[int, int]] = []  # (leader, statement) pairs that are alike, in the order found
    leaders: list[int] = []
    for lo in range(0, len(refs), _BLOCK):
        hi = min(lo + _BLOCK, len(refs))
        old = np.asarray(leaders, dtype=np.int64)
        alike_old, cos_old = _alike(matrix, binary, lo, hi, old, threshold) if len(old) else (None, None)
        # Within the block, against every earlier statement of the block (new leaders are among them).
        alike_new, cos_new = _alike(matrix, binary, lo, hi, np.arange(lo, hi), threshold)
        new: list[int] = []
        for x in range(lo, hi):
            found: list[tuple[float, int]] = []
            near = False
            if alike_old is not None and cos_old is not None:  # both set together
                keep = alike_old[x - lo] & (owner[old] != owner[x])
                found.extend(zip(cos_old[x - lo][keep].tolist(), old[keep].tolist(), strict=True))
                near = bool((cos_old[x - lo][keep] >= NEAR_REPEAT).any())
            if new:
                candidates = np.asarray(new, dtype=np.int64)
                keep = alike_new[x - lo, candidates - lo] & (owner[candidates] != owner[x])
                values = cos_new[x - lo, candidates - lo][keep]
                found.extend(zip(values.tolist(), candidates[keep].tolist(), strict=True))
                near = near or bool((values >= NEAR_REPEAT).any())
            # Its most alike leaders (all of them in a store of distinct causes: then this is every pair).
            found.sort(key=lambda f: (-f[0], f[1]))
            links.extend((leader, x) for _, leader in found[:MAX_LINKS])
            if not found or (not near and len(leaders) + len(new) < MAX_LEADERS):
                new.append(x)  # later statements are compared with it too
        leaders.extend(new)
    shared_words: dict[int, Counter[str]] = {}
    rows: dict[int, dict[str, float]] = {}

    def row(n: int) -> dict[str, float]:
        if n not in rows:
            rows[n] = corpus.row(str(n))
        return rows[n]

    for a, b in sorted(links):  # in the order comparing every pair met them: the same words on ties
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
            # In place (Counter + Counter copies both: quadratic over a growing group); same keys, same order.
            shared_words.setdefault(ra, Counter()).update(shared_words.pop(rb, Counter()))
        shared_words.setdefault(find(a), Counter()).update(top_shared(row(a), row(b), 3))
    groups: dict[int, list[int]] = {}
    for n in range(len(refs)):
        groups.setdefault(find(n), []).append(n)
    clusters = []
    for root, members in groups.items():
        incidents_in = list(dict.fromkeys(refs[m].incident_id for m in members))
        if len(incidents_in) < 2:
            continue
        found_words = [corpus.word(s) for s, _ in shared_words.get(root, Counter()).most_common(4)]
        clusters.append(CauseCluster(found_words, incidents_in, [refs[m] for m in members]))
    clusters.sort(key=lambda c: (-len(c.incidents), c.incidents[0]))
    return clusters


NEAR_REPEAT = 0.8  # a statement this alike to a leader adds nothing as a leader of its own
MAX_LEADERS = 2048  # beyond this, only statements alike to no leader lead: the cost stays linear
MAX_LINKS = 8  # a statement joins (and takes shared words from) at most its 8 most alike leaders
_BLOCK = 1024  # statements compared at once: a block times the leaders is one sparse product


def _surface_counts(text: str) -> dict[str, int]:
    """A statement's words as SparseCorpus takes them (it stems them): the same TF-IDF as Corpus."""
    counts: dict[str, int] = {}
    for _stem, word in _cached_words(text):
        counts[word] = counts.get(word, 0) + 1
    return counts


@lru_cache(maxsize=65_536)
def _cached_words(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_words(text))  # statements repeat across incidents (templates, copied causes)


def _incident_numbers(refs: list[CauseRef]) -> list[int]:
    numbers: dict[str, int] = {}
    return [numbers.setdefault(r.incident_id, len(numbers)) for r in refs]


def _alike(matrix: Any, binary: Any, lo: int, hi: int, others: Any, threshold: float) -> tuple[Any, Any]:
    """Dense blocks: whether statement lo+i is alike to others[j] (cosine >= threshold, >= 2 shared words),
    and their cosines."""
    cosines = (matrix[lo:hi] @ matrix[others].T).toarray()
    shared = (binary[lo:hi] @ binary[others].T).toarray()
    alike = (cosines >= threshold - 1e-12) & (shared >= 2)
    return alike, cosines
