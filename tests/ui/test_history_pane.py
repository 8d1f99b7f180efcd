"""The History pane's reads and drawing: the log and a diff read once per need, the diff highlighted and wrapped
in the worker that reads it (a long diff was ~100 ms of the event loop, drawn once to measure and again to paint)."""

from __future__ import annotations

import threading

from rich.syntax import Syntax
from textual import events
from textual.worker import WorkerState

from .conftest import CLAUDE, open_incident, settle
from .waiting import until


def _count(monkeypatch, obj, name: str) -> list[str]:
    """Calls of obj.name, each noted with the thread it ran on."""
    calls: list[str] = []
    original = getattr(obj, name)

    def counted(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, counted)
    return calls


async def _idle(pilot, screen) -> None:
    """No worker of the screen's left running, and the frames they asked for drawn."""

    def idle() -> bool:
        return not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)

    await until(pilot, idle, "the pane's workers")
    await settle(pilot)


async def test_first_show_reads_the_log_and_the_diff_once(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        logs = _count(monkeypatch, screen.session.store, "history")
        diffs = _count(monkeypatch, screen.session.store, "diff")
        pane = screen.pane("history")
        await pilot.press("7")
        await until(pilot, lambda: pane.commits and pane.diff_text, "the log and the diff")
        await _idle(pilot, screen)
        # Mounted and shown at once: read at its mount only (it was read at the mount and again when shown), and
        # the diff read (and drawn) once (it was for each table fill and each highlight).
        assert len(logs) == 1
        assert len(diffs) == 1
        shown = pane.diff_text

        # Shown again with nothing committed meanwhile: the log is read (a save may have landed), the diff is not.
        await pilot.press("1")
        await pilot.press("7")
        await until(pilot, lambda: len(logs) == 2, "the log read again")
        await _idle(pilot, screen)
        assert len(diffs) == 1
        assert pane.diff_text == shown

        # Refresh (g) reads both again.
        screen.query_one("#history-table").focus()
        await pilot.press("g")
        await until(pilot, lambda: len(diffs) == 2, "the diff read again on refresh")
        await _idle(pilot, screen)
        assert pane.diff_text == shown


async def test_the_diff_is_highlighted_off_the_event_loop(make_app, monkeypatch):
    drawn_on: list[str] = []
    original = Syntax.__rich_console__

    def noting(self, console, options):
        drawn_on.append(threading.current_thread().name)
        return original(self, console, options)

    monkeypatch.setattr(Syntax, "__rich_console__", noting)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "history")
        pane = screen.pane("history")
        await until(pilot, lambda: pane.diff_text, "the diff")
        await _idle(pilot, screen)
        # The example incident's diff is longer than the view: measured at the view's width and again beside
        # its scrollbar, both made in the worker; the loop then only placed the lines.
        assert drawn_on
        assert threading.main_thread().name not in drawn_on
        # And a narrower terminal: lines at the new width are made then, on the loop (the worker's are kept).
        before = len(drawn_on)
        await pilot.resize_terminal(100, 40)
        await _idle(pilot, screen)
        assert len(drawn_on) > before


async def test_the_pane_loads_with_no_show(make_app, monkeypatch):
    """Textual can drop a new widget's first Show: the end of its mount refreshes it, which reads its region, and
    when the compositor's map is stale then it is rebuilt with the new widgets in; the layout after finds none of
    them newly shown. Loaded on Show only, the pane then never listed its log (2 of 8 runs four at a time, each
    one such a rebuild). Here no Show reaches it at all."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        pane = screen.pane("history")  # not mounted yet: mounted when first shown
        post = pane.post_message

        def no_show(message):
            return False if isinstance(message, events.Show) else post(message)

        monkeypatch.setattr(pane, "post_message", no_show)
        await pilot.press("7")
        await until(pilot, lambda: pane.commits and pane.diff_text, "the log and the diff")
        assert pane.query_one("#history-table").row_count == len(pane.commits)
