"""Unsaved narrative work is journaled as it is typed and offered back at the next start (point 3, UI)."""

from __future__ import annotations

import json

from textual.widgets import TextArea

from workbench.ui.modals.restore import RestoreModal

from .conftest import CLAUDE, OPENAI, finding_counts_ready, git_subjects, open_incident, settle
from .waiting import until

SIZE = (140, 40)


def _write_entry(store, incident_id: str, text: str) -> None:
    # A fixed time, so the snapshot is stable (the journal's own writes stamp "now").
    path = store.private_dir / "journal" / incident_id / "narrative.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "incident": incident_id,
                "pane": "narrative",
                "saved_at": "2025-10-01T11:58:00+00:00",
                "base_sha256": "",
                "content": text,
            }
        )
    )


async def _wait_journal(pilot, store, incident_id: str, expect_present: bool) -> None:
    await until(
        pilot,
        lambda: (store.journal.get(incident_id, "narrative") is not None) == expect_present,
        f"the narrative's journal entry to be {'written' if expect_present else 'cleared'}",
    )


async def test_typing_is_journaled_and_cleared_by_the_save(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.insert("A sentence typed before a crash.\n", (0, 0))
        await _wait_journal(pilot, ui_store, OPENAI, True)
        entry = ui_store.journal.get(OPENAI, "narrative")
        assert entry.content.startswith("A sentence typed before a crash.\n")
        assert git_subjects(ui_store, 1)[0].startswith("store:")  # nothing committed yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _wait_journal(pilot, ui_store, OPENAI, False)
    assert (ui_store.folder_of(OPENAI) / "postmortem.md").read_text().startswith("A sentence typed before a crash.")


async def test_the_next_start_offers_the_unsaved_text_and_restores_it(make_app, ui_store):
    text = "# Restored\n\nWords that were typed, never saved, and survived a crash.\n"
    _write_entry(ui_store, CLAUDE, text)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RestoreModal)
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        editor = app.screen.query_one("#narrative-editor", TextArea)
        assert editor.text == text
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _wait_journal(pilot, ui_store, CLAUDE, False)
    assert (ui_store.folder_of(CLAUDE) / "postmortem.md").read_text() == text
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: narrative:")


async def test_discard_forgets_it_and_later_keeps_it(make_app, ui_store):
    _write_entry(ui_store, CLAUDE, "to be discarded")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # later
        await pilot.pause()
        assert not isinstance(pilot.app.screen, RestoreModal)
    assert ui_store.journal.get(CLAUDE, "narrative") is not None
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, RestoreModal)
        await pilot.press("d")
        await pilot.pause()
    assert ui_store.journal.pending() == []


def test_restore_modal_snapshot(snap_compare, make_app, ui_store):
    _write_entry(ui_store, CLAUDE, "# Claude\n\nA paragraph about the rollback, typed but never saved.\n")

    async def run_before(pilot) -> None:
        await pilot.pause()
        await finding_counts_ready(pilot)  # the list behind the modal shows its Findings column

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_f5_syncs_with_the_team_remote(make_app, ui_store, tmp_path):
    import subprocess

    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--bare", "-q", "-b", "main", str(remote)], check=True)
    subprocess.run(["git", "remote", "add", "origin", str(remote)], cwd=ui_store.root, check=True)
    subprocess.run(["git", "push", "-q", "-u", "origin", "main"], cwd=ui_store.root, check=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        screen.query_one("#narrative-editor", TextArea).insert("Shared with the team.\n", (0, 0))
        await pilot.pause()
        await pilot.press("f5")  # the unsaved narrative is saved first, then synced
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    local = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ui_store.root, capture_output=True, text=True).stdout
    pushed = subprocess.run(["git", "rev-parse", "main"], cwd=remote, capture_output=True, text=True).stdout
    assert local == pushed
    assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: narrative:")


async def test_f5_on_a_store_without_upstream_says_what_to_do(make_app, ui_store):
    app = make_app()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: seen.append(message)  # type: ignore[method-assign]
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert any("no upstream" in m and "git remote add origin URL" in m for m in seen)
