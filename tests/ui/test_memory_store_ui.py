"""The incident screen over the in-memory store: real keys through the real app, screen, panes and save queue,
with nothing on disk and no git. What needs files (the list's index, the journal, the outside-edit watcher,
the Evidence, Review, Report and Taxonomy panes) is left out; everything else works as on the git store."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TextArea

from workbench.store import MemoryStore
from workbench.store.memory import MEMORY_ROOT
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal

from .conftest import CLAUDE, FROZEN_NOW, OPENAI, open_incident, settle, subjects
from .pane_helpers import fill_action_form
from .waiting import palette_offers, until, until_screen


def memory_app(store: MemoryStore) -> WorkbenchApp:
    return WorkbenchApp(store, UserConfig(), clock=lambda: FROZEN_NOW, store_label="memory")


async def test_an_action_added_by_keys_lands_in_the_memory_store_as_one_step(memory_store):
    app = memory_app(memory_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        assert screen.sub_title == "memory"  # no git branch to show
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        assert form.journal is None  # no journal to write to: nothing on disk for a crash to lose
        fill_action_form(form)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#save-state").render().plain == "saved"  # type: ignore[union-attr]

        [action] = [a for a in memory_store.load(CLAUDE).incident.actions if a.id == "AI-007"]
        assert (action.action, action.owner, action.priority) == (
            "Validate per-pool routing config in CI",
            "@inference-platform",
            "P1",
        )
        assert action.due is not None and action.due.isoformat() == "2025-11-15"
        assert subjects(memory_store, CLAUDE) == [
            f'{CLAUDE}: actions: add action AI-007 "Validate per-pool routing config in CI"',
            f"{CLAUDE}: examples: add the bundled example",
        ]
        assert subjects(memory_store, OPENAI) == [f"{OPENAI}: examples: add the bundled example"]

        await pilot.press("7")  # the History pane lists the step and shows its diff, from the memory store
        history = screen.pane("history")
        await until(pilot, lambda: len(history.commits) == 2 and history.diff_text, "the history and its diff")
        assert history.commits[0].subject.endswith('add action AI-007 "Validate per-pool routing config in CI"')
        assert '+action = "Validate per-pool routing config in CI"' in history.diff_text
        assert history.query_one(DataTable).row_count == 2
    assert not Path(MEMORY_ROOT).exists()  # nothing was written anywhere


async def test_the_panes_that_read_files_are_left_out_and_the_others_keep_their_keys(memory_store):
    app = memory_app(memory_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI)
        assert [(p.pane_id, p.key) for p in screen.panes] == [
            ("overview", "1"),
            ("timeline", "2"),
            ("causes", "3"),
            ("actions", "4"),
            ("narrative", "6"),
            ("history", "7"),
            ("diagnostics", "f8"),
        ]
        assert screen.outside is None and screen.session.journal is None
        await pilot.press("3")
        assert screen.active_pane_id() == "causes"
        await pilot.press("8")  # the Review pane's key: no such pane here, nothing happens
        assert screen.active_pane_id() == "causes"
        await pilot.press("t")  # tagging reads the taxonomy index from disk: said, not crashed
        await until(pilot, lambda: any("store on disk" in m for m in app.notices), "the notice")
        app.action_taxonomy()
        await until(pilot, lambda: any("The Taxonomy screen needs a store on disk" in m for m in app.notices))
        assert app.screen is screen


async def test_narrative_and_restore_from_history_on_the_memory_store(memory_store):
    app = memory_app(memory_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        before = memory_store.load(OPENAI).narrative
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.insert("Written in memory.\n", (0, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert memory_store.load(OPENAI).narrative == "Written in memory.\n" + before
        assert subjects(memory_store, OPENAI, 1)[0].startswith(f"{OPENAI}: narrative:")

        await pilot.press("alt+7")  # from the text field: a plain 7 is text
        history = screen.pane("history")
        await until(pilot, lambda: len(history.commits) == 2, "the two versions")
        history.query_one(DataTable).move_cursor(row=1)  # the example as it was
        await pilot.press("r")
        await until_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: len(memory_store.history(OPENAI)) == 3, "the restore's version")
        assert memory_store.load(OPENAI).narrative == before
        assert subjects(memory_store, OPENAI, 1)[0].startswith(f"{OPENAI}: history: restore version ")
        await pilot.press("6")
        await until(pilot, lambda: editor.text == before, "the narrative editor to show the restored text")


async def test_the_palette_opens_an_incident_of_the_memory_store(memory_store):
    app = memory_app(memory_store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"claude")
        palette = app.screen
        await until(pilot, lambda: palette_offers(palette, CLAUDE), "the incident in the palette")
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "session", None) is not None, "the incident screen")
        assert app.screen.session.id == CLAUDE  # type: ignore[attr-defined]


async def test_a_read_only_app_over_the_memory_store_says_so_and_refuses_edits(memory_store):
    app = WorkbenchApp(memory_store, UserConfig(), clock=lambda: FROZEN_NOW, store_label="memory", read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: any("Read-only" in m for m in app.notices), "the read-only notice")
        await open_incident(pilot, CLAUDE, "actions")
        await pilot.press("a")
        await until(pilot, lambda: sum("read-only" in m.lower() for m in app.notices) >= 2, "the refusal")
        assert not isinstance(app.screen, FormModal)
    assert memory_store.read_only and len(memory_store.history(CLAUDE)) == 1
