"""Keys typed while a screen or form is still being built are held, then delivered to it in order.

Textual sends a key to the focused widget, or to the screen when nothing has focus. A screen just pushed
(a form after `a`, an incident after enter) has no focused widget until it has composed and mounted, so a
burst typed at once ("a" then "Zq") used to reach the empty screen and vanish. The app passes every key
through `KeyHold.filter`: while the top screen is settling, keys are queued; once it is mounted and has
focused its first field (or has nothing to focus), they are replayed through the normal routing, oldest
first, before any later key. A screen that is mounting part of itself says so with a `building` attribute
(the incident screen while a pane shown for the first time mounts): keys wait for that too. A screen that
never settles cannot swallow keys: after LIMIT they go on.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

SETTLE = 0.3  # seconds a mounted screen without a focused widget is given to focus one
LIMIT = 2.0  # seconds keys are held at most, whatever the screen does
BUILD_LIMIT = 15.0  # ... while the screen says it is building (a pane mounting): a mount always ends
POLL = 0.01


class KeyHold:
    def __init__(self, app: Any, deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self.deliver = deliver  # the app's normal routing of a key (priority bindings, then the focused widget)
        self.held: list[events.Key] = []
        self.held_since = 0.0
        self.in_flight = 0  # the number of the key on its way up the DOM, 0 when none
        self._sent = 0
        self._flight_since = 0.0
        self._settled: weakref.WeakSet[Screen] = weakref.WeakSet()
        self._mounted_at: weakref.WeakKeyDictionary[Screen, float] = weakref.WeakKeyDictionary()
        self._timer: Timer | None = None

    def settled(self, screen: Screen) -> bool:
        if screen in self._settled:
            return True
        if not screen.is_mounted:
            return False
        now = time.monotonic()
        first = self._mounted_at.get(screen)
        if first is None:
            # Just mounted: its on_mount may have asked for focus with call_later, which sits in the app's
            # queue. Look again from a callback queued behind it, when that focus has happened.
            self._mounted_at[screen] = now
            self.app.call_later(self._pump)
            return False
        if screen.focused is not None or not screen.focus_chain or now - first > SETTLE:
            self._settled.add(screen)
            return True
        return False

    def _ready(self) -> bool:
        now = time.monotonic()
        if self.in_flight and now - self._flight_since <= LIMIT:
            return False
        self.in_flight = 0
        try:
            screen = self.app.screen
        except Exception:  # noqa: BLE001 - no screen yet (start-up) or none left (shutting down): do not hold
            return True
        # A screen still building a part of itself (the incident screen mounting a pane shown for the first
        # time) says so: the key after a pane key belongs to the pane being mounted. That can take longer than
        # LIMIT on a loaded machine (a long narrative's editor: 2-5 s at load 15), and keys let go early went
        # to the pane left behind: they wait for the build, up to BUILD_LIMIT.
        # So does the app while it prepares an incident's screen off the event loop (app.open_incident): the
        # keys typed after enter are for that screen, not the list still shown.
        building = bool(getattr(screen, "building", False)) or getattr(self.app, "opening", None) is not None
        if self.held and now - self.held_since > (BUILD_LIMIT if building else LIMIT):
            return True
        return self.settled(screen) and not building

    async def filter(self, event: events.Key) -> bool:
        """Always takes the key: delivers it now when nothing is pending, else queues it behind the others."""
        if not self.held and self._ready():
            if self._typed_text(event):
                await self.deliver(event)  # the editor takes it: nothing to follow, and fast typing stays batched
            else:
                await self._send(event)
            return True
        if not self.held:
            self.held_since = time.monotonic()
        self.held.append(event)
        if self._timer is None:
            self._timer = self.app.set_interval(POLL, self._pump, name="key-hold")
        return True

    def take_text(self) -> str:
        """The characters at the front of the queue, taken out of it in order, up to the first key that is not a
        character (it and the keys after it stay queued). For a screen that has just focused its text field and
        puts them there itself before its first frame (the search screen): replayed, they arrived a frame or
        two later, each a frame of its own. Printable keys only: in a text field they are text, whatever the
        bindings (an app binding on a character is not a priority one)."""
        taken: list[str] = []
        while self.held and self.held[0].is_printable and self.held[0].character:
            taken.append(self.held.pop(0).character or "")
        if not self.held:
            self.held_since = 0.0
        return "".join(taken)

    def _typed_text(self, event: events.Key) -> bool:
        """A character for the text field that has focus: it cannot open or switch anything."""
        return event.is_printable and _is_text_field(self.app.focused)

    async def _send(self, event: events.Key) -> None:
        """Deliver one key, then follow it up the DOM (a key bubbles from the focused widget through each
        parent's queue to the app, whose bindings run last): the next key waits until this one has landed,
        so the screen an action opens is there before the next key is routed."""
        target = self.app.focused or self.app.screen
        self._sent += 1
        number = self.in_flight = self._sent
        self._flight_since = time.monotonic()
        await self.deliver(event)
        self._hop(target, number)

    def _hop(self, node: Any, number: int) -> None:
        if number != self.in_flight:
            return
        if node is None or node is self.app:
            self.app.call_later(self._landed, number)
            return
        if not node.call_later(self._hop, node.parent, number):  # not running (removed meanwhile): go on up
            self._hop(node.parent, number)

    async def _landed(self, number: int) -> None:
        if number == self.in_flight:
            self.in_flight = 0
            await self._pump()

    async def _pump(self) -> None:
        while self.held and self._ready():
            event = self.held.pop(0)
            if self._typed_text(event):
                # A character for the focused text field goes straight in, as when nothing is held: a word typed
                # with ctrl+k reached the search field one key per frame (~160 ms for five keys at load 10), each
                # waiting for the one before to travel up the DOM, though a character cannot move the focus.
                await self.deliver(event)
            else:
                await self._send(event)
            if not self.held:
                self.held_since = 0.0
        if not self.held and self._timer is not None:
            self._timer.stop()
            self._timer = None


def _is_text_field(widget: object) -> bool:
    """An Input or a TextArea. TextArea is recognised by its class name in the widget's classes, not by
    isinstance: importing it (~40 ms) here delayed the list's first paint, and no TextArea can exist before a
    screen that uses one has imported it."""
    return isinstance(widget, Input) or any(
        cls.__name__ == "TextArea" and cls.__module__.startswith("textual.") for cls in type(widget).__mro__
    )
