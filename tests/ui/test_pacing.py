"""ui/pacing.py: key handling hands the event loop back once a turn has run for a slice, and only then."""

from __future__ import annotations

import asyncio
import time

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


async def test_keys_handled_for_many_slices_let_the_loop_run_between_them():
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
        busy_until = time.perf_counter() + pacing.SLICE / 4
        while time.perf_counter() < busy_until:
            pass
    stop = True
    await task
    assert seen[-1] - start >= 5  # the loop got turns while the keys were handled
    assert seen[-1] - start <= 40  # ... not one for every key
