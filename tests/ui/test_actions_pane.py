"""The Actions pane driven by keys: add an action that addresses a cause, quick status changes,
overdue marking by the app's clock, and bad input refused with nothing typed lost."""

from __future__ import annotations

import pytest

from datetime import datetime, timezone

from textual.widgets import DataTable, Input, OptionList, SelectionList, TextArea

from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.pick import PickManyModal, PickOneModal

from .conftest import CLAUDE, open_incident, settle, subjects
from .pane_helpers import action_of, fill_action_form, latest, read_incident
from .waiting import until_screen


@pytest.fixture
def ui_store(memory_store):
    """These tests drive one pane and read the incident back: no git needed, so the in-memory store."""
    return memory_store


def _status_cell(pane, action_id: str) -> str:
    table = pane.query_one(DataTable)
    return str(table.get_row(action_id)[4])


async def test_add_action_that_addresses_a_cause(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        assert form.form_title == "Add action AI-007"  # the next free AI-00N
        fill_action_form(form)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.pane("actions").current_id() == "AI-007"
        await pilot.press("l")
        picker = await until_screen(pilot, PickManyModal)
        causes = [c.id for c in screen.session.incident.causes]
        picker.query_one(SelectionList).highlighted = causes.index("c-a202")
        await pilot.press("space", "enter")
        await settle(pilot)
    action = action_of(read_incident(ui_store, CLAUDE), "AI-007")
    assert action["action"] == "Validate per-pool routing config in CI"
    assert action["owner"] == "@inference-platform" and action["priority"] == "P1"
    assert action["due"].isoformat() == "2025-11-15"
    assert action["addresses"] == ["c-a202"]
    assert subjects(ui_store, CLAUDE, 2) == [
        f"{CLAUDE}: actions: link AI-007 to c-a202",
        f'{CLAUDE}: actions: add action AI-007 "Validate per-pool routing config in CI"',
    ]


async def test_quick_status_change_by_space_and_picker(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        pane = screen.pane("actions")
        pane.focus_entry("AI-004")
        await pilot.press("space")
        await settle(pilot)
        assert action_of(read_incident(ui_store, CLAUDE), "AI-004")["status"] == "in-progress"
        assert "in-progress" in _status_cell(pane, "AI-004")
        await pilot.press("s")
        picker = await until_screen(pilot, PickOneModal)
        assert picker.query_one(OptionList).highlighted == 1  # starts on the current status
        await pilot.press("end", "enter")
        await settle(pilot)
        # done/verified/wont-do are not advanced by space: nothing to commit.
        pane.focus_entry("AI-004")
        before = latest(ui_store, CLAUDE)
        await pilot.press("space")
        await settle(pilot)
        assert latest(ui_store, CLAUDE) == before
    assert action_of(read_incident(ui_store, CLAUDE), "AI-004")["status"] == "wont-do"
    assert subjects(ui_store, CLAUDE, 2) == [
        f"{CLAUDE}: actions: status AI-004 in-progress -> wont-do",
        f"{CLAUDE}: actions: status AI-004 open -> in-progress",
    ]


async def test_overdue_items_stand_out_by_the_app_clock(make_app, ui_store):
    app = make_app()  # the frozen clock says 2025-10-01
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        pane = screen.pane("actions")
        pane.focus_entry("AI-004")
        await pilot.press("e")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-due", Input).value = "2025-09-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "OVERDUE" in _status_cell(pane, "AI-004")
        assert "OVERDUE" not in _status_cell(pane, "AI-001")  # done items are never overdue
        assert "1 OVERDUE" in str(pane.query_one(".pane-summary").render())
        await pilot.press("space", "space")  # in-progress (still overdue), then done
        await settle(pilot)
        assert "OVERDUE" not in _status_cell(pane, "AI-004")
    assert action_of(read_incident(ui_store, CLAUDE), "AI-004")["status"] == "done"

    early = WorkbenchApp(ui_store, UserConfig(), clock=lambda: datetime(2025, 9, 1, tzinfo=timezone.utc))
    async with early.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        pane = screen.pane("actions")
        pane.focus_entry("AI-004")
        await pilot.press("s")
        await until_screen(pilot, PickOneModal)
        await pilot.press("home", "enter")  # back to open: due 2025-09-30 is still ahead on 2025-09-01
        await settle(pilot)
        assert _status_cell(pane, "AI-004") == "open"


async def test_bad_date_and_empty_action_refused_nothing_lost(make_app, ui_store):
    app = make_app()
    start = latest(ui_store, CLAUDE)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "actions")
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-action", TextArea).text = "Add a canary for routing changes"
        form.query_one("#field-owner", Input).value = "@sre"
        form.query_one("#field-due", Input).value = "next tuesday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "not a date" in str(form.query_one("#error-due").render())
        assert form.query_one("#field-action", TextArea).text == "Add a canary for routing changes"
        assert form.query_one("#field-owner", Input).value == "@sre"
        assert form.query_one("#field-due", Input).value == "next tuesday"
        form.query_one("#field-due", Input).value = "2025-10-20"
        form.query_one("#field-action", TextArea).text = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "empty" in str(form.query_one("#error-action").render())
        assert str(form.query_one("#error-due").render()) == ""
        await pilot.press("escape")
        await settle(pilot)
    assert latest(ui_store, CLAUDE) == start


async def test_delete_action_after_confirm(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        screen.pane("actions").focus_entry("AI-005")
        await pilot.press("d")
        await until_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
    ids = [a["id"] for a in read_incident(ui_store, CLAUDE)["actions"]]
    assert ids == ["AI-001", "AI-002", "AI-003", "AI-004", "AI-006"]
    assert subjects(ui_store, CLAUDE, 1)[0].startswith(f'{CLAUDE}: actions: delete action AI-005 "')
