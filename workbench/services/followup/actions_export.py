"""Open action items as tracker imports: Jira CSV, Linear CSV, GitHub issues JSON, or plain CSV/JSON.

Formats checked against the trackers' documented importers (see docs/ notes in the issue):
- Jira Cloud CSV import: a header row; `Summary` required; values with commas or line breaks quoted;
  several labels as repeated `Labels` columns; the date format is chosen in the import wizard
  (we write `yyyy-MM-dd`).
- Linear CSV importer (linear/linear packages/import, LinearCsvImporter): columns `Title`, `Description`,
  `Status`, `Priority` (`Urgent`/`High`/`Medium`/`Low`/`No priority`), `Assignee`, `Labels`
  (joined with ", "). It has no due-date field, so `Due Date` is an extra column and the date is also
  in the description.
- GitHub REST "create an issue": JSON objects with `title`, `body`, `labels`, `assignees` (logins).

Every action carries a stable external id, `pmwb:<incident-id>:<action-id>` (`external_id`): as a Jira
label, and in every format's description/body (a line `Workbench id: pmwb:...`; GitHub labels are limited
to 50 characters and Linear labels are shared workspace objects, so there the body carries it). A re-import
can then be matched, and `workbench actions sync-back` finds each row's action by it. Jira rows also say
their Issue Type (`Task`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Literal

from ...domain.model import ActionItem, Incident, severity_label

Tracker = Literal["jira", "linear", "github"]
JIRA_PRIORITY = {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low"}
LINEAR_PRIORITY = {"P0": "Urgent", "P1": "High", "P2": "Medium", "P3": "Low"}
LINEAR_STATUS = {"open": "Todo", "in-progress": "In Progress"}
_GITHUB_LOGIN = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXTERNAL_PREFIX = "pmwb"
JIRA_ISSUE_TYPE = "Task"


def external_id(incident_id: str, action_id: str) -> str:
    return f"{EXTERNAL_PREFIX}:{incident_id}:{action_id}"


@dataclass(frozen=True)
class OpenAction:
    incident: Incident
    action: ActionItem

    @property
    def ref(self) -> str:
        return f"{self.incident.id}/{self.action.id}"

    @property
    def external_id(self) -> str:
        return external_id(self.incident.id, self.action.id)


def open_actions(incidents: list[Incident]) -> list[OpenAction]:
    out = [OpenAction(i, a) for i in incidents for a in i.open_actions()]
    return sorted(
        out,
        key=lambda o: (
            o.action.priority,
            o.action.due.isoformat() if o.action.due else "9999",
            o.incident.id,
            o.action.id,
        ),
    )


def labels(o: OpenAction) -> list[str]:
    return [
        "postmortem",
        f"severity-{(o.incident.severity or 'unset').lower()}",
        f"priority-{o.action.priority.lower()}",
    ]


def body(o: OpenAction) -> str:
    a, i = o.action, o.incident
    causes = {c.id: c for c in i.causes}
    lines = [
        a.action.strip(),
        "",
        f"From postmortem: {i.title} (incident `{i.id}`, action {a.id}, severity {severity_label(i.severity)}).",
        "",
    ]
    lines.append(f"Verification method: {a.verification.strip() or '[DATA GAP] not yet defined'}")
    if a.success_criteria.strip():
        lines.append(f"Success criteria: {a.success_criteria.strip()}")
    if a.addresses:
        lines += ["", "Addresses causes:"]
        for cid in a.addresses:
            c = causes.get(cid)
            status = f" ({c.kind}, {c.status})" if c else ""
            lines.append(f"- {cid}{status}: {c.statement.strip() if c else '[not found]'}")
    else:
        lines += ["", "Addresses causes: [DATA GAP] none linked"]
    lines += [
        "",
        f"Owner: {a.owner or '[DATA GAP]'}; due: {a.due.isoformat() if a.due else '[DATA GAP]'}; "
        f"priority: {a.priority}; status: {a.status}.",
    ]
    lines.append(f"Back-reference: workbench show {i.id}")
    lines.append(f"Workbench id: {o.external_id}")
    return "\n".join(lines)


def _guard(value: str) -> str:
    """Spreadsheet formula injection: a cell must not start with = + - @ (Linear strips this quote)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(headers: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_guard(c) for c in row] for row in rows])
    return buf.getvalue()


def export_csv(items: list[OpenAction], tracker: Tracker | None = None) -> str:
    if tracker == "jira":
        n_labels = max((len(labels(o)) + 1 for o in items), default=1)
        headers = ["Summary", "Issue Type", "Description", "Assignee", "Due Date", "Priority", *(["Labels"] * n_labels)]
        rows = []
        for o in items:
            tags = [*labels(o), o.external_id]
            tags += [""] * (n_labels - len(tags))
            rows.append(
                [
                    o.action.action.strip().splitlines()[0][:250],
                    JIRA_ISSUE_TYPE,
                    body(o),
                    o.action.owner.lstrip("@"),
                    o.action.due.isoformat() if o.action.due else "",
                    JIRA_PRIORITY[o.action.priority],
                    *tags,
                ]
            )
        return _csv(headers, rows)
    if tracker == "linear":
        headers = ["Title", "Description", "Status", "Priority", "Assignee", "Labels", "Due Date"]
        rows = [
            [
                o.action.action.strip().splitlines()[0],
                body(o),
                LINEAR_STATUS[o.action.status],
                LINEAR_PRIORITY[o.action.priority],
                o.action.owner.lstrip("@"),
                ", ".join(labels(o)),
                o.action.due.isoformat() if o.action.due else "",
            ]
            for o in items
        ]
        return _csv(headers, rows)
    if tracker == "github":
        raise ValueError("GitHub issues are exported as JSON: use --format json --tracker github")
    headers = [
        "incident",
        "id",
        "external_id",
        "action",
        "owner",
        "due",
        "priority",
        "status",
        "verification",
        "success_criteria",
        "addresses",
        "severity",
        "incident_title",
    ]
    rows = [
        [
            o.incident.id,
            o.action.id,
            o.external_id,
            o.action.action,
            o.action.owner,
            o.action.due.isoformat() if o.action.due else "",
            o.action.priority,
            o.action.status,
            o.action.verification,
            o.action.success_criteria,
            " ".join(o.action.addresses),
            o.incident.severity or "",
            o.incident.title,
        ]
        for o in items
    ]
    return _csv(headers, rows)


def github_login(owner: str) -> str | None:
    match = _GITHUB_LOGIN.match(owner.strip())
    return match.group(1) if match else None


def export_json(items: list[OpenAction], tracker: Tracker | None = None) -> str:
    if tracker in ("jira", "linear"):
        raise ValueError(f"{tracker} imports CSV: use --format csv --tracker {tracker}")
    if tracker == "github":
        data = []
        for o in items:
            login = github_login(o.action.owner)
            data.append(
                {
                    "title": f"[{o.action.id}] {o.action.action.strip().splitlines()[0]}"[:256],
                    "body": body(o),
                    "labels": labels(o),
                    "assignees": [login] if login else [],
                }
            )
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    data = [
        {
            "incident": o.incident.id,
            "external_id": o.external_id,
            "incident_title": o.incident.title,
            "severity": o.incident.severity or "",
            **o.action.model_dump(mode="json", exclude_defaults=False),
            "body": body(o),
        }
        for o in items
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
