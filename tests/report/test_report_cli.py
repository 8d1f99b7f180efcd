"""`workbench report` and `workbench actions export` end to end, on a real git store."""

from __future__ import annotations

import csv
import io
import json

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.cli import main
from workbench.domain.model import ActionItem, Incident
from workbench.services.followup.actions_export import body, export_csv, export_json, github_login, open_actions
from workbench.services.report import mermaid


@pytest.fixture
def store(empty_store):
    empty_store.create(rich_incident(), NARRATIVE)
    other = Incident(
        id="2025-09-01-rag-stale",
        title="Stale RAG index",
        severity="P2",
        actions=[
            ActionItem(id="AI-001", action='=HYPERLINK("x")  reindex nightly', owner="Sam Oduya", priority="P0"),
            ActionItem(id="AI-002", action="Closed one", status="verified"),
        ],
    )
    empty_store.create(other)
    (empty_store.root / "people.toml").write_text(
        '[[people]]\nname = "Dana Kim"\nhandles = ["@dana"]\nrole = "Serving IC"\n'
        '[[people]]\nname = "Lee Park"\nhandles = ["@lee"]\nrole = "Reliability lead"\n'
    )
    return empty_store


def run(store, *argv, capsys):
    code = main(["--store", str(store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_markdown_to_stdout(store, capsys):
    code, out, _ = run(store, "report", "2025-08-05-kv-cache-oom", capsys=capsys)
    assert code == 0
    assert out.startswith("# Postmortem: KV-cache OOM")
    assert all(mermaid.validate(b) == [] for b in mermaid.blocks(out))


def test_report_html_to_file_and_external_audience_redacts(store, capsys, tmp_path):
    target = tmp_path / "out" / "r.html"
    target.parent.mkdir()
    code, _, err = run(
        store,
        "report",
        "2025-08-05-kv-cache-oom",
        "--format",
        "html",
        "--out",
        str(target),
        "--audience",
        "external",
        capsys=capsys,
    )
    assert code == 0 and "Wrote" in err
    doc = target.read_text()
    assert doc.startswith("<!DOCTYPE html>")
    for name in ("Dana", "Kim", "Lee Park", "@lee", "@dana"):
        assert name not in doc
    assert "Serving IC" in doc and "Reliability lead" in doc


def test_report_exec_fits_a_screen(store, capsys):
    code, out, _ = run(store, "report", "2025-08-05-kv-cache-oom", "--exec", "--redact", capsys=capsys)
    assert code == 0
    lines = out.rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    assert "Dana" not in out and "Serving IC" in out


def test_report_unknown_incident_is_a_clear_error(store, capsys):
    code, _, err = run(store, "report", "nope", capsys=capsys)
    assert code == 2 and "no incident 'nope'" in err and "Traceback" not in err


def test_bad_people_map_is_a_clear_error(store, capsys):
    (store.root / "people.toml").write_text("[[people]]\nname = 3\n")
    code, _, err = run(store, "report", "2025-08-05-kv-cache-oom", "--redact", capsys=capsys)
    assert code == 2 and "people.toml: [[people]] entry 1: field 'name'" in err


def test_jira_csv_has_the_documented_columns(store, capsys):
    code, out, err = run(store, "actions", "export", "--format", "csv", "--tracker", "jira", capsys=capsys)
    assert code == 0 and "4 open action(s) from 2 incident(s)" in err
    rows = list(csv.reader(io.StringIO(out)))
    header = rows[0]
    assert header[:6] == ["Summary", "Issue Type", "Description", "Assignee", "Due Date", "Priority"]
    # one Labels column per label; the last one is the action's stable external id
    assert set(header[6:]) == {"Labels"} and len(header) == 10
    assert all(len(r) == len(header) for r in rows)
    by_summary = {r[0]: r for r in rows[1:]}
    gate = by_summary["Gate serving upgrades on a memory canary"]
    assert gate[1] == "Task" and gate[3:6] == ["Dana Kim", "2025-08-20", "Highest"]
    assert gate[9] == "pmwb:2025-08-05-kv-cache-oom:AI-002"
    assert "Verification method: Canary blocks a synthetic regression" in gate[2]
    assert "- c-0001 (proximate, confirmed): KV cache block size doubled in 0.6.0" in gate[2]
    assert "incident `2025-08-05-kv-cache-oom`, action AI-002" in gate[2]
    assert "Workbench id: pmwb:2025-08-05-kv-cache-oom:AI-002" in gate[2]
    assert "Closed one" not in out and "Document rollback" not in out  # done/verified are not open
    assert "'=HYPERLINK" in out  # no formula reaches a spreadsheet


def test_linear_csv_uses_linear_importer_columns_and_values(store, capsys):
    code, out, _ = run(
        store,
        "actions",
        "export",
        "--format",
        "csv",
        "--tracker",
        "linear",
        "--id",
        "2025-08-05-kv-cache-oom",
        capsys=capsys,
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["Title", "Description", "Status", "Priority", "Assignee", "Labels", "Due Date"]
    assert {r["Priority"] for r in rows} <= {"Urgent", "High", "Medium", "Low", "No priority"}
    assert [r["Title"] for r in rows][0] == "Gate serving upgrades on a memory canary"
    lee = next(r for r in rows if r["Assignee"] == "lee")
    assert lee["Labels"] == "postmortem, severity-p1, priority-p1" and lee["Status"] == "Todo"
    assert len(rows) == 3


def test_github_json_objects(store, capsys):
    code, out, _ = run(store, "actions", "export", "--format", "json", "--tracker", "github", capsys=capsys)
    data = json.loads(out)
    assert all(set(d) == {"title", "body", "labels", "assignees"} for d in data)
    assert data[0]["title"] == "[AI-002] Gate serving upgrades on a memory canary"  # P0 with the nearest due date
    rag = next(d for d in data if "reindex" in d["title"])
    assert rag["title"].startswith("[AI-001] ") and rag["assignees"] == []  # "Sam Oduya" is no login
    lee = next(d for d in data if "long-context" in d["title"])
    assert lee["assignees"] == ["lee"] and "postmortem" in lee["labels"]
    assert "Back-reference: workbench show 2025-08-05-kv-cache-oom" in lee["body"]
    assert f"Workbench id: pmwb:2025-08-05-kv-cache-oom:{lee['title'][1:7]}" in lee["body"]


@pytest.mark.parametrize(
    "argv", [["--format", "json", "--tracker", "jira"], ["--format", "csv", "--tracker", "github"]]
)
def test_format_and_tracker_mismatch_is_refused(store, capsys, argv):
    code, _, err = run(store, "actions", "export", *argv, capsys=capsys)
    assert code == 2 and "use --format" in err


def test_plain_exports_and_helpers():
    items = open_actions([rich_incident()])
    assert [o.action.id for o in items] == ["AI-002", "AI-001", "AI-004"]
    rows = list(csv.DictReader(io.StringIO(export_csv(items))))
    assert rows[0]["incident"] == "2025-08-05-kv-cache-oom" and rows[0]["addresses"] == "c-0001 c-0003"
    data = json.loads(export_json(items))
    assert data[0]["verification"] == "Canary blocks a synthetic regression" and "body" in data[0]
    assert "[DATA GAP] none linked" in body(items[2])
    assert github_login("@octo-cat") == "octo-cat" and github_login("Dana Kim") is None
    assert github_login("-bad") is None
