"""Points 3 and 4: unsaved work survives a crash (journal); outside edits are noticed and never clobbered."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from workbench.services.sync.watcher import OutsideEditWatcher, keep_mine, reload, see_both
from workbench.store import OutsideEdit, Store, StoreError
from workbench.store.journal import Journal


def test_journal_survives_a_killed_process_and_is_offered_at_the_next_start(example_store: Store) -> None:
    incident_id = example_store.ids()[0]
    typing = textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from workbench.store import Store
        store = Store(Path(sys.argv[1]))
        record = store.load(sys.argv[2])
        text = record.narrative
        for word in ["The", "rollback", "finished", "at", "16:40", "UTC."]:
            text += " " + word
            store.journal.record(record.id, "narrative", text, record.toml.sha256)
        store.journal.record(record.id, "timeline-form", {"event": "rollback done", "time": "16:40"})
        print("typed", flush=True)
        os.kill(os.getpid(), 9)  # a crash: no save, no cleanup
    """)
    done = subprocess.run(
        [sys.executable, "-c", typing, str(example_store.root), incident_id], capture_output=True, text=True
    )
    assert done.returncode == -9 and done.stdout.strip() == "typed"
    pending = Store(example_store.root).journal.pending()
    assert [(e.incident_id, e.pane) for e in pending] == [(incident_id, "narrative"), (incident_id, "timeline-form")]
    assert pending[0].content.endswith("The rollback finished at 16:40 UTC.")
    assert pending[0].base_sha256 == example_store.load(incident_id).toml.sha256
    assert pending[1].content == {"event": "rollback done", "time": "16:40"}
    assert "rollback" in pending[1].preview()
    # Restoring and saving clears what the save holds, and only that.
    record = example_store.load(incident_id)
    example_store.save(
        record, record.incident, pending[0].content, where="narrative", what="restored", clears=["narrative"]
    )
    assert [e.pane for e in example_store.journal.pending()] == ["timeline-form"]
    assert example_store.load(incident_id).narrative.rstrip().endswith("16:40 UTC.")


def test_journal_entries_are_atomic_and_damage_is_skipped(empty_store: Store) -> None:
    journal = Journal(empty_store.private_dir)
    path = journal.record("2025-01-01-a", "narrative", "one")
    journal.record("2025-01-01-a", "narrative", "two")
    assert journal.get("2025-01-01-a", "narrative").content == "two"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    (path.parent / "broken.json").write_text("{not json")
    assert [e.content for e in journal.pending()] == ["two"]
    ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=empty_store.root)
    assert ignored.returncode == 0  # journals never reach git
    journal.clear("2025-01-01-a")
    assert journal.pending() == []


@pytest.mark.parametrize("incident_id,pane", [("../x", "narrative"), ("ok-id", "../../x"), ("ok-id", "a/b")])
def test_journal_names_cannot_escape(empty_store: Store, incident_id: str, pane: str) -> None:
    with pytest.raises(StoreError):
        empty_store.journal.record(incident_id, pane, "x")


# -------------------------------------------------------------------------------------- watcher
@pytest.fixture
def opened(example_store: Store) -> tuple[Store, object]:
    return example_store, example_store.load(example_store.ids()[0])


def test_own_saves_are_not_outside_edits(opened) -> None:
    store, record = opened
    watcher = OutsideEditWatcher(store, record)
    assert watcher.poll() == []
    # Our save lands on disk before the watcher is told about it: still not an outside edit.
    store.save(record, record.incident.model_copy(update={"summary": "ours"}), where="s", what="w")
    assert watcher.poll() == []


def test_a_touch_without_a_change_is_not_an_edit(opened) -> None:
    store, record = opened
    watcher = OutsideEditWatcher(store, record)
    path = record.folder / "incident.toml"
    os.utime(path, ns=(1, 1))
    assert watcher.poll() == []


@pytest.mark.parametrize("how", ["in-place", "by-rename", "git-checkout", "delete"])
def test_outside_edits_are_noticed(opened, how: str) -> None:
    store, record = opened
    watcher = OutsideEditWatcher(store, record)
    path = record.folder / "incident.toml"
    if how == "in-place":
        with open(path, "r+b") as handle:
            data = handle.read()
            handle.seek(0)
            handle.write(data.replace(b"title = ", b"title = ", 1) + b"# a note\n")
    elif how == "by-rename":
        tmp = path.with_name("incident.toml~")
        tmp.write_bytes(path.read_bytes() + b"# edited by rename\n")
        os.replace(tmp, path)
    elif how == "git-checkout":
        store.save(record, record.incident.model_copy(update={"summary": "v2"}), where="s", what="v2")
        watcher.acknowledge(store.load(record.id))
        subprocess.run(["git", "checkout", "-q", "HEAD~1", "--", "incidents"], cwd=store.root, check=True)
    else:
        path.unlink()
    changes = watcher.poll()
    assert [c.path.name for c in changes] == ["incident.toml"]
    assert changes[0].kind == ("deleted" if how == "delete" else "changed")
    assert watcher.poll() == []  # reported once


def _edit_outside(record) -> bytes:
    path = record.folder / "incident.toml"
    data = path.read_bytes().replace(b'severity = "', b'# outside edit\nseverity = "', 1)
    path.write_bytes(data)
    return data


def test_keep_mine_saves_over_and_keeps_the_outside_version(opened) -> None:
    store, record = opened
    outside = _edit_outside(record)
    mine = record.incident.model_copy(update={"summary": "my unsaved summary"})
    with pytest.raises(OutsideEdit):
        store.save(record, mine, where="s", what="w")
    saved, kept = keep_mine(store, record, mine, record.narrative, where="summary", what="edit")
    assert saved.incident.summary == "my unsaved summary"
    assert (kept / "incident.toml").read_bytes() == outside
    assert "kept over an outside edit" in store.git.head_commit().subject


def test_reload_takes_theirs_and_keeps_mine(opened) -> None:
    store, record = opened
    outside = _edit_outside(record)
    mine = record.incident.model_copy(update={"summary": "my unsaved summary"})
    fresh, kept = reload(store, record, mine, record.narrative + "my paragraph\n")
    assert fresh.toml.sha256 == __import__("hashlib").sha256(outside).hexdigest()
    assert "my unsaved summary" in (kept / "incident.toml").read_text()
    assert (kept / "postmortem.md").read_text().endswith("my paragraph\n")


def test_see_both_is_a_diff_of_the_two_versions(opened) -> None:
    store, record = opened
    _edit_outside(record)
    mine = record.incident.model_copy(update={"summary": "my unsaved summary"})
    diff = see_both(record, mine, record.narrative)
    assert "--- incident.toml (changed outside)" in diff and "+++ incident.toml (yours, unsaved)" in diff
    assert "-# outside edit" in diff and '+summary = "my unsaved summary"' in diff


def test_cli_lists_what_can_be_recovered(example_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    incident_id = example_store.ids()[0]
    example_store.journal.record(incident_id, "narrative", "half a sentence")
    assert main(["--store", str(example_store.root), "recover"]) == 0
    assert f"unsaved  {incident_id}  narrative" in capsys.readouterr().out
    assert main(["--store", str(example_store.root), "recover", "--discard", incident_id]) == 0
    capsys.readouterr()
    assert main(["--store", str(example_store.root), "recover"]) == 0
    assert "nothing to recover" in capsys.readouterr().out
