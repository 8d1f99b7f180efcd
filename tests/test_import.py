"""`workbench import`: real published postmortems keep every line; timelines, actions and causes are
recognised; the workbench's own report comes back as the same incident (report -> import -> report)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.cli import main
from workbench.domain.model import Incident
from workbench.services.importer import parse_markdown
from workbench.services.report import mermaid, render_markdown

DATA = Path(__file__).parent / "data" / "postmortems"
FILES = sorted(p.name for p in DATA.glob("*.md") if p.name != "LICENSES.md")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def parse(name: str):
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name)


def test_fixtures_are_present_with_their_sources():
    assert len(FILES) >= 8
    sources = (DATA / "SOURCES.tsv").read_text()
    assert all(name in sources for name in FILES)


@pytest.mark.parametrize("name", FILES)
def test_every_line_of_the_input_is_somewhere_in_the_incident(name):
    text = (DATA / name).read_text(encoding="utf-8")
    result = parse(name)
    haystack = result.narrative + "\n" + "\n".join(strings(result.incident.model_dump()))
    missing = [line for line in text.splitlines() if line.strip() and line.strip() not in haystack]
    assert missing == []


@pytest.mark.parametrize("name", FILES)
def test_imported_incident_validates_and_reports_cleanly(name):
    result = parse(name)
    Incident.model_validate(result.incident.model_dump())  # a valid incident
    render_markdown(result.incident, result.narrative)  # renders with the narrative (authors' own diagrams too)
    for block in mermaid.blocks(render_markdown(result.incident, "")):  # the diagrams the tool draws
        assert mermaid.validate(block) == [], block
    assert result.notes[0].startswith("title: ")


def test_bullet_timeline_in_utc_with_actions_and_causes():
    r = parse("PostHog_post-mortems__2025-09-29-flags-is-down.md")
    i = r.incident
    assert i.title == "PostHog Feature Flags Service Outage - September 29, 2025"
    assert [e.time for e in i.timeline][:2] == [utc(2025, 9, 29, 16, 58), utc(2025, 9, 29, 17, 2)]
    assert len(i.timeline) == 8 and not any(e.assumption for e in i.timeline)
    assert i.timeline[0].source == "- **16:58 UTC** - Writer database begins experiencing connection saturation " \
                                   "from person ingestion post-deployment workload"
    assert i.timeline[0].event.startswith("Writer database begins")
    assert i.times.started == utc(2025, 9, 29, 16, 58)
    done = [a for a in i.actions if a.status == "done"]
    assert [a.action for a in done] == ["Database connection timeouts moved to runtime configuration",
                                        "Timeout values increased to accommodate peak load scenarios"]
    assert any("Circuit breaker implementation" in a.action and a.status == "open" for a in i.actions)
    assert len(i.causes) == 3 and all(c.status == "hypothesis" for c in i.causes)
    assert "<img width=\"3414\"" in r.narrative  # what sat between timeline bullets stays, under "## Timeline"
    assert "## Timeline" in r.narrative and "## Lessons Learned" in r.narrative


def test_a_zone_stated_for_the_section_applies_to_its_times():
    i = parse("PostHog_post-mortems__2025-10-03-surveys-sdk-bug.md").incident
    assert i.severity == "P1"  # "Severity: Major"
    assert i.timeline[0].time == utc(2025, 10, 3, 10, 45)
    assert not any(e.assumption for e in i.timeline)  # "All times in UTC." under the heading


def test_times_without_any_zone_are_read_as_utc_marked_and_roll_past_midnight():
    doc = ("# Outage on 2025-03-01\n\n## Timeline\n\n- 23:50 - deploy starts\n- 00:10 - errors rise\n"
           "- not a time: kept\n\n## Action Items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n"
           "| Add canary | @ana | 2025-04-01 | done |\n| Page earlier | @bo | | open |\n")
    r = parse_markdown(doc, "x.md")
    i = r.incident
    assert [e.time for e in i.timeline] == [utc(2025, 3, 1, 23, 50), utc(2025, 3, 2, 0, 10)]
    assert all(e.assumption for e in i.timeline)
    assert any(g.kind == "assumption" and "no time zone" in g.text for g in i.gaps)
    assert "- not a time: kept" in r.narrative
    assert [(a.action, a.owner, str(a.due), a.status) for a in i.actions] == [
        ("Add canary", "@ana", "2025-04-01", "done"), ("Page earlier", "@bo", "None", "open")]
    assert "| Action | Owner | Due | Status |" in r.narrative  # the table's header row, kept in a comment
    assert "Add canary" not in r.narrative  # rows became actions, with the row as their source
    assert i.actions[0].source == "| Add canary | @ana | 2025-04-01 | done |"


def test_table_timeline_with_month_names_and_12_hour_clock():
    i = parse("PostHog_post-mortems__2026-01-17-replay-sdk-fetch-wrapper-incident.md").incident
    times = [e.time for e in i.timeline]
    assert times[:2] == [utc(2026, 1, 14, 10, 18), utc(2026, 1, 15, 17, 33)]  # year from the file name
    assert not any(e.assumption for e in i.timeline)  # the header says "Time (UTC)"
    assert i.timeline[1].source.startswith("| Jan 15, 5:33 PM |")


def test_setext_headings_and_nested_action_items():
    r = parse("PostHog_post-mortems__2025-11-15-persons-db-migration.md")
    assert r.incident.title == "PostHog Data Processing Delays - Events & Persons Ingestion (November 2025)"
    assert "## Incident Summary" in r.narrative
    d = parse("dfds_postmortems__PM2022-009_-_Bad_AWS_EKS_AMI_causing_Kubernetes_issues.md").incident
    assert len(d.timeline) == 20 and d.timeline[0].time == utc(2022, 10, 29, 1, 2)
    assert len(d.causes) == 8 and {c.kind for c in d.causes} == {"contributing"}
    probes = d.actions[0]
    assert probes.action.startswith("Improve coverage of readiness/liveness probes\n- Reach out to teams")
    assert probes.source.count("\n") == 3  # the parent item and its three sub-items
    assert len(d.actions) == 7


def test_date_only_entries_are_a_data_gap():
    i = parse("dfds_postmortems__PM2021-011_-_Log4Shell.md").incident
    first = i.sorted_timeline()[0]
    assert first.time == utc(2021, 12, 10) and first.data_gap and first.event == "The Log4Shell vulnerability was published"


def test_front_matter_multiline_items_and_zones():
    r = parse("pypi_warehouse__2025-04-14-incident-report-organization-team-privileges.md")
    i = r.incident
    assert i.title == "Incident Report: Organizations Team privileges" and str(i.postmortem_date) == "2025-04-14"
    assert len(i.timeline) == 8 and i.timeline[0].event.startswith("A PyPI User who has been testing")
    assert "title: \"Incident Report: Organizations Team privileges\"" in r.narrative.split("-->")[0]
    p = parse("pypi_warehouse__2025-07-31-incident-report-phishing-attack.md").incident
    late = next(e for e in p.timeline if e.source.startswith("- 20:07 EDT (00:07 UTC)"))
    assert late.time == utc(2025, 7, 27, 0, 7)  # under "### 2025-07-26 Saturday", past UTC midnight
    e = parse("pypi_warehouse__2024-07-08-incident-report-leaked-admin-personal-access-token.md")
    found = next(x for x in e.incident.timeline if x.source.startswith("- 2024-06-28 7:09 AM Eastern:"))
    assert found.time == utc(2024, 6, 28, 11, 9)  # Eastern daylight time in June
    assert "- 2023-MM-DD[^1]:" in e.narrative  # no date to read: kept as narrative


def test_roundtrip_of_the_canonical_report_is_stable(example_store):
    cases = [(rich_incident(), NARRATIVE, None)]
    taxonomy = example_store.load_taxonomy()
    cases += [(r.incident, r.narrative, taxonomy) for r in example_store.load_all().records]
    for incident, narrative, tax in cases:
        first = render_markdown(incident, narrative, tax)
        back = parse_markdown(first, "report.md")
        assert back.notes[0] == "recognised the workbench's canonical report format"
        assert render_markdown(back.incident, back.narrative, tax) == first, incident.id
        again = back.incident
        assert again.id == incident.id and again.title == incident.title and again.summary == incident.summary
        for name in ("severity", "kind", "review", "stage", "commander", "lead", "postmortem_date", "systems",
                     "models", "tags", "taxonomy", "times", "ai_factors", "lessons", "actions", "gaps",
                     "questions", "observations"):
            assert getattr(again, name) == getattr(incident, name), (incident.id, name)
        for name in ("users_affected", "requests_affected", "cost_usd", "quality_delta", "compute_hours_lost"):
            assert getattr(again.impact, name) == getattr(incident.impact, name), (incident.id, name)
        assert sorted(c.model_dump(exclude={"evidence"}).items().__repr__() for c in again.causes) == \
            sorted(c.model_dump(exclude={"evidence"}).items().__repr__() for c in incident.causes)
        assert [len(c.evidence) for c in sorted(again.causes, key=lambda c: c.id)] == \
            [len(c.evidence) for c in sorted(incident.causes, key=lambda c: c.id)]
        assert [(e.time, e.event, e.source, e.kind, e.data_gap, e.assumption) for e in again.sorted_timeline()] == \
            [(e.time, e.event, e.source, e.kind, e.data_gap, e.assumption) for e in incident.sorted_timeline()]


def run(store, *argv, capsys):
    code = main(["--store", str(store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_is_one_commit_and_says_what_it_recognised(empty_store, capsys):
    before = len(empty_store.git.log([]))
    code, out, _ = run(empty_store, "import", str(DATA / "dfds_postmortems__PM2021-011_-_Log4Shell.md"),
                       "--id", "log4shell", capsys=capsys)
    assert code == 0
    assert "Imported" in out and "as log4shell" in out and "timeline entries: 26" in out
    assert len(empty_store.git.log([])) == before + 1
    assert empty_store.git.log([])[0].subject.startswith("log4shell: import: import 'Log4Shell investigations'")
    record = empty_store.load("log4shell")
    assert len(record.incident.timeline) == 26
    code, out, _ = run(empty_store, "validate", capsys=capsys)
    assert code == 0
    code, out, _ = run(empty_store, "report", "log4shell", capsys=capsys)
    assert out.startswith("# Postmortem: Log4Shell investigations")


def test_cli_report_import_report_through_the_store(example_store, capsys, tmp_path):
    incident_id = example_store.ids()[0]
    target = tmp_path / "report.md"
    assert run(example_store, "report", incident_id, "--out", str(target), capsys=capsys)[0] == 0
    code, out, err = run(example_store, "import", str(target), "--id", "copy-of-example", capsys=capsys)
    assert code == 0, err
    code, again, _ = run(example_store, "report", "copy-of-example", capsys=capsys)
    assert again == target.read_text().replace(f"`{incident_id}`", "`copy-of-example`")


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    (b"", "the file is empty"),
    (b"# T\n\n\xff\xfe bad bytes", "is not UTF-8"),
])
def test_bad_input_is_a_clear_message(empty_store, capsys, tmp_path, content, message):
    path = tmp_path / "in.md"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(empty_store, "import", str(path), capsys=capsys)
    assert code == 2 and message in err and "Traceback" not in err
    assert empty_store.ids() == []


def test_duplicate_and_invalid_ids_are_refused(empty_store, capsys):
    path = DATA / "dfds_postmortems__PM2021-011_-_Log4Shell.md"
    assert run(empty_store, "import", str(path), "--id", "x1", capsys=capsys)[0] == 0
    code, _, err = run(empty_store, "import", str(path), "--id", "x1", capsys=capsys)
    assert code == 2 and "already exists" in err
    code, _, err = run(empty_store, "import", str(path), "--id", "../evil", capsys=capsys)
    assert code == 2 and "cannot be a path" in err
    assert empty_store.ids() == ["x1"]


def test_workbench_import_runs_as_a_program(empty_store):
    exe = Path(sys.executable).with_name("workbench")
    proc = subprocess.run([str(exe), "--store", str(empty_store.root), "import",
                           str(DATA / "PostHog_post-mortems__2025-09-29-flags-is-down.md")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "timeline entries: 8" in proc.stdout
