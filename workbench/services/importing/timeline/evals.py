"""Eval or experiment results (JSON list / {"results": [...]} or CSV): a timestamp and a metric per
row. An event is proposed where the metric crosses the user's threshold (e.g. falls below 0.8)
and where it comes back, per series (`--group` field, e.g. the eval name or model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import (
    Candidate,
    ImportOptions,
    ImportProblem,
    ImportResult,
    load_json,
    one_line,
    parse_time,
    pick,
    read_text,
    records,
)
from .logs import TIME_FIELDS, read_csv_text


def read_evals(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    if opts.metric is None or opts.threshold is None:
        result.problems.append(
            ImportProblem(
                opts.label,
                None,
                "metric",
                "eval import needs --metric NAME and --threshold VALUE (e.g. --metric accuracy --threshold 0.8)",
            )
        )
        return result
    rows: list[tuple[int | None, Any]]
    if path.suffix.lower() == ".csv":
        text = read_text(path, opts.label, result)
        if text is None:
            return result
        rows = [(i + 2, r) for i, r in enumerate(read_csv_text(text))]
    else:
        doc = load_json(path, opts.label, result)
        if doc is None:
            return result
        rows = [(doc.line_of(r), r) for r in records(doc, "results", "data", "runs", "experiments")]
    points: dict[str, list[tuple[Any, float, int | None, Any]]] = {}
    for line, row in rows:
        if not isinstance(row, dict):
            result.problems.append(ImportProblem(opts.label, line, "", "expected an object"))
            continue
        time_field = opts.time_field or next((f for f in TIME_FIELDS if f in row), "timestamp")
        try:
            when = parse_time(row.get(time_field), opts.tz)
        except ValueError as exc:
            result.problems.append(ImportProblem(opts.label, line, time_field, str(exc)))
            continue
        raw_value = pick(row, opts.metric, f"metrics.{opts.metric}")
        try:
            value = float(raw_value)
        except (TypeError, ValueError):
            result.problems.append(
                ImportProblem(
                    opts.label,
                    line,
                    opts.metric,
                    f"not a number: {raw_value!r}" if raw_value is not None else "missing metric value",
                )
            )
            continue
        group = str(pick(row, opts.group_field) or "") if opts.group_field else ""
        points.setdefault(group, []).append((when, value, line, row))
    below = opts.direction == "below"
    for group, series in points.items():
        series.sort(key=lambda p: p[0])
        was_bad: bool | None = None
        previous: tuple[Any, float] | None = None
        for when, value, line, row in series:
            bad = value < opts.threshold if below else value > opts.threshold
            if bad != was_bad and (bad or was_bad is not None) and opts.in_window(when):
                name = f"{opts.metric}" + (f" ({group})" if group else "")
                if bad:
                    side = "below" if below else "above"
                    event = f"Eval {name} {side} {opts.threshold:g}: {value:g}"
                    if previous is not None:
                        event += f" (was {previous[1]:g} at {previous[0]:%Y-%m-%d %H:%M}Z)"
                else:
                    side = "above" if below else "below"
                    event = f"Eval {name} back {side} {opts.threshold:g}: {value:g}"
                result.candidates.append(
                    Candidate(
                        when,
                        event,
                        "detection" if bad else "context",
                        f"{opts.label}:{line}",
                        one_line(row, 2000),
                        opts.label,
                    )
                )
            else:
                result.skipped += 1
            was_bad, previous = bad, (when, value)
    return result
