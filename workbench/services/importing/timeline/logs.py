"""JSON Lines and CSV logs: one record a line, a timestamp field and a message field (chosen with
--time-field/--message-field, or detected from common names)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .base import Candidate, ImportOptions, ImportProblem, ImportResult, guess_kind, one_line, parse_time, read_lines

TIME_FIELDS = (
    "timestamp",
    "@timestamp",
    "time",
    "ts",
    "datetime",
    "date",
    "created_at",
    "createdAt",
    "eventTime",
    "Timestamp",
    "Time",
    "Date",
)
MESSAGE_FIELDS = ("message", "msg", "event", "log", "text", "body", "Message", "description", "summary")
LEVEL_FIELDS = ("level", "severity", "levelname", "log.level", "lvl", "Level", "severity_text")
LEVELS = {
    "trace": 0,
    "debug": 1,
    "info": 2,
    "notice": 2,
    "warn": 3,
    "warning": 3,
    "error": 4,
    "err": 4,
    "critical": 5,
    "crit": 5,
    "fatal": 5,
    "alert": 5,
    "emergency": 5,
}


def _field(record: dict[str, Any], chosen: str | None, names: tuple[str, ...]) -> str | None:
    if chosen:
        return chosen
    return next((n for n in names if n in record), None)


def _candidate(record: dict[str, Any], line: int, opts: ImportOptions, result: ImportResult, raw: str) -> None:
    label = opts.label
    time_field = _field(record, opts.time_field, TIME_FIELDS)
    message_field = _field(record, opts.message_field, MESSAGE_FIELDS)
    if time_field is None or record.get(time_field) in (None, ""):
        wanted = opts.time_field or "a timestamp (" + ", ".join(TIME_FIELDS[:4]) + ", ...)"
        result.problems.append(
            ImportProblem(
                label, line, opts.time_field or "time", f"missing {wanted}; choose the field with --time-field"
            )
        )
        return
    if message_field is None or record.get(message_field) in (None, ""):
        result.problems.append(
            ImportProblem(
                label, line, opts.message_field or "message", "missing a message field; choose it with --message-field"
            )
        )
        return
    try:
        when = parse_time(record[time_field], opts.tz)
    except ValueError as exc:
        result.problems.append(ImportProblem(label, line, time_field, str(exc)))
        return
    if not opts.in_window(when):
        result.skipped += 1
        return
    level_field = next((n for n in LEVEL_FIELDS if n in record), None)
    level = str(record.get(level_field, "")).strip() if level_field else ""
    if opts.min_level and level:
        floor = LEVELS.get(opts.min_level.lower(), 0)
        if LEVELS.get(level.lower(), 99) < floor:
            result.skipped += 1
            return
    message = one_line(record[message_field])
    event = f"[{level.upper()}] {message}" if level else message
    result.candidates.append(Candidate(when, event, guess_kind(message), f"{label}:{line}", raw[:2000], label))


def read_jsonl(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    for line, text in read_lines(path, opts.label, result):
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            result.problems.append(
                ImportProblem(opts.label, line, "", f"not valid JSON: {exc.msg} (column {exc.colno})")
            )
            continue
        if not isinstance(record, dict):
            result.problems.append(ImportProblem(opts.label, line, "", "expected a JSON object on each line"))
            continue
        _candidate(record, line, opts, result, text)
    return result


def read_csv(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    lines = list(read_lines(path, opts.label, result))
    if not lines:
        return result
    header_line, header = lines[0]
    columns = next(csv.reader([header]))
    for line, text in lines[1:]:
        try:
            values = next(csv.reader([text]))
        except csv.Error as exc:
            result.problems.append(ImportProblem(opts.label, line, "", f"not valid CSV: {exc}"))
            continue
        if len(values) != len(columns):
            result.problems.append(
                ImportProblem(
                    opts.label,
                    line,
                    "",
                    f"{len(values)} columns where the header (line {header_line}) has {len(columns)}",
                )
            )
            continue
        _candidate(dict(zip(columns, values)), line, opts, result, text)
    return result


def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
