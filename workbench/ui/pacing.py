"""Long runs of queued keys handed back to the event loop in slices, so a burst of typing never blocks it.

Textual's message pump handles every message already in its queue before it returns to the event loop: 300 keys
arriving at once (a fast burst, or a terminal handing over what piled up while a frame was drawn) went through the
app's routing and then into a 50 KB narrative in one turn of ~90-100 ms, with no frame drawn, no timer run and any
other key waiting behind all of them. The app's key routing and the narrative editor call `pace()` before each key:
once the loop's current turn has run for SLICE seconds, the handler lets the loop run before going on. Keys keep
their order (each pump still takes its own queue one message at a time); only when they are handled moves.

The turn is shared by every caller on the loop: the app forwarding keys and the editor inserting them usually run
in the same turn, and together they must stay within one slice.
"""

from __future__ import annotations

import asyncio
import time

# Seconds of key handling in one turn of the event loop before it gets a turn back. Within the 16 ms a key may
# wait, and not shorter: the loop draws a frame in the turn given back (~10 ms for the incident screen after an
# edit), so a shorter slice made a long burst spend more time drawing than typing (at 4 ms, a 300-key burst took
# up to five times the loop CPU of taking it whole).
SLICE = 0.008


class _Turn:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.since: float | None = None  # when the first paced key of the loop's current turn began

    def ended(self) -> None:
        self.since = None


_turn = _Turn()


async def pace() -> None:
    """Before handling one key: let the event loop run first if this turn has already handled keys for SLICE."""
    loop = asyncio.get_running_loop()
    turn = _turn
    now = time.perf_counter()
    if turn.loop is not loop:  # a new app (tests run one per loop): nothing is owed from an old loop's turn
        turn.loop, turn.since = loop, None
    if turn.since is not None and now - turn.since < SLICE:
        return
    if turn.since is not None:
        # Twice: the first lets the loop collect the timers that are due (a frame to draw, a key from the
        # driver); they are queued behind this task's wake-up, so the second puts them before the next slice.
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    # The first paced key of a turn: a callback queued now runs once this turn is over and starts the next count.
    turn.since = time.perf_counter()
    loop.call_soon(turn.ended)
