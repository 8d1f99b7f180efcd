"""Paging records: PagerDuty incident log entries and Opsgenie alert logs (JSON or CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import (
    Candidate,
    ImportOptions,
    ImportProblem,
    ImportResult,
    guess_kind,
    load_json,
    one_line,
    parse_time,
    pick,
    read_text,
    records,
)
from .logs import read_csv_text

# PagerDuty `type` values (REST API v2 log entries) -> timeline kind.
PAGERDUTY_KINDS = {
    "trigger_log_entry": ("detection", "Triggered"),
    "acknowledge_log_entry": ("escalation", "Acknowledged"),
    "escalate_log_entry": ("escalation", "Escalated"),
    "assign_log_entry": ("escalation", "Assigned"),
    "notify_log_entry": ("escalation", "Notified"),
    "annotate_log_entry": ("communication", "Note"),
    "resolve_log_entry": ("resolution", "Resolved"),
    "unacknowledge_log_entry": ("escalation", "Unacknowledged"),
    "reach_trigger_limit_log_entry": ("context", "Trigger limit reached"),
}


def read_pagerduty(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    doc = load_json(path, opts.label, result)
    if doc is None:
        return result
    entries = records(doc, "log_entries")
    if not entries:
        result.problems.append(ImportProblem(opts.label, 1, "log_entries", "no log_entries list found"))
    for entry in entries:
        line = doc.line_of(entry)
        if not isinstance(entry, dict):
            result.problems.append(ImportProblem(opts.label, line, "log_entries", "expected an object"))
            continue
        kind_type = str(entry.get("type", "")).removesuffix("_reference")
        if not kind_type:
            result.problems.append(ImportProblem(opts.label, line, "type", "missing log entry type"))
            continue
        try:
            when = parse_time(entry.get("created_at"), opts.tz)
        except ValueError as exc:
            result.problems.append(ImportProblem(opts.label, line, "created_at", str(exc)))
            continue
        if not opts.in_window(when):
            result.skipped += 1
            continue
        kind, verb = PAGERDUTY_KINDS.get(kind_type, (None, kind_type.removesuffix("_log_entry").replace("_", " ")))
        agent = pick(entry, "agent.summary", "agent.name")
        incident = pick(entry, "incident.summary")
        summary = entry.get("summary") or ""
        event = f"PagerDuty: {verb}" + (f" by {agent}" if agent and kind_type != "trigger_log_entry" else "")
        event += f" — {one_line(summary or incident or '', 250)}" if (summary or incident) else ""
        source = entry.get("html_url") or pick(entry, "incident.html_url") or ""
        source = f"{source} ({opts.label}:{line})" if source else f"{opts.label}:{line}"
        result.candidates.append(
            Candidate(when, event, kind or guess_kind(summary), source, one_line(entry, 2000), opts.label)
        )
    return result


def _opsgenie_kind(log_type: str, text: str) -> str | None:
    lowered = f"{log_type} {text}".lower()
    if "close" in lowered:
        return "resolution"
    if "acknowledg" in lowered or "escalat" in lowered or "assign" in lowered or "notif" in lowered:
        return "escalation"
    if "creat" in lowered or "alert" in lowered:
        return "detection"
    return guess_kind(text)


def read_opsgenie(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    rows: list[tuple[int | None, Any]]
    if path.suffix.lower() == ".csv":
        text = read_text(path, opts.label, result)
        if text is None:
            return result
        # Line numbers: the header is line 1 and each record a line (exports do not wrap fields).
        rows = [(i + 2, row) for i, row in enumerate(read_csv_text(text))]
    else:
        doc = load_json(path, opts.label, result)
        if doc is None:
            return result
        rows = [(doc.line_of(r), r) for r in records(doc, "data", "logs")]
    for line, row in rows:
        if not isinstance(row, dict):
            result.problems.append(ImportProblem(opts.label, line, "", "expected an object"))
            continue
        log = pick(row, "log", "Log", "message")
        if not log:
            result.problems.append(ImportProblem(opts.label, line, "log", "missing log text"))
            continue
        created = pick(row, "createdAt", "CreatedAt", "created_at")
        try:
            when = parse_time(created, opts.tz)
        except ValueError as exc:
            result.problems.append(ImportProblem(opts.label, line, "createdAt", str(exc)))
            continue
        if not opts.in_window(when):
            result.skipped += 1
            continue
        log_type = str(pick(row, "type", "Type") or "")
        owner = pick(row, "owner", "Owner")
        event = f"Opsgenie: {one_line(log, 300)}" + (f" ({owner})" if owner else "")
        result.candidates.append(
            Candidate(
                when, event, _opsgenie_kind(log_type, str(log)), f"{opts.label}:{line}", one_line(row, 2000), opts.label
            )
        )
    return result
