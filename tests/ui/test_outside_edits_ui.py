"""Outside edits while an incident is open (issue 8, point 4 in the app): files edited on disk by another
program — in place or by rename — are noticed by the poll; clean: reloaded quietly; unsaved work here (or a save
refused with OutsideEdit): reload / keep mine / see both, with both versions kept as recovery copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from workbench.store import recovery
from workbench.ui import outside_edits
from workbench.ui.modals.outside_edit import BothVersionsModal, OutsideEditModal

from .conftest import CLAUDE, OPENAI, git_subjects, open_incident, settle
from .waiting import until

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def quick_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outside_edits, "POLL_SECONDS", 0.05)


def write_outside(path: Path, text: str, how: str) -> None:
    """Another program saves `text`: in place (the same inode truncated and rewritten: `>` in a shell, vim with
    backupcopy=yes) or by rename (a new file renamed over it: `sed -i`, most editors, git)."""
    if how == "in-place":
        with open(path, "r+b") as f:
            f.truncate(0)
            f.write(text.encode())
    else:
        tmp = path.with_name(path.name + ".outside-tmp")
        tmp.write_bytes(text.encode())
        os.replace(tmp, path)


def messages(app) -> list[str]:
    return [m for m in app.notices]


def kept(store, incident_id: str, why: str) -> Path:
    folders = [f for f in recovery.list_kept(store.private_dir, incident_id) if f"-{why}-" in f.name]
    assert len(folders) == 1, folders
    return folders[0]


async def narrative_editor(pilot, screen) -> TextArea:
    """The narrative editor for typing unsaved prose into from another pane: its pane is mounted when first
    shown, so it is shown once, then the pane shown before is shown again."""
    back = screen.active_pane_id()
    screen.action_show_pane("narrative")
    await until(pilot, lambda: screen.pane("narrative").is_mounted and not screen.building, "the narrative pane")
    editor = screen.query_one("#narrative-editor", TextArea)
    screen.action_show_pane(back)
    await until(pilot, lambda: screen.active_pane_id() == back and not screen.building, f"the {back} pane")
    return editor


@pytest.mark.parametrize("how", ["in-place", "rename"])
async def test_a_clean_incident_reloads_quietly_when_its_toml_changes_on_disk(make_app, ui_store, how):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "timeline")
        head = ui_store.git.repo.head.commit.hexsha
        path = ui_store.folder_of(OPENAI) / "incident.toml"
        text = path.read_text()
        old_title = screen.session.incident.title
        outside = text.replace(f'title = "{old_title}"', 'title = "Retitled in another editor"', 1)
        assert outside != text
        write_outside(path, outside, how)
        # notify() posts a message: wait for the notice too, not only for the state it follows.
        await until(
            pilot,
            lambda: (
                screen.session.incident.title == "Retitled in another editor"
                and "reloaded: incident.toml changed on disk" in messages(app)
            ),
            "reload",
        )
        assert not isinstance(app.screen, OutsideEditModal)
        assert screen.title == "Retitled in another editor"
        assert not screen.session.dirty
    assert path.read_text() == outside  # the outside version is left as it was, not rewritten
    assert ui_store.git.repo.head.commit.hexsha == head  # and nothing was committed on its behalf
    assert recovery.list_kept(ui_store.private_dir, OPENAI) == []  # nothing of ours was replaced


@pytest.mark.parametrize("how", ["in-place", "rename"])
async def test_a_clean_narrative_reloads_into_the_editor_keeping_the_cursor_line(make_app, ui_store, how):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        path = ui_store.folder_of(CLAUDE) / "postmortem.md"
        row = next(n for n, line in enumerate(path.read_text().splitlines()) if n > 2 and len(line) > 5)
        editor.cursor_location = (row, 3)
        outside = path.read_text() + "\nA paragraph added by a colleague's editor.\n"
        write_outside(path, outside, how)
        await until(
            pilot,
            lambda: editor.text == outside and "reloaded: postmortem.md changed on disk" in messages(app),
            "editor reload",
        )
        assert editor.cursor_location == (row, 3)
        assert screen.session.narrative == outside
        # A later save here builds on the outside version: it is committed, not clobbered.
        editor.insert("Mine, after the reload.\n", (0, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
    on_disk = path.read_text()
    assert on_disk.startswith("Mine, after the reload.\n") and on_disk.endswith("by a colleague's editor.\n")
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: narrative:")


async def _dirty_narrative_then_outside_edit(pilot, store, incident_id: str, how: str = "rename"):
    screen = await open_incident(pilot, incident_id, "narrative")
    editor = screen.query_one("#narrative-editor", TextArea)
    path = store.folder_of(incident_id) / "postmortem.md"
    original = path.read_text()
    editor.insert("MINE: typed here, not saved yet.\n", (0, 0))
    mine = editor.text
    outside = original.replace("\n", "\nTHEIRS: written by another program.\n", 1)
    write_outside(path, outside, how)
    await until(pilot, lambda: isinstance(pilot.app.screen, OutsideEditModal), "the outside-edit dialog")
    return screen, editor, path, mine, outside


@pytest.mark.parametrize("how", ["in-place", "rename"])
async def test_unsaved_work_asks_and_reload_keeps_mine_in_recovery(make_app, ui_store, how):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        head = ui_store.git.repo.head.commit.hexsha
        screen, editor, path, mine, outside = await _dirty_narrative_then_outside_edit(pilot, ui_store, CLAUDE, how)
        assert app.screen.names == ["postmortem.md"]
        await pilot.press("r")
        await until(
            pilot,
            lambda: (
                editor.text == outside
                and any(
                    "Reloaded the version on disk; your unsaved version is kept in .workbench/recovery/" in m
                    for m in messages(app)
                )
            ),
            "the reload",
        )
        assert not screen.outside.pending
    assert path.read_text() == outside
    assert ui_store.git.repo.head.commit.hexsha == head
    folder = kept(ui_store, CLAUDE, "mine-before-reload")
    assert (folder / "postmortem.md").read_text() == mine  # mine, whole, as typed
    assert "THEIRS" not in (folder / "postmortem.md").read_text()


async def polls_pass(pilot, screen, n: int = 2) -> None:
    """Wait until the outside-edit watcher has polled `n` more times: what it would have seen, it has reported."""
    watcher = screen.outside.watcher
    real_poll, polls = watcher.poll, []
    watcher.poll = lambda: polls.append(1) or real_poll()
    try:
        await until(pilot, lambda: len(polls) >= n, f"{n} polls of the outside-edit watcher")
    finally:
        watcher.poll = real_poll


async def test_keep_mine_saves_over_it_and_keeps_the_outside_version(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, editor, path, mine, outside = await _dirty_narrative_then_outside_edit(pilot, ui_store, CLAUDE)
        await pilot.press("k")
        await until(pilot, lambda: not screen.outside.busy, "keep mine")
        await settle(pilot)
        assert editor.text == mine and not screen.session.dirty
    assert path.read_text() == mine
    assert git_subjects(ui_store, 1)[0] == (
        f"{CLAUDE}: outside edit: save my unsaved edits (kept over an outside edit)"
    )
    folder = kept(ui_store, CLAUDE, "outside-version")
    assert (folder / "postmortem.md").read_text() == outside
    assert ui_store.git.repo.is_dirty(untracked_files=False) is False


async def test_see_both_shows_the_diff_and_back_then_reload(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, editor, path, mine, outside = await _dirty_narrative_then_outside_edit(pilot, ui_store, CLAUDE)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BothVersionsModal)
        diff = app.screen.diff
        assert "-THEIRS: written by another program.\n" in diff
        assert "+MINE: typed here, not saved yet.\n" in diff
        await pilot.press("escape")  # back to the choice
        await pilot.pause()
        assert isinstance(app.screen, OutsideEditModal)
        await pilot.press("b", "k")  # see both again, then keep mine from there
        await until(
            pilot,
            lambda: not screen.outside.busy and not isinstance(app.screen, BothVersionsModal),
            "keep mine from the diff",
        )
        await settle(pilot)
    assert path.read_text() == mine
    assert (kept(ui_store, CLAUDE, "outside-version") / "postmortem.md").read_text() == outside


async def test_a_save_refused_by_an_outside_edit_opens_the_same_dialog(make_app, ui_store, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        # The save, not the poll, finds it this time. The poll timer holds the guard's bound `poll`, so replacing
        # that attribute stopped nothing (the test then raced the poll: 1 run in ~15 failed); the watcher is
        # looked up on every poll.
        screen.outside.watcher.poll = lambda: []
        path = ui_store.folder_of(OPENAI) / "incident.toml"
        outside = path.read_text().replace("\n", "\n# a comment added by hand\n", 1)
        write_outside(path, outside, "in-place")
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.insert("A line saved after the outside edit.\n", (0, 0))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OutsideEditModal), "the dialog after the save")
        assert app.screen.names == ["incident.toml"]
        assert git_subjects(ui_store, 1)[0].startswith("store:")  # the refused save committed nothing
        await pilot.press("escape")  # decide later: nothing saved, ctrl+r asks again
        state = screen.query_one("#save-state")
        await until(pilot, lambda: "CHANGED ON DISK" in str(state.render()), "the save state to say so")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, OutsideEditModal), "the dialog again")
        await pilot.press("k")
        await until(pilot, lambda: not screen.outside.busy, "keep mine")
        await settle(pilot)
    assert (kept(ui_store, OPENAI, "outside-version") / "incident.toml").read_text() == outside
    assert (ui_store.folder_of(OPENAI) / "postmortem.md").read_text().startswith("A line saved after")
    assert "# a comment added by hand" not in path.read_text()  # mine was saved over it (theirs is kept)
    assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: outside edit: save my unsaved edits")


async def test_the_apps_own_saves_never_look_like_outside_edits(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        polls = []
        real_poll = screen.outside.watcher.poll
        screen.outside.watcher.poll = lambda: polls.append(1) or real_poll()
        for n in range(3):
            editor.insert(f"Saved by the app, round {n}.\n", (0, 0))
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("]")  # a stage move (or its gate): another kind of save
            await pilot.pause()
            if not screen.is_current:
                await pilot.press("escape")
            seen = len(polls)
            await until(pilot, lambda: len(polls) > seen, f"a poll after round {n}")
        seen = len(polls)
        await until(pilot, lambda: len(polls) >= seen + 2, "two polls after the last save")
        assert len(polls) >= 5  # the poll really ran between and after the saves
        assert not isinstance(app.screen, (OutsideEditModal, BothVersionsModal))
        assert not any("changed on disk" in m for m in messages(app))
        assert real_poll() == []
    assert recovery.list_kept(ui_store.private_dir, CLAUDE) == []
    assert sum(s.startswith(f"{CLAUDE}: narrative:") for s in git_subjects(ui_store, 10)) == 3


async def test_a_git_checkout_of_an_older_version_is_noticed_and_reloaded(make_app, ui_store):
    import subprocess

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        before = editor.text
        editor.insert("Saved, then checked out away.\n", (0, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await polls_pass(pilot, screen)  # polls after our own save: nothing reported
        assert not any("changed on disk" in m for m in messages(app))
        folder = ui_store.display(ui_store.folder_of(OPENAI)).as_posix()
        subprocess.run(["git", "checkout", "-q", "HEAD~1", "--", folder], cwd=ui_store.root, check=True)
        await until(
            pilot,
            lambda: editor.text == before and "reloaded: postmortem.md changed on disk" in messages(app),
            "the checkout's version in the editor",
        )
        assert screen.session.narrative == before and not screen.session.dirty


async def test_a_deleted_incident_file_is_said_and_keep_mine_writes_it_back(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "overview")
        path = ui_store.folder_of(OPENAI) / "incident.toml"
        path.unlink()  # clean here: nothing to reload from, so nothing changes and it is said
        await until(pilot, lambda: any("cannot be loaded" in m for m in messages(app)), "the warning")
        assert screen.session.incident.id == OPENAI and not isinstance(app.screen, OutsideEditModal)
        # Now with something unsaved here: reload cannot work (said, nothing lost), keep mine writes it back.
        narrative = await narrative_editor(pilot, screen)
        narrative.insert("Unsaved words.\n", (0, 0))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, OutsideEditModal) and app.screen.names == ["incident.toml"]
        await pilot.press("r")
        await until(pilot, lambda: any(m.startswith("Could not reload") for m in messages(app)), "the refusal")
        assert narrative.text.startswith("Unsaved words.\n")
        await pilot.press("ctrl+r", "k")
        await until(pilot, lambda: not screen.outside.busy and path.exists(), "keep mine")
        await settle(pilot)
    assert ui_store.load(OPENAI).incident == screen.session.incident
    assert (ui_store.folder_of(OPENAI) / "postmortem.md").read_text().startswith("Unsaved words.\n")
    assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: outside edit: save my unsaved edits")
    assert ui_store.git.repo.git.status("--porcelain") == ""
    assert len(recovery.list_kept(ui_store.private_dir, OPENAI)) == 2  # mine before the failed reload, theirs


async def test_a_choice_that_fails_is_said_and_can_be_made_again(make_app, ui_store, monkeypatch):
    from workbench.services.sync import watcher

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "incident.toml")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, editor, path, mine, outside = await _dirty_narrative_then_outside_edit(pilot, ui_store, CLAUDE)
        with monkeypatch.context() as patch:
            patch.setattr(watcher, "keep_mine", refuse)
            await pilot.press("k")
            await until(
                pilot,
                lambda: any(m.startswith("Could not keep your version: PermissionError") for m in messages(app)),
                "the refusal",
            )
        assert not screen.outside.busy and editor.text == mine
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, OutsideEditModal)
        await pilot.press("k")
        await until(pilot, lambda: not screen.outside.busy and path.read_text() == mine, "keep mine")
        await settle(pilot)
    assert (kept(ui_store, CLAUDE, "outside-version") / "postmortem.md").read_text() == outside


async def test_an_incident_moved_to_another_folder_is_followed(make_app, ui_store):
    """A teammate changed the start month: the folder moved (as a pull or checkout would move it)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        old = ui_store.folder_of(CLAUDE)
        new = ui_store.root / "incidents" / "2025" / "07" / CLAUDE
        new.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, new)
        toml = new / "incident.toml"
        toml.write_text(toml.read_text().replace("started = 2025-08-05T00:00:00Z", "started = 2025-07-30T00:00:00Z"))
        await until(
            pilot,
            lambda: (
                screen.session.saved.folder == new
                and "reloaded: incident.toml and postmortem.md changed on disk" in messages(app)
            ),
            "the move to be followed",
        )
        assert screen.session.incident.times.started.month == 7
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.insert("Saved after the move.\n", (0, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await polls_pass(pilot, screen)
        assert not isinstance(app.screen, OutsideEditModal)  # our save in the new folder is ours
    assert (new / "postmortem.md").read_text().startswith("Saved after the move.\n") and not old.exists()
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: narrative:")


async def test_review_toml_changed_outside_is_shown_again_without_asking(make_app, ui_store):
    """Another process (here the CLI, with its own Store) comments; the app's own comment is never reported."""
    from textual.widgets import Input

    from workbench.cli import main

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "review")
        pane = screen.pane("review")
        await until(pilot, lambda: pane.loaded, "the review to load")
        narrative = await narrative_editor(pilot, screen)
        narrative.insert("Unsaved prose: a review.toml change must not ask about it.\n", (0, 0))
        assert (
            main(
                [
                    "--store",
                    str(ui_store.root),
                    "review",
                    "comment",
                    "--on",
                    "summary",
                    OPENAI,
                    "A teammate's comment, from a shell.",
                ]
            )
            == 0
        )
        await until(
            pilot,
            lambda: (
                [c.text for c in pane.review.comments] == ["A teammate's comment, from a shell."]
                and "reloaded: review.toml changed on disk" in messages(app)
            ),
            "the review reload",
        )
        assert not isinstance(app.screen, OutsideEditModal) and narrative.text.startswith("Unsaved prose")
        # The app's own review write: committed, never reported as an outside edit.
        app.clear_notifications()
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#field-on", Input).value = "summary"
        app.screen.query_one("#field-text", TextArea).text = "Mine, from the pane."
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(pane.review.comments) == 2, "the app's own comment")
        await polls_pass(pilot, pilot.app.screen, 3)  # several polls after our own write
        assert not any("changed on disk" in m for m in messages(app))
        assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: review: comment")
