"""Hypothesis strategies for valid incidents: every field, with cross references that hold.

Text is drawn from all of Unicode (no surrogates, which UTF-8 cannot hold) and mixed with the strings
that break TOML writers: quotes, backslashes, newlines, CR, tabs, control characters and triple quotes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, get_args

from hypothesis import strategies as st

from workbench.domain.model import (
    AIFactors,
    ActionItem,
    Barrier,
    DIAGNOSTIC_KINDS,
    Cause,
    Diagnostic,
    EntryKind,
    FishboneCategory,
    Lens,
    Exposure,
    Factor,
    Figure,
    FrameworkRef,
    Gap,
    Impact,
    Incident,
    KeyTimes,
    Lessons,
    Observation,
    Question,
    Scope,
    TimelineEntry,
)

TRICKY = [
    '"""',
    "'''",
    '""',
    '"',
    "'",
    "\\",
    "\\n",
    "\\u0041",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x1f",
    "\x7f",
    "#",
    "=",
    "[[timeline]]",
    "\u2028",
    "\ufeff",
    "é",
    "日本",
    "🙂",
    " ",
    "\n\n",
    '\\"""',
    '"""\n',
    "\n\\",
]

_chars = st.characters(codec="utf-8")
_piece = st.one_of(st.text(_chars, max_size=8), st.sampled_from(TRICKY))
text = st.lists(_piece, max_size=4).map("".join)
nonempty_text = st.lists(_piece, min_size=1, max_size=4).map("".join).filter(bool)
short = st.lists(_piece, max_size=3).map("".join).filter(lambda s: len(s) <= 300)

slug = st.from_regex(r"\A[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,30}[a-z0-9]\Z").filter(
    lambda s: (
        s.split(".")[0] not in {"con", "prn", "aux", "nul"}
        and not (len(s) == 4 and s[:3] in {"com", "lpt"} and s[3].isdigit())
    )
)
tag = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,12}\Z")

utc_times = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
)
# Offsets other than UTC are accepted and stored as UTC; the model converts on the way in.
any_offset_times = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]),
)
dates = st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 12, 31))
numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


figures = st.builds(Figure, value=optional(numbers), unit=short, note=text, source=short)
exposures = st.builds(Exposure, text=text, source=short)
framework_refs = st.builds(FrameworkRef, framework=short, reference=short, note=text)
impacts = st.builds(
    Impact,
    users_affected=figures,
    requests_affected=figures,
    p99_latency_delta_ms=figures,
    compute_hours_lost=figures,
    cost_usd=figures,
    quality_delta=figures,
    safety_exposure=exposures,
    trust_exposure=exposures,
    regulatory=st.lists(framework_refs, max_size=2),
)
# Diagnostic inputs and results: flat tables of every value kind the model allows (lists never empty).
diagnostic_keys = st.from_regex(r"\A[a-z][a-z0-9_]{0,12}\Z")
diagnostic_values = st.one_of(
    st.booleans(),
    numbers,
    short,
    st.lists(st.one_of(numbers, short), min_size=1, max_size=4),
)
diagnostic_tables = st.dictionaries(diagnostic_keys, diagnostic_values, max_size=4)


def _with_diagnostics(impact: Impact, ids: list[str], draw: st.DrawFn) -> Impact:
    return impact.model_copy(
        update={"diagnostics": draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)) if ids else []}
    )


factors = st.builds(Factor, analysis=text, not_applicable=st.booleans(), reason=text)
ai_factors = st.builds(
    AIFactors,
    data=factors,
    evals=factors,
    prompts=factors,
    nondeterminism=factors,
    opacity=factors,
    rapid_iteration=factors,
)
lessons = st.builds(Lessons, went_well=st.lists(text, max_size=2), to_improve=st.lists(text, max_size=2))
scopes = st.builds(Scope, covers=text, excludes=text, blameless_intent=text)


@st.composite
def key_times(draw: st.DrawFn) -> KeyTimes:
    """Started <= detected <= mitigated <= resolved, any of them missing."""
    chosen = sorted(draw(st.lists(any_offset_times, min_size=4, max_size=4)))
    present = draw(st.lists(st.booleans(), min_size=4, max_size=4))
    names = ("started", "detected", "mitigated", "resolved")
    return KeyTimes(**{n: t for n, t, keep in zip(names, chosen, present, strict=True) if keep})


def _entry_ids(prefix: str) -> st.SearchStrategy[str]:
    return st.from_regex(rf"\A{prefix}-[0-9a-f]{{4}}\Z")


