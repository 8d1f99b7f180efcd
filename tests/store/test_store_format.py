"""Files that review well: unchanged saves are byte-identical, one edit is one hunk, hand comments and
key order survive, adding or removing an entry touches only that entry."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone

import pytest

from workbench.domain.model import ActionItem, TimelineEntry
from workbench.store import IncidentRecord, Store

HAND_WRITTEN = """\
# Written by hand, in an editor: the tool must keep all of this.
schema_version = 1
id = "hand"
title = "Hand-written incident"   # trailing comment
severity = "P1"
kind = "incident"
tags = [ "b-tag",  "a-tag" ]   # odd spacing, kept

[times]
# started first, as the author likes it
started = 2025-08-05T16:00:00Z
resolved = 2025-08-05T20:00:00Z

[[timeline]]
# the trigger
id = "t-0001"
time = 2025-08-05T16:00:00Z
event = "Deploy of v2 starts"
source = "deploy log"

[[timeline]]
event = "Alert fires"   # key order differs from the model's: kept
id = "t-0002"
time = 2025-08-05T16:05:00Z
source = "pager"


[[timeline]]
id = "t-0003"
time = 2025-08-05T16:30:00Z
event = '''A literal
multi-line string'''
source = 'a literal string'

# a comment between tables
[[actions]]
id = "AI-001"
action = "Add a canary"
"""


def git(store: Store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.root, capture_output=True, text=True, check=True).stdout


def add_hand_written(store: Store, raw: bytes, incident_id: str = "hand") -> IncidentRecord:
    folder = store.root / "incidents" / "2025" / "08" / incident_id
    folder.mkdir(parents=True)
    (folder / "incident.toml").write_bytes(raw)
    (folder / "postmortem.md").write_bytes(
        b"## Executive Summary\r\n\r\nText.\r\n" if b"\r\n" in raw else b"## Executive Summary\n\nText.\n"
    )
    git(store, "add", "-A")
    git(store, "commit", "-q", "-m", "hand-written")
    return store.load(incident_id)


def changed_lines(store: Store) -> tuple[list[str], list[str]]:
    diff = git(store, "show", "--format=", "-U0", "HEAD")
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return removed, added


VARIANTS = {
    "lf": HAND_WRITTEN.encode(),
    "crlf": HAND_WRITTEN.replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + HAND_WRITTEN.encode(),
    "bom+crlf": b"\xef\xbb\xbf" + HAND_WRITTEN.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_unchanged_hand_written_file_saves_byte_identically(empty_store: Store, variant: str) -> None:
    record = add_hand_written(empty_store, VARIANTS[variant])
    head = empty_store.git.head_commit().sha
    saved = empty_store.save(record, record.incident, where="test", what="no change")
    assert (record.folder / "incident.toml").read_bytes() == VARIANTS[variant]
    assert empty_store.git.head_commit().sha == head  # nothing changed, nothing committed
    assert saved.toml.sha256 == record.toml.sha256


@pytest.mark.parametrize("variant", VARIANTS)
def test_editing_one_timeline_entry_changes_only_its_line(empty_store: Store, variant: str) -> None:
    store = empty_store
    record = add_hand_written(store, VARIANTS[variant])
    timeline = list(record.incident.timeline)
    timeline[1] = timeline[1].model_copy(update={"event": "Alert fires on p99 latency"})
    store.save(record, record.incident.model_copy(update={"timeline": timeline}), where="timeline", what="edit")
    removed, added = changed_lines(store)
    # (git's output is read in text mode, so a CRLF file's lines come back without "\r": checked on the bytes)
    assert removed == ['event = "Alert fires"   # key order differs from the model\'s: kept']
    assert added == ['event = "Alert fires on p99 latency"   # key order differs from the model\'s: kept']
    raw = (record.folder / "incident.toml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == ("bom" in variant)
    assert (b"\r\n" in raw) == ("crlf" in variant)
    assert raw.count(b"\n") == VARIANTS[variant].count(b"\n")


def test_hand_comments_and_key_order_survive_a_save(empty_store: Store) -> None:
    store = empty_store
    record = add_hand_written(store, HAND_WRITTEN.encode())
    new = record.incident.model_copy(update={"stage": "analysis", "title": "Renamed"})
    store.save(record, new, where="overview", what="rename")
    text = (record.folder / "incident.toml").read_text()
    for line in HAND_WRITTEN.splitlines():
        if line.strip().startswith("#") or "odd spacing" in line or line.startswith('event = "Alert'):
            assert line in text
    assert 'title = "Renamed"   # trailing comment' in text
    assert text.index('event = "Alert fires"') < text.index('id = "t-0002"')
    removed, added = changed_lines(store)
    assert removed == ['title = "Hand-written incident"   # trailing comment']
    assert sorted(added) == sorted(['title = "Renamed"   # trailing comment', 'stage = "analysis"'])


def test_adding_and_removing_entries_touches_only_them(empty_store: Store) -> None:
    store = empty_store
    record = add_hand_written(store, HAND_WRITTEN.encode())
    entry = TimelineEntry(id="t-0009", time=datetime(2025, 8, 5, 17, tzinfo=timezone.utc), event="Rollback")
    grown = record.incident.model_copy(update={"timeline": [*record.incident.timeline, entry]})
    record = store.save(record, grown, where="timeline", what="add")
    removed, added = changed_lines(store)
    assert removed == []
    assert [a for a in added if a] == [
        "[[timeline]]",
        'id = "t-0009"',
        "time = 2025-08-05T17:00:00Z",
        'event = "Rollback"',
    ]

    shrunk = record.incident.model_copy(update={"timeline": [e for e in record.incident.timeline if e.id != "t-0002"]})
    record = store.save(record, shrunk, where="timeline", what="remove")
    removed, added = changed_lines(store)
    assert added == []
    assert [r for r in removed if r.strip()] == [
        "[[timeline]]",
        'event = "Alert fires"   # key order differs from the model\'s: kept',
        'id = "t-0002"',
        "time = 2025-08-05T16:05:00Z",
        'source = "pager"',
    ]

    action = ActionItem(id="AI-002", action="Page on p99")
    record = store.save(
        record,
        record.incident.model_copy(update={"actions": [*record.incident.actions, action]}),
        where="actions",
        what="add",
    )
    removed, added = changed_lines(store)
    assert removed == []
    assert [a for a in added if a] == ["[[actions]]", 'id = "AI-002"', 'action = "Page on p99"']
    assert store.load("hand").incident == record.incident


def test_the_bundled_examples_save_byte_identically(example_store: Store) -> None:
    store = example_store
    result = store.load_all()
    assert result.problems == []
    assert len(result.records) >= 3
    head = store.git.head_commit().sha
    for record in result.records:
        before = {p.name: p.read_bytes() for p in record.folder.iterdir()}
        store.save(record, record.incident, where="test", what="no change")
        assert {p.name: p.read_bytes() for p in record.folder.iterdir()} == before
    assert store.git.head_commit().sha == head


def test_editing_one_entry_of_a_bundled_example_is_a_one_entry_diff(example_store: Store) -> None:
    store = example_store
    record = max(store.load_all().records, key=lambda r: len(r.incident.timeline))
    timeline = list(record.incident.timeline)
    index = len(timeline) // 2
    timeline[index] = timeline[index].model_copy(update={"source": "edited source"})
    store.save(record, record.incident.model_copy(update={"timeline": timeline}), where="timeline", what="edit")
    removed, added = changed_lines(store)
    assert len(added) == 1 and added[0] == 'source = "edited source"'
    assert len(removed) <= 1  # the old source line (none when the entry had no source)


def test_a_fresh_file_is_canonical(empty_store: Store) -> None:
    """Scalars first, then tables, then one [[table]] per entry; no defaults written."""
    from workbench.domain.model import Incident, KeyTimes

    incident = Incident(
        id="fresh",
        title="Fresh",
        severity="P1",
        times=KeyTimes(started=datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)),
        timeline=[TimelineEntry(id="t-0001", time=datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc), event="e")],
    )
    record = empty_store.create(incident, "")
    assert (record.folder / "incident.toml").read_text() == (
        'schema_version = 1\nid = "fresh"\ntitle = "Fresh"\nseverity = "P1"\n\n'
        "[times]\nstarted = 2025-01-02T03:04:05Z\n\n"
        '[[timeline]]\nid = "t-0001"\ntime = 2025-01-02T03:04:05Z\nevent = "e"\n'
    )
    assert record.folder == empty_store.root / "incidents" / "2025" / "01" / "fresh"
