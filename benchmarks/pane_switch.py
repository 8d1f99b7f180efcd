#!/usr/bin/env python3
"""What a pane switch costs: time to the first frame that shows the pane, time to settled, and the event loop's
CPU ms and Python function calls per switch.

    .venv/bin/python benchmarks/pane_switch.py [--size 1000] [--panes overview,timeline,...] [--rounds 3]
    .venv/bin/python benchmarks/pane_switch.py --size 10000 --first --rounds 3 [--calls]

Opens the first incident of a generated store (benchmarks/generate.py, as `dev.py bench` makes them) and posts
each pane's key as a terminal would (`app.simulate_key`: Pilot's `press` and `pause` also wait on a message
round-trip to every widget of the screen, work a user's key never causes). Each switch starts from a quiet app
(no worker running, nothing left to paint) and is measured to two points:

- painted: the first frame laid out after the switch (Textual's `screen_layout_refresh_signal`, published once a
  new layout has been drawn): the pane's frame and visible content are on the screen;
- settled: `call_after_refresh` runs (no message, layout or repaint pending) and no worker is running.

CPU ms are the event loop thread's (`time.thread_time`), the figure a loaded machine inflates least; the load
average is printed. `--first` measures first visits (what a reader meets after opening an incident): every round
is a fresh app whose panes are each shown once, from the Overview. Without it, each round visits the panes in
turn on one app (revisits after the first round). `--calls` also counts Python function calls with cProfile
(a load-free figure; the profiler slows the switch, so its times are not comparable with a run without it).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


async def quiet(app: Any) -> None:
    """Until no worker runs and the screen has nothing left to lay out or paint."""
    from textual.worker import WorkerState

    while True:
        while any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            await asyncio.sleep(0.02)
        refreshed = asyncio.Event()
        app.screen.call_after_refresh(refreshed.set)
        await refreshed.wait()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            return


async def switch(app: Any, screen: Any, pane: Any, calls: bool, dump: Path | None = None) -> dict[str, float]:
    """Show `pane` by its key; wall ms and loop CPU ms to the first frame and to settled (and calls)."""
    frames: list[tuple[float, float]] = []

    def drawn(_screen: Any) -> None:
        if screen.active_pane_id() == pane.pane_id and not frames:
            frames.append((time.perf_counter(), time.thread_time()))

    screen.screen_layout_refresh_signal.subscribe(screen, drawn, immediate=True)
    profile = cProfile.Profile() if calls else None
    wall, cpu = time.perf_counter(), time.thread_time()
    if profile is not None:
        profile.enable()
    app.simulate_key(f"alt+{pane.key}" if pane.key.isdigit() else pane.key)
    while not frames:
        await asyncio.sleep(0.001)
    await quiet(app)
    if profile is not None:
        profile.disable()
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            profile.dump_stats(dump / f"{pane.pane_id}.prof")
    done, done_cpu = time.perf_counter(), time.thread_time()
    screen.screen_layout_refresh_signal.unsubscribe(screen)
    row = {
        "painted_ms": (frames[0][0] - wall) * 1000,
        "painted_cpu": (frames[0][1] - cpu) * 1000,
        "settled_ms": (done - wall) * 1000,
        "settled_cpu": (done_cpu - cpu) * 1000,
    }
    if profile is not None:
        row["kcalls"] = pstats.Stats(profile).total_calls / 1000  # type: ignore[attr-defined]  # set by Stats, untyped
    return row


async def open_form(app: Any, screen: Any, calls: bool, dump: Path | None) -> dict[str, float]:
    """Timeline's add-entry form from a quiet Timeline pane: to its first frame (laid out and drawn, the first
    field focused) and to settled; then escape."""
    from workbench.ui.forms import FormModal

    frames: list[tuple[float, float]] = []
    profile = cProfile.Profile() if calls else None
    wall, cpu = time.perf_counter(), time.thread_time()
    if profile is not None:
        profile.enable()
    app.simulate_key("a")
    while not (isinstance(app.screen, FormModal) and app.screen.is_running):  # a signal needs a running node
        await asyncio.sleep(0.0005)
    form = app.screen
    form.screen_layout_refresh_signal.subscribe(
        form, lambda _s: frames or frames.append((time.perf_counter(), time.thread_time())), immediate=True
    )
    while not frames:
        await asyncio.sleep(0.001)
    await quiet(app)
    if profile is not None:
        profile.disable()
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            profile.dump_stats(dump / "timeline-form.prof")
    done, done_cpu = time.perf_counter(), time.thread_time()
    row = {
        "painted_ms": (frames[0][0] - wall) * 1000,
        "painted_cpu": (frames[0][1] - cpu) * 1000,
        "settled_ms": (done - wall) * 1000,
        "settled_cpu": (done_cpu - cpu) * 1000,
        "focused": float(form.focused is not None),
    }
    if profile is not None:
        row["kcalls"] = pstats.Stats(profile).total_calls / 1000  # type: ignore[attr-defined]  # set by Stats, untyped
    app.simulate_key("escape")
    while app.screen is form:
        await asyncio.sleep(0.01)
    return row


async def drive(
    store_root: Path, pane_ids: list[str], rounds: int, first: bool, calls: bool, dump: Path | None
) -> dict[str, list]:
    from workbench.store import Store
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.screens.incident import IncidentScreen
    from workbench.ui.screens.incident_list import IncidentListScreen

    results: dict[str, list[dict[str, float]]] = {}
    for _ in range(rounds if first else 1):
        app = WorkbenchApp(Store(store_root))
        async with app.run_test(size=(140, 40)):
            while not (isinstance(app.screen, IncidentListScreen) and app.screen.current_id()):
                await asyncio.sleep(0.05)
            app.open_incident(app.screen.current_id())
            while not (isinstance(app.screen, IncidentScreen) and app.screen.is_mounted):
                await asyncio.sleep(0.05)
            screen = app.screen
            overview = next(p for p in screen.panes if p.pane_id == "overview")
            await quiet(app)
            for _ in range(1 if first else rounds):
                for pane_id in pane_ids:
                    if pane_id == "timeline-form":
                        if screen.active_pane_id() != "timeline":
                            await switch(app, screen, next(p for p in screen.panes if p.pane_id == "timeline"), False)
                        await asyncio.sleep(0.2)
                        await quiet(app)
                        results.setdefault(pane_id, []).append(await open_form(app, screen, calls, dump))
                        continue
                    pane = next(p for p in screen.panes if p.pane_id == pane_id)
                    if first and screen.active_pane_id() != "overview":
                        await switch(app, screen, overview, False)
                    await asyncio.sleep(0.2)
                    await quiet(app)
                    results.setdefault(pane_id, []).append(await switch(app, screen, pane, calls, dump))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument(
        "--panes",
        default="overview,timeline,causes,actions,report,narrative",
        help="pane ids in order; timeline-form opens Timeline's add-entry form (a new screen every time)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--first", action="store_true", help="first visits: a fresh app each round")
    parser.add_argument("--calls", action="store_true", help="count Python calls (cProfile; slows the switch)")
    parser.add_argument("--dump", type=Path, help="with --calls: write each pane's profile (the last round) here")
    args = parser.parse_args()
    from generate import generated_store  # noqa: PLC0415 - benchmarks/ is on sys.path

    store = generated_store(HERE / "out", args.size)
    load_before = os.getloadavg()[0]
    results = asyncio.run(drive(store, args.panes.split(","), args.rounds, args.first, args.calls, args.dump))
    visits = "first visits, a fresh app a round" if args.first else "visits in turn on one app"
    print(
        f"pane switches on {args.size:,} incidents ({visits}) · load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after · medians of {args.rounds}; CPU = the event loop thread's"
    )
    print(
        f"{'pane':<12} {'painted ms':>10} {'CPU ms':>7} {'settled ms':>11} {'CPU ms':>7}"
        + (f" {'kcalls':>7}" if args.calls else "")
        + "   painted ms per round"
    )
    for pane_id, rows in results.items():

        def med(key: str, rows: list[dict[str, float]] = rows) -> float:
            return statistics.median(r[key] for r in rows)

        print(
            f"{pane_id:<12} {med('painted_ms'):>10.0f} {med('painted_cpu'):>7.0f} {med('settled_ms'):>11.0f} "
            f"{med('settled_cpu'):>7.0f}"
            + (f" {med('kcalls'):>7.0f}" if args.calls else "")
            + "   "
            + str([round(r["painted_ms"]) for r in rows])
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
