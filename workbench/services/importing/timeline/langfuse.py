"""Langfuse exports: traces (`timestamp`, `name`, `latency` in seconds, `scores`) and observations
(`startTime`/`endTime`, `type`, `model`, `level` DEBUG/DEFAULT/WARNING/ERROR, `statusMessage`,
`promptName`/`promptVersion`), as the public API returns them (camelCase) or as the blob-storage
export writes them (snake_case; its timestamps carry no offset and are UTC, as documented)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import Candidate, ImportOptions, ImportProblem, ImportResult, load_json, one_line, parse_time, pick, records
from .llm_common import describe, seconds_between


def _scores(record: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for score in record.get("scores") or []:
        if isinstance(score, dict) and isinstance(score.get("value"), (int, float)) and score.get("name"):
            out[str(score["name"])] = float(score["value"])
    return out


def read_langfuse(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    doc = load_json(path, opts.label, result)
    if doc is None:
        return result
    rows = records(doc, "data", "traces", "observations")
    if not rows:
        result.problems.append(ImportProblem(opts.label, 1, "data", "no traces or observations found"))
    for row in rows:
        line = doc.line_of(row)
        if not isinstance(row, dict):
            result.problems.append(ImportProblem(opts.label, line, "", "expected a trace or observation object"))
            continue
        rid = pick(row, "id")
        raw_start = pick(row, "startTime", "start_time", "timestamp")
        field = next((f for f in ("startTime", "start_time", "timestamp") if f in row), "timestamp")
        if not rid:
            result.problems.append(ImportProblem(opts.label, line, "id", "missing id"))
            continue
        try:
            start = parse_time(raw_start, opts.tz, naive_is_utc=True)
            end_raw = pick(row, "endTime", "end_time")
            end = parse_time(end_raw, opts.tz, naive_is_utc=True) if end_raw else None
        except ValueError as exc:
            result.problems.append(ImportProblem(opts.label, line, field, str(exc)))
            continue
        if not opts.in_window(start):
            result.skipped += 1
            continue
        latency = pick(row, "latency")
        latency_s = float(latency) if isinstance(latency, (int, float)) else seconds_between(start, end)
        level = str(pick(row, "level") or "")
        error = (pick(row, "statusMessage", "status_message") or "level ERROR") if level == "ERROR" else None
        kind_word = (
            "trace"
            if "timestamp" in row and "startTime" not in row and "start_time" not in row
            else str(pick(row, "type") or "observation").lower()
        )
        ids = [f"{kind_word}={rid}"]
        trace_id = pick(row, "traceId", "trace_id")
        if trace_id and trace_id != rid:
            ids.append(f"trace={trace_id}")
        prompt = pick(row, "promptName", "prompt_name")
        if prompt:
            version = pick(row, "promptVersion", "prompt_version")
            ids.append(f"prompt={prompt}" + (f" v{version}" if version is not None else ""))
        model = pick(row, "model", "providedModelName", "provided_model_name")
        event, notable = describe(
            "Langfuse",
            str(pick(row, "name") or kind_word),
            model=model,
            latency_s=latency_s,
            error=error,
            scores=_scores(row),
            ids=ids,
            opts=opts,
        )
        if opts.notable_only and not notable:
            result.skipped += 1
            continue
        kind = "detection" if error else "context"
        result.candidates.append(
            Candidate(
                start,
                event,
                kind,
                f"{opts.label}:{line} langfuse {kind_word} {rid}",
                one_line({k: v for k, v in row.items() if k not in ("input", "output")}, 2000),
                opts.label,
            )
        )
    return result
