"""Snapshots of the Diagnostics pane and of a diagnostic form with its live result, at 80x24 and 200x50,
on the example store with fixed ids and times. Look at the report before accepting changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Static

from workbench.services.diagnostics import add, new_diagnostic
from workbench.ui.diagnostic_form import DiagnosticForm

from .conftest import CLAUDE, settle
from .pane_helpers import shown_text
from .waiting import until, until_screen

AT = datetime(2025, 9, 20, 10, 30, tzinfo=timezone.utc)
SIZES = [(80, 24), (200, 50)]


def _with_diagnostics(store) -> None:
    record = store.load(CLAUDE)
    incident = record.incident
    for dx, kind, given, claim in [
        ("dx-5001", "reproduction", {"k": 3, "n": 20}, "garbled output reproduces"),
        ("dx-5002", "srm", {"counts": [5500, 4500], "arms": ["control", "canary"]}, "the canary split held"),
        ("dx-5003", "eval-delta", {"k_a": 80, "n_a": 100, "k_b": 76, "n_b": 100}, "quality dropped 4 points"),
        (
            "dx-5004",
            "rate-change",
            {"before": 10, "exposure_before": 2, "after": 30, "exposure_after": 2, "event": "the 2025-08-29 change"},
            "misroutes rose after the change",
        ),
    ]:
        d, _ = new_diagnostic(incident, kind, given, claim, now=AT, diagnostic_id=dx)
        incident = add(incident, d)
    store.save(record, incident, where="diagnostics", what="add examples for the snapshots")


def _open(cursor: str | None = None, form: bool = False):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(CLAUDE)
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        if cursor:
            pilot.app.screen.pane("diagnostics").focus_entry(cursor)
            await pilot.pause()
        if form:
            await pilot.press("e")
            modal = await until_screen(pilot, DiagnosticForm)
            live = modal.query_one("#live-result", Static)
            await until(pilot, lambda: "Result:" in shown_text(live), "the form's live result")
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_diagnostics_pane(snap_compare, make_app, ui_store, size):
    _with_diagnostics(ui_store)
    assert snap_compare(make_app(), terminal_size=size, run_before=_open("dx-5002"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_diagnostic_form_with_live_result(snap_compare, make_app, ui_store, size):
    _with_diagnostics(ui_store)
    assert snap_compare(make_app(), terminal_size=size, run_before=_open("dx-5003", form=True))
