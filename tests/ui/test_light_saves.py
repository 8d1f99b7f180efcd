"""A save redraws only what changed: no widget asks for a layout (a re-layout of the whole screen) while a
commit goes through and lands."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static, TextArea

from workbench.ui.forms import form_styles_warmed
from workbench.ui.panes.narrative import NarrativePane

from .conftest import OPENAI, git_subjects, open_incident, settle
from .waiting import until

SIZE = (140, 40)


async def forms_warmed(pilot, screen) -> None:
    """A second after an incident screen is drawn it mounts and removes hidden form widgets, which lays them
    out (forms.warm_form_styles); wait for that to be over, so what is measured is the save alone."""
    await until(pilot, lambda: form_styles_warmed(screen), "the forms' CSS to be warmed")
    await settle(pilot)


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
        await forms_warmed(pilot, screen)
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


async def test_an_overview_edit_redraws_only_its_section_and_lays_out_only_when_it_grows(
    make_app, ui_store, monkeypatch
):
    """A save from the Overview pane: the sections whose part of the incident did not change are not drawn
    again, and the one that changed is repainted in place while it keeps its height (each section is a table
    that Textual measures by rendering it; drawing all five and laying the screen out on every save was most
    of the event loop's time during a commit)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "overview")
        await forms_warmed(pilot, screen)
        updated: list[str] = []
        layouts: list[str] = []
        real_update, real_refresh = Static.update, Widget.refresh

        def update_spy(self, *args, **kwargs):
            updated.append(str(self.id))
            return real_update(self, *args, **kwargs)

        def refresh_spy(self, *regions, repaint=True, layout=False, recompose=False):
            if layout or recompose:
                layouts.append(f"{type(self).__name__}#{self.id}")
            return real_refresh(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

        monkeypatch.setattr(Static, "update", update_spy)
        monkeypatch.setattr(Widget, "refresh", refresh_spy)
        before = git_subjects(ui_store, 1)[0]
        incident = screen.session.incident
        screen.apply(incident.model_copy(update={"commander": "ic-on-call"}), "overview", "set the commander")
        await until(pilot, lambda: git_subjects(ui_store, 1)[0] != before, "the commit")
        await settle(pilot)
        assert "overview-facts" in updated
        assert not {"overview-impact", "overview-scope", "overview-factors", "overview-lessons"} & set(updated)
        assert layouts == [], layouts
        assert "ic-on-call" in app.export_screenshot()  # repainted, though not laid out

        # A summary three times as long needs more lines: then (only then) the screen is laid out again.
        layouts.clear()
        incident = screen.session.incident
        longer = " ".join([incident.summary] * 3)
        screen.apply(incident.model_copy(update={"summary": longer}), "overview", "longer summary")
        await settle(pilot)
        assert "Static#overview-facts" in layouts  # and what Textual resizes after it, nothing else
        assert set(layouts) <= {"Static#overview-facts", "ReadingScroll#overview-scroll"}, layouts
    assert "ic-on-call" in (ui_store.folder_of(OPENAI) / "incident.toml").read_text()
