"""Snapshots of the Causes, Actions and Taxonomy panes and their modals at 140x40, frozen clock.

Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from datetime import date

from workbench.domain import edit
from workbench.ui.modals.taxonomy_picker import TaxonomyPicker
from workbench.ui.taxonomy_cache import cached_index

from .conftest import CLAUDE, OPENAI, settle
from .pane_helpers import wait_for_screen

SIZE = (140, 40)


async def _still(pilot) -> None:
    """No blinking cursor: a snapshot taken mid-blink would differ from run to run."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def _at(incident_id: str, pane: str, entry: str | None = None, keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(incident_id, pane)
        await settle(pilot)
        for _ in range(200):  # the taxonomy is read by a worker thread
            if cached_index(pilot.app.store) is not None or pane != "taxonomy":
                break
            await pilot.pause(0.02)
        await settle(pilot)
        if entry:
            assert pilot.app.screen.pane(pane).focus_entry(entry)
            await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
        await _still(pilot)

    return run_before


def test_causes_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "causes", "c-a206"))


def test_cause_form(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "causes", "c-a202", ("w",)))


def test_cause_evidence_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "causes", "c-a201", ("l",)))


def test_cause_delete_confirm(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "causes", "c-a201", ("d",)))


def test_actions_pane_with_overdue(snap_compare, make_app, ui_store):
    # AI-004 falls due before the frozen 2025-10-01 (overdue); AI-005 after it (not).
    record = ui_store.load(CLAUDE)
    due = {"AI-004": date(2025, 9, 15), "AI-005": date(2025, 12, 1)}
    actions = [a.model_copy(update={"due": due[a.id]}) if a.id in due else a for a in record.incident.actions]
    ui_store.save(record, edit.replace(record.incident, actions=actions), where="test", what="due dates")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "actions"))


def test_action_form(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "actions", "AI-002", ("e",)))


def test_action_status_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "actions", "AI-004", ("s",)))


def test_action_causes_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(CLAUDE, "actions", "AI-002", ("l",)))


def test_taxonomy_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(OPENAI, "taxonomy"))


def test_taxonomy_picker_filtered(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _at(CLAUDE, "taxonomy")(pilot)
        await pilot.press("t")
        await wait_for_screen(pilot, TaxonomyPicker)
        await pilot.press(*"retreival", "space", *"stale")
        await _still(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
