"""Snapshots of the shell's screens, panes and modals at a fixed size, on the example store.

Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from .conftest import CLAUDE, OPENAI, finding_counts_ready, settle
from .waiting import until

SIZE = (140, 40)


def _opener(incident_id: str, pane: str | None = None):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(incident_id, pane)
        await settle(pilot)

    return run_before


def test_incident_list(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await finding_counts_ready(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_incident_list_filtered(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await finding_counts_ready(pilot)
        await pilot.press("slash", *"openai", "enter")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_overview_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opener(OPENAI, "overview"))


def test_timeline_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opener(CLAUDE, "timeline"))


def test_timeline_form(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(CLAUDE, "timeline")(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_confirm_delete_modal(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(CLAUDE, "timeline")(pilot)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_new_incident_form(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await finding_counts_ready(pilot)  # the list behind the modal is complete
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await finding_counts_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_narrative_pane(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(OPENAI, "narrative")(pilot)
        screen = pilot.app.screen
        screen.set_focus(None)  # a blinking cursor makes the picture flaky
        # The preview renders once the pane has been drawn: wait for it (and its worker) to finish.
        pane = screen.pane("narrative")
        await until(pilot, lambda: pane.preview_text == screen.session.narrative, "the preview")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_history_pane(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(CLAUDE, "history")(pilot)
        pane = pilot.app.screen.pane("history")
        await until(
            pilot, lambda: pane.commits and pane.diff_text, "the log and the diff load in workers: wait for both"
        )
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_high_contrast_theme(snap_compare, make_app):
    async def run_before(pilot) -> None:
        pilot.app.theme = "workbench-high-contrast"
        await _opener(CLAUDE, "timeline")(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_light_theme(snap_compare, make_app):
    async def run_before(pilot) -> None:
        pilot.app.theme = "workbench-light"
        await _opener(OPENAI, "overview")(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
