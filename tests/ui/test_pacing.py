"""ui/pacing.py: key handling hands the event loop back once a turn has run for a slice, and only then."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from workbench.ui import pacing


async def test_pace_lets_the_loop_run_only_after_a_slice_of_work():
    ran: list[float] = []

    def other() -> None:  # another task of the loop: a frame to draw, a timer
        ran.append(time.perf_counter())

    asyncio.get_running_loop().call_soon(other)
    await pacing.pace()  # the first key of a turn: handled at once
    assert not ran
    await pacing.pace()  # well within the slice: no turn given back
    assert not ran
    busy_until = time.perf_counter() + pacing.SLICE * 1.5
    while time.perf_counter() < busy_until:  # one key's work, longer than a slice
        pass
    await pacing.pace()
    assert len(ran) == 1  # the loop ran before the next key


async def test_keys_handled_for_many_slices_let_the_loop_run_between_them(monkeypatch):
    # Each key's work advances a clock of the test's own by a quarter slice: on the machine's clock a loaded run
    # (load 25) preempted the busy keys mid-way, so every key outlasted a slice and the count of turns depended on
    # the load, not on pace().
    now = [0.0]
    monkeypatch.setattr(pacing, "time", SimpleNamespace(perf_counter=lambda: now[0]))
    turns = 0
    stop = False

    async def beat() -> None:
        nonlocal turns
        while not stop:
            turns += 1
            await asyncio.sleep(0)

    task = asyncio.get_running_loop().create_task(beat())
    await asyncio.sleep(0)
    start, seen = turns, []
    for _ in range(40):  # 40 keys of a quarter slice each: ten slices of work
        await pacing.pace()
        seen.append(turns)
        now[0] += pacing.SLICE / 4
    stop = True
    await task
    assert seen[-1] - start >= 5  # the loop got turns while the keys were handled
    assert seen[-1] - start <= 40  # ... not one for every key
