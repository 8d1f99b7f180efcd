"""The Timeline pane driven by keys: every step is one commit, and bad input loses nothing."""

from __future__ import annotations

import tomllib

import pytest

from textual.widgets import DataTable, Input, Select, TextArea

from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal

from .conftest import CLAUDE, open_incident, settle, subjects
from .pane_helpers import latest


@pytest.fixture
def ui_store(memory_store):
    """These tests drive one pane and read the incident back: no git needed, so the in-memory store."""
    return memory_store


def _toml(store, incident_id):
    return tomllib.loads(store.load(incident_id).toml.text)


async def _fill_entry(pilot, time: str, event: str, source: str) -> None:
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    form.query_one("#field-time", Input).value = time
    form.query_one("#field-kind", Select).value = "detection"
    form.query_one("#field-event", TextArea).text = event
    form.query_one("#field-source", Input).value = source
    await pilot.pause()


async def test_add_entry_with_source_is_one_commit(make_app, ui_store):
    app = make_app()
    before = len(ui_store.history(CLAUDE))
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await pilot.press("a")
        await _fill_entry(pilot, "2025-08-30T09:15:00-07:00", "On-call notices thumbs-down spike", "dash/feedback#42")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormModal)
        table = app.screen.query_one("#timeline-table", DataTable)
        assert any("thumbs-down" in str(table.get_row_at(i)[2]) for i in range(table.row_count))
    data = _toml(ui_store, CLAUDE)
    added = [e for e in data["timeline"] if e["event"] == "On-call notices thumbs-down spike"]
    assert len(added) == 1
    assert added[0]["source"] == "dash/feedback#42"
    assert added[0]["kind"] == "detection"
    assert added[0]["time"].isoformat() == "2025-08-30T16:15:00+00:00"  # stored in UTC
    assert len(ui_store.history(CLAUDE)) == before + 1
    subject = subjects(ui_store, CLAUDE, 1)[0]
    assert subject.startswith(f"{CLAUDE}: timeline: add entry ")
    diff = ui_store.diff(CLAUDE, ui_store.history(CLAUDE, 1)[0].sha)
    assert "incident.toml" in diff and "postmortem.md" not in diff  # one file changed


async def test_invalid_time_is_refused_and_nothing_typed_is_lost(make_app, ui_store):
    app = make_app()
    head = latest(ui_store, CLAUDE)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await pilot.press("a")
        await _fill_entry(pilot, "2025-08-30 09:15", "Event text kept", "src")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal), "the form stays open on bad input"
        error = str(form.query_one("#error-time").render())
        assert "offset" in error
        assert form.query_one("#field-event", TextArea).text == "Event text kept"
        assert form.query_one("#field-time", Input).value == "2025-08-30 09:15"
        # Fix the time: the same form saves.
        form.query_one("#field-time", Input).value = "2025-08-30T09:15Z"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert latest(ui_store, CLAUDE) != head
    assert any(e["event"] == "Event text kept" for e in _toml(ui_store, CLAUDE)["timeline"])


async def test_empty_event_is_refused(make_app, ui_store):
    app = make_app()
    head = latest(ui_store, CLAUDE)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await pilot.press("a")
        await _fill_entry(pilot, "2025-08-30T09:15Z", "", "src")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert "empty" in str(app.screen.query_one("#error-event").render())
        await pilot.press("escape")
        await settle(pilot)
    assert latest(ui_store, CLAUDE) == head


async def test_edit_delete_duplicate_each_commit(make_app, ui_store):
    app = make_app()
    first_id = ui_store.load(CLAUDE).incident.sorted_timeline()[0].id
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        # Duplicate the first entry.
        await pilot.press("y")
        await settle(pilot)
        assert len(screen.session.incident.timeline) == 14
        # Edit the first entry's event.
        screen.pane("timeline").focus_entry(first_id)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-event", TextArea).text = "Edited event"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Delete it, with confirmation.
        screen.pane("timeline").focus_entry(first_id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
    made = subjects(ui_store, CLAUDE, 3)
    assert made[0].startswith(f"{CLAUDE}: timeline: delete entry {first_id}")
    assert made[1].startswith(f"{CLAUDE}: timeline: edit entry {first_id}")
    assert made[2].startswith(f"{CLAUDE}: timeline: duplicate entry {first_id}")
    ids = [e["id"] for e in _toml(ui_store, CLAUDE)["timeline"]]
    assert first_id not in ids and len(ids) == 13


async def test_cancelled_delete_changes_nothing(make_app, ui_store):
    app = make_app()
    head = latest(ui_store, CLAUDE)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
    assert latest(ui_store, CLAUDE) == head
