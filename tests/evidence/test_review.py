"""Review before it lands (CLI path): de-duplication, dry-run by default, --accept-all as one commit
naming the sources; derived key times; silent gaps; the data-collection checklist."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta, timezone

import pytest

from workbench.cli import main
from workbench.domain import edit
from workbench.domain.model import TimelineEntry
from workbench.services.evidence.collection import checklist, mark, mark_incident
from workbench.services.evidence.locker import add_evidence
from workbench.services.importing.timeline import Candidate
from workbench.services.importing.timeline.review import (
    accept,
    apply_times,
    decide,
    deduplicate,
    filter_staged,
    propose_times,
    silent_gaps,
)
from workbench.store import StoreError

from .conftest import CLAUDE, DATA


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def cand(time, event, source="log:1", origin="log", kind="context"):
    return Candidate(utc(time), event, kind, source, "", origin)


def test_deduplicate_against_timeline_and_each_other(example_store):
    incident = example_store.load(CLAUDE).incident
    existing = incident.sorted_timeline()[0]
    candidates = [
        cand("2025-08-05T16:10:20", "Error rate alert firing for summarizer", "b:2"),
        Candidate(existing.time.replace(second=30), existing.event + " (as logged)", "context", "x:1", "", "x"),
        cand("2025-08-05T16:10:50", "error rate alert FIRING for the summarizer", "a:9", "a"),
        cand("2025-08-05T16:11:05", "Error rate alert firing for summarizer", "b:3"),  # next minute: kept
        cand("2025-08-05T16:01:00", "Deploy v42"),
    ]
    staged, duplicates = deduplicate(incident, candidates)
    assert [s.source for s in staged] == ["log:1", "b:2", "b:3"]  # sorted in UTC
    assert {(d.candidate.source, d.of) for d in duplicates} == {("x:1", existing.id), ("a:9", "b:2")}
    assert filter_staged(staged, text="deploy") == [0]
    assert filter_staged(staged, origin="log") == [0, 1, 2]
    assert filter_staged(staged, text="B:3") == [2]


def test_accept_only_accepted_with_sources(example_store):
    incident = example_store.load(CLAUDE).incident
    staged, _ = deduplicate(
        incident,
        [
            cand("2025-08-05T16:01:00", "Deploy v42", "app.jsonl:1", "app.jsonl"),
            cand("2025-08-05T16:02:00", "Noise", "app.jsonl:2", "app.jsonl"),
            cand("2025-08-05T16:03:00", "Alert", "pd.json:3", "pd.json"),
        ],
    )
    assert accept(incident, staged) is None
    staged = decide(staged, 0, "accepted", event="Config v42 deployed", kind="trigger")
    staged = decide(staged, 1, "dropped")
    staged = decide(staged, 2, "accepted")
    new, what, trailers = accept(incident, staged)
    added = [e for e in new.timeline if e.source in ("app.jsonl:1", "app.jsonl:2", "pd.json:3")]
    assert [(e.event, e.kind, e.source) for e in added] == [
        ("Config v42 deployed", "trigger", "app.jsonl:1"),
        ("Alert", "context", "pd.json:3"),
    ]
    assert what == "import 2 events from app.jsonl, pd.json"
    assert trailers == ["Imported-from: app.jsonl (1 event)", "Imported-from: pd.json (1 event)"]


def test_cli_import_dry_run_by_default_then_accept_all_one_commit(example_store, capsys):
    root = str(example_store.root)
    record, _ = add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])
    kept = record.folder / "evidence" / "app.jsonl"
    before = len(example_store.history(CLAUDE))
    assert main(["--store", root, "timeline", "import", CLAUDE, "--from", "jsonl", str(kept)]) == 0
    out = capsys.readouterr().out
    assert "source: evidence/app.jsonl:3" in out and "Dry run: nothing written" in out
    assert len(example_store.history(CLAUDE)) == before
    # The original file outside the store is recognised by its hash as the kept evidence.
    assert (
        main(
            ["--store", root, "timeline", "import", CLAUDE, "--from", "jsonl", str(DATA / "app.jsonl"), "--accept-all"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "5 new candidate(s)" in out
    assert len(example_store.history(CLAUDE)) == before + 1
    head = example_store.git.head_commit()
    assert head.subject == f"{CLAUDE}: timeline: import 5 events from evidence/app.jsonl"
    assert "Imported-from: evidence/app.jsonl (5 events)" in head.body
    data = tomllib.loads((record.folder / "incident.toml").read_text())
    sourced = [e for e in data["timeline"] if e.get("source", "").startswith("evidence/app.jsonl:")]
    assert len(sourced) == 5
    assert next(e for e in sourced if e["source"] == "evidence/app.jsonl:3")["time"] == utc("2025-08-05T16:15:02")
    # Importing again finds only duplicates and writes nothing.
    assert main(["--store", root, "timeline", "import", CLAUDE, "--from", "jsonl", str(kept), "--accept-all"]) == 0
    assert "0 new candidate(s), 5 duplicate(s)" in capsys.readouterr().out
    assert len(example_store.history(CLAUDE)) == before + 1


def test_cli_import_git_defaults_to_incident_window(example_store, service_repo, capsys):
    root = str(example_store.root)
    assert main(["--store", root, "timeline", "import", CLAUDE, "--from", "git", str(service_repo)]) == 0
    out = capsys.readouterr().out
    incident = example_store.load(CLAUDE).incident
    assert incident.times.started is not None
    assert "Unrelated change a week later" not in out or incident.times.resolved > utc("2025-08-11T09:00:00")
    assert "Raise summarizer temperature" in out


def test_cli_import_bad_lines_are_listed(example_store, capsys):
    assert (
        main(
            [
                "--store",
                str(example_store.root),
                "timeline",
                "import",
                CLAUDE,
                "--from",
                "jsonl",
                str(DATA / "app_bad.jsonl"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"problem: {DATA / 'app_bad.jsonl'}:2: timestamp:" in out and "5 problem(s)" in out
    assert (
        main(
            [
                "--store",
                str(example_store.root),
                "timeline",
                "import",
                CLAUDE,
                "--from",
                "csv",
                str(DATA / "gateway.csv"),
                "--tz",
                "Mars/Olympus",
            ]
        )
        == 2
    )
    assert "unknown time zone" in capsys.readouterr().err


def _with_kinds(incident):
    entries = [
        TimelineEntry(id="t-aaa1", time=utc("2025-08-05T16:02:00"), event="deploy", kind="trigger", source="x"),
        TimelineEntry(id="t-aaa2", time=utc("2025-08-05T16:10:00"), event="alert", kind="detection", source="x"),
        TimelineEntry(id="t-aaa3", time=utc("2025-08-05T16:41:00"), event="rollback", kind="mitigation", source="x"),
        TimelineEntry(id="t-aaa4", time=utc("2025-08-05T19:05:00"), event="resolved", kind="resolution", source="x"),
    ]
    causes = [c.model_copy(update={"evidence": []}) for c in incident.causes]
    # Only a start in the same month: the folder (incidents/2025/08/) stays where it is.
    return edit.replace(incident, timeline=entries, causes=causes, times={"started": utc("2025-08-05T00:00:00")})


def test_derive_times_proposes_and_applies(example_store):
    incident = _with_kinds(example_store.load(CLAUDE).incident)
    proposals = propose_times(incident)
    assert [(p.name, p.proposed, p.entry_id) for p in proposals] == [
        ("started", utc("2025-08-05T16:02:00"), "t-aaa1"),
        ("detected", utc("2025-08-05T16:10:00"), "t-aaa2"),
        ("mitigated", utc("2025-08-05T16:41:00"), "t-aaa3"),
        ("resolved", utc("2025-08-05T19:05:00"), "t-aaa4"),
    ]
    applied = apply_times(incident, proposals)
    assert applied.times.detected == utc("2025-08-05T16:10:00")
    gaps = silent_gaps(applied)
    assert [(g.after.id, g.before.id, round(g.minutes)) for g in gaps] == [("t-aaa3", "t-aaa4", 144)]
    assert silent_gaps(applied, timedelta(minutes=20)) != gaps


def test_derive_times_cli(example_store, capsys):
    record = example_store.load(CLAUDE)
    record = example_store.save(record, _with_kinds(record.incident), where="timeline", what="kinds")
    root = str(example_store.root)
    assert main(["--store", root, "timeline", "derive-times", CLAUDE]) == 0
    assert "Not applied" in capsys.readouterr().out
    assert example_store.load(CLAUDE).incident.times.started == utc("2025-08-05T00:00:00")
    assert main(["--store", root, "timeline", "derive-times", CLAUDE, "--apply"]) == 0
    times = example_store.load(CLAUDE).incident.times
    assert (times.started, times.resolved) == (utc("2025-08-05T16:02:00"), utc("2025-08-05T19:05:00"))
    assert "derive key times started from t-aaa1" in example_store.git.head_commit().subject
    assert main(["--store", root, "timeline", "gaps", CLAUDE]) == 0
    assert "[DATA GAP]? 144 min with no entry" in capsys.readouterr().out


def test_collection_checklist(example_store, capsys):
    record, added = add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])
    lines = {line.source: line for line in checklist(record.incident)}
    assert lines["logs"].status == "open" and lines["logs"].evidence == (added[0].id,)
    with pytest.raises(StoreError, match="needs its evidence"):
        mark_incident(record.incident, "traces", "gathered")
    with pytest.raises(StoreError, match="needs a reason"):
        mark_incident(record.incident, "chat", "not-needed")
    record = mark(example_store, record, "logs", "gathered")
    record = mark(example_store, record, "paging", "missing", reason="PagerDuty export not yet requested")
    assert (
        example_store.git.head_commit().subject == f"{CLAUDE}: data-collection: paging records missing "
        "([DATA GAP] recorded)"
    )
    check = next(c for c in record.incident.collection if c.source == "paging")
    gap = next(g for g in record.incident.gaps if g.id == check.gap)
    assert gap.text == "[DATA GAP] Paging records not available: PagerDuty export not yet requested"
    assert gap.status == "open"
    record, more = add_evidence(example_store, record, [str(DATA / "pagerduty.json")])
    record = mark(example_store, record, "paging", "gathered")
    assert next(g for g in record.incident.gaps if g.id == check.gap).status == "closed"
    data = tomllib.loads((record.folder / "incident.toml").read_text())
    # (an emptied reason may stay written as "": the store keeps values an earlier save wrote)
    assert [{k: v for k, v in c.items() if v != ""} for c in data["collection"]] == [
        {"source": "logs", "status": "gathered", "evidence": [added[0].id]},
        {"source": "paging", "status": "gathered", "evidence": [more[0].id], "gap": check.gap},
    ]
    assert (
        main(
            [
                "--store",
                str(example_store.root),
                "collection",
                CLAUDE,
                "chat",
                "not-needed",
                "--reason",
                "no chat during the incident",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"Chat records +not-needed", out) and "no chat during the incident" in out
