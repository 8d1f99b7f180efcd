"""Snapshots of the Causes, Actions and Taxonomy panes and their modals at 140x40, frozen clock.

Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from datetime import date

from workbench.domain import edit

from .conftest import CLAUDE, OPENAI
from .scenes import at_pane, taxonomy_picker

SIZE = (140, 40)


def test_causes_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "causes", "c-a206"))


def test_cause_form(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "causes", "c-a202", then=("w",)))


def test_cause_evidence_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "causes", "c-a201", then=("l",)))


def test_cause_delete_confirm(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "causes", "c-a201", then=("d",)))


def test_actions_pane_with_overdue(snap_compare, make_app, ui_store):
    # AI-004 falls due before the frozen 2025-10-01 (overdue); AI-005 after it (not).
    record = ui_store.load(CLAUDE)
    due = {"AI-004": date(2025, 9, 15), "AI-005": date(2025, 12, 1)}
    actions = [a.model_copy(update={"due": due[a.id]}) if a.id in due else a for a in record.incident.actions]
    ui_store.save(record, edit.replace(record.incident, actions=actions), where="test", what="due dates")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "actions"))


def test_action_form(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "actions", "AI-002", then=("e",)))


def test_action_status_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "actions", "AI-004", then=("s",)))


def test_action_causes_picker(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(CLAUDE, "actions", "AI-002", then=("l",)))


def test_taxonomy_pane(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_pane(OPENAI, "taxonomy"))


def test_taxonomy_picker_filtered(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=taxonomy_picker)
