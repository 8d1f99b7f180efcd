"""LangSmith run exports: a list of runs (or {"runs": [...]}) with `id`, `name`, `run_type`,
`start_time`, `end_time`, `error`, `trace_id`, `extra.metadata` / `extra.invocation_params` (model),
token counts and `feedback_stats` ({key: {n, avg}}). LangSmith times without an offset are UTC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import Candidate, ImportOptions, ImportProblem, ImportResult, load_json, one_line, parse_time, pick, records
from .llm_common import describe


def _feedback(run: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    stats = run.get("feedback_stats") or {}
    if isinstance(stats, dict):
        for key, value in stats.items():
            avg = value.get("avg") if isinstance(value, dict) else value
            if isinstance(avg, (int, float)) and not isinstance(avg, bool):
                out[str(key)] = float(avg)
    return out


def read_langsmith(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    doc = load_json(path, opts.label, result)
    if doc is None:
        return result
    runs = records(doc, "runs", "data")
    if not runs:
        result.problems.append(ImportProblem(opts.label, 1, "runs", "no runs found"))
    for run in runs:
        line = doc.line_of(run)
        if not isinstance(run, dict):
            result.problems.append(ImportProblem(opts.label, line, "", "expected a run object"))
            continue
        if not run.get("id"):
            result.problems.append(ImportProblem(opts.label, line, "id", "missing id"))
            continue
        try:
            start = parse_time(run.get("start_time"), opts.tz, naive_is_utc=True)
            end = parse_time(run["end_time"], opts.tz, naive_is_utc=True) if run.get("end_time") else None
        except ValueError as exc:
            result.problems.append(
                ImportProblem(
                    opts.label,
                    line,
                    "start_time" if "start_time" in str(exc) or not run.get("start_time") else "end_time",
                    str(exc),
                )
            )
            continue
        if not opts.in_window(start):
            result.skipped += 1
            continue
        model = pick(
            run,
            "extra.invocation_params.model",
            "extra.invocation_params.model_name",
            "extra.metadata.ls_model_name",
            "extra.metadata.model",
        )
        ids = [f"run={run['id']}", f"type={run.get('run_type') or '?'}"]
        if run.get("trace_id") and run.get("trace_id") != run.get("id"):
            ids.append(f"trace={run['trace_id']}")
        prompt = pick(
            run, "extra.metadata.prompt", "extra.metadata.prompt_version", "extra.metadata.lc_hub_commit_hash"
        )
        if prompt:
            ids.append(f"prompt={prompt}")
        tokens = (run.get("prompt_tokens"), run.get("completion_tokens"))
        if any(t is not None for t in tokens):
            ids.append(
                f"tokens in/out={tokens[0] if tokens[0] is not None else '?'}/"
                f"{tokens[1] if tokens[1] is not None else '?'}"
            )
        latency = (end - start).total_seconds() if end else None
        event, notable = describe(
            "LangSmith",
            str(run.get("name") or run.get("run_type") or "run"),
            model=model,
            latency_s=latency,
            error=run.get("error"),
            scores=_feedback(run),
            ids=ids,
            opts=opts,
        )
        if opts.notable_only and not notable:
            result.skipped += 1
            continue
        kind = "detection" if run.get("error") else "context"
        result.candidates.append(
            Candidate(
                start,
                event,
                kind,
                f"{opts.label}:{line} langsmith run {run['id']}",
                one_line({k: v for k, v in run.items() if k not in ("inputs", "outputs")}, 2000),
                opts.label,
            )
        )
    return result
