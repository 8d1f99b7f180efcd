"""services/sync/conflicts.py: the steps the CLI and the Conflicts screen share — list, choose (per field or a whole
side), resolve, finish (a stopped sync's rebase, or a merge made by `git pull`), never committing markers."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes
from workbench.services.sync import conflicts as conflict_service
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store, StoreError
from workbench.store.errors import ConflictMarkers

ID = "2025-03-04-team-sync"
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def edit(store: Store, **changes: object) -> None:
    record = store.load(ID)
    store.save(record, record.incident.model_copy(update=changes), where="test", what="edit")


@pytest.fixture
def team(tmp_path: Path) -> tuple[Store, Store]:
    """Alice and Bob changed the summary and the title differently; Alice pushed first."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(remote))
    alice = Store.init(tmp_path / "alice", default_taxonomy_text())
    alice.create(Incident(id=ID, title="Team sync", times=KeyTimes(started=T0), summary="first"), "# Team sync\n")
    git(alice.root, "remote", "add", "origin", str(remote))
    git(alice.root, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(remote), "bob")
    bob = Store(tmp_path / "bob")
    assert main(["--store", str(bob.root), "setup-merge"]) == 0
    edit(alice, summary="alice's summary", title="Alice's title")
    edit(bob, summary="bob's summary", title="Bob's title")
    assert main(["--store", str(alice.root), "sync"]) == 0
    return alice, bob


def test_the_cli_takes_a_whole_side_through_the_service(team: tuple[Store, Store]) -> None:
    _, bob = team
    assert main(["--store", str(bob.root), "sync"]) == 1
    found = conflict_service.open_conflicts(bob)
    assert found.waiting == "rebase" and [c.field_names() for c in found.incidents] == [["title", "summary"]]
    assert main(["--store", str(bob.root), "resolve", ID, "--take", "theirs"]) == 0
    assert main(["--store", str(bob.root), "sync", "--continue"]) == 0
    incident = Store(bob.root).load(ID).incident
    assert (incident.title, incident.summary) == ("Bob's title", "bob's summary")
    assert conflict_service.open_conflicts(bob).waiting is None


def test_choices_name_a_side_or_are_refused(team: tuple[Store, Store]) -> None:
    _, bob = team
    main(["--store", str(bob.root), "sync"])
    conflict = conflict_service.open_conflicts(bob).incidents[0]
    assert conflict_service.choices(conflict, take="ours", fields={"title": "theirs"}) == {
        "title": "theirs",
        "summary": "ours",
    }
    with pytest.raises(StoreError, match="title: choose 'ours' or 'theirs', not 'mine'"):
        conflict_service.choices(conflict, fields={"title": "mine"})
    assert conflict_service.resolve(bob, ID, fields={"title": "ours"}) == ["summary"]  # half: nothing written
    assert conflict_service.open_conflicts(bob).incidents


def test_finishing_refuses_a_file_added_with_conflict_markers(team: tuple[Store, Store]) -> None:
    _, bob = team
    main(["--store", str(bob.root), "sync"])
    head = git(bob.root, "rev-parse", "HEAD")
    assert conflict_service.resolve(bob, ID, take="ours") == []
    md = bob.folder_of(ID) / "postmortem.md"
    md.write_text("# Team sync\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> other\n")
    git(bob.root, "add", "--", str(md))
    with pytest.raises(ConflictMarkers, match="postmortem.md:2: git conflict markers"):
        conflict_service.finish(bob)
    assert git(bob.root, "rev-parse", "HEAD") == head  # nothing committed
    assert conflict_service.open_conflicts(bob).waiting == "rebase"
    md.write_text("# Team sync\n\nsettled by hand\n")
    git(bob.root, "add", "--", str(md))
    assert any("synced with origin/main" in m for m in conflict_service.finish(bob))
    assert "<<<<<<<" not in git(bob.root, "log", "-p", "--all")


def test_a_merge_made_by_git_pull_is_resolved_and_committed(team: tuple[Store, Store]) -> None:
    _, bob = team
    pulled = subprocess.run(
        ["git", "pull", "-q", "--no-rebase", "--no-edit"], cwd=bob.root, capture_output=True, text=True
    )
    assert pulled.returncode != 0  # stopped on the field conflicts (the driver wrote no markers)
    found = conflict_service.open_conflicts(bob)
    assert found.waiting == "merge" and found.incidents[0].ours_label == "this branch"
    assert conflict_service.resolve(bob, ID, take="ours", fields={"summary": "theirs"}) == []
    assert conflict_service.finish(bob) == ["conflicts resolved; merge committed"]
    assert len(git(bob.root, "log", "-1", "--format=%P").split()) == 2  # a merge commit
    incident = Store(bob.root).load(ID).incident
    assert (incident.title, incident.summary) == ("Bob's title", "alice's summary")
    assert git(bob.root, "status", "--porcelain").strip() == ""
    with pytest.raises(StoreError, match="no sync or merge is waiting"):
        conflict_service.finish(bob)
