"""Point 7: team sync over git with the entry-by-entry merge driver.

A bare repository is the team remote; two clones make concurrent edits and sync, in both orders.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import ActionItem, Incident, KeyTimes, TimelineEntry
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store
from workbench.store import sync as store_sync

ID = "2025-03-04-team-sync"
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def team(tmp_path: Path) -> tuple[Store, Store]:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(remote))
    alice = Store.init(tmp_path / "alice", default_taxonomy_text())
    incident = Incident(
        id=ID,
        title="Team sync",
        times=KeyTimes(started=T0),
        summary="first summary",
        timeline=[TimelineEntry(id="t-0001", time=T0, event="alert fired", source="pager")],
        actions=[ActionItem(id="AI-001", action="add a canary", owner="sre")],
    )
    alice.create(incident, "# Team sync\n")
    git(alice.root, "remote", "add", "origin", str(remote))
    git(alice.root, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(remote), "bob")
    bob = Store(tmp_path / "bob")
    assert main(["--store", str(bob.root), "setup-merge"]) == 0
    return alice, bob


def edit(store: Store, what: str, **changes: object) -> None:
    record = store.load(ID)
    store.save(record, record.incident.model_copy(update=changes), where="test", what=what)


def add_entry(store: Store, entry_id: str, event: str) -> None:
    incident = store.load(ID).incident
    entry = TimelineEntry(id=entry_id, time=T0, event=event)
    edit(store, f"add {entry_id}", timeline=[*incident.timeline, entry])


def change_entry(store: Store, **fields: object) -> None:
    incident = store.load(ID).incident
    first = incident.timeline[0].model_copy(update=fields)
    edit(store, "change t-0001", timeline=[first, *incident.timeline[1:]])


def sync(store: Store, *extra: str) -> int:
    return main(["--store", str(store.root), "sync", *extra])


def no_markers_ever_committed(store: Store) -> None:
    history = git(store.root, "log", "-p", "--all")
    assert "<<<<<<<" not in history and ">>>>>>>" not in history


ORDERS = ["alice-first", "bob-first"]


@pytest.mark.parametrize("order", ORDERS)
def test_different_entries_merge_cleanly(team: tuple[Store, Store], order: str) -> None:
    alice, bob = team
    add_entry(alice, "t-aaaa", "alice's entry")
    add_entry(bob, "t-bbbb", "bob's entry")  # same place in the file: git's line merge would conflict
    first, second = (alice, bob) if order == "alice-first" else (bob, alice)
    assert sync(first) == 0
    assert sync(second) == 0
    assert sync(first) == 0
    for store in (alice, bob):
        ids = [e.id for e in Store(store.root).load(ID).incident.timeline]
        assert sorted(ids) == ["t-0001", "t-aaaa", "t-bbbb"]
    assert git(alice.root, "rev-parse", "HEAD") == git(bob.root, "rev-parse", "HEAD")
    no_markers_ever_committed(alice)


@pytest.mark.parametrize("order", ORDERS)
def test_same_entry_different_fields_merge_cleanly(team: tuple[Store, Store], order: str) -> None:
    alice, bob = team
    change_entry(alice, event="alert fired for p99 latency")
    change_entry(bob, source="pagerduty #4411")
    first, second = (alice, bob) if order == "alice-first" else (bob, alice)
    assert sync(first) == 0 and sync(second) == 0 and sync(first) == 0
    for store in (alice, bob):
        entry = Store(store.root).load(ID).incident.timeline[0]
        assert (entry.event, entry.source) == ("alert fired for p99 latency", "pagerduty #4411")
    no_markers_ever_committed(bob)


@pytest.mark.parametrize("order", ORDERS)
def test_same_field_conflicts_and_is_resolved_without_markers(
    team: tuple[Store, Store], order: str, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob = team
    edit(alice, "summary", summary="alice's summary")
    edit(bob, "summary", summary="bob's summary")
    add_entry(bob, "t-bbbb", "bob's entry")  # a clean change in the same file merges anyway
    first, second = (alice, bob) if order == "alice-first" else (bob, alice)
    assert sync(first) == 0
    capsys.readouterr()
    assert sync(second) == 1
    err = capsys.readouterr().err
    assert "sync stopped on conflicts" in err and "incident.toml" in err and "workbench sync --continue" in err
    # The file on disk is whole and valid while the conflict waits: no markers, the upstream's value.
    waiting = Store(second.root).load(ID).incident
    assert waiting.summary == f"{'alice' if order == 'alice-first' else 'bob'}'s summary"
    found = store_sync.open_conflicts(second)
    assert [c.field_names() for c in found] == [["summary"]]
    assert main(["--store", str(second.root), "conflicts"]) == 1
    listing = capsys.readouterr().out
    assert "alice's summary" in listing and "bob's summary" in listing
    # A commit is refused while the sync waits.
    record = Store(second.root).load(ID)
    with pytest.raises(Exception, match="rebase"):
        Store(second.root).save(record, record.incident, where="x", what="y")
    # Keep the rebased side's ("theirs" in a rebase: the local, unpublished) value.
    assert main(["--store", str(second.root), "resolve", ID, "--field", "summary=theirs"]) == 0
    assert sync(second, "--continue") == 0
    assert sync(first) == 0
    own = "bob" if order == "alice-first" else "alice"
    for store in (alice, bob):
        incident = Store(store.root).load(ID).incident
        assert incident.summary == f"{own}'s summary"
        assert [e.id for e in incident.timeline] == ["t-0001", "t-bbbb"]
    assert not store_sync.open_conflicts(second)
    no_markers_ever_committed(alice)


def test_actions_added_on_both_sides_keep_both(team: tuple[Store, Store]) -> None:
    alice, bob = team
    for store, text in ((alice, "alice's action"), (bob, "bob's action")):
        incident = store.load(ID).incident
        edit(store, "add action", actions=[*incident.actions, ActionItem(id="AI-002", action=text)])
    assert sync(alice) == 0 and sync(bob) == 0 and sync(alice) == 0
    actions = {a.id: a.action for a in Store(alice.root).load(ID).incident.actions}
    assert actions == {"AI-001": "add a canary", "AI-002": "alice's action", "AI-003": "bob's action"}


def test_sync_aborts_back_to_where_it_was(team: tuple[Store, Store]) -> None:
    alice, bob = team
    edit(alice, "summary", summary="alice's summary")
    edit(bob, "summary", summary="bob's summary")
    assert sync(alice) == 0
    head = git(bob.root, "rev-parse", "HEAD")
    assert sync(bob) == 1
    assert sync(bob, "--abort") == 0
    assert git(bob.root, "rev-parse", "HEAD") == head
    assert Store(bob.root).load(ID).incident.summary == "bob's summary"
    assert not store_sync.open_conflicts(bob)


def test_sync_without_upstream_says_what_to_do(empty_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert sync(empty_store) == 2
    err = capsys.readouterr().err
    assert "no upstream" in err and "git remote add origin URL" in err and "git push -u origin main" in err


def test_merge_driver_is_registered_by_init(empty_store: Store) -> None:
    attributes = (empty_store.root / ".gitattributes").read_text()
    assert "incidents/**/incident.toml merge=workbench" in attributes
    assert git(empty_store.root, "ls-files", ".gitattributes").strip() == ".gitattributes"
    driver = git(empty_store.root, "config", "--get", "merge.workbench.driver").strip()
    assert driver.endswith("-m workbench merge-driver %O %A %B %P")
    assert (
        git(empty_store.root, "check-attr", "merge", "--", f"incidents/2025/03/{ID}/incident.toml")
        .strip()
        .endswith("merge: workbench")
    )
