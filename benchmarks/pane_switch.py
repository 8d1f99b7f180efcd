#!/usr/bin/env python3
"""What a pane switch costs: CPU ms and Python function calls per switch, each pane three times.

    .venv/bin/python benchmarks/pane_switch.py [--size 1000] [--panes overview,timeline,...]

Opens the first incident of a generated store (benchmarks/generate.py, as `dev.py bench` makes them) and posts
each pane's key as a terminal would (`app.simulate_key`: Pilot's `press` also waits on a message round-trip to
every widget of the screen, work a user's key never causes), then lets the switch finish for 0.4 s. Function
calls are counted by cProfile and do not depend on the machine's load; CPU ms do, a little (state the load).
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


async def drive(store_root: Path, pane_ids: list[str], rounds: int) -> dict[str, list[tuple[int, int]]]:
    from workbench.store import Store
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.screens.incident import IncidentScreen
    from workbench.ui.screens.incident_list import IncidentListScreen

    app = WorkbenchApp(Store(store_root))
    results: dict[str, list[tuple[int, int]]] = {}
    async with app.run_test(size=(140, 40)) as pilot:
        while not (isinstance(app.screen, IncidentListScreen) and app.screen.current_id()):
            await asyncio.sleep(0.05)
        app.open_incident(app.screen.current_id())
        while not (isinstance(app.screen, IncidentScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.05)
        await pilot.pause(2)
        screen = app.screen
        for _ in range(rounds):
            for pane_id in pane_ids:
                pane = next(p for p in screen.panes if p.pane_id == pane_id)
                cpu, profile = time.process_time(), cProfile.Profile()
                profile.enable()
                app.simulate_key(f"alt+{pane.key}" if pane.key.isdigit() else pane.key)
                while screen.active_pane_id() != pane_id:
                    await asyncio.sleep(0.005)
                await asyncio.sleep(0.4)
                profile.disable()
                calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # set by Stats, untyped
                results.setdefault(pane_id, []).append((round((time.process_time() - cpu) * 1000), calls))
                await asyncio.sleep(0.3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--panes", default="overview,timeline,causes,actions,report,narrative")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from generate import generated_store  # noqa: PLC0415 - benchmarks/ is on sys.path

    store = generated_store(HERE / "out", args.size)
    results = asyncio.run(drive(store, args.panes.split(","), args.rounds))
    print(f"pane switches on {args.size:,} incidents · load average {os.getloadavg()[0]:.1f}")
    print(f"{'pane':<12} {'CPU ms per round':<22} {'calls per round (k)':<26} median CPU ms / calls")
    for pane_id, rows in results.items():
        cpu = [c for c, _ in rows]
        calls = [n // 1000 for _, n in rows]
        print(
            f"{pane_id:<12} {str(cpu):<22} {str(calls):<26} {statistics.median(cpu):.0f} / {statistics.median(calls):.0f}k"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
