"""The one way UI tests wait: until the app's own state says it has done the thing, never for a fixed time.

    await until(pilot, lambda: pane.findings, "the review's findings")
    screen = await until_screen(pilot, TaxonomyPicker)

Workers (threads) hand their results back with call_from_thread; a fixed pause of 0.3 s guesses how long that
takes and fails on a loaded machine. `until` looks at the condition, and between looks sleeps on the event loop
(so the app runs: messages, timers, callbacks from worker threads) for 10 ms, doubling up to 100 ms. The deadline
is generous (60 s) because the suite shares two cores with other work; a test that fails names what it waited for.

What stays a fixed pause is a pause that IS the test: waiting out a debounce or a poll interval to show that
something did NOT happen (there is no signal for "nothing"). Those say so in a comment where they stand.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

DEFAULT_TIMEOUT = 60.0
S = TypeVar("S")


async def until(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    what: str = "the condition",
    timeout: float = DEFAULT_TIMEOUT,
    settle: bool = True,
) -> None:
    """Return once `condition()` is true (then let the screen redraw); fail after `timeout` seconds.

    `settle=False` returns at once: for a look taken while the screen is meant to be busy (Pilot's settling waits
    for every queued message, at most 30 s, which a loaded machine can exceed while hundreds of widgets mount).
    """
    deadline = time.monotonic() + timeout
    interval = 0.01
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(interval)
        interval = min(interval * 2, 0.1)
    if settle:
        await pilot.pause()


async def until_screen(pilot: Pilot[Any], cls: type[S], timeout: float = DEFAULT_TIMEOUT) -> S:
    """The screen or modal of type `cls` once it is on top (many open after a worker has read something)."""
    await until(pilot, lambda: isinstance(pilot.app.screen, cls), f"{cls.__name__} to open", timeout)
    screen = pilot.app.screen
    assert isinstance(screen, cls)
    return screen


def palette_offers(palette: object, text: str) -> bool:
    """The command palette has found a command whose prompt holds `text` (it searches in the background)."""
    from textual.command import CommandList
    from textual.dom import DOMNode

    assert isinstance(palette, DOMNode)
    options = palette.query_one(CommandList)
    prompts = (str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
    return any(text.lower() in prompt.lower() for prompt in prompts)
