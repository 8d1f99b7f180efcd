"""Snapshots of the review screens and modals (issue 5) at a fixed size, frozen clock, example store.

Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from textual.widgets import Input, Markdown, TextArea

from .conftest import OPENAI, ULTRALYTICS, open_incident, settle
from .waiting import until

SIZE = (140, 40)


async def _steady(pilot) -> None:
    """No blinking cursor in the picture: its phase depends on timing, which makes snapshots flaky."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    pilot.app.screen.set_focus(None)  # and no cursor at all: its blink phase is timing, not behaviour
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _meeting(pilot) -> None:
    await pilot.press("m")
    await pilot.pause()
    meeting = pilot.app.screen
    # Wait for the section to be rendered: under load the picture could be taken half-way.
    await meeting.query_one(Markdown).update(meeting.items[meeting.index].markdown)
    await pilot.pause()


async def _review(pilot, incident_id: str = OPENAI) -> None:
    screen = await open_incident(pilot, incident_id, "review")
    pane = screen.pane("review")
    await until(pilot, lambda: pane.loaded and pane.rows, "pane.loaded and pane.rows")
    await settle(pilot)


def test_review_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_review)


def test_review_pane_analysis_guide(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot, ULTRALYTICS)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_review_pane_data_collection_checklist(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot, ULTRALYTICS)
        await pilot.press("left_square_bracket", "left_square_bracket")  # analysis -> data collection
        await settle(pilot)
        pane = pilot.app.screen.pane("review")
        await until(pilot, lambda: "data collection" in str(pane.query_one("#review-method-text").render()).lower())
        await pilot.app.workers.wait_for_complete()  # the checks re-run in a worker after the stage move
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_stage_gate_modal(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_signoff_override_form(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot)
        await pilot.press("S")
        await until(pilot, lambda: pilot.app.screen.query("#field-reason"), "pilot.app.screen.query('#field-reason')")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_meeting_screen_with_a_captured_decision(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot)
        await _meeting(pilot)
        meeting = pilot.app.screen
        await pilot.press("d")
        await pilot.pause()
        pilot.app.screen.query_one("#field-text", TextArea).text = "Keep P0: every product was down"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: meeting.notes, "the meeting's note")
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_meeting_capture_form(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _review(pilot)
        await _meeting(pilot)
        await pilot.press("a")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
