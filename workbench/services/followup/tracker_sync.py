"""Trackers back to the store: read a Jira CSV, Linear CSV or GitHub issues JSON export and bring each
action's status, assignee and due date home.

Rows are matched by the external id the exports carry (`pmwb:<incident-id>:<action-id>`, as a Jira label or
a `Workbench id:` line in a description/body), never by title: a row without one, or naming an action
the store does not have, is listed as unknown and nothing is guessed. A tracker value that is empty (no
assignee, no due date) or a status we cannot map leaves the field as it is (and is reported): an export
that lost a column must not erase what the store knows. `verified` stays verified when the tracker says done.

Formats read (as their exports write them):
- Jira CSV export: `Issue key`, `Status`, `Resolution`, `Assignee`, `Due Date` (ISO or Jira's
  `15/Nov/25 12:00 AM`), repeated `Labels` columns, `Description`.
- Linear CSV export: `ID`, `Status`, `Assignee`, `Due Date`, `Labels`, `Description`.
- GitHub issues JSON (`gh issue list --json number,title,body,state,stateReason,assignees,labels,milestone`
  or the REST API's list): `state` open/closed with `state_reason`/`stateReason`, `assignees[].login`,
  the due date from the body's `due: YYYY-MM-DD` or the milestone's `due_on`/`dueOn`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from dateutil import parser as date_parser

from ...domain.model import ActionItem, Incident
from ...store import Commit, IncidentRecord, Store
from .actions_export import EXTERNAL_PREFIX, github_login

Tracker = Literal["jira", "linear", "github"]
ID_RE = re.compile(
    rf"\b{EXTERNAL_PREFIX}:([a-z0-9](?:[a-z0-9-]{{0,78}}[a-z0-9])?):([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)"
)
_BODY_DUE_RE = re.compile(r"\bdue:\s*(\d{4}-\d{2}-\d{2})\b", re.I)

JIRA_STATUS = {
    "to do": "open",
    "open": "open",
    "backlog": "open",
    "selected for development": "open",
    "reopened": "open",
    "in progress": "in-progress",
    "in review": "in-progress",
    "done": "done",
    "closed": "done",
    "resolved": "done",
}
JIRA_WONT = {"won't do", "won't fix", "wont do", "wont fix", "duplicate", "cannot reproduce", "declined"}
LINEAR_STATUS = {
    "backlog": "open",
    "todo": "open",
    "triage": "open",
    "in progress": "in-progress",
    "in review": "in-progress",
    "done": "done",
    "canceled": "wont-do",
    "cancelled": "wont-do",
    "duplicate": "wont-do",
}
CLOSED = ("done", "verified", "wont-do")


class SyncBackError(Exception):
    """The file cannot be read as a tracker export; the message names the file, line and field."""


@dataclass(frozen=True)
class TrackerRow:
    where: str  # "FILE:LINE" or "FILE: item N", for messages
    key: str  # the tracker's own issue key/number, for messages
    external: tuple[str, str] | None  # (incident id, action id)
    status: str | None  # the tracker's status as written
    status_value: str | None  # mapped to our ActionStatus, None when it cannot be
    assignee: str | None
    due: date | None
    due_text: str = ""


@dataclass
class FieldChange:
    incident_id: str
    action_id: str
    field: str
    old: str
    new: str


@dataclass
class SyncPlan:
    tracker: Tracker
    rows: list[TrackerRow]
    changes: list[FieldChange] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # rows that name no action of this store, in words
    notes: list[str] = field(default_factory=list)  # values left alone, and why
    updated: dict[str, Incident] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------ reading
def detect(path: Path, text: str) -> Tracker:
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith(("[", "{")):
        return "github"
    header = next(csv.reader(io.StringIO(stripped)), [])
    names = {h.strip().lower() for h in header}
    if {"issue key", "issue type", "summary"} & names:
        return "jira"
    if "title" in names and "status" in names:
        return "linear"
    raise SyncBackError(
        f"{path}: line 1: not a Jira CSV (no Summary/Issue key column), Linear CSV (Title and "
        "Status columns) or GitHub issues JSON; pass --tracker to say which"
    )


def _parse_due(value: str, where: str, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        parsed: datetime = date_parser.parse(value, dayfirst=True)  # Jira's "15/Nov/25 12:00 AM"
        return parsed.date()
    except (ValueError, OverflowError):
        raise SyncBackError(f"{where}: field {column!r}: {value!r} is not a date") from None


def _external(*texts: str) -> tuple[str, str] | None:
    for text in texts:
        m = ID_RE.search(text or "")
        if m:
            return m.group(1), m.group(2)
    return None


def _read_csv(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise SyncBackError(f"{path}: line 1: the file is empty") from None
    except csv.Error as exc:
        raise SyncBackError(f"{path}: line 1: not CSV: {exc}") from None
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise SyncBackError(f"{path}: line {reader.line_num}: not CSV: {exc}") from None
    return [h.strip() for h in header], rows


def _cells(header: list[str], cells: list[str], name: str) -> list[str]:
    return [c for h, c in zip(header, cells, strict=False) if h.lower() == name.lower()]


def _cell(header: list[str], cells: list[str], name: str) -> str:
    found = _cells(header, cells, name)
    return found[0].strip() if found else ""


def read_jira(path: Path, text: str) -> list[TrackerRow]:
    header, rows = _read_csv(path, text)
    out = []
    for line, cells in rows:
        where = f"{path}:{line}"
        labels = _cells(header, cells, "Labels")
        status = _cell(header, cells, "Status")
        resolution = _cell(header, cells, "Resolution").lower()
        value = "wont-do" if resolution in JIRA_WONT else JIRA_STATUS.get(status.lower())
        due_text = _cell(header, cells, "Due Date") or _cell(header, cells, "Due date")
        out.append(
            TrackerRow(
                where,
                _cell(header, cells, "Issue key") or _cell(header, cells, "Summary")[:40],
                _external(*labels, _cell(header, cells, "Description")),
                status or None,
                value if status else None,
                _cell(header, cells, "Assignee") or None,
                _parse_due(due_text, where, "Due Date"),
                due_text,
            )
        )
    return out


def read_linear(path: Path, text: str) -> list[TrackerRow]:
    header, rows = _read_csv(path, text)
    out = []
    for line, cells in rows:
        where = f"{path}:{line}"
        status = _cell(header, cells, "Status")
        due_text = _cell(header, cells, "Due Date")
        out.append(
            TrackerRow(
                where,
                _cell(header, cells, "ID") or _cell(header, cells, "Title")[:40],
                _external(_cell(header, cells, "Labels"), _cell(header, cells, "Description")),
                status or None,
                LINEAR_STATUS.get(status.lower()) if status else None,
                _cell(header, cells, "Assignee") or None,
                _parse_due(due_text, where, "Due Date"),
                due_text,
            )
        )
    return out


def read_github(path: Path, text: str) -> list[TrackerRow]:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise SyncBackError(f"{path}: line {exc.lineno}: not JSON: {exc.msg}") from None
    if isinstance(data, dict):
        data = data.get("items", [data])  # the search API wraps issues in "items"
    if not isinstance(data, list):
        raise SyncBackError(f"{path}: line 1: expected a JSON list of issues")
    out = []
    for n, issue in enumerate(data, start=1):
        where = f"{path}: issue {n}"
        if not isinstance(issue, dict):
            raise SyncBackError(f"{where}: expected an object with title, body, state")
        body = issue.get("body") or ""
        labels = [lab.get("name", "") if isinstance(lab, dict) else str(lab) for lab in issue.get("labels") or []]
        state = str(issue.get("state") or "").lower()
        reason = str(issue.get("state_reason") or issue.get("stateReason") or "").lower()
        value = None
        if state == "open":
            value = "open"
        elif state == "closed":
            value = "wont-do" if reason in ("not_planned", "duplicate") else "done"
        assignees = [a.get("login", "") if isinstance(a, dict) else str(a) for a in issue.get("assignees") or []]
        due_text = ""
        m = _BODY_DUE_RE.search(body)
        milestone = issue.get("milestone") if isinstance(issue.get("milestone"), dict) else {}
        if m:
            due_text = m.group(1)
        elif milestone and (milestone.get("due_on") or milestone.get("dueOn")):
            due_text = str(milestone.get("due_on") or milestone.get("dueOn"))
        out.append(
            TrackerRow(
                where,
                f"#{issue.get('number', n)}",
                _external(*labels, body),
                (f"{state} ({reason})" if reason else state) or None,
                value,
                assignees[0] if assignees and assignees[0] else None,
                _parse_due(due_text, where, "due"),
                due_text,
            )
        )
    return out


def read_export(path: Path, tracker: Tracker | None = None) -> tuple[Tracker, list[TrackerRow]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SyncBackError(f"{path}: byte {exc.start}: not UTF-8 text") from None
    kind = tracker or detect(path, text)
    reader = {"jira": read_jira, "linear": read_linear, "github": read_github}[kind]
    return kind, reader(path, text)


# ------------------------------------------------------------------------------------------ planning
def _same_person(owner: str, assignee: str) -> bool:
    return owner.strip().lstrip("@").casefold() == assignee.strip().lstrip("@").casefold()


def _new_owner(owner: str, assignee: str, tracker: Tracker) -> str:
    if tracker == "github":
        login = github_login(assignee)
        return f"@{login}" if login else assignee
    # Keep the store's handle style: "@dana" stays a handle when the tracker gives a bare "dana".
    if owner.startswith("@") and " " not in assignee.strip() and not assignee.startswith("@"):
        return "@" + assignee.strip()
    return assignee.strip()


def plan(records: list[IncidentRecord], tracker: Tracker, rows: list[TrackerRow]) -> SyncPlan:
    by_id = {r.id: r for r in records}
    result = SyncPlan(tracker, rows)
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        if row.external is None:
            result.unknown.append(f"{row.where} ({row.key}): carries no workbench id (pmwb:...)")
            continue
        incident_id, action_id = row.external
        record = by_id.get(incident_id)
        incident = result.updated.get(incident_id) or (record.incident if record else None)
        action = next((a for a in incident.actions if a.id == action_id), None) if incident else None
        if incident is None or action is None:
            result.unknown.append(
                f"{row.where} ({row.key}): {EXTERNAL_PREFIX}:{incident_id}:{action_id} is not an action of this store"
            )
            continue
        if row.external in seen:
            result.unknown.append(
                f"{row.where} ({row.key}): {action_id} of {incident_id} is also in {seen[row.external]}"
                "; the first row was used"
            )
            continue
        seen[row.external] = row.where
        updates: dict[str, Any] = {}
        if row.status is not None:
            if row.status_value is None:
                result.notes.append(
                    f"{row.where}: status {row.status!r} has no workbench meaning; {action_id} stays {action.status}"
                )
            elif (
                not (row.status_value == "done" and action.status == "verified")
                and not (row.status_value == "open" and action.status == "in-progress" and tracker == "github")
                and row.status_value != action.status
            ):
                updates["status"] = row.status_value
        if row.assignee is not None and not _same_person(action.owner, row.assignee):
            updates["owner"] = _new_owner(action.owner, row.assignee, tracker)
        if row.due is not None and row.due != action.due:
            updates["due"] = row.due
        if not updates:
            continue
        for name, value in updates.items():
            old = getattr(action, name)
            result.changes.append(FieldChange(incident_id, action_id, name, _show(old), _show(value)))
        new_action = ActionItem.model_validate({**action.model_dump(), **updates})
        result.updated[incident_id] = incident.model_copy(
            update={"actions": [new_action if a.id == action_id else a for a in incident.actions]}
        )
    return result


def _show(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    return value.isoformat() if isinstance(value, date) else str(value)


def commit_message(p: SyncPlan, source: str) -> str:
    incidents = sorted({c.incident_id for c in p.changes})
    actions = {(c.incident_id, c.action_id) for c in p.changes}
    subject = (
        f"actions: sync-back: {len(p.changes)} field(s) of {len(actions)} action(s) in "
        f"{len(incidents)} incident(s) from {p.tracker} ({source})"
    )
    body = [f"{c.incident_id} {c.action_id} {c.field}: {c.old} -> {c.new}" for c in p.changes]
    return subject + "\n\n" + "\n".join(body)


def apply(store: Store, p: SyncPlan, records: list[IncidentRecord], source: str) -> Commit | None:
    """Every change as one commit; None when nothing changed."""
    by_id = {r.id: r for r in records}
    pairs = [(by_id[i], p.updated[i]) for i in sorted(p.updated)]
    if not pairs:
        return None
    return store.save_many(pairs, commit_message(p, source))
