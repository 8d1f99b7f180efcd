#!/usr/bin/env python3
"""Every screen and modal of the workbench, driven by Pilot on a synthetic store: time to first paint and to
settled, the longest event-loop stall and the process's memory, beside the targets of issue 15.

    python3 benchmarks/screens.py [--size 10000] [--json]       (run.py runs it as part of `dev.py bench`)
    python3 benchmarks/screens.py --size 10000 --store COPY --search-only     (the search steps alone)
    python3 benchmarks/screens.py --size 10000 --store COPY --report-only     (the Report pane alone)
    python3 benchmarks/screens.py --size 10000 --store COPY --open-only       (open, a form, a burst, a save)
    python3 benchmarks/screens.py --size 10000 --store COPY --pane review     (open, then that pane alone)
    python3 benchmarks/screens.py --size 10000 --store COPY --gc-log          (and every collection of 2 ms CPU or
                                                                              more: step, generation, thread, caller)

A step's "first paint" is when its screen or pane is there to look at (for an incident opened from the list, the
first frame drawn with the screen and its pane, 2.5 s after the list filled, as a user reads it; for a search
result, the screen current; for a pane, the first frame drawn with it shown (the Report pane: with the report's
top built, not its empty frame); for a form, a frame drawn once its
first field has focus); "settled" is when
what it shows is complete (rows listed, suggestions built, the preview rendered, no worker left running). Each
pane and the form start from a quiet app, so what the step before left running is not counted against them. The stall
is the longest lateness of a 2 ms asyncio timer during the step: what a key typed then would have waited; beside it
"(CPU)" is the most CPU time the event loop's thread spent between two of the timer's wake-ups (the longest turn,
without the waiting for a CPU that a loaded machine adds to the stall; where filled).
Memory is the resident set at the end of the step (peak so far in brackets). Wall times on a shared machine
include waiting for a CPU: the load average is printed with the table, and CPU ms (the process's CPU time, all
threads, during the step; for the first, from the start step's beginning) and loop CPU (the event loop thread's own CPU time
to the first paint / in the whole step; not filled for the first step) are the figures a loaded machine inflates
least. The store's blame-grammar verdicts are cleared first, so the Review pane parses with spaCy as on an incident
never checked (`--review-cached` keeps them: a warm run then loads no spaCy and ends ~100 MB lower).
"start -> list" runs from once the benchmark has its arguments and has caught the store's index up (in a process of
its own, as a previous session leaves it) to the list's rows in the table: the app's imports (Textual's and the
workbench's), its start and the list read. Until stop 33 it also held that catch-up (numpy and the search engine
imported, the index opened: ~0.6 s CPU at load 30), which no real start does before its list.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STARTED = time.perf_counter()  # set again once the store's index is prepared (main): the start step's clock
STARTED_CPU = 0.0  # the process's CPU time then
PAINT_MS, FORM_MS, STALL_MS, START_S, RSS_MB = 150, 100, 16, 1.0, 400
READ_LIST_S = 2.5  # before the open: a user reads the list (the app prepares the first open meanwhile, app.py)


def rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StallMeter:
    """The longest lateness of a short asyncio sleep since the last reset: how long the loop was blocked. Also
    `worst_cpu`: the most CPU the loop's thread spent between two of the sleep's wake-ups (one long turn, plus at
    most the 2 ms of short ones around it), which a loaded machine inflates far less than the wall time."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_cpu = 0.0
        self._since = 0.0
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            before, before_cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.002)
            # From the reset at the latest: a sleep begun before it (a block in the step before) is not this step's.
            if before >= self._since:
                self.worst_cpu = max(self.worst_cpu, time.thread_time() - before_cpu)
            self.worst = max(self.worst, time.perf_counter() - max(before, self._since) - 0.002)

    def reset(self) -> None:
        self.worst = self.worst_cpu = 0.0
        self._since = time.perf_counter()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class GcLog:
    """Every garbage collection, with its generation, its CPU, its thread, the frozen objects' count and the step
    it fell in (`--gc-log`): which collection a stall is, measured, not guessed."""

    def __init__(self) -> None:
        self.step = "start -> list"
        self.entries: list[dict] = []
        self._began: dict[int, tuple[float, float]] = {}

    def _on_gc(self, phase: str, info: dict) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self._began[thread] = (time.perf_counter(), time.thread_time())
            return
        began = self._began.pop(thread, None)
        if began is None:
            return
        entry = {
            "step": self.step,
            "gen": info["generation"],
            "cpu_ms": round((time.thread_time() - began[1]) * 1000, 1),
            "wall_ms": round((time.perf_counter() - began[0]) * 1000, 1),
            "collected": info["collected"],
            "loop": thread == self._loop,
            "frozen": gc.get_freeze_count(),
        }
        self.entries.append(entry)
        if entry["cpu_ms"] >= self.at_least_ms:
            entry["by"] = self._caller()  # as it happens: a run cut short by its timeout still shows them
            print(f"  gc: {self._line(entry)}", file=sys.stderr, flush=True)

    def start(self) -> None:
        self._loop = threading.get_ident()
        gc.callbacks.append(self._on_gc)

    def stop(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    at_least_ms = 2.0  # collections shorter than this (CPU) are not listed

    @staticmethod
    def _caller() -> str:
        """The innermost of the app's functions running when the collection began: `gc.collect` called from
        ui/heap.py, or the allocation that set an automatic one off."""
        import inspect

        frame = inspect.currentframe()
        while frame is not None:
            name = frame.f_code.co_filename
            if "/workbench/" in name:
                return f"{Path(name).name}:{frame.f_code.co_name}:{frame.f_lineno}"
            frame = frame.f_back
        return "?"

    @staticmethod
    def _line(e: dict) -> str:
        return (
            f"{e['step']:<44} gen {e['gen']} {e['cpu_ms']:>7} / {e['wall_ms']:>7} ms "
            f"{'loop' if e['loop'] else 'thread'} collected {e['collected']} frozen {e['frozen']} by {e.get('by')}"
        )

    def report(self) -> str:
        lines = [f"garbage collections of at least {self.at_least_ms:.0f} ms CPU (step, generation, CPU / wall ms):"]
        lines += [f"  {self._line(e)}" for e in self.entries if e["cpu_ms"] >= self.at_least_ms]
        return "\n".join(lines)


GC_LOG: GcLog | None = None


async def until(pilot, condition: Callable[[], bool], timeout: float = 300.0, what: str = "") -> float:
    """Polls with a plain sleep: Pilot's `pause` first waits on a message round-trip to every widget of the
    screen (~900 on an incident), work the app never does for a user and which the measure then counted."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the step did not finish {what}".strip())
        await asyncio.sleep(0.005)
    return time.perf_counter()


async def quiet(app) -> None:
    """Until no worker runs and the screen has nothing left to lay out or paint: a step starts from here, so
    what the step before left running (a report's ~600 widgets, a git log) is not counted against it."""
    from textual.worker import WorkerState

    def busy() -> bool:
        return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)

    while True:
        while busy():
            await asyncio.sleep(0.02)
        refreshed = asyncio.Event()
        app.screen.call_after_refresh(refreshed.set)
        await refreshed.wait()
        if not busy():
            return


class Frames:
    """Whether `screen` has drawn a new layout since `arm()` while `shown()` holds: the first frame of a pane
    (Textual publishes `screen_layout_refresh_signal` once a changed layout has been drawn)."""

    def __init__(self, screen, shown: Callable[[], bool], listener=None) -> None:
        """`listener`: the running node that subscribes (a screen just pushed is not running yet: the app)."""
        self.screen, self.shown, self.drawn = screen, shown, False
        self.listener = listener or screen
        screen.screen_layout_refresh_signal.subscribe(self.listener, self._drawn, immediate=True)

    def _drawn(self, _screen) -> None:
        self.drawn = self.drawn or self.shown()

    def arm(self) -> None:
        self.drawn = False

    def close(self) -> None:
        self.screen.screen_layout_refresh_signal.unsubscribe(self.listener)


async def step(
    rows: list[dict],
    meter: StallMeter,
    pilot,
    name: str,
    act: Callable[[], Awaitable[None]],
    painted: Callable[[], bool],
    settled: Callable[[], bool],
    paint_target: float = PAINT_MS,
    quiet_app=None,
) -> None:
    """`quiet_app`: settled also waits for the app to be quiet (no worker, nothing to paint)."""
    meter.reset()
    if GC_LOG is not None:
        GC_LOG.step = name
    start, cpu, loop_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    await act()
    first = await until(pilot, painted)
    loop_first = time.thread_time()
    done = await until(pilot, settled)
    if quiet_app is not None:
        await quiet(quiet_app)
        done = time.perf_counter()
    rows.append(
        {
            "step": name,
            "first_ms": round((first - start) * 1000),
            "settled_ms": round((done - start) * 1000),
            "stall_ms": round(meter.worst * 1000, 1),
            "stall_cpu_ms": round(meter.worst_cpu * 1000, 1),
            "rss_mb": round(rss_mb()),
            "peak_mb": round(peak_mb()),
            "paint_target": paint_target,
            "cpu_ms": round((time.process_time() - cpu) * 1000),
            # The event loop's own thread (this coroutine runs on it): its CPU to the first paint and in all.
            # On a loaded machine the wall time is mostly waiting for a CPU; this is what the app itself spent.
            "loop_first_ms": round((loop_first - loop_cpu) * 1000),
            "loop_ms": round((time.thread_time() - loop_cpu) * 1000),
        }
    )
    print(f"  {name}: {rows[-1]}", file=sys.stderr, flush=True)
    if GC_LOG is not None:
        GC_LOG.step = f"(after) {name}"


async def back_to_list(pilot, app, list_screen: type) -> None:
    """Escape until the start screen (a text field takes the first escape to let go of focus)."""
    for _ in range(6):
        if isinstance(app.screen, list_screen):
            return
        await pilot.press("escape")
        await pilot.pause(0.2)
    await until(pilot, lambda: isinstance(app.screen, list_screen), 60, "going back to the list")


def long_narrative() -> str:
    return "# Summary\n\n" + "".join(
        f"Paragraph {n}: the serving fleet drifted from its baseline. " * 4 + "\n\n" for n in range(220)
    )


async def learning_step(rows: list[dict], meter: StallMeter, pilot, app) -> None:
    """L from the list, posted as a terminal sends it. First paint: a frame drawn with the Learning screen mounted
    (until stop 28: when Pilot's `press` returned, which also waits for every widget of the screen to be idle while
    the figures' worker holds the GIL: 1.8-2.0 s, not a frame); settled: a frame drawn with all its figures in it
    (until stop 29: once they were computed, before they were mounted and drawn)."""

    async def learning() -> None:
        app.simulate_key("L")

    def learning_screen():
        screen = app.screen
        return screen if type(screen).__name__ == "LearningScreen" and screen.is_mounted else None

    def figures_drawn():
        # Every section mounted (drawn a section a frame since stop 30: `figures_drawn`; before, all at once).
        screen = learning_screen()
        if screen is None or getattr(screen, "stats", None) is None or not getattr(screen, "figures_drawn", True):
            return None
        return screen if screen.query_one("#learning-body").children else None

    await step(
        rows,
        meter,
        pilot,
        "learning screen",
        learning,
        drawn_after(learning_screen),
        drawn_after(figures_drawn),
    )


def drawn_after(condition: Callable[[], object]) -> Callable[[], bool]:
    """A painted-check: true once a frame has been drawn after `condition()` first returned a screen (a
    `call_after_refresh` queued on it then has run): what the user sees, not just what is mounted."""
    drawn: list[bool] = []
    armed: list[bool] = []

    def painted() -> bool:
        if drawn:
            return True
        node = condition()
        if node and not armed:
            armed.append(True)
            node.call_after_refresh(lambda: drawn.append(True))  # type: ignore[attr-defined]
        return False

    return painted


TYPED_MORE = " evictions"
KEY_GAP_S = 0.08  # a fast typist's pace


async def typing_step(rows: list[dict], meter: StallMeter, pilot, screen, typed: str) -> None:
    """On the open search screen, more words typed key by key at a typist's pace: the longest stall while typing
    (what each key waits for) and, as first paint, the time from the last key to a frame with its answer."""
    want = typed + TYPED_MORE
    meter.reset()
    start, cpu, loop_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    from textual import events

    for char in TYPED_MORE:
        event = events.Key("space" if char == " " else char, char)  # as a terminal sends it (with its character)
        event.set_sender(screen.app)
        screen.app.post_message(event)
        await asyncio.sleep(KEY_GAP_S)
    last_key = time.perf_counter() - KEY_GAP_S
    painted = drawn_after(lambda: screen if screen.shown_text == want and screen.shown_seq == screen.seq else None)
    done = await until(pilot, painted, 60, "the typed query's answer")
    if screen.query_one("#query").value != want:
        raise RuntimeError(f"typed {want!r}; the search field shows {screen.query_one('#query').value!r}")
    rows.append(
        {
            "step": f"search typing ({len(TYPED_MORE)} keys, {KEY_GAP_S * 1000:.0f} ms apart)",
            "first_ms": round((done - last_key) * 1000),
            "settled_ms": round((done - start) * 1000),
            "stall_ms": round(meter.worst * 1000, 1),
            "rss_mb": round(rss_mb()),
            "peak_mb": round(peak_mb()),
            "paint_target": PAINT_MS,
            "cpu_ms": round((time.process_time() - cpu) * 1000),
            "loop_first_ms": "",
            "loop_ms": round((time.thread_time() - loop_cpu) * 1000),
            "results": len(screen.hits),
        }
    )
    print(f"  {rows[-1]['step']}: {rows[-1]}", file=sys.stderr, flush=True)


async def search_steps(rows: list[dict], meter: StallMeter, pilot, app) -> None:
    """ctrl+k from the list with a query typed at once (keys posted as a terminal sends them: they must land
    in the search screen's field while it opens), to the first frame showing that query's results; then enter
    on the first incident among them, to the first frame of its incident screen. The search screen catches the
    index up with the files as it opens and answers again when that is done (possibly in another order):
    settled is after that second answer, or enter could land on a hit that has just moved."""
    from workbench.ui.result_list import ResultList
    from workbench.ui.screens.incident import IncidentScreen
    from workbench.ui.screens.search import SearchScreen
    from workbench.ui.search_index import SearchIndex

    told: list[str] = []
    SearchIndex.of(app).subscribe(lambda state, done, total: told.append(state))
    typed = "cache"

    def search_screen():
        screen = app.screen
        return screen if isinstance(screen, SearchScreen) and screen.is_mounted else None

    def with_results():
        screen = search_screen()
        if screen is None or screen.shown_text != typed:
            return None
        return screen if screen.query_one("#results", ResultList).item_count else None

    async def search() -> None:
        told.clear()
        for key in ("ctrl+k", *typed):
            app.simulate_key(key)

    async def open_search(name: str) -> SearchScreen:
        await step(
            rows,
            meter,
            pilot,
            name,
            search,
            drawn_after(with_results),
            # Settled: the index has answered this query in full (a first answer can come before the freshness
            # check; the search re-runs when the index is ready).
            lambda: with_results() is not None and "ready" in told and app.screen.shown_seq == app.screen.seq,
        )
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        if screen.query_one("#query").value != typed:  # keys typed while it opened went elsewhere: lost keys
            raise RuntimeError(
                f"typed {typed!r} while the search screen opened; its field shows {screen.query_one('#query').value!r}"
            )
        await quiet(app)
        return screen

    screen = await open_search("search screen + results")
    await typing_step(rows, meter, pilot, screen, typed)
    await quiet(app)

    # The cursor on the first incident among the hits (enter on a taxonomy mode searches its incidents instead),
    # before the step: a reader moves to a result with keys of their own (down, arrows), each a frame of its own
    # before enter. Until stop 32 the focus move's redraw of the search screen (~18 ms) was counted in the open.
    results = screen.query_one("#results", ResultList)
    results.focus()
    results.highlighted = next(i for i, hit in enumerate(screen.hits) if hit.type != "mode")
    await quiet(app)

    async def open_result() -> None:
        app.simulate_key("enter")

    def incident_screen():
        current = app.screen
        return current if isinstance(current, IncidentScreen) and current.is_mounted else None

    await step(
        rows,
        meter,
        pilot,
        "search result open",
        open_result,
        drawn_after(incident_screen),
        lambda: incident_screen() is not None,
    )
    # The search screen a second time, from the list (the incident read and closed): since stop 29 the screen
    # is kept between openings, so this is what every ctrl+k after the first costs.
    from workbench.ui.screens.incident_list import IncidentListScreen

    await quiet(app)
    await back_to_list(pilot, app, IncidentListScreen)
    await quiet(app)
    await open_search("search screen again + results")


def report_top(pane) -> bool:
    """The Report pane's preview shows the report's top (its first piece built; on code before the windowed
    preview, the Markdown's first blocks mounted: the same script then measures both)."""
    if not pane.is_mounted:
        return False
    preview = pane.query_one("#report-preview")
    pieces = getattr(preview, "pieces", None)
    if pieces is None:  # a plain Markdown
        return bool(preview.children)
    return bool(pieces) and pieces[0].markdown is not None and pieces[0].markdown.is_mounted


def report_complete(pane) -> bool:
    """Its text in place and (windowed) every piece in or near the view built, or (plain) every block mounted."""
    if not pane.is_mounted:
        return False
    preview = pane.query_one("#report-preview")
    if not preview.source:
        return False
    complete = getattr(preview, "complete", None)
    if complete is None:
        return not any(w.group == "report-preview" and not w.is_finished for w in pane.workers)
    return bool(complete)


async def report_steps(rows: list[dict], meter: StallMeter, pilot, app, screen) -> None:
    """The Report pane opened (first paint: a frame with the report's top; settled: every piece in or near the view
    built), then read to its end a screen at a time (page down, each to settled), then away and back."""
    pane = screen.pane("report")
    await quiet(app)
    frames = Frames(screen, lambda: screen.active_pane_id() == "report" and report_top(pane))
    await step(
        rows,
        meter,
        pilot,
        "Report pane",
        lambda: _key(app, f"alt+{pane.key}"),
        lambda: frames.drawn,
        lambda: report_complete(pane),
        quiet_app=app,
    )
    frames.close()
    preview = pane.query_one("#report-preview")
    scroll = preview if hasattr(preview, "pieces") else preview.parent  # a plain Markdown sits in a scroll
    scroll.focus()

    async def read(key: str, label: str, more: Callable[[], bool]) -> None:
        """`key` pressed while `more()`, each press to settled: a reader's pages, then one row for them all."""
        await quiet(app)
        pages = 0
        meter.reset()
        start, loop_cpu, worst = time.perf_counter(), time.thread_time(), 0.0
        while more() and pages < 200:
            was = scroll.scroll_y
            app.simulate_key(key)
            pages += 1
            # The key handled (the view moved) before waiting for the pieces: else the wait can end at once,
            # the work left to the next step.
            await until(pilot, lambda w=was: scroll.scroll_y != w)
            await until(pilot, lambda: report_complete(pane))
            await quiet(app)
            worst = max(worst, meter.worst)
        rows.append(
            {
                "step": label.format(pages=pages),
                "first_ms": round((time.perf_counter() - start) * 1000 / max(1, pages)),
                "settled_ms": round((time.perf_counter() - start) * 1000),
                "stall_ms": round(worst * 1000, 1),
                "rss_mb": round(rss_mb()),
                "peak_mb": round(peak_mb()),
                "paint_target": PAINT_MS,
                "loop_first_ms": "",
                "loop_ms": round((time.thread_time() - loop_cpu) * 1000),
            }
        )
        print(f"  {rows[-1]['step']}: {rows[-1]}", file=sys.stderr, flush=True)

    # Read down to the end a page at a time, back up to the top, then the end at once (End).
    await read("pagedown", "Report read to the end ({pages} pages)", lambda: scroll.scroll_y < scroll.max_scroll_y)
    await read("pageup", "Report read back up ({pages} pages)", lambda: scroll.scroll_y > 0)
    at_end: list[bool] = []
    await read("end", "Report End from the top", lambda: not at_end.append(True) and len(at_end) == 1)
    await step(
        rows,
        meter,
        pilot,
        "away to the Overview",
        lambda: _key(app, "alt+1"),
        lambda: True,
        lambda: screen.active_pane_id() == "overview",
    )
    await step(
        rows,
        meter,
        pilot,
        "back to the Report (kept)",
        lambda: _key(app, f"alt+{pane.key}"),
        lambda: screen.active_pane_id() == "report",
        lambda: report_complete(pane),
        quiet_app=app,
    )
    await narrative_steps(rows, meter, pilot, app, screen)


def narrative_shown(pane) -> bool:
    """The Narrative pane's preview shows the editor's text (pieces near the view built, or every block)."""
    if not pane.is_mounted:
        return False
    editor = pane.query_one("#narrative-editor")
    return pane.preview_text == editor.text


def narrative_top(pane) -> bool:
    """The preview's top drawn with the narrative (windowed: its first piece built; plain: blocks of it mounted)."""
    if not pane.is_mounted:
        return False
    preview = pane.query_one("#narrative-preview")
    pieces = getattr(preview, "pieces", None)
    if pieces is None:  # a plain Markdown: its blocks are of the narrative, not the placeholder
        return preview.source == pane.query_one("#narrative-editor").text and bool(preview.children)
    # The text asked for and its top built (the Shown message comes after the last frame: not waited for here).
    editor_text = pane.query_one("#narrative-editor").text
    return (
        bool(pieces)
        and preview.source == editor_text
        and pieces[0].markdown is not None
        and pieces[0].markdown.source == pieces[0].text
    )


async def narrative_steps(rows: list[dict], meter: StallMeter, pilot, app, screen) -> None:
    """The Narrative pane (the editor and the preview of the incident's own narrative, 53 KB on the 10k store's
    first incident), then a sentence typed at its top and the preview following it."""
    pane = screen.pane("narrative")
    await quiet(app)
    frames = Frames(screen, lambda: screen.active_pane_id() == "narrative" and narrative_top(pane))
    await step(
        rows,
        meter,
        pilot,
        "Narrative pane (preview)",
        lambda: _key(app, f"alt+{pane.key}"),
        lambda: frames.drawn,
        lambda: narrative_shown(pane),
        quiet_app=app,
    )
    frames.close()
    editor = pane.query_one("#narrative-editor")
    editor.focus()
    editor.move_cursor((0, 0))
    await quiet(app)

    async def type_line() -> None:
        editor.insert("Edited. ", (0, 0))  # an edit as the editor makes it (posts Changed, as typing does)

    await step(
        rows,
        meter,
        pilot,
        "Narrative preview after an edit",
        type_line,
        lambda: editor.text.startswith("Edited. "),
        lambda: editor.text.startswith("Edited. ") and narrative_shown(pane),
        quiet_app=app,
    )


async def _key(app, key: str) -> None:
    app.simulate_key(key)


async def drive(
    store_root: Path,
    start_only: bool = False,
    learning_only: bool = False,
    search_only: bool = False,
    report_only: bool = False,
    open_only: bool = False,
    only_pane: str | None = None,
) -> list[dict]:
    from textual import events
    from textual.widgets import TextArea

    from workbench.store import Store
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.screens.incident_list import IncidentListScreen

    rows: list[dict] = []
    meter = StallMeter()
    app = WorkbenchApp(Store(store_root))

    def table_rows() -> int:
        try:
            return app.screen.query_one("#incidents").row_count
        except Exception:  # noqa: BLE001 - not mounted yet
            return 0

    async with app.run_test(size=(140, 40)) as pilot:
        meter.start()
        first = time.perf_counter()
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen) and table_rows() > 0)
        done = time.perf_counter()
        rows.append(
            {
                "step": "start -> list",
                "first_ms": round((first - STARTED) * 1000),
                "settled_ms": round((done - STARTED) * 1000),
                "stall_ms": round(meter.worst * 1000, 1),
                "rss_mb": round(rss_mb()),
                "peak_mb": round(peak_mb()),
                "paint_target": START_S * 1000,
                "cpu_ms": round((time.process_time() - STARTED_CPU) * 1000),
            }
        )
        if start_only:  # and re-sorting the whole list, which redraws it
            await step(
                rows,
                meter,
                pilot,
                "sort the list (s)",
                lambda: pilot.press("s"),
                lambda: app.screen.sort_key != "started",
                lambda: True,
            )
            meter.stop()
            return rows
        if learning_only:  # the Learning screen straight from the list: its own memory, without the panes'
            await learning_step(rows, meter, pilot, app)
            meter.stop()
            return rows
        # Imported once the list is up, as the app itself does: imported before the start, they made the first
        # step measure loading every pane (and pydantic, git) that a start no longer needs.
        from workbench.ui.forms import FormModal
        from workbench.ui.screens.incident import IncidentScreen

        incident_id = app.screen.current_id()
        if search_only:
            from workbench.ui.search_index import SearchIndex

            await until(pilot, lambda: SearchIndex.of(app).ready, 300, "opening the index")
        # As a user reads the list before choosing: a second after the index is ready the app imports the
        # incident screen and lists the incident folders in a thread (app.PREFETCH_AFTER_S); an open at once
        # pays both on the event loop (~0.2 s at 10,000 incidents), which no one pressing enter on a row they
        # have read does.
        await asyncio.sleep(READ_LIST_S)
        await quiet(app)
        opened: list[Frames] = []

        async def open_it() -> None:
            app.open_incident(incident_id)
            new = app.screen  # pushed, not composed yet: its first frame is still to come
            opened.append(Frames(new, lambda: new.is_mounted and any(p.is_mounted for p in new.panes), app))

        # First paint: the first frame drawn with the screen and its pane (until stop 27: the moment the screen
        # was pushed, which counted the work before the push and none of the screen's own).
        await step(
            rows,
            meter,
            pilot,
            "open incident",
            open_it,
            lambda: bool(opened) and opened[0].drawn,
            lambda: app.screen.is_mounted,
        )
        opened[0].close()
        if search_only:  # an incident read and closed, then search from the list as a user would
            await quiet(app)
            await back_to_list(pilot, app, IncidentListScreen)
            await search_steps(rows, meter, pilot, app)
            await back_to_list(pilot, app, IncidentListScreen)
            meter.stop()
            return rows
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        if report_only:
            await report_steps(rows, meter, pilot, app, screen)
            meter.stop()
            return rows
        for pane in [] if open_only else [p for p in screen.panes if only_pane in (None, p.pane_id)]:

            async def show(p=pane) -> None:
                # Digit panes by alt+digit (as from a text field); the ones after the tenth by their function key.
                # Posted as a terminal would (Pilot's press also waits on a message round-trip to every one of
                # the screen's ~900 widgets, work a user's key never causes).
                app.simulate_key(f"alt+{p.key}" if p.key.isdigit() else p.key)

            def settled(p) -> bool:
                if not p.is_mounted:
                    return False  # panes are mounted when first shown: this one's mount has not landed yet
                if p.pane_id == "taxonomy":
                    if p.learning_status and p.learning_status.startswith("Cannot"):  # type: ignore[attr-defined]
                        raise RuntimeError(p.learning_status)  # type: ignore[attr-defined]
                    return p.suggester is not None and p.learned_is_current()  # type: ignore[attr-defined]
                if p.pane_id == "report":
                    return report_complete(p)
                return True

            name = "taxonomy pane (suggestions, similar)" if pane.pane_id == "taxonomy" else f"{pane.title} pane"
            # First paint: the first frame drawn with the pane shown (for the Report, with the report's top in
            # it); settled: its own work done too.
            await quiet(app)
            frames = Frames(
                screen,
                lambda p=pane: screen.active_pane_id() == p.pane_id and (p.pane_id != "report" or report_top(p)),
            )
            await step(
                rows,
                meter,
                pilot,
                name,
                show,
                lambda f=frames, p=pane: f.drawn or (p.pane_id == "overview" and screen.active_pane_id() == "overview"),
                lambda p=pane: settled(p),
                quiet_app=app,
            )
            frames.close()
        if only_pane is not None:
            meter.stop()
            return rows

        # A form: Timeline's add, by its key, from the Timeline pane (shown first and settled: the switch is not
        # the form's). First paint: the form mounted, its first field focused, and a frame drawn after that.
        app.simulate_key("alt+2")
        await until(pilot, lambda: screen.active_pane_id() == "timeline")
        await quiet(app)
        form_drawn: list[bool] = []
        armed: list[object] = []

        def form_painted() -> bool:
            form = app.screen
            if form_drawn or not (isinstance(form, FormModal) and form.is_mounted and form.focused is not None):
                return bool(form_drawn)
            if form not in armed:
                armed.append(form)
                form.call_after_refresh(lambda: form_drawn.append(True))
            return False

        async def add_form() -> None:
            app.simulate_key("a")

        await step(
            rows,
            meter,
            pilot,
            "timeline add form",
            add_form,
            form_painted,
            lambda: isinstance(app.screen, FormModal) and app.screen.focused is not None,
            FORM_MS,
        )
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # Typing burst into a 50 KB narrative, then its save.
        narrative = screen.pane("narrative")
        await pilot.press(f"alt+{narrative.key}")
        narrative.adopt(long_narrative())  # type: ignore[attr-defined]
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.focus()
        await pilot.pause()
        typed = "Quarantined the bad replica set and paged the model owner. " * 5

        async def burst() -> None:
            for char in typed:
                event = events.Key("space" if char == " " else char if char.isalnum() else "full_stop", char)
                event.set_sender(app)
                app.post_message(event)

        await step(
            rows,
            meter,
            pilot,
            f"typing burst ({len(typed)} keys, 50 KB narrative)",
            burst,
            lambda: editor.text.startswith(typed[:1]),
            lambda: editor.text.startswith(typed),
        )

        # The save from a quiet app, as a user presses ctrl+s after a pause: the burst's last frame and its
        # preview (a second after the last key) are the burst's, not the save's (until stop 31 they were counted
        # here). The key is posted as a terminal sends it (Pilot's press also waited for every widget of the
        # screen to be idle, ~250 ms counted as the first paint); first paint: a frame drawn once the text is
        # handed to the save queue (the status shows the save under way).
        await until(pilot, lambda: narrative_shown(narrative), 60, "the burst's preview")
        await quiet(app)

        async def save() -> None:
            app.simulate_key("ctrl+s")

        await step(
            rows,
            meter,
            pilot,
            "save narrative (commit)",
            save,
            drawn_after(lambda: screen if screen.session.narrative == editor.text else None),
            lambda: screen.session.wait_idle(0) and not narrative.dirty,
        )  # type: ignore[attr-defined]
        if open_only:
            meter.stop()
            return rows
        # Nothing of the benchmark's own may keep the closed incident screen alive: held, the app tries to
        # collect it again and again (ui/heap.py), and those collections were charged to the steps below.
        screen = narrative = editor = pane = frames = show = None
        armed.clear()
        opened.clear()  # its Frames held the screen too: every later collection failed and tried again (stop 28)
        await back_to_list(pilot, app, IncidentListScreen)

        await search_steps(rows, meter, pilot, app)
        await back_to_list(pilot, app, IncidentListScreen)

        await learning_step(rows, meter, pilot, app)
        meter.stop()
    return rows


