"""`workbench import`: a postmortem read the way a person reads it. Times to UTC with their zone, impact
figures citing their sentence, actions with a status from their wording, severity only when stated, no
invented date; every item cites file:line; the workbench's own report comes back as the same incident.

The fixtures in tests/data/import were written for these tests in the house styles of published
postmortems (blog post, day-by-day chronicle, structured report with "all times PDT", undated write-up)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.cli import main
from workbench.domain.model import Incident
from workbench.services.importing.postmortem import parse_markdown, source
from workbench.services.importing.postmortem.staging import StagedImport
from workbench.services.report import mermaid, render_markdown

DATA = Path(__file__).parent.parent / "data" / "import"
FIXTURES = [
    "blog_post.md",
    "chronicle.md",
    "structured.md",
    "undated.md",
    "chat_appendix.md",
    "bold_labels.md",
    "chronicle_update.md",
    "heading_times.md",
    "training_log.md",
    "zoned_headings.md",
    "training_chronicle.md",
    "day_sections.md",
    "bold_stamps.md",
    "gateway_report.md",
    "security_disclosure.md",
    "fix_story.md",
    "shift_log.md",
    "run_costs.md",
    "agent_report.md",
    "field_record.md",
    "agent_note.md",
]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def parse(name: str, **kwargs):
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name, **kwargs)


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def cited_line(cite: str) -> str:
    name, line = cite.rsplit(":", 1)
    return (DATA / name).read_text(encoding="utf-8").splitlines()[int(line) - 1]


# ------------------------------------------------------------------------------------------ each style
def test_blog_post_prose_times_in_a_named_zone_become_utc_entries_with_their_wording():
    r = parse("blog_post.md")
    i = r.incident
    assert [e.time for e in i.timeline] == [
        utc(2025, 6, 12, 20, 15),
        utc(2025, 6, 12, 21, 2),
        utc(2025, 6, 12, 21, 40),
    ]  # 9:15pm CET = 20:15 UTC
    assert not any(e.assumption for e in i.timeline)
    assert "as written: '9:15pm CET'" in i.timeline[0].note
    assert i.times.started == utc(2025, 6, 12, 20, 15)
    assert i.id == "2025-06-12-incident-report-embeddings-api-returned-stale-vect"
    assert str(i.postmortem_date) == "2025-06-20"  # the front matter's date is the write-up's, not the incident's


def test_blog_post_impact_figures_cite_their_sentence_and_fill_the_right_fields():
    i = parse("blog_post.md").incident
    assert (i.impact.users_affected.value, i.impact.users_affected.unit) == (340, "customers")
    assert (i.impact.requests_affected.value, i.impact.requests_affected.unit) == (12, "%")
    assert i.impact.cost_usd.value == 4500 and "re-indexing cost" in i.impact.cost_usd.note
    assert [(f.value, f.unit) for f in i.impact.figures] == [(85, "minutes")]  # "1 hour and 25 minutes"
    assert i.impact.users_affected.source == "blog_post.md:10"  # the line its sentence starts on
    assert "340 customers" in cited_line(i.impact.users_affected.source)


def test_blog_post_actions_written_as_sentences_get_a_status_from_their_wording():
    actions = parse("blog_post.md").incident.actions
    # "We have reached out to every affected customer ..." tells people during the response: a step of the
    # incident, not a lasting change (LABELLING.md), so it stays in the narrative.
    assert [(a.status, a.action.split()[0:3]) for a in actions] == [("open", ["We", "will", "add"])]


def test_chronicle_day_headings_give_the_date_and_a_day_without_times_is_a_data_gap():
    i = parse("chronicle.md").incident
    timed = [(e.time, e.event) for e in i.timeline if not e.data_gap]
    assert timed[0] == (utc(2024, 3, 4, 8, 10), "Run resumed from checkpoint 41k.")
    assert timed[2][0] == utc(2024, 3, 5, 2, 30)  # under "## 2024-03-05"
    day = [e for e in i.timeline if e.data_gap]
    assert len(day) == 1 and day[0].time == utc(2024, 3, 6) and day[0].source == "chronicle.md:15"
    assert "Mar 6 (Wednesday)" in day[0].note
    assert any(g.kind == "data-gap" and "without a time of day" in g.text for g in i.gaps)
    assert (i.impact.compute_hours_lost.value, i.impact.compute_hours_lost.unit) == (1900, "gpu-hours")
    assert [(a.action, a.status) for a in i.actions] == [
        ("Add a loss-spike alert to the training dashboard", "done"),
        ("Checksum every data shard before a resume", "open"),
    ]


def test_structured_timeline_table_under_all_times_pdt_is_converted_not_stored_as_utc():
    r = parse("structured.md")
    i = r.incident
    assert [e.time for e in i.timeline] == [utc(2025, 3, 11, 16, 5), utc(2025, 3, 11, 16, 40), utc(2025, 3, 11, 17, 15)]
    assert "PDT" in i.timeline[0].note and i.timeline[0].source == "structured.md:13"
    assert i.severity == "P1" and r.stated_severity == "Severity: P1"
    assert [(a.action, a.owner, a.status) for a in i.actions] == [
        ("Add date-filtered queries to the eval set", "search-ml", "done"),
        ("Gate rollouts on the date-filter eval", "search-ml", "open"),
    ]
    assert i.lessons.went_well == ["The canary limited the blast radius."]
    assert i.lessons.to_improve == ["Nobody owned the eval set."]
    assert ("Timeline (all times PDT)", "timeline + narrative") in r.sections
    assert ("Root cause", "causes + Technical Analysis") in r.sections


def test_a_time_with_no_zone_anywhere_is_an_assumption_naming_the_zone():
    doc = "# Outage on 2025-03-01\n\n## Timeline\n\n- 23:50 deploy starts\n- 00:10 errors rise\n"
    i = parse_markdown(doc, "x.md").incident
    assert [e.time for e in i.timeline] == [utc(2025, 3, 1, 23, 50), utc(2025, 3, 2, 0, 10)]  # past midnight
    assert all(e.assumption for e in i.timeline)
    assert "UTC assumed" in i.timeline[0].note
    gap = next(g for g in i.gaps if g.kind == "assumption" and "no zone" in g.text)
    assert "UTC assumed" in gap.text


def test_hour_only_times_with_am_pm_are_read_in_their_zone():
    doc = (
        "# Outage on 2025-03-04\n\n## Timeline\n\n- 9am PST: the nightly job starts failing\n"
        "- 3pm PST: the fix is rolled out.\n"
    )
    i = parse_markdown(doc, "x.md").incident
    assert [e.time for e in i.timeline] == [utc(2025, 3, 4, 17, 0), utc(2025, 3, 4, 23, 0)]
    assert "as written: '9am PST'" in i.timeline[0].note


def test_a_zone_given_once_in_the_document_is_used_and_marked_as_an_assumption():
    doc = (
        "# Cache outage\n\nOn 2025-01-07 at 09:00 PST the cache emptied.\n\n## Response\n\nAt 09:30 we restarted it.\n"
    )
    i = parse_markdown(doc, "x.md").incident
    later = next(e for e in i.timeline if e.time.minute == 30)
    assert later.time == utc(2025, 1, 7, 17, 30) and later.assumption and "PST assumed" in later.note


def test_undated_source_has_no_date_anywhere_and_says_so():
    r = parse("undated.md")
    i = r.incident
    assert r.undated and i.id == "undated-prompt-injection-through-a-support-ticket"
    assert i.times.started is None and i.timeline == [] and i.postmortem_date is None
    assert any(g.kind == "data-gap" and "no date" in g.text for g in i.gaps)
    dated = parse("undated.md", given_date=datetime(2025, 5, 2).date()).incident
    assert dated.id.startswith("2025-05-02-") and dated.times.started is None  # a day, never an hour
    assert any("was given at import" in g.text for g in dated.gaps)


# ------------------------------------------------------------------------------------------ nothing invented
@pytest.mark.parametrize("name", FIXTURES)
def test_nothing_is_invented(name):
    """No severity, date or time appears in the incident that the source does not state."""
    text = (DATA / name).read_text(encoding="utf-8")
    r = parse(name)
    i = r.incident
    stated = re.search(r"severity", text, re.I)
    assert (i.severity is None) == (not stated)
    if i.severity is None:
        assert any(g.kind == "data-gap" and "severity" in g.text for g in i.gaps)
    for e in i.timeline:
        written = re.search(r"as written: '([^']+)'", e.note).group(1)
        assert written in cited_line(e.source), (e.source, written)

    def stated(day) -> bool:
        return (
            day.isoformat() in text
            or f"{day:%b} {day.day}" in text
            or f"{day:%B} {day.day}" in text
            or f"[{day:%m-%d} " in text  # a timeline row's month-day, its year from the document's date
            or f"{day:%Y.%m.%d}" in text  # a dotted date ("## 2023.02.03 08:15 Loss spike")
        )

    for e in i.timeline:
        day = e.time.date()
        if e.data_gap:
            assert stated(day), day  # a date-only entry is the day as written
        else:  # a local time converted to UTC may fall on the day before or after the stated one
            assert stated(day) or stated(day - timedelta(days=1)) or stated(day + timedelta(days=1)), day
    if i.times.started is not None:
        assert i.times.started in [e.time for e in i.timeline if not e.data_gap]
    date_in_id = re.match(r"(\d{4}-\d{2}-\d{2})-", i.id)
    if date_in_id:
        assert any(e.time.date().isoformat() == date_in_id.group(1) for e in i.timeline)
    assert i.stage == "scoping"  # an import meets no later gate (no scope, roles or blameless intent)


def test_prose_without_dates_or_severity_yields_no_times_no_severity_and_an_undated_id():
    doc = (
        "# Model answered in the wrong language\n\nSome users saw answers in Thai for a while. We rolled "
        "back the tokenizer change and the answers were right again.\n\n## Lessons\n\n- Test non-English "
        "prompts.\n"
    )
    i = parse_markdown(doc, "no-dates.md").incident
    assert i.severity is None and i.timeline == [] and i.times.started is None
    assert i.id.startswith("undated-") and i.postmortem_date is None


def test_a_severity_mentioned_about_something_else_is_not_the_incidents():
    doc = (
        "# Log4Shell investigation\n\nOn 2021-12-10 at 15:40 UTC we heard of it. Two teams were busy with "
        "other severity 1 work.\n"
    )
    assert parse_markdown(doc, "x.md").incident.severity is None


# ------------------------------------------------------------------------------------------ structure and report
@pytest.mark.parametrize("name", FIXTURES)
def test_every_line_of_the_input_is_somewhere_in_the_incident(name):
    text = (DATA / name).read_text(encoding="utf-8")
    result = parse(name)
    haystack = result.narrative + "\n" + "\n".join(strings(result.incident.model_dump()))
    missing = [line for line in text.splitlines() if line.strip() and line.strip() not in haystack]
    assert missing == []


@pytest.mark.parametrize("name", FIXTURES)
def test_imported_incident_validates_and_every_item_cites_its_line(name):
    r = parse(name)
    Incident.model_validate(r.incident.model_dump())
    for item in r.items:
        assert re.fullmatch(rf"{re.escape(name)}:\d+", item.cite)
        assert cited_line(item.cite).strip()
    for entry in r.incident.timeline:
        assert re.fullmatch(rf"{re.escape(name)}:\d+", entry.source)  # a citation, not the raw line
    for block in mermaid.blocks(render_markdown(r.incident, "")):
        assert mermaid.validate(block) == [], block


def test_the_report_never_calls_missing_what_the_import_put_elsewhere():
    r = parse("blog_post.md")
    report = render_markdown(r.incident, r.narrative)
    assert "No summary has been written yet" not in report
    assert "At about 9:15pm CET" in report.split("## Executive Summary")[1].split("##")[0]
    assert "How the incident was detected" not in report  # "How we found it" went to Detection
    assert "A customer opened a ticket" in report
    assert "No timeline entries yet" not in report and "2025-06-12 20:15" in report
    assert "**85 minutes**" in report  # a further figure, with its sentence
    assert "**Severity**: **[DATA GAP]** not stated" in report
    undated = parse("undated.md")
    assert "**Incident Date**: **[DATA GAP]**" in render_markdown(undated.incident, undated.narrative)
    chronicle = parse("chronicle.md")
    text = render_markdown(chronicle.incident, chronicle.narrative)
    assert "| 2024-03-06 (time unknown) |" in text  # a day is shown as a day, not as 00:00
    prose = parse_markdown(
        "# X on 2025-01-01\n\nAt 10:00 UTC it broke.\n\n## Lessons Learned\n\n- Test more.\n", "x.md"
    )
    lessons = render_markdown(prose.incident, prose.narrative).split("## Lessons Learned")[1].split("## Action")[0]
    assert "none recorded yet" not in lessons and "written as prose under 'Lessons Learned'" in lessons


def test_review_keeps_only_what_was_accepted_with_edits():
    result = parse("structured.md")
    staged = StagedImport.of(result)
    origins = [s.origin for s in staged.staged]
    assert origins[:3] == ["timeline entries"] * 3 and "action items" in origins and "impact figures" in origins
    decided = []
    for s in staged.staged:
        if s.origin == "action items" and s.event.startswith("Gate"):
            decided.append(
                type(s)(s.candidate, s.time, "Gate every rollout on the date-filter eval", s.kind, "accepted")
            )
        elif s.origin == "timeline entries" and s.time.minute == 40:
            decided.append(type(s)(s.candidate, s.time, s.event, s.kind, "dropped"))
        else:
            decided.append(type(s)(s.candidate, s.time, s.event, s.kind, "accepted"))
    kept = staged.apply(decided)
    i = kept.incident
    assert [e.time.minute for e in i.timeline] == [5, 15]
    assert [a.action for a in i.actions] == [
        "Add date-filtered queries to the eval set",
        "Gate every rollout on the date-filter eval",
    ]
    assert i.impact.users_affected.value == 2300 and i.lessons.went_well
    assert kept.notes[-1] == f"reviewed: {len(kept.items)} accepted, 1 left out"


def without_diagnostics(incident):
    causes = [c.model_copy(update={"diagnostics": []}) for c in incident.causes]
    impact = incident.impact.model_copy(update={"diagnostics": []})
    return incident.model_copy(update={"diagnostics": [], "causes": causes, "impact": impact})


def test_a_reimported_entry_never_takes_an_id_the_report_prints_for_another(monkeypatch):
    """New ids are random: one drawn equal to an id the report prints as a cause's evidence made the cited entry
    lose its id and the citation fall to another entry at the same instant (a rare CI failure). Here the draws
    return the printed ids first, every time."""
    import workbench.domain.ids as ids

    incident = rich_incident()
    # The cause cites the last entry, so the first entry made (the first in time) can draw the cited id.
    causes = [incident.causes[0].model_copy(update={"evidence": [incident.timeline[-1].id]}), *incident.causes[1:]]
    incident = incident.model_copy(update={"causes": causes})
    first = render_markdown(incident, NARRATIVE, None)
    printed = sorted({e for cause in incident.causes for e in cause.evidence})
    assert printed and all(re.search(rf"\b{e}\b", first) for e in printed)
    real = ids.secrets.token_hex
    draws = iter([e.removeprefix("t-") for e in printed] * 4)
    monkeypatch.setattr(ids.secrets, "token_hex", lambda n: next(draws, None) or real(n))
    back = parse_markdown(first, "report.md").incident
    assert [c.evidence for c in back.causes] == [c.evidence for c in incident.causes]
    assert render_markdown(back, NARRATIVE, None) == first


def test_roundtrip_of_the_canonical_report_is_stable(example_store):
    cases = [(rich_incident(), NARRATIVE, None)]
    taxonomy = example_store.load_taxonomy()
    cases += [(r.incident, r.narrative, taxonomy) for r in example_store.load_all().records]
    for incident, narrative, tax in cases:
        first = render_markdown(incident, narrative, tax)
        back = parse_markdown(first, "report.md")
        assert back.notes[0] == "recognised the workbench's canonical report format"
        # Diagnostics are re-created, not read back (a report does not hold all that re-runs them): the
        # note says how many, and the rest of the report is the same as the incident's without them.
        assert (
            f"{len(incident.diagnostics)} diagnostic(s) in the report were not imported" in " ".join(back.notes)
        ) == bool(incident.diagnostics)
        incident = without_diagnostics(incident)
        first = render_markdown(incident, narrative, tax)
        assert render_markdown(back.incident, back.narrative, tax) == first, incident.id
        again = back.incident
        assert again.id == incident.id and again.title == incident.title and again.summary == incident.summary
        for name in (
            "severity",
            "kind",
            "review",
            "stage",
            "commander",
            "lead",
            "postmortem_date",
            "systems",
            "models",
            "tags",
            "taxonomy",
            "times",
            "ai_factors",
            "lessons",
            "actions",
            "gaps",
            "questions",
            "observations",
        ):
            assert getattr(again, name) == getattr(incident, name), (incident.id, name)


# ------------------------------------------------------------------------------------------ CLI
def run(store, *argv, capsys):
    code = main(["--store", str(store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_prints_every_item_with_its_citation_and_writes_nothing(empty_store, capsys):
    before = len(empty_store.git.log([]))
    code, out, _ = run(empty_store, "import", "--dry-run", str(DATA / "structured.md"), capsys=capsys)
    assert code == 0
    assert "Would create 2025-03-11-ranking-model-rollout-degraded-search-quality" in out
    assert "structured.md:13  2025-03-11 16:05 UTC  New ranking model deployed to 10% of traffic" in out
    assert "Action items (2):" in out and "structured.md:35  [done] Add date-filtered queries" in out
    assert "'Timeline (all times PDT)' -> timeline + narrative" in out
    assert "Dry run: nothing was written." in out
    assert empty_store.ids() == [] and len(empty_store.git.log([])) == before


def test_cli_import_is_one_commit_and_the_store_keeps_an_absent_severity_absent(empty_store, capsys):
    before = len(empty_store.git.log([]))
    code, out, _ = run(empty_store, "import", str(DATA / "blog_post.md"), "--id", "stale-vectors", capsys=capsys)
    assert code == 0 and "as stale-vectors" in out and "severity: not stated in the source [DATA GAP]" in out
    assert len(empty_store.git.log([])) == before + 1
    record = empty_store.load("stale-vectors")
    assert record.incident.severity is None  # written as severity = "", never read back as P2
    assert 'severity = ""' in (record.folder / "incident.toml").read_text()
    code, out, _ = run(empty_store, "list", capsys=capsys)
    assert "not set" in out
    code, out, _ = run(empty_store, "lint", str(record.folder), capsys=capsys)
    assert "scope.severity" in out and "no severity is set" in out


def test_cli_date_for_an_undated_source(empty_store, capsys):
    code, out, _ = run(empty_store, "import", "--dry-run", str(DATA / "undated.md"), capsys=capsys)
    assert code == 0 and "pass --date YYYY-MM-DD" in out and "Would create undated-" in out
    code, out, _ = run(empty_store, "import", str(DATA / "undated.md"), "--date", "2025-05-02", capsys=capsys)
    assert code == 0 and empty_store.ids() == ["2025-05-02-prompt-injection-through-a-support-ticket"]
    with pytest.raises(SystemExit):
        run(empty_store, "import", str(DATA / "undated.md"), "--date", "May 2nd", capsys=capsys)
    assert "not a date like 2025-03-01" in capsys.readouterr().err


def test_cli_report_import_report_through_the_store(example_store, capsys, tmp_path):
    incident_id = example_store.ids()[0]
    target = tmp_path / "report.md"
    assert run(example_store, "report", incident_id, "--out", str(target), capsys=capsys)[0] == 0
    code, out, err = run(example_store, "import", str(target), "--id", "copy-of-example", capsys=capsys)
    assert code == 0, err
    record = example_store.load(incident_id)
    assert ("diagnostic(s) in the report were not imported" in out) == bool(record.incident.diagnostics)
    code, again, _ = run(example_store, "report", "copy-of-example", capsys=capsys)
    expected = render_markdown(without_diagnostics(record.incident), record.narrative, example_store.load_taxonomy())
    assert again.rstrip("\n") == expected.replace(f"`{incident_id}`", "`copy-of-example`").rstrip("\n")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        (b"", "the file is empty"),
        (b"# T\n\n\xff\xfe bad bytes", "is not UTF-8"),
    ],
)
def test_bad_input_is_a_clear_message(empty_store, capsys, tmp_path, content, message):
    path = tmp_path / "in.md"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(empty_store, "import", str(path), capsys=capsys)
    assert code == 2 and message in err and "Traceback" not in err
    assert empty_store.ids() == []


def test_import_refuses_what_is_not_a_regular_file_or_too_big(empty_store, capsys, tmp_path, monkeypatch):
    code, _, err = run(empty_store, "import", str(tmp_path), capsys=capsys)
    assert code == 2 and "not a regular file" in err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.md"
        os.mkfifo(fifo)
        code, _, err = run(empty_store, "import", str(fifo), capsys=capsys)  # never opened: it would block
        assert code == 2 and "not a regular file" in err
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "x" * 5000)
    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    monkeypatch.setattr("workbench.services.importing.postmortem.MAX_BYTES", 1000)
    code, _, err = run(empty_store, "import", str(big), capsys=capsys)
    assert code == 2 and "is 5,007 bytes; the limit is 1,000" in err
    assert empty_store.ids() == []


def test_duplicate_and_invalid_ids_are_refused(empty_store, capsys):
    path = DATA / "chronicle.md"
    assert run(empty_store, "import", str(path), "--id", "x1", capsys=capsys)[0] == 0
    code, _, err = run(empty_store, "import", str(path), "--id", "x1", capsys=capsys)
    assert code == 2 and "already exists" in err
    code, _, err = run(empty_store, "import", str(path), "--id", "../evil", capsys=capsys)
    assert code == 2 and "cannot be a path" in err
    assert empty_store.ids() == ["x1"]


def test_workbench_import_runs_as_a_program(empty_store):
    exe = Path(sys.executable).with_name("workbench")
    proc = subprocess.run(
        [str(exe), "--store", str(empty_store.root), "import", str(DATA / "chronicle.md")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "timeline entries: 5 (0 with an assumed zone or day, 1 date-only)" in proc.stdout


def test_a_gap_line_pointing_to_other_sections_is_not_read_back_as_narrative():
    from workbench.domain.model import Incident
    from workbench.services.report import render_markdown

    md = render_markdown(Incident(id="2025-01-02-slot-leak", title="Slot leak"), "## The First Fix\n\nTwo changes.\n")
    assert "kept in Additional Narrative below: 'The First Fix'" in md
    back = parse_markdown(md, "report.md")
    assert "has not been written up" not in back.narrative and "Two changes." in back.narrative
