"""Snapshots of the forms issue 20 added for the fields stage gates ask for: AI factors (f) and lessons (l)
on the Overview pane, at 80x24 and 200x50."""

from __future__ import annotations

import pytest

from workbench.ui.forms import FormModal

from .conftest import CLAUDE, settle
from .waiting import until_screen


def _form(key: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(CLAUDE, "overview")
        await settle(pilot)
        await pilot.press(key)
        await until_screen(pilot, FormModal)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
@pytest.mark.parametrize("key", ["f", "l"])
def test_gate_field_forms(snap_compare, make_app, key, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_form(key))
