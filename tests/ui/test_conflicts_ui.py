"""The Conflicts screen on a real conflict: a bare repository as the team remote, two clones editing the same
fields, F5 (or C on the start screen) shows both values, keys choose, s writes the file and finishes the sync
(the rebase commits and pushes). Conflict markers are never committed."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes, TimelineEntry
from workbench.services.sync import conflicts as conflict_service
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.screens.conflicts import ConflictsScreen
from workbench.ui.screens.incident_list import IncidentListScreen
from .waiting import palette_offers, until

ID = "2025-03-04-team-sync"
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)
SIZE = (140, 40)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def edit(store: Store, what: str, **changes: object) -> None:
    record = store.load(ID)
    store.save(record, record.incident.model_copy(update=changes), where="test", what=what)


def change_event(store: Store, event: str) -> None:
    incident = store.load(ID).incident
    first = incident.timeline[0].model_copy(update={"event": event})
    edit(store, "change t-0001", timeline=[first, *incident.timeline[1:]])


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> dict[str, object]:
    """Alice and Bob change the same two fields; Alice has synced first. Bob's store is where the app runs."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2025-10-01T12:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-10-01T12:00:00+00:00")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(remote))
    alice = Store.init(tmp_path / "alice", default_taxonomy_text())
    incident = Incident(
        id=ID,
        title="Team sync",
        times=KeyTimes(started=T0),
        summary="first summary",
        timeline=[TimelineEntry(id="t-0001", time=T0, event="alert fired", source="pager")],
    )
    alice.create(incident, "# Team sync\n")
    git(alice.root, "remote", "add", "origin", str(remote))
    git(alice.root, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(remote), "bob")
    bob = Store(tmp_path / "bob")
    assert main(["--store", str(bob.root), "setup-merge"]) == 0
    edit(alice, "summary", summary="alice's summary")
    change_event(alice, "alert fired for p99 latency")
    shape = getattr(request, "param", "one commit")
    if shape == "alice only":  # no conflict: bob's sync just brings alice's edits
        pass
    elif shape == "one commit":
        incident = bob.load(ID).incident
        first = incident.timeline[0].model_copy(update={"event": "alert fired (bob's words)"})
        edit(bob, "summary and t-0001", summary="bob's summary", timeline=[first])
    else:  # two commits: the rebase stops once for each
        edit(bob, "summary", summary="bob's summary")
        change_event(bob, "alert fired (bob's words)")
    assert main(["--store", str(alice.root), "sync"]) == 0
    return {"alice": alice, "bob": bob, "remote": remote, "bob_head": git(bob.root, "rev-parse", "HEAD").strip()}


def no_markers_ever_committed(*roots: Path) -> None:
    for root in roots:
        history = git(root, "log", "-p", "--all")
        assert "<<<<<<<" not in history and ">>>>>>>" not in history


def rows_ready(app) -> bool:
    return isinstance(app.screen, ConflictsScreen) and app.screen.found is not None


async def test_f5_sync_shows_the_conflicts_and_per_field_choices_commit_and_push(make_app, team):
    bob: Store = team["bob"]  # type: ignore[assignment]
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await until(pilot, lambda: rows_ready(app), "the Conflicts screen after the sync")
        screen = app.screen
        assert [(c.incident_id, f["field"], f["ours"], f["theirs"]) for c, f in screen.rows] == [
            (ID, "summary", '"alice\'s summary"', '"bob\'s summary"'),
            (ID, "timeline[t-0001].event", "'alert fired for p99 latency'", '"alert fired (bob\'s words)"'),
        ]
        assert screen.rows[0][0].ours_label == "upstream (already shared)"
        # While the sync waits, the file on disk is whole (upstream's values), never with markers.
        assert "<<<<<<<" not in (bob.folder_of(ID) / "incident.toml").read_text()
        await pilot.press("t", "o")  # summary: theirs (bob's own, being rebased); event: ours (alice's)
        assert screen.chosen == {ID: {"summary": "theirs", "timeline[t-0001].event": "ours"}}
        await pilot.press("s")
        # notify() posts a message: wait for the notice as well as for the screen it comes with.
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, IncidentListScreen) and any("synced with origin/main" in m for m in app.notices)
            ),
            "the sync to finish",
        )
    incident = Store(bob.root).load(ID).incident
    assert (incident.summary, incident.timeline[0].event) == ("bob's summary", "alert fired for p99 latency")
    # Bob's commit, rebased onto alice's two, with the chosen values; pushed.
    assert git(bob.root, "log", "-3", "--format=%s").splitlines() == [
        f"{ID}: test: summary and t-0001",
        f"{ID}: test: change t-0001",
        f"{ID}: test: summary",
    ]
    shown = git(bob.root, "show", "HEAD", "--format=", "--", f"incidents/2025/03/{ID}/incident.toml")
    assert '+summary = "bob\'s summary"' in shown and "alert fired (bob's words)" not in shown
    assert git(bob.root, "rev-parse", "HEAD") == git(team["remote"], "rev-parse", "main")
    assert git(bob.root, "status", "--porcelain").strip() == ""
    assert not conflict_service.open_conflicts(bob).incidents and conflict_service.open_conflicts(bob).waiting is None
    no_markers_ever_committed(bob.root, team["remote"])


