"""The summary and key-hint line above each pane is whole at 80 columns: the status first, then the keys by
priority, "? more" when some give way; every key it names is one the pane binds (so the help lists it)."""

from __future__ import annotations

import pytest

from workbench.ui.help_registry import binding_rows
from workbench.ui.hints import HintLine, fit_hint
from workbench.ui.panes import pane_classes

from .waiting import until
from .conftest import OPENAI, open_incident, settle

KEYS = [("a", "add"), ("e", "edit"), ("d", "delete"), ("i", "import"), ("T", "key times")]


def test_everything_fits_when_there_is_room() -> None:
    line = fit_hint(["11 entries · 2 long silences (possible [DATA GAP])"], KEYS, 120)
    assert (
        line.plain
        == "11 entries · 2 long silences (possible [DATA GAP])   a add · e edit · d delete · i import · T key times"
    )


def test_a_shorter_status_is_taken_when_it_leaves_room_for_more_keys() -> None:
    forms = ["11 entries · 2 long silences (possible [DATA GAP])", "11 entries · 2 long silences"]
    assert fit_hint(forms, KEYS, 82).plain == (
        "11 entries · 2 long silences   a add · e edit · d delete · i import · T key times"
    )
    line = fit_hint(forms, KEYS, 80)
    assert line.plain == "11 entries · 2 long silences   a add · e edit · d delete · i import · ? more"
    assert line.cell_len <= 80
    # Among forms that leave room for as many keys, the longer wording stays.
    assert fit_hint(forms, KEYS[:1], 80).plain == "11 entries · 2 long silences (possible [DATA GAP])   a add"


def test_keys_give_way_from_the_last_and_say_where_the_rest_are() -> None:
    line = fit_hint(["8 causes · 2 working hypotheses · 1 without evidence"], KEYS, 78)
    assert line.plain == "8 causes · 2 working hypotheses · 1 without evidence   a add · e edit · ? more"
    assert line.cell_len <= 78
    # Keys are bold, the words are not: "a" of "a add" is a key.
    assert [line.plain[s.start : s.end] for s in line.spans if s.style == "bold"] == ["a", "e", "?"]


def test_a_status_too_long_for_the_line_ends_in_an_ellipsis() -> None:
    line = fit_hint(["x" * 100], KEYS, 40)
    assert line.cell_len == 40 and line.plain.endswith("…")
    assert fit_hint(["fits"], [], 40).plain == "fits"
    assert fit_hint(["a status"], KEYS, 0).plain.startswith("a status   a add")  # before the first layout


@pytest.mark.parametrize("pane_id", [p.pane_id for p in pane_classes()])
async def test_every_pane_hint_line_is_whole_at_80_columns(make_app, pane_id: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, OPENAI, pane_id)
        await settle(pilot)
        pane = screen.pane(pane_id)
        # Some panes fill their line from a worker (history, review, taxonomy).
        await until(
            pilot,
            lambda: all(line.statuses != ("",) or line.keys for line in pane.query(HintLine)),
            "the pane's hint lines filled",
        )
        lines = list(pane.query(HintLine))
        bound = {k.strip() for b in binding_rows(type(pane)) for k in b.key.split(",")}
        for line in lines:
            width = line.content_size.width
            shown = line.render()
            assert width > 0 and shown.cell_len <= width, (pane_id, shown.plain)
            assert not shown.plain.endswith("…"), (pane_id, shown.plain)  # the status itself is whole
            assert any(shown.plain.startswith(s) for s in line.statuses), (pane_id, shown.plain)
            every_key_shown = all(f"{key} {label}" in shown.plain for key, label in line.keys)
            assert every_key_shown or shown.plain.endswith("? more"), (pane_id, shown.plain)
            # Each single-letter key it names is one the pane binds (the help and the footer list those).
            for key, _ in line.keys:
                if len(key) == 1 and key.isalpha():
                    assert key in bound, (pane_id, key)
