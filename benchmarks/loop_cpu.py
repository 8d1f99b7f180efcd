#!/usr/bin/env python3
"""The event loop's own CPU during a save and while a form opens, measured per tick (issue 15).

    python benchmarks/loop_cpu.py STORE                       saves from every editing pane, the Timeline form
    python benchmarks/loop_cpu.py STORE --only form --rounds 5
    python benchmarks/loop_cpu.py STORE --profile /tmp/prof   also a cProfile of each step (loop thread only)

On a shared, loaded machine the wall time between two turns of the event loop is mostly waiting for a CPU, so
next to it this measures the loop thread's CPU time (`time.thread_time`) between two ticks of a 1 ms timer: the
longest such gap is the longest the loop held the interpreter itself, whatever the load. Steps, each from a
quiet incident screen (no worker running), each its own commit:

- `apply`: `IncidentScreen.apply` of a summary edit (what `run.py --child commit-block` saves);
- `overview|timeline|causes|actions submit`: the pane's edit form open with a changed field, then ctrl+s (the
  form closes, the pane redraws, the save thread commits, every pane hears of the save);
- `timeline duplicate`: `y` on the Timeline pane (an edit without a form);
- `timeline form`: `a` on a quiet Timeline pane until the form's first frame (a `call_after_refresh` seen on
  the form) and until it settles;
- `open`: an incident opened from the list, to its first frame (a `call_after_refresh` seen on the mounted
  screen) and until it settles (workers done, the forms' CSS warm-up a second later included);
- `panes`: on that incident, each pane shown for the first time by its key (alt+digit, or its function key),
  to the pane's first frame and until it settles;
- `result`: a search result (the first incident hit of "cache", one with an entry if any) opened from the
  search screen, to the incident screen's first frame and until it settles.

`open`, `panes` and `result` run first, each round on a freshly opened incident screen (closed after); the saves
and the form then run on one incident screen whose four editing panes have been shown once.

Uses a copy of the store: the saves are committed (`git reset --hard` the copy to undo them).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STEPS = ("open", "panes", "result", "apply", "overview", "timeline", "causes", "actions", "duplicate", "form")
OPENING = ("open", "panes", "result")


class Meter:
    """A 1 ms timer on the loop: per tick, the wall and the loop thread's CPU since the tick before; and the
    garbage collections on the loop thread (a full one walks every live object: 150-450 ms with an incident
    open, charged to whatever allocated when it began)."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []
        self.collections: list[float] = []
        self._gc_started: float | None = None
        self._stop = False
        self._task: asyncio.Task[None] | None = None
        self._loop_thread = threading.get_ident()

    def _on_gc(self, phase: str, info: dict) -> None:
        if threading.get_ident() != self._loop_thread:
            return
        if phase == "start":
            self._gc_started = time.thread_time()
        elif self._gc_started is not None:
            self.collections.append(time.thread_time() - self._gc_started)
            self._gc_started = None

    async def _run(self) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        while not self._stop:
            await asyncio.sleep(0.001)
            now, now_cpu = time.perf_counter(), time.thread_time()
            self.gaps.append((now - wall, now_cpu - cpu))
            wall, cpu = now, now_cpu

    def start(self) -> None:
        self.gaps.clear()
        self.collections.clear()
        self._loop_thread = threading.get_ident()
        gc.callbacks.append(self._on_gc)
        self._stop = False
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> dict[str, float]:
        self._stop = True
        assert self._task is not None
        await self._task
        gc.callbacks.remove(self._on_gc)
        walls = [w for w, _ in self.gaps] or [0.0]
        cpus = [c for _, c in self.gaps] or [0.0]
        return {
            "max_wall": max(walls),
            "max_cpu": max(cpus),
            "total_cpu": sum(cpus),
            "gc_cpu": sum(self.collections),
        }


async def quiet(app, seconds: float = 0.3) -> None:
    """No worker running for `seconds` in a row (the step before has finished what it set off)."""
    from textual.worker import WorkerState

    calm_since = time.perf_counter()
    deadline = calm_since + 60
    while time.perf_counter() < deadline:
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        if busy:
            calm_since = time.perf_counter()
        elif time.perf_counter() - calm_since >= seconds:
            return
        await asyncio.sleep(0.02)


