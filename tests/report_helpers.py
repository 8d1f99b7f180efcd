"""A rich incident for report tests (the bundled examples are tested as well, once present)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from workbench.domain.model import (
    ActionItem,
    AIFactors,
    Barrier,
    Cause,
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
    TimelineEntry,
)


def t(h: int, m: int, d: int = 5) -> datetime:
    return datetime(2025, 8, d, h, m, tzinfo=timezone.utc)


def rich_incident(**over) -> Incident:
    data = dict(
        id="2025-08-05-kv-cache-oom",
        title="KV-cache OOM after vLLM | upgrade",
        severity="P1",
        commander="Dana Kim",
        lead="Lee Park",
        postmortem_date=date(2025, 8, 7),
        summary="Inference pods ran out of memory after an upgrade. Long-context requests failed for 74 minutes.",
        systems=["inference-gateway"],
        models=["llama-3-70b-instruct"],
        tags=["serving"],
        taxonomy=["kv-cache-pathology"],
        times=KeyTimes(started=t(16, 0), detected=t(16, 42), mitigated=t(17, 14), resolved=t(18, 3)),
        impact=Impact(
            users_affected=Figure(value=1200, unit="users", source="gateway dashboard"),
            p99_latency_delta_ms=Figure(value=850.5, source="traces"),
            cost_usd=Figure(note="finance has not priced the retries yet"),
            safety_exposure=Exposure(text="none observed"),
            regulatory=[FrameworkRef(framework="NIST AI RMF", reference="MANAGE 4.1")],
        ),
        ai_factors=AIFactors(
            data=Factor(not_applicable=True, reason="no data change in the window"),
            evals=Factor(analysis="The load eval used 4k contexts only.\nLong contexts were absent."),
        ),
        lessons=Lessons(went_well=["Rollback was one command."], to_improve=["Memory profile was not a release gate."]),
        timeline=[
            TimelineEntry(
                id="t-0001",
                time=t(16, 0),
                event="Deploy of `vllm==0.6.0` | canary skipped",
                source="deploy log #4411",
                kind="trigger",
            ),
            TimelineEntry(id="t-0002", time=t(16, 42), event="p99 alert fires", source="", kind="detection"),
            TimelineEntry(
                id="t-0003",
                time=t(17, 14),
                event="Rollback complete",
                source="argo history",
                kind="mitigation",
                assumption=True,
            ),
        ],
        causes=[
            Cause(
                id="c-0001",
                statement="KV cache block size doubled in 0.6.0",
                kind="proximate",
                status="confirmed",
                category="infrastructure",
                lens="change-analysis",
                evidence=["t-0001"],
                taxonomy=["kv-cache-pathology"],
            ),
            Cause(
                id="c-0002",
                statement="Load eval lacked long-context traffic",
                kind="contributing",
                status="hypothesis",
                category="evaluation",
                parent="c-0001",
            ),
            Cause(
                id="c-0003",
                statement='No staged rollout "policy" for serving upgrades',
                kind="systemic",
                status="hypothesis",
                category="process",
                parent="c-0002",
            ),
        ],
        actions=[
            ActionItem(
                id="AI-001",
                action="Add long-context traffic to the load eval",
                owner="@lee",
                priority="P1",
                due=date(2025, 9, 1),
                verification="Eval run shows 32k contexts | p99 within 10%",
                addresses=["c-0002"],
            ),
            ActionItem(
                id="AI-002",
                action="Gate serving upgrades on a memory canary",
                owner="Dana Kim",
                priority="P0",
                due=date(2025, 8, 20),
                verification="Canary blocks a synthetic regression",
                success_criteria="Next upgrade passes the gate",
                addresses=["c-0001", "c-0003"],
            ),
            ActionItem(id="AI-003", action="Document rollback", owner="", priority="P2", status="done"),
            ActionItem(id="AI-004", action="Page the model team", owner="@sam", priority="P3"),
        ],
        barriers=[
            Barrier(
                id="b-0001", control="Canary deploy", kind="preventive", outcome="missing", note="skipped for\nserving"
            )
        ],
        observations=[
            Observation(
                id="o-0001",
                behaviour="OOM at 32k context",
                model="llama-3-70b-instruct",
                reproduced=3,
                runs=5,
                source="repro notebook",
            ),
            Observation(id="o-0002", behaviour="Garbled output once", runs=1, reproduced=1),
        ],
        gaps=[
            Gap(id="g-0001", text="Exact count of failed requests", closes_by="gateway logs export"),
            Gap(id="g-0002", kind="assumption", text="Retries doubled the load"),
        ],
        questions=[Question(id="q-0001", text="Does 0.6.1 fix the block size?", specialist="vLLM maintainers")],
    )
    data.update(over)
    return Incident(**data)


NARRATIVE = """Preamble text before any heading.

## Executive Summary

<!-- hint: 2-4 sentences -->
The upgrade changed the KV cache memory profile.

## Detection & Initial Response

The p99 alert fired at 16:42 UTC; the on-call engineer paged the serving team.

## Technical Analysis

### Memory

Blocks doubled in size.

## Customer Communication

A status page note went out at 17:00.

# A stray top-level heading

```
## not a heading inside a fence
```
"""


# The canonical report's level-2 sections in order, full and light review.
CANONICAL = [
    "Executive Summary",
    "Timeline",
    "Detection & Initial Response",
    "Technical Analysis",
    "Root Causes & Contributing Factors",
    "Lessons Learned",
    "Action Items",
    "Data Gaps & Assumptions",
]
LIGHT = ["Summary", "Timeline", "What Happened and Why", "Lessons Learned", "Action Items", "Data Gaps & Assumptions"]


def h2(markdown: str) -> list[str]:
    out, fence = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("## "):
            out.append(line[3:])
    return out
