"""OpenTelemetry OTLP JSON exports (the OTLP/HTTP JSON encoding, one request a file or one a line):
spans that failed (status.code 2, ERROR) or ran over a latency threshold, and log records at WARN
or above (severityNumber >= 13). GenAI semantic-convention attributes (`gen_ai.*`) are read where
present: operation, requested/response model, input/output tokens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .base import (
    Candidate,
    ImportOptions,
    ImportProblem,
    ImportResult,
    LocatedJSON,
    guess_kind,
    one_line,
    read_lines,
    read_text,
    unix_nano,
)

SEVERITY_WARN = 13  # OTel log data model: 13-16 WARN, 17-20 ERROR, 21-24 FATAL
STATUS_ERROR = 2
GEN_AI = (
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.system",
    "gen_ai.provider.name",
)


def _value(any_value: Any) -> Any:
    if not isinstance(any_value, dict):
        return any_value
    for key in ("stringValue", "intValue", "doubleValue", "boolValue"):
        if key in any_value:
            return any_value[key]
    if "arrayValue" in any_value:
        return [_value(v) for v in any_value["arrayValue"].get("values", [])]
    return None


def attributes(items: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        if isinstance(item, dict) and "key" in item:
            out[item["key"]] = _value(item.get("value"))
    return out


def _genai(attrs: dict[str, Any]) -> str:
    parts = []
    op = attrs.get("gen_ai.operation.name")
    model = attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model")
    if op:
        parts.append(f"op={op}")
    if model:
        parts.append(f"model={model}")
        if (
            attrs.get("gen_ai.request.model")
            and attrs.get("gen_ai.response.model")
            and attrs["gen_ai.request.model"] != attrs["gen_ai.response.model"]
        ):
            parts.append(f"requested={attrs['gen_ai.request.model']}")
    tokens_in, tokens_out = attrs.get("gen_ai.usage.input_tokens"), attrs.get("gen_ai.usage.output_tokens")
    if tokens_in is not None or tokens_out is not None:
        parts.append(
            f"tokens in/out={tokens_in if tokens_in is not None else '?'}/"
            f"{tokens_out if tokens_out is not None else '?'}"
        )
    return " ".join(parts)


def _documents(path: Path, opts: ImportOptions, result: ImportResult) -> list[tuple[LocatedJSON, int]]:
    """One JSON document, or JSON Lines of them (the OTel file exporter's form): (doc, line offset)."""
    text = read_text(path, opts.label, result)
    if text is None:
        return []
    try:
        return [(LocatedJSON(text), 0)]
    except json.JSONDecodeError as whole:
        docs = []
        lines = list(read_lines(path, opts.label, result))
        if len(lines) < 2:
            result.problems.append(ImportProblem(opts.label, whole.lineno, "", f"not valid JSON: {whole.msg}"))
            return []
        for number, line in lines:
            try:
                docs.append((LocatedJSON(line), number - 1))
            except json.JSONDecodeError as exc:
                result.problems.append(ImportProblem(opts.label, number, "", f"not valid JSON: {exc.msg}"))
        return docs


def read_otlp(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    found = False
    for doc, offset in _documents(path, opts, result):
        data = doc.data if isinstance(doc.data, dict) else {}
        for rs in data.get("resourceSpans") or []:
            found = True
            service = attributes((rs.get("resource") or {}).get("attributes")).get("service.name", "")
            for ss in rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []:
                for span in ss.get("spans") or []:
                    _span(span, (doc.line_of(span) or 0) + offset, service, opts, result)
        for rl in data.get("resourceLogs") or []:
            found = True
            service = attributes((rl.get("resource") or {}).get("attributes")).get("service.name", "")
            for sl in rl.get("scopeLogs") or []:
                for record in sl.get("logRecords") or []:
                    _log(record, (doc.line_of(record) or 0) + offset, service, opts, result)
    if not found and not result.problems:
        result.problems.append(ImportProblem(opts.label, 1, "resourceSpans", "no resourceSpans or resourceLogs found"))
    return result


def _span(span: Any, line: int, service: str, opts: ImportOptions, result: ImportResult) -> None:
    label = opts.label
    if not isinstance(span, dict):
        result.problems.append(ImportProblem(label, line, "spans", "expected a span object"))
        return
    try:
        start = unix_nano(span.get("startTimeUnixNano"))
    except ValueError as exc:
        result.problems.append(ImportProblem(label, line, "startTimeUnixNano", str(exc)))
        return
    try:
        end = unix_nano(span.get("endTimeUnixNano"))
    except ValueError:
        end = None
    status = span.get("status") or {}
    code = status.get("code")
    failed = code in (STATUS_ERROR, "STATUS_CODE_ERROR", "2")
    duration_ms = (end - start).total_seconds() * 1000 if end else None
    slow = opts.latency_ms is not None and duration_ms is not None and duration_ms >= opts.latency_ms
    if not (failed or slow) or not opts.in_window(start):
        result.skipped += 1
        return
    attrs = attributes(span.get("attributes"))
    name = span.get("name") or "(unnamed span)"
    what = []
    if failed:
        what.append("failed" + (f": {one_line(status['message'], 200)}" if status.get("message") else ""))
    if slow and duration_ms is not None:
        # `slow` holds only when latency_ms is set: mypy cannot follow that through the flag
        what.append(f"took {duration_ms / 1000:.1f} s (threshold {opts.latency_ms / 1000:.1f} s)")  # type: ignore[operator]
    genai = _genai(attrs)
    event = (
        f"Span {name}" + (f" [{service}]" if service else "") + " " + "; ".join(what) + (f" — {genai}" if genai else "")
    )
    trace, span_id = str(span.get("traceId", "")), str(span.get("spanId", ""))
    source = f"{label}:{line} trace {trace[:16]} span {span_id[:16]}".rstrip()
    result.candidates.append(
        Candidate(start, event, "detection" if failed else "context", source, one_line(span, 2000), label)
    )


def _log(record: Any, line: int, service: str, opts: ImportOptions, result: ImportResult) -> None:
    label = opts.label
    if not isinstance(record, dict):
        result.problems.append(ImportProblem(label, line, "logRecords", "expected a log record object"))
        return
    try:
        severity = int(record.get("severityNumber", 0))
    except (TypeError, ValueError):
        result.problems.append(
            ImportProblem(label, line, "severityNumber", f"not a number: {record.get('severityNumber')!r}")
        )
        return
    if severity < SEVERITY_WARN:
        result.skipped += 1
        return
    raw_time = record.get("timeUnixNano") or record.get("observedTimeUnixNano")
    try:
        when = unix_nano(raw_time)
    except ValueError as exc:
        result.problems.append(ImportProblem(label, line, "timeUnixNano", str(exc)))
        return
    if not opts.in_window(when):
        result.skipped += 1
        return
    body = _value(record.get("body"))
    if body in (None, ""):
        result.problems.append(ImportProblem(label, line, "body", "log record has no body"))
        return
    level = record.get("severityText") or ("ERROR" if severity >= 17 else "WARN")
    genai = _genai(attributes(record.get("attributes")))
    event = (
        f"[{level}]"
        + (f" [{service}]" if service else "")
        + f" {one_line(body, 300)}"
        + (f" — {genai}" if genai else "")
    )
    result.candidates.append(
        Candidate(when, event, guess_kind(str(body)), f"{label}:{line}", one_line(record, 2000), label)
    )