async def until(condition, what: str, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def drive(store_root: Path, steps: list[str], rounds: int, profile: Path | None, freeze: bool) -> list[dict]:
    from workbench.store import Store
    from workbench.ui.app import WorkbenchApp

    app = WorkbenchApp(Store(store_root))
    results: list[dict] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: getattr(app.screen, "current_id", lambda: None)(), "the list's rows")
        from workbench.ui.forms import FormModal
        from workbench.ui.screens.incident import IncidentScreen

        list_screen = app.screen
        if any(step in OPENING for step in steps):
            results += await opening(app, [s for s in steps if s in OPENING], rounds, profile)
        if not any(step not in OPENING for step in steps):
            return results
        app.open_incident(list_screen.current_id())
        await until(lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await quiet(app, 1.0)
        for pane in screen.panes:  # every pane drawn once: first visits are not what this measures
            if pane.pane_id in ("overview", "timeline", "causes", "actions"):
                screen.action_show_pane(pane.pane_id)
                await pilot.pause()
        await quiet(app, 1.0)
        if freeze:  # what ui/heap.py does once a screen is drawn (branch paint3/paint4): the open incident
            gc.collect()  # is out of every later collection's walk
            gc.freeze()
        meter = Meter()

        async def measured(name: str, act, done) -> None:
            await quiet(app)
            prof = cProfile.Profile() if profile else None
            meter.start()
            t0 = time.perf_counter()
            if prof:
                prof.enable()
            await act()
            await until(done, name)
            t_done = time.perf_counter() - t0
            await quiet(app)  # what the step set off (history reload, checks) counts too
            if prof:
                prof.disable()
                profile.mkdir(parents=True, exist_ok=True)
                prof.dump_stats(str(profile / f"{name.replace(' ', '-')}-{len(results)}.prof"))
            figures = await meter.stop()
            results.append({"step": name, "done_ms": t_done * 1000, **{k: v * 1000 for k, v in figures.items()}})

        def saved() -> bool:
            return not screen.session.saving and screen.session.wait_idle(0)

        async def submit(pane_id: str, key: str, field: str) -> None:
            screen.action_show_pane(pane_id)
            await quiet(app)
            app.simulate_key(key)
            await until(lambda: isinstance(app.screen, FormModal), f"the {pane_id} form")
            form = app.screen
            await quiet(app)
            widget = form.query_one(f"#field-{field}")
            if hasattr(widget, "load_text"):
                widget.load_text(widget.text + " (loop bench)")
            else:
                widget.value = widget.value + " (loop bench)"
            await pilot.pause()

            async def press() -> None:
                app.simulate_key("ctrl+s")

            await measured(f"{pane_id} submit", press, lambda: app.screen is screen and saved())

        for _ in range(rounds):
            for step in steps:
                if step == "apply":

                    async def act() -> None:
                        incident = screen.session.incident
                        screen.apply(
                            incident.model_copy(update={"summary": f"{incident.summary} (loop bench)"}),
                            "overview",
                            "loop bench",
                        )

                    screen.action_show_pane("overview")
                    await measured("apply", act, saved)
                elif step == "overview":
                    await submit("overview", "e", "title")
                elif step == "timeline":
                    await submit("timeline", "e", "event")
                elif step == "causes":
                    await submit("causes", "e", "statement")
                elif step == "actions":
                    await submit("actions", "e", "action")
                elif step == "duplicate":
                    screen.action_show_pane("timeline")

                    async def dup() -> None:
                        app.simulate_key("y")

                    before = len(screen.session.incident.timeline)
                    await measured(
                        "timeline duplicate", dup, lambda: len(screen.session.incident.timeline) > before and saved()
                    )
                elif step == "form":
                    screen.action_show_pane("timeline")
                    painted: list[float] = []

                    def first_frame() -> bool:
                        form = app.screen
                        if not isinstance(form, FormModal):
                            return False
                        if not painted:
                            painted.append(0.0)
                            form.call_after_refresh(lambda: painted.append(time.thread_time()))
                        return len(painted) > 1

                    await quiet(app)
                    prof = cProfile.Profile() if profile else None
                    meter.start()
                    cpu0, t0 = time.thread_time(), time.perf_counter()
                    if prof:
                        prof.enable()
                    app.simulate_key("a")
                    await until(first_frame, "the form's first frame")
                    first_wall, first_cpu = time.perf_counter() - t0, painted[1] - cpu0
                    if prof:
                        prof.disable()
                        profile.mkdir(parents=True, exist_ok=True)
                        prof.dump_stats(str(profile / f"timeline-form-{len(results)}.prof"))
                    await quiet(app)
                    figures = await meter.stop()
                    results.append(
                        {
                            "step": "timeline form",
                            "done_ms": first_wall * 1000,
                            "first_cpu_ms": first_cpu * 1000,
                            **{k: v * 1000 for k, v in figures.items()},
                        }
                    )
                    app.simulate_key("escape")
                    await until(lambda: app.screen is screen, "the form to close")
    return results


async def first_frame(app, step: str, act, painted_check, profile: Path | None, index: int) -> dict:
    """Loop CPU and wall from `act()` to the first frame of what `painted_check()` says is there (a
    `call_after_refresh` seen on it), the longest hold until everything it set off is quiet."""
    meter = Meter()
    await quiet(app)
    prof = cProfile.Profile() if profile else None
    marks: list[float] = []

    def painted() -> bool:
        node = painted_check()
        if node is None:
            return False
        if not marks:
            marks.append(0.0)
            node.call_after_refresh(lambda: marks.append(time.thread_time()))
        return len(marks) > 1

    meter.start()
    cpu0, t0 = time.thread_time(), time.perf_counter()
    if prof:
        prof.enable()
    await act()
    await until(painted, f"{step}: its first frame")
    first_wall, first_cpu = time.perf_counter() - t0, marks[1] - cpu0
    if prof:
        prof.disable()
        profile.mkdir(parents=True, exist_ok=True)
        prof.dump_stats(str(profile / f"{step.replace(' ', '-')}-{index}.prof"))
    await asyncio.sleep(1.2)  # the forms' CSS warm-up, a second after an incident screen mounts, counts too
    await quiet(app)
    figures = await meter.stop()
    return {
        "step": step,
        "done_ms": first_wall * 1000,
        "first_cpu_ms": first_cpu * 1000,
        **{k: v * 1000 for k, v in figures.items()},
    }


async def opening(app, steps: list[str], rounds: int, profile: Path | None) -> list[dict]:
    """An incident opened from the list, each of its panes shown for the first time, a search result opened;
    each round on a new incident screen, back to the list after."""
    from workbench.ui.screens.incident import IncidentScreen
    from workbench.ui.screens.search import SearchScreen

    list_screen = app.screen
    incident_id = list_screen.current_id()
    results: list[dict] = []
    # As a user reads the list: the app lists the incident folders and imports the incident screen in a
    # thread a second after the index is ready (app.PREFETCH_AFTER_S); an open at once would pay both.
    await asyncio.sleep(2.5)

    def incident_screen():
        screen = app.screen
        return screen if isinstance(screen, IncidentScreen) and screen.is_mounted else None

    async def back() -> None:
        while app.screen is not list_screen:
            await app.pop_screen()
        await quiet(app, 0.5)

    for n in range(rounds):
        if "open" in steps or "panes" in steps:

            async def open_it() -> None:
                app.open_incident(incident_id)

            row = await first_frame(app, "open incident", open_it, incident_screen, profile, n)
            if "open" in steps:
                results.append(row)
            if "panes" in steps:
                screen = app.screen
                for pane in screen.panes[1:]:  # the first is shown with the screen

                    async def show(p=pane) -> None:
                        app.simulate_key(f"alt+{p.key}" if p.key.isdigit() else p.key)

                    def shown(p=pane):
                        building = getattr(screen, "building", False)  # a pane mounting (lazily mounted panes)
                        ready = p.is_mounted and screen.active_pane_id() == p.pane_id and not building
                        return p if ready else None

                    results.append(await first_frame(app, f"pane {pane.pane_id} first", show, shown, profile, n))
                # Let go of the closed screen: held here, the app retries collecting it (a full walk each time,
                # ui/heap.py), and those walks were charged to the steps after.
                screen = pane = show = shown = None
            await back()
        if "result" in steps:
            app.action_search()
            await until(lambda: isinstance(app.screen, SearchScreen) and app.screen.is_mounted, "the search screen")
            search = app.screen
            search.query_one("#query").value = "cache"
            await until(lambda: search.hits and search.shown_seq == search.seq, "the results", 300)
            await quiet(app, 1.0)
            await until(lambda: search.shown_seq == search.seq, "the results")
            incidents = [h for h in search.hits if h.type != "mode"]
            hit = next((h for h in incidents if h.entry), incidents[0])

            async def open_hit(hit=hit) -> None:
                search.open_hit(hit)

            results.append(await first_frame(app, "search result open", open_hit, incident_screen, profile, n))
            await back()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--only", default=",".join(STEPS), help=f"comma-separated steps of {', '.join(STEPS)}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of each step into this folder")
    parser.add_argument(
        "--freeze", action="store_true", help="gc.freeze() once the incident is drawn (as paint3's ui/heap.py does)"
    )
    args = parser.parse_args()
    if not (args.store / "incidents").is_dir():
        print(f"{args.store}: not a store (no incidents/ folder); generate one with benchmarks/run.py --generate-only")
        return 2
    steps = [s for s in args.only.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        print(f"unknown step(s): {', '.join(sorted(unknown))}")
        return 2
    results = asyncio.run(drive(args.store, steps, args.rounds, args.profile, args.freeze))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} · medians of {args.rounds} (ms)")
    print(
        f"{'step':22} {'longest loop CPU':>17} {'longest wall':>13} {'loop CPU total':>15} {'gc CPU':>7} "
        f"{'done':>8} {'first CPU':>10}"
    )
    for name in dict.fromkeys(r["step"] for r in results):
        rows = [r for r in results if r["step"] == name]

        def med(key: str, rows=rows) -> str:
            values = [r[key] for r in rows if key in r]
            return f"{statistics.median(values):.1f}" if values else ""

        each = ", ".join(
            f"{r['max_cpu']:.0f}" + (f"/{r['first_cpu_ms']:.0f}" if "first_cpu_ms" in r else "") for r in rows
        )
        print(
            f"{name:22} {med('max_cpu'):>17} {med('max_wall'):>13} {med('total_cpu'):>15} {med('gc_cpu'):>7} {med('done_ms'):>8} "
            f"{med('first_cpu_ms'):>10}   each round (longest loop CPU[/first CPU]): {each}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
