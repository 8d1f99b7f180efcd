"""Snapshots of the outside-edit dialog and its diff view (issue 8), over a real outside edit of the narrative."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from workbench.ui import outside_edits
from workbench.ui.modals.outside_edit import OutsideEditModal
from workbench.ui.panes.narrative import NarrativePane

from .conftest import CLAUDE, settle
from .waiting import until

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def quick_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outside_edits, "POLL_SECONDS", 0.05)


def _outside_edit_while_typing(store):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(CLAUDE, "narrative")
        await settle(pilot)
        editor = pilot.app.screen.query_one("#narrative-editor", TextArea)
        editor.insert("MINE: typed here, not saved yet.\n", (0, 0))
        # The preview re-renders a moment after the last key; wait for it so the picture does not depend
        # on whether the outside edit is noticed before or after that.
        pane = pilot.app.screen.query_one(NarrativePane)
        await until(pilot, lambda: pane.preview_text == editor.text, "pane.preview_text == editor.text")
        await pilot.app.workers.wait_for_complete()
        path = store.folder_of(CLAUDE) / "postmortem.md"
        path.write_text(path.read_text().replace("\n", "\nTHEIRS: written by another program.\n", 1))
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, OutsideEditModal),
            "isinstance(pilot.app.screen, OutsideEditModal)",
        )
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_outside_edit_modal(snap_compare, make_app, ui_store):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_outside_edit_while_typing(ui_store))


def test_both_versions_modal(snap_compare, make_app, ui_store):
    async def run_before(pilot) -> None:
        await _outside_edit_while_typing(ui_store)(pilot)
        await pilot.press("b")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
