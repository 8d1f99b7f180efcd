"""Narrative and History panes driven by keys, asserting on postmortem.md and on commits."""

from __future__ import annotations

import sys
import textwrap

from textual.widgets import DataTable, TextArea

from workbench.ui.modals.confirm import ConfirmModal

from .conftest import CLAUDE, OPENAI, git_subjects, open_incident, settle
from .waiting import until


def _md(store, incident_id) -> str:
    return (store.folder_of(incident_id) / "postmortem.md").read_text()


async def test_narrative_edit_saves_one_commit_naming_the_section(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        text = editor.text.replace("## Technical Analysis\n", "## Technical Analysis\n\nAdded during review.\n", 1)
        editor.load_text(text)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "Added during review." in _md(ui_store, OPENAI)
    assert git_subjects(ui_store, 1)[0] == f"{OPENAI}: narrative: edit Technical Analysis"


async def test_unsaved_narrative_is_saved_when_leaving(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        screen.query_one("#narrative-editor", TextArea).insert("Typed but never saved by hand.\n", (0, 0))
        await pilot.pause()
        # The first escape leaves the editor, the second the incident: the narrative must not be lost.
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen not in app.screen_stack
        assert screen.session.wait_idle(20)
    assert _md(ui_store, OPENAI).startswith("Typed but never saved by hand.\n")


async def test_unsaved_narrative_is_saved_on_quit(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        screen.query_one("#narrative-editor", TextArea).insert("Quit with this.\n", (0, 0))
        await pilot.pause()
        await app.action_quit()
        await pilot.pause()
    assert _md(ui_store, OPENAI).startswith("Quit with this.\n")


async def test_external_editor_result_is_committed(make_app, ui_store, tmp_path, monkeypatch):
    script = tmp_path / "fake_editor.py"
    script.write_text(
        textwrap.dedent("""
        import sys
        path = sys.argv[1]
        with open(path, "a", encoding="utf-8") as f:
            f.write("\\n## Appendix\\n\\nWritten in the external editor.\\n")
    """)
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "Written in the external editor." in screen.query_one("#narrative-editor", TextArea).text
    assert "## Appendix\n\nWritten in the external editor." in _md(ui_store, OPENAI)
    assert git_subjects(ui_store, 1)[0] == f"{OPENAI}: narrative: edit Appendix in $EDITOR"


async def test_failing_editor_changes_nothing(make_app, ui_store, monkeypatch):
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    head = ui_store.git.repo.head.commit.hexsha
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, OPENAI, "narrative")
        await pilot.press("ctrl+o")
        await settle(pilot)
    assert ui_store.git.repo.head.commit.hexsha == head


async def test_history_lists_commits_shows_diff_and_restores(make_app, ui_store):
    app = make_app()
    original_title = ui_store.load(CLAUDE).incident.title
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        # One step to have something to restore from.
        from workbench.domain import edit

        screen.apply(edit.replace(screen.incident, title="Renamed during review"), "overview", "edit facts")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        table = screen.query_one("#history-table", DataTable)
        # The pane lists commits from a worker thread: a loaded run (load 25) listed them after settle() returned.
        await until(pilot, lambda: table.row_count == 2, "the rename's commit listed")
        assert "overview: edit facts" in str(table.get_row_at(0)[3])
        diff_text = screen.pane("history").diff_text
        assert '+title = "Renamed during review"' in diff_text
        # Restore the version before the rename.
        await pilot.press("down")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: table.row_count == 3, "the restore's commit listed")
    assert ui_store.load(CLAUDE).incident.title == original_title
    subjects = git_subjects(ui_store, 3)
    assert subjects[0].startswith(f"{CLAUDE}: history: restore version ")
    assert subjects[1] == f"{CLAUDE}: overview: edit facts"
    assert len(ui_store.git.repo.git.rev_list("HEAD").split()) == 4  # nothing rewritten: init, examples, 2 steps
