"""A save redraws only what changed: no widget asks for a layout (a re-layout of the whole screen) while a
commit goes through and lands."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static, TextArea

from workbench.ui.panes.narrative import NarrativePane

from .conftest import OPENAI, git_subjects, open_incident, settle
from .waiting import until

SIZE = (140, 40)


async def test_a_save_lays_nothing_out(make_app, ui_store, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.insert("One more sentence.\n", (0, 0))
        await settle(pilot)
        # The preview re-renders a moment after the last key (that is typing, not the save): wait for it.
        pane = screen.query_one(NarrativePane)
        await until(pilot, lambda: pane.preview_text == editor.text, "pane.preview_text == editor.text")
        await app.workers.wait_for_complete()
        before = git_subjects(ui_store, 1)[0]
        layouts: list[str] = []
        real = Widget.refresh

        def spy(self, *regions, repaint=True, layout=False, recompose=False):
            if layout or recompose:
                layouts.append(f"{type(self).__name__}#{self.id}")
            return real(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

        monkeypatch.setattr(Widget, "refresh", spy)
        await pilot.press("ctrl+s")
        state = screen.query_one("#save-state", Static)
        await until(
            pilot,
            lambda: git_subjects(ui_store, 1)[0] != before and str(state.render()).strip() == "saved",
            "a loaded machine can take seconds to commit",
        )
        await settle(pilot)
        monkeypatch.setattr(Widget, "refresh", real)
        assert git_subjects(ui_store, 1)[0] != before  # the commit went through
        assert str(state.render()).strip() == "saved"
        assert layouts == [], layouts
    assert (ui_store.folder_of(OPENAI) / "postmortem.md").read_text().startswith("One more sentence.")
