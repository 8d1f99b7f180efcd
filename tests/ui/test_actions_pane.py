"""The Actions pane driven by keys: add an action that addresses a cause, quick status changes,
overdue marking by the app's clock, and bad input refused with nothing typed lost."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.widgets import DataTable, Input, OptionList, Select, SelectionList, TextArea

from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.pick import PickManyModal, PickOneModal

from .conftest import CLAUDE, git_subjects, open_incident, settle
from .pane_helpers import action_of, head, read_incident, wait_for_screen


def _status_cell(pane, action_id: str) -> str:
    table = pane.query_one(DataTable)
    return str(table.get_row(action_id)[4])


async def test_add_action_that_addresses_a_cause(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        await pilot.press("a")
        form = await wait_for_screen(pilot, FormModal)
        assert form.form_title == "Add action AI-007"  # the next free AI-00N
        form.query_one("#field-action", TextArea).text = "Validate per-pool routing config in CI"
        form.query_one("#field-owner", Input).value = "@inference-platform"
        form.query_one("#field-due", Input).value = "2025-11-15"
        form.query_one("#field-priority", Select).value = "P1"
        form.query_one("#field-verification", TextArea).text = "A misrouting config fails the CI check"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.pane("actions").current_id() == "AI-007"
        await pilot.press("l")
        picker = await wait_for_screen(pilot, PickManyModal)
        causes = [c.id for c in screen.session.incident.causes]
        picker.query_one(SelectionList).highlighted = causes.index("c-a202")
        await pilot.press("space", "enter")
        await settle(pilot)
    action = action_of(read_incident(ui_store, CLAUDE), "AI-007")
    assert action["action"] == "Validate per-pool routing config in CI"
    assert action["owner"] == "@inference-platform" and action["priority"] == "P1"
    assert action["due"].isoformat() == "2025-11-15"
    assert action["addresses"] == ["c-a202"]
    assert git_subjects(ui_store, 2) == [
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
        picker = await wait_for_screen(pilot, PickOneModal)
        assert picker.query_one(OptionList).highlighted == 1  # starts on the current status
        await pilot.press("end", "enter")
        await settle(pilot)
        # done/verified/wont-do are not advanced by space: nothing to commit.
        pane.focus_entry("AI-004")
        before = head(ui_store)
        await pilot.press("space")
        await settle(pilot)
        assert head(ui_store) == before
    assert action_of(read_incident(ui_store, CLAUDE), "AI-004")["status"] == "wont-do"
    assert git_subjects(ui_store, 2) == [
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
        form = await wait_for_screen(pilot, FormModal)
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
        await wait_for_screen(pilot, PickOneModal)
        await pilot.press("home", "enter")  # back to open: due 2025-09-30 is still ahead on 2025-09-01
        await settle(pilot)
        assert _status_cell(pane, "AI-004") == "open"


async def test_bad_date_and_empty_action_refused_nothing_lost(make_app, ui_store):
    app = make_app()
    start = head(ui_store)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "actions")
        await pilot.press("a")
        form = await wait_for_screen(pilot, FormModal)
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
    assert head(ui_store) == start


async def test_delete_action_after_confirm(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        screen.pane("actions").focus_entry("AI-005")
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
    ids = [a["id"] for a in read_incident(ui_store, CLAUDE)["actions"]]
    assert ids == ["AI-001", "AI-002", "AI-003", "AI-004", "AI-006"]
    assert git_subjects(ui_store, 1)[0].startswith(f'{CLAUDE}: actions: delete action AI-005 "')