@st.composite
def incidents(draw: st.DrawFn, max_entries: int = 3) -> Incident:
    """A valid incident using every kind of field, with evidence/parent/addresses that point at real entries."""
    n = lambda: draw(st.integers(min_value=0, max_value=max_entries))  # noqa: E731

    def unique_ids(prefix: str, count: int) -> list[str]:
        return draw(st.lists(_entry_ids(prefix), min_size=count, max_size=count, unique=True))

    timeline_ids = unique_ids("t", n())
    timeline = [
        TimelineEntry(
            id=i,
            time=draw(any_offset_times),
            event=draw(nonempty_text),
            source=draw(text),
            kind=draw(optional(st.sampled_from(get_args(EntryKind)))),
            data_gap=draw(st.booleans()),
            assumption=draw(st.booleans()),
        )
        for i in timeline_ids
    ]
    diagnostic_ids = unique_ids("dx", n())
    diagnostics = [
        Diagnostic(
            id=i,
            kind=draw(st.sampled_from(DIAGNOSTIC_KINDS)),
            claim=draw(text),
            sentence=draw(text),
            computed_with=draw(short),
            computed_at=draw(optional(any_offset_times)),
            inputs=draw(diagnostic_tables),
            result=draw(diagnostic_tables),
        )
        for i in diagnostic_ids
    ]
    cause_ids = unique_ids("c", n())
    causes = []
    for index, cid in enumerate(cause_ids):
        # A parent is always an earlier cause: chains and trees, never a loop.
        parent = draw(optional(st.sampled_from(cause_ids[:index]))) if index else None
        causes.append(
            Cause(
                id=cid,
                statement=draw(nonempty_text),
                kind=draw(st.sampled_from(["proximate", "contributing", "systemic"])),
                lens=draw(optional(st.sampled_from(get_args(Lens)))),
                category=draw(optional(st.sampled_from(get_args(FishboneCategory)))),
                status=draw(st.sampled_from(["confirmed", "hypothesis"])),
                parent=parent,
                evidence=draw(st.lists(st.sampled_from(timeline_ids), unique=True, max_size=2)) if timeline_ids else [],
                taxonomy=draw(st.lists(tag, max_size=2)),
                diagnostics=draw(st.lists(st.sampled_from(diagnostic_ids), unique=True, max_size=2))
                if diagnostic_ids
                else [],
            )
        )
    actions = []
    for number in range(1, n() + 1):
        actions.append(
            ActionItem(
                id=f"AI-{number:03d}",
                action=draw(nonempty_text),
                owner=draw(short),
                due=draw(optional(dates)),
                status=draw(st.sampled_from(["open", "in-progress", "done", "verified", "wont-do"])),
                priority=draw(st.sampled_from(["P0", "P1", "P2", "P3"])),
                verification=draw(text),
                success_criteria=draw(text),
                addresses=draw(st.lists(st.sampled_from(cause_ids), unique=True, max_size=2)) if cause_ids else [],
                tracker=draw(short),
            )
        )
    barriers = [
        Barrier(
            id=i,
            control=draw(nonempty_text),
            kind=draw(st.sampled_from(["preventive", "detective", "mitigative"])),
            outcome=draw(st.sampled_from(["held", "failed", "missing"])),
            note=draw(text),
        )
        for i in unique_ids("b", n())
    ]
    observations = []
    for oid in unique_ids("o", n()):
        runs = draw(optional(st.integers(min_value=1, max_value=1000)))
        reproduced = draw(optional(st.integers(min_value=0, max_value=runs or 1000)))
        observations.append(
            Observation(
                id=oid,
                behaviour=draw(nonempty_text),
                conditions=draw(text),
                model=draw(short),
                reproduced=reproduced,
                runs=runs,
                source=draw(text),
            )
        )
    gaps = [
        Gap(
            id=i,
            kind=draw(st.sampled_from(["data-gap", "assumption"])),
            text=draw(nonempty_text),
            closes_by=draw(text),
            status=draw(st.sampled_from(["open", "closed"])),
        )
        for i in unique_ids("g", n())
    ]
    questions = [
        Question(id=i, text=draw(nonempty_text), specialist=draw(short), answered=draw(st.booleans()))
        for i in unique_ids("q", n())
    ]
    return Incident(
        id=draw(slug),
        title=draw(nonempty_text.filter(lambda s: len(s) <= 200)),
        kind=draw(st.sampled_from(["incident", "near-miss"])),
        severity=draw(st.sampled_from(["P0", "P1", "P2"])),
        review=draw(st.sampled_from(["full", "light"])),
        stage=draw(
            st.sampled_from(
                ["scoping", "data-collection", "timeline", "analysis", "synthesis", "review", "tracking", "closed"]
            )
        ),
        summary=draw(text),
        commander=draw(short),
        lead=draw(short),
        postmortem_date=draw(optional(dates)),
        follow_up=draw(optional(dates)),
        systems=draw(st.lists(short, max_size=2)),
        models=draw(st.lists(short, max_size=2)),
        tags=draw(st.lists(tag, max_size=3)),
        taxonomy=draw(st.lists(tag, max_size=2)),
        scope=draw(scopes),
        times=draw(key_times()),
        impact=_with_diagnostics(draw(impacts), diagnostic_ids, draw),
        ai_factors=draw(ai_factors),
        lessons=draw(lessons),
        timeline=timeline,
        causes=causes,
        actions=actions,
        barriers=barriers,
        observations=observations,
        gaps=gaps,
        questions=questions,
        diagnostics=diagnostics,
    )