def table(rows: list[dict], size: int) -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    lines = [
        f"Screens on {size:,} incidents · load average {' '.join(f'{x:.2f}' for x in load)} · "
        f"targets: first paint <= {PAINT_MS} ms (form {FORM_MS} ms, start {START_S:.0f} s), "
        f"stall <= {STALL_MS} ms, RSS <= {RSS_MB} MB",
        f"{'step':<44} {'first ms':>9} {'settled ms':>11} {'stall ms':>9} {'(CPU)':>6} {'RSS MB':>7} {'peak':>6} "
        f"{'CPU ms':>7} {'loop CPU first/all':>19}  met",
    ]
    for r in rows:
        met = r["first_ms"] <= r["paint_target"] and r["stall_ms"] <= STALL_MS and r["rss_mb"] <= RSS_MB
        lines.append(
            f"{r['step']:<44} {r['first_ms']:>9} {r['settled_ms']:>11} {r['stall_ms']:>9} {r.get('stall_cpu_ms', ''):>6} "
            f"{r['rss_mb']:>7} {r['peak_mb']:>6} {r.get('cpu_ms', ''):>7} "
            f"{str(r.get('loop_first_ms', '')) + ' / ' + str(r.get('loop_ms', '')):>19}  {'yes' if met else 'NO'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON (for run.py)")
    parser.add_argument(
        "--start-only",
        action="store_true",
        help="only the first step: process start to the list filled (quick, for comparing list changes)",
    )
    parser.add_argument(
        "--learning-only",
        action="store_true",
        help="start, the list filled, then the Learning screen: its own time and memory, without the panes before it",
    )
    parser.add_argument(
        "--review-cached",
        action="store_true",
        help="keep the store's blame-grammar verdicts: the Review pane then answers from them without loading spaCy",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="start, open an incident and close it, then the search screen with a query and a result opened",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="start, open an incident, then the Report pane: its first render, read to the end, away and back",
    )
    parser.add_argument(
        "--open-only",
        action="store_true",
        help="start, open an incident, then Timeline's add form, a typing burst and a save (no other pane first)",
    )
    parser.add_argument(
        "--pane",
        metavar="ID",
        help="start, open an incident, then only that pane (its id: review, report, taxonomy...), as in the full run",
    )
    parser.add_argument(
        "--gc-log",
        action="store_true",
        help="list every garbage collection of 2 ms CPU or more: its step, generation, CPU, thread (stderr)",
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="an existing store of --size incidents (e.g. a copy: the run saves a narrative) instead of the generated one",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from run import store_for  # noqa: PLC0415 - benchmarks/ is on sys.path

    root = args.store.resolve() if args.store else store_for(args.size)
    if not args.review_cached:
        # As on an incident never checked before: the Review pane parses its text with spaCy (~100 MB the first
        # time). A previous run's verdicts made later runs skip that, so peaks differed by ~100 MB run to run.
        (root / ".workbench" / "cache" / "blame-grammar.json").unlink(missing_ok=True)
    # The index is built (or caught up) first, as a previous session leaves it: a cold build is run.py's own
    # measure, and its worker processes cannot be spawned under Pilot's captured stdout. In a process of its own,
    # and the start step's clocks begin after it: done here it imported numpy and the search engine and opened the
    # index inside "start -> list" (~0.6 s CPU at load 30, before the app was made), and left those modules imported
    # for the app, which a real start does not find.
    prepare = "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    # As the app's index thread leaves it too: each segment's listing written (an index from before listings
    # gets them at the first start of the app that has them).
    prepare += "from workbench.services.search import SearchEngine; e = SearchEngine(Path(sys.argv[2])); e.open(); "
    prepare += "e.write_listings()"
    subprocess.run([sys.executable, "-c", prepare, str(ROOT), str(root)], check=True)
    global STARTED, STARTED_CPU
    STARTED, STARTED_CPU = time.perf_counter(), time.process_time()
    global GC_LOG
    if args.gc_log:
        GC_LOG = GcLog()
        GC_LOG.start()
    try:
        rows = asyncio.run(
            drive(
                root,
                args.start_only,
                args.learning_only,
                args.search_only,
                args.report_only,
                args.open_only,
                args.pane,
            )
        )
    finally:
        if GC_LOG is not None:
            GC_LOG.stop()
    if GC_LOG is not None:
        print(GC_LOG.report(), file=sys.stderr)
    print(json.dumps(rows) if args.json else table(rows, args.size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