@pytest.mark.parametrize("team", ["two commits"], indirect=True)
async def test_the_start_screen_key_take_all_theirs_and_the_next_commits_conflicts(make_app, team):
    bob: Store = team["bob"]  # type: ignore[assignment]
    assert main(["--store", str(bob.root), "sync"]) == 1  # stopped on the conflicts, from the CLI this time
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(
            pilot,
            lambda: any(
                "A sync stopped on conflicts: 1 field of 1 incident to settle; press C." == m for m in app.notices
            ),
            "the reminder at start",
        )
        await pilot.press("C")
        await until(pilot, lambda: rows_ready(app), "the Conflicts screen")
        screen = app.screen
        assert [f["field"] for _, f in screen.rows] == ["summary"]  # bob's first commit
        await pilot.press("T")  # every field of the incident: theirs
        assert screen.chosen == {ID: {"summary": "theirs"}}
        await pilot.press("s")
        await until(
            pilot,
            lambda: [f["field"] for _, f in screen.rows] == ["timeline[t-0001].event"],
            "bob's second commit's conflict",
        )
        assert screen.chosen == {}  # a fresh round: nothing chosen for it yet
        await until(pilot, lambda: any("stopped again at your next commit" in m for m in app.notices), "the notice")
        await pilot.press("T", "s")
        await until(pilot, lambda: not isinstance(app.screen, ConflictsScreen), "the sync to finish")
    incident = Store(bob.root).load(ID).incident
    assert (incident.summary, incident.timeline[0].event) == ("bob's summary", "alert fired (bob's words)")
    assert git(bob.root, "rev-parse", "HEAD") == git(team["remote"], "rev-parse", "main")
    assert git(bob.root, "show", "HEAD~2", "--format=%s", "--no-patch").strip() == f"{ID}: test: change t-0001"
    no_markers_ever_committed(bob.root)


async def test_nothing_is_written_until_every_field_has_a_side_and_abort_goes_back(make_app, team):
    bob: Store = team["bob"]  # type: ignore[assignment]
    assert main(["--store", str(bob.root), "sync"]) == 1
    path = bob.folder_of(ID) / "incident.toml"
    waiting = path.read_bytes()
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_conflicts()
        await until(pilot, lambda: rows_ready(app), "the Conflicts screen")
        await pilot.press("t", "s")  # one field of two chosen
        await until(pilot, lambda: any("Choose a side for every field" in m for m in app.notices), "the refusal")
        assert path.read_bytes() == waiting
        assert conflict_service.open_conflicts(bob).waiting == "rebase"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: not isinstance(app.screen, (ConflictsScreen, ConfirmModal)), "the abort")
    assert git(bob.root, "rev-parse", "HEAD").strip() == team["bob_head"]
    assert Store(bob.root).load(ID).incident.summary == "bob's summary"
    assert conflict_service.open_conflicts(bob).waiting is None


def test_conflicts_screen_snapshot(snap_compare, make_app, team):
    bob: Store = team["bob"]  # type: ignore[assignment]
    assert main(["--store", str(bob.root), "sync"]) == 1

    async def run_before(pilot) -> None:
        await until(pilot, lambda: any("press C" in m for m in pilot.app.notices), "the reminder")
        await pilot.pause()  # notices are recorded when posted: let the toast be shown before clearing it
        pilot.app.clear_notifications()
        pilot.app.action_conflicts()
        await until(pilot, lambda: rows_ready(pilot.app), "the Conflicts screen")
        await pilot.press("t")  # one chosen, one still to choose
        await pilot.pause()

    assert snap_compare(make_app(bob), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("team", ["alice only"], indirect=True)
async def test_a_sync_that_brings_a_teammates_edit_reloads_the_open_incident(make_app, team):
    from workbench.ui.screens.incident import IncidentScreen

    bob: Store = team["bob"]  # type: ignore[assignment]
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_incident(ID, "timeline")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen) and screen.session.incident.summary == "first summary"
        await pilot.press("f5")
        await until(
            pilot,
            lambda: (
                screen.session.incident.summary == "alice's summary"
                and any(m == "reloaded: incident.toml changed on disk" for m in app.notices)
            ),
            "the reload",
        )
        assert screen.session.incident.timeline[0].event == "alert fired for p99 latency"
        assert not screen.session.dirty and app.screen is screen
    assert git(bob.root, "rev-parse", "HEAD") == git(team["remote"], "rev-parse", "main")


async def test_a_save_while_the_sync_waits_is_refused_and_points_to_the_conflicts(make_app, team):
    from textual.widgets import TextArea

    bob: Store = team["bob"]  # type: ignore[assignment]
    assert main(["--store", str(bob.root), "sync"]) == 1
    md = bob.folder_of(ID) / "postmortem.md"
    before = md.read_bytes()
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_incident(ID, "narrative")
        await pilot.pause()
        app.screen.query_one("#narrative-editor", TextArea).insert("Typed while the sync waits.\n", (0, 0))
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: any("(^p Conflicts settles a stopped sync)" in m for m in app.notices), "the refusal"
        )
        assert app.screen.session.dirty  # the edit is kept in memory
    assert md.read_bytes() == before


async def test_the_palette_offers_conflicts(make_app, team):
    bob: Store = team["bob"]  # type: ignore[assignment]
    assert main(["--store", str(bob.root), "sync"]) == 1
    app = make_app(bob)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Conflicts")
        palette = app.screen
        await until(  # the palette searches its providers in the background
            pilot, lambda: palette_offers(palette, "Conflicts"), "the hit"
        )
        await pilot.press("enter")
        await until(pilot, lambda: rows_ready(app), "the Conflicts screen from the palette")
        assert [f["field"] for _, f in app.screen.rows] == ["summary", "timeline[t-0001].event"]
