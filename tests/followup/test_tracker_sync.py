"""Trackers both ways: export -> edit in the tracker's own export format -> `workbench actions sync-back`
changes exactly the edited fields, in one commit that says what changed; unknown rows are listed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.cli import main
from workbench.domain.model import ActionItem, Incident

KV = "2025-08-05-kv-cache-oom"
RAG = "2025-09-01-rag-stale"


@pytest.fixture
def store(empty_store):
    empty_store.create(rich_incident(), NARRATIVE)
    empty_store.create(
        Incident(
            id=RAG,
            title="Stale RAG index",
            severity="P2",
            actions=[
                ActionItem(
                    id="AI-001", action="Reindex nightly", owner="Sam Oduya", priority="P0", due=date(2025, 10, 1)
                ),
                ActionItem(id="AI-002", action="Closed one", status="verified", due=date(2025, 9, 9)),
            ],
        )
    )
    return empty_store


def run(store, *argv, capsys):
    code = main(["--store", str(store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def git(store, *args) -> str:
    return subprocess.run(["git", "-C", str(store.root), *args], capture_output=True, text=True, check=True).stdout


def actions_of(store, incident_id):
    return {a.id: a for a in store.load(incident_id).incident.actions}


def changed_lines(store) -> list[str]:
    diff = git(store, "show", "--format=", "--unified=0", "HEAD")
    return sorted(line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))


def test_jira_round_trip_changes_exactly_the_edited_fields(store, capsys, tmp_path):
    code, out, _ = run(store, "actions", "export", "--format", "csv", "--tracker", "jira", capsys=capsys)
    assert code == 0
    imported = list(csv.reader(io.StringIO(out)))
    header, rows = imported[0], imported[1:]
    # What Jira's "Export CSV (all fields)" gives back: its own key and status columns, the labels kept,
    # dates in Jira's display format.
    export_header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Resolution",
        "Assignee",
        "Due Date",
        *(["Labels"] * header.count("Labels")),
        "Description",
    ]
    exported = []
    for n, row in enumerate(rows, start=1):
        cells = dict(zip(header, row, strict=False))
        labels = [c for h, c in zip(header, row, strict=False) if h == "Labels"]
        due = date.fromisoformat(cells["Due Date"]).strftime("%d/%b/%y 12:00 AM") if cells["Due Date"] else ""
        exported.append(
            [
                cells["Summary"],
                f"PM-{n}",
                str(1000 + n),
                "Task",
                "To Do",
                "",
                cells["Assignee"],
                due,
                *labels,
                cells["Description"],
            ]
        )
    by_label = {next(c for c in r if c.startswith("pmwb:")): r for r in exported}
    gate = by_label[f"pmwb:{KV}:AI-002"]
    gate[4] = "Done"  # status edited in Jira
    lee = by_label[f"pmwb:{KV}:AI-001"]
    lee[6] = "morgan"  # reassigned
    lee[7] = "15/Sep/25 12:00 AM"  # due date moved
    exported.append(
        [
            "A ticket someone filed by hand",
            "PM-99",
            "1099",
            "Task",
            "To Do",
            "",
            "x",
            "",
            "",
            "",
            "",
            "",
            "",
            "no id here",
        ]
    )
    exported.append(
        ["An id we do not know", "PM-98", "1098", "Task", "Done", "", "", "", f"pmwb:{KV}:AI-404", "", "", "", "", ""]
    )
    path = tmp_path / "jira.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([export_header, *exported])
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = actions_of(store, KV)
    head = git(store, "rev-parse", "HEAD").strip()

    code, out, _ = run(store, "actions", "sync-back", str(path), capsys=capsys)

    assert code == 0, out
    assert f"{KV} AI-002 status: open -> done" in out
    assert f"{KV} AI-001 owner: @lee -> @morgan" in out and f"{KV} AI-001 due: 2025-09-01 -> 2025-09-15" in out
    assert "PM-99" in out and "no workbench id" in out  # listed, never guessed
    assert "PM-98" in out and f"pmwb:{KV}:AI-404 is not an action of this store" in out
    after = actions_of(store, KV)
    assert after["AI-002"].status == "done" and after["AI-002"].owner == before["AI-002"].owner
    assert after["AI-001"].owner == "@morgan" and after["AI-001"].due == date(2025, 9, 15)
    assert after["AI-001"].status == before["AI-001"].status
    assert after["AI-004"] == before["AI-004"] and after["AI-003"] == before["AI-003"]
    # One commit on top of the old head, naming every change.
    assert git(store, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    message = git(store, "log", "-1", "--format=%B")
    assert message.startswith("actions: sync-back: 3 field(s) of 2 action(s) in 1 incident(s) from jira (jira.csv)")
    assert f"{KV} AI-001 due: 2025-09-01 -> 2025-09-15" in message
    # Exactly the edited fields: AI-001's owner and due date; AI-002 gains a status line (open is the default
    # and was not written).
    assert changed_lines(store) == [
        "+due = 2025-09-15",
        '+owner = "@morgan"',
        '+status = "done"',
        "-due = 2025-09-01",
        '-owner = "@lee"',
    ]

    # A second sync-back of the same file changes nothing and makes no commit.
    code, out, _ = run(store, "actions", "sync-back", str(path), capsys=capsys)
    assert code == 0 and "Nothing to bring back" in out
    assert git(store, "rev-list", "--count", f"{head}..HEAD").strip() == "1"


def test_linear_round_trip(store, capsys, tmp_path):
    code, out, _ = run(store, "actions", "export", "--format", "csv", "--tracker", "linear", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    # Linear's export: its own ID and Team columns; the description keeps the workbench id line.
    fields = ["ID", "Team", "Title", "Description", "Status", "Priority", "Assignee", "Labels", "Due Date"]
    exported = [{"ID": f"ENG-{n}", "Team": "Eng", **{k: r[k] for k in fields[2:]}} for n, r in enumerate(rows, 1)]
    reindex = next(r for r in exported if r["Title"] == "Reindex nightly")
    reindex["Status"] = "Canceled"
    sam = next(r for r in exported if "Page the model team" in r["Title"])
    sam["Status"] = "In Progress"
    path = tmp_path / "linear.csv"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(exported)
    path.write_text(buf.getvalue(), encoding="utf-8")

    code, out, _ = run(store, "actions", "sync-back", str(path), capsys=capsys)

    assert code == 0 and "(linear)" in out
    assert actions_of(store, RAG)["AI-001"].status == "wont-do"
    assert actions_of(store, KV)["AI-004"].status == "in-progress"
    assert actions_of(store, RAG)["AI-001"].owner == "Sam Oduya"  # unchanged fields stay
    message = git(store, "log", "-1", "--format=%B")
    assert "2 field(s) of 2 action(s) in 2 incident(s) from linear" in message


def test_github_round_trip_and_the_gh_api_body(store, capsys, tmp_path):
    code, out, _ = run(store, "actions", "export", "--format", "json", "--tracker", "github", capsys=capsys)
    created = json.loads(out)
    # Each object is a valid `gh api repos/O/R/issues --input -` body: title, body, labels, assignees only.
    assert all(set(d) == {"title", "body", "labels", "assignees"} for d in created)
    # What `gh issue list --json number,title,body,state,stateReason,assignees,labels` returns later.
    listed = [
        {
            "number": n,
            "title": d["title"],
            "body": d["body"],
            "state": "OPEN",
            "stateReason": "",
            "assignees": [{"login": a} for a in d["assignees"]],
            "labels": [{"name": x} for x in d["labels"]],
        }
        for n, d in enumerate(created, start=1)
    ]
    lee = next(i for i in listed if "long-context" in i["title"])
    lee["state"], lee["stateReason"] = "CLOSED", "COMPLETED"
    reindex = next(i for i in listed if "Reindex" in i["title"])
    reindex["assignees"] = [{"login": "octo-cat"}]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(listed), encoding="utf-8")

    code, out, _ = run(store, "actions", "sync-back", str(path), "--dry-run", capsys=capsys)
    assert code == 0 and "Dry run: 2 change(s)" in out
    assert actions_of(store, KV)["AI-001"].status == "open"  # a dry run commits nothing

    code, out, _ = run(store, "actions", "sync-back", str(path), capsys=capsys)
    assert code == 0
    assert actions_of(store, KV)["AI-001"].status == "done"
    assert actions_of(store, RAG)["AI-001"].owner == "@octo-cat"
    assert actions_of(store, KV)["AI-002"].status == "open"  # untouched issue, untouched action


def test_bad_files_are_one_line_errors(store, capsys, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('[{"title": "a",\n "body": }]')
    code, _, err = run(store, "actions", "sync-back", str(bad), capsys=capsys)
    assert code == 2 and f"{bad}: line 2: not JSON" in err and "Traceback" not in err
    weird = tmp_path / "x.csv"
    weird.write_text("a,b\n1,2\n")
    code, _, err = run(store, "actions", "sync-back", str(weird), capsys=capsys)
    assert code == 2 and "line 1: not a Jira CSV" in err
    dates = tmp_path / "d.csv"
    dates.write_text(f"Summary,Status,Due Date,Labels\nx,Done,next tuesday-ish!,pmwb:{KV}:AI-001\n")
    code, _, err = run(store, "actions", "sync-back", str(dates), capsys=capsys)
    assert code == 2 and f"{dates}:2: field 'Due Date'" in err
