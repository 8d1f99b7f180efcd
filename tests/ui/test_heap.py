"""ui/heap.py's bookkeeping across apps and overlapping screens: a closed screen is always collected in the end."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Callable

from workbench.ui import heap


class _App:
    """What `heap.building` needs of an app: a timer it may set (not fired here)."""

    def set_timer(self, *args, **kwargs) -> None:
        pass


class _Node:
    pass


def _frozen_garbage_cycle() -> weakref.ref[_Node]:
    """A reference cycle frozen out of the collector's sight, then dropped: only a release frees it."""
    node = _Node()
    node.me = node  # type: ignore[attr-defined]
    ref = weakref.ref(node)
    gc.freeze()
    del node
    return ref


def _garbage_cycle() -> weakref.ref[_Node]:
    """A reference cycle dropped at once, not frozen (a screen built after `heap.building` froze what was alive)."""
    node = _Node()
    node.me = node  # type: ignore[attr-defined]
    return weakref.ref(node)


def test_a_build_left_counted_by_an_ended_app_does_not_hold_back_the_next_apps_collections() -> None:
    old, new = _App(), _App()
    try:
        heap.building(old)  # that app ended before its screen was built (and before app_closed ran)
        heap.building(new)
        heap.built()
        assert gc.isenabled()  # the new app's screen is up: the collector is back on
        garbage = _garbage_cycle()
        heap.released()
        assert garbage() is None
    finally:
        heap.app_closed()


def test_a_screen_closed_while_another_is_built_is_collected_when_that_build_ends() -> None:
    app = _App()
    try:
        heap.building(app)
        garbage = _garbage_cycle()
        heap.released()  # no full walk in the middle of a build
        assert garbage() is not None
        heap.built()
        assert garbage() is None and gc.isenabled()
    finally:
        heap.app_closed()


async def test_an_app_that_ends_while_a_screen_is_being_built_leaves_the_collector_on_and_nothing_frozen(make_app):
    assert gc.isenabled()
    thresholds = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heap.building(app)  # as open_incident does: no automatic full collection while the screen is made ...
        assert gc.get_threshold()[2] == heap.FULL_OFF and gc.get_freeze_count() > 0
        app.exit()  # ... and the app ends first (before the screen is drawn and before the build's time limit)
    assert gc.isenabled() and gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


class _TimerApp:
    """An app whose timers are fired by the test, and whose last key or click was `quiet` seconds ago."""

    def __init__(self, quiet: float) -> None:
        self.quiet = quiet
        self.timers: list[tuple[float, Callable[[], object]]] = []

    def set_timer(self, delay, callback, name=None) -> None:
        self.timers.append((delay, callback))

    def seconds_idle(self) -> float:
        return self.quiet

    def fire(self) -> float:
        delay, callback = self.timers.pop(0)
        callback()
        return delay


def test_a_closed_screen_is_collected_only_once_nobody_types(monkeypatch) -> None:
    """The collection walks every live object (hundreds of ms on a large store): not while keys come in (the
    search screen opened right after closing an incident, a query typed), but at the first pause."""
    app = _TimerApp(quiet=0.2)
    try:
        screen = _garbage_cycle()
        heap.release_later(app, screen)
        for _ in range(5):  # typing on: each look finds a key less than RELEASE_IDLE ago
            app.fire()
            assert screen() is not None and len(app.timers) == 1
        app.quiet = heap.RELEASE_IDLE + 0.1  # a pause
        app.fire()
        assert screen() is None and not app.timers  # collected once; nothing more to try
    finally:
        heap.app_closed()


def test_a_closed_screen_is_not_collected_while_another_is_being_built() -> None:
    app = _TimerApp(quiet=60.0)
    try:
        screen = _garbage_cycle()
        heap.release_later(app, screen)
        heap.building(app)  # an incident opened (a search result): its first paint is not held by a full walk
        app.timers.pop()  # building()'s own time limit, not fired here
        app.fire()
        assert screen() is not None and len(app.timers) == 1
        heap.built()
        app.fire()
        assert screen() is None
    finally:
        heap.app_closed()


def test_typing_without_a_pause_defers_the_collection_only_so_long(monkeypatch) -> None:
    monkeypatch.setattr(heap, "RELEASE_DEFER_LIMIT", 0.0)
    app = _TimerApp(quiet=0.0)
    try:
        screen = _garbage_cycle()
        heap.release_later(app, screen)
        app.fire()
        assert screen() is None
    finally:
        heap.app_closed()


def test_a_screen_still_held_is_tried_again_at_growing_intervals_until_it_is_let_go() -> None:
    """Each try walks the held screen's objects too: every half second (as before) was a 300-500 ms stall each
    time on the 10k store at load 9, for as long as the screen was held."""
    app = _TimerApp(quiet=60.0)
    try:
        node = _Node()
        node.me = node  # type: ignore[attr-defined]
        screen = weakref.ref(node)
        gc.freeze()
        delays: list[float] = []
        heap.release_later(app, screen)
        for _ in range(6):  # held (a worker thread of the screen still running): each try finds it alive
            delays.append(app.fire())
            assert screen() is not None and len(app.timers) == 1
        assert delays == [heap.RELEASE_AFTER, 1.0, 2.0, 4.0, heap.RELEASE_MAX_WAIT, heap.RELEASE_MAX_WAIT]
        del node  # let go
        app.fire()
        assert screen() is None and not app.timers
        assert gc.get_freeze_count() > 0  # what is left is frozen again
    finally:
        heap.app_closed()


async def test_a_key_counts_as_input_for_the_collections_pause(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = time.monotonic()
        await pilot.press("down")
        assert app.seconds_idle() <= time.monotonic() - before


async def test_the_app_is_not_idle_while_its_shown_screen_waits_for_a_worker(make_app, monkeypatch) -> None:
    """Search results on their way: a collection then would delay them as much as a key typed then."""
    import threading

    from workbench.ui.screens.search import SearchScreen
    from workbench.ui.search_index import SearchIndex

    from .waiting import until

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        await pilot.press("ctrl+k")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: screen.shown_seq == screen.seq, "the first answer")
        engine = SearchIndex.of(app).engine
        real, release = engine.search, threading.Event()
        monkeypatch.setattr(engine, "search", lambda *a, **k: release.wait(10) and real(*a, **k))
        await pilot.press("x")
        try:
            assert app.seconds_idle() == 0.0  # the search for "x" runs
        finally:
            release.set()
        await until(pilot, lambda: screen.shown_seq == screen.seq, "the answer to x")
        await until(pilot, lambda: app.seconds_idle() > 0.0, "idle again")


def test_a_screen_about_to_build_collects_the_closed_ones_at_once_even_while_keys_come_in() -> None:
    """`release_waiting` (the Learning screen, before its figures' build) collects every closed screen still
    waiting for a pause, in one collection, with their own before/after steps; their later tries then do nothing."""
    app = _TimerApp(quiet=0.2)  # keys coming in: the idle collection would wait
    ran: list[str] = []
    try:
        first, second = _garbage_cycle(), _garbage_cycle()
        heap.release_later(app, first, before=lambda: ran.append("before 1"), after=lambda: ran.append("after"))
        heap.release_later(app, second, before=lambda: ran.append("before 2"))
        app.fire()
        assert first() is not None and second() is not None  # still waiting for a pause
        assert heap.release_waiting()
        assert first() is None and second() is None
        assert sorted(ran) == ["after", "before 1", "before 2"]
        app.quiet = heap.RELEASE_IDLE + 0.1
        while app.timers:
            app.fire()
        assert sorted(ran) == ["after", "before 1", "before 2"]  # nothing run twice
        assert not heap.release_waiting()  # nothing left to collect
    finally:
        heap.app_closed()


def test_a_closed_screen_is_collected_without_thawing_what_was_frozen_before_it() -> None:
    """Freezing the incident screen once it was drawn made its collection thaw and walk everything the app holds
    (the list, the index, modules: ~545,000 objects with two closed screens on the 10k store, a 537-652 ms stall
    near idle as the Learning screen opened). What was alive before it is frozen at its build instead, and its
    collection walks only what is younger; what was frozen and became garbage goes at a later idle tidying."""
    app = _TimerApp(quiet=60.0)
    try:
        old = _frozen_garbage_cycle()  # alive when the screen was opened (frozen then), garbage since
        heap.building(app)
        app.timers.pop()  # building()'s own time limit, not fired here
        screen = _garbage_cycle()
        heap.built()
        frozen = gc.get_freeze_count()
        lives_on = [[] for _ in range(frozen // 3)]  # made with the screen, kept (modules imported then)
        heap.release_later(app, screen)
        app.fire()
        assert screen() is None  # collected ...
        assert old() is not None and gc.get_freeze_count() >= frozen  # ... without thawing the older objects
        assert len(app.timers) == 1  # the frozen objects grew by a third: a tidying at the next idle moment
        app.fire()
        assert old() is None and not app.timers and len(lives_on) == frozen // 3
    finally:
        heap.app_closed()


def test_no_automatic_full_collection_while_a_large_screen_is_alive() -> None:
    """A full collection would walk the whole screen (100-400 ms inside a pane switch on the 10k store): none runs
    by itself from its build until its collection; the young generations' collections go on."""
    app = _TimerApp(quiet=60.0)
    thresholds = gc.get_threshold()
    try:
        heap.building(app)
        app.timers.pop()
        screen = _garbage_cycle()
        assert gc.get_threshold() == (thresholds[0], thresholds[1], heap.FULL_OFF) and gc.isenabled()
        heap.built()
        assert gc.get_threshold()[2] == heap.FULL_OFF
        heap.release_later(app, screen)
        app.fire()
        assert screen() is None and gc.get_threshold() == thresholds
    finally:
        heap.app_closed()


def test_release_waiting_collects_screens_built_after_the_freeze_without_thawing() -> None:
    app = _TimerApp(quiet=0.2)
    try:
        old = _frozen_garbage_cycle()
        heap.building(app)
        app.timers.pop()
        first = _garbage_cycle()
        heap.built()
        heap.building(app)  # a second screen opened before the first was collected (a search result)
        app.timers.pop()
        second = _garbage_cycle()
        heap.built()
        heap.release_later(app, first)
        heap.release_later(app, second)
        assert heap.release_waiting()
        assert first() is None and second() is None and old() is not None
        assert gc.get_threshold()[2] != heap.FULL_OFF  # nothing large alive any more
    finally:
        heap.app_closed()


async def test_no_automatic_full_collection_while_the_app_starts_until_its_index_is_open(make_app, monkeypatch) -> None:
    """Reading the list and opening the index make objects that all live on: each full collection set off meanwhile
    walked them all again (the start's longest stalls on the 10k store). Off from the mount until the index is open
    and what it loaded frozen; then back as they were."""
    import threading

    from workbench.ui.search_index import SearchIndex

    from .waiting import until

    thresholds = gc.get_threshold()
    opened, real_freeze = threading.Event(), heap.freeze_long_lived
    seen: list[tuple[int, int, int]] = []

    def freeze_long_lived() -> None:
        seen.append(gc.get_threshold())  # as the index thread finds it, just before the start is over
        real_freeze()
        opened.set()

    monkeypatch.setattr(heap, "freeze_long_lived", freeze_long_lived)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        assert opened.is_set() and seen == [(thresholds[0], thresholds[1], heap.FULL_OFF)]
        assert gc.get_threshold() == thresholds and gc.get_freeze_count() > 0
    assert gc.get_threshold() == thresholds


def _tracked(objects: list[object]) -> int:
    """How many of `objects` are in a generation the collector walks (not frozen)."""
    ids = {id(o) for o in gc.get_objects()}
    return sum(id(o) in ids for o in objects)


def test_what_a_build_kept_is_frozen_unless_a_closed_screen_waits_for_its_collection() -> None:
    """`keep_what_was_built` (the Learning screen's figures, built with the collector held off): what is alive
    goes out of the collector's sight at once, so no collection walks it when the collector is back; but never
    while a closed screen waits for its collection (frozen, it would be out of that collection's reach)."""
    app = _App()
    try:
        gc.collect()
        gc.freeze()
        kept = [_Node() for _ in range(100)]
        heap.keep_what_was_built()
        # Frozen objects are in no generation (gc.get_objects leaves them out). Not gc.get_freeze_count(): a frozen
        # object freed meanwhile by another thread of the test process lowers it (CI saw +84 for 100 kept).
        assert not _tracked(kept)  # nothing large alive: frozen

        heap.building(app)
        heap.built()
        screen = _Node()
        heap.release_later(app, weakref.ref(screen))  # a closed screen still held: it waits
        more = [_Node() for _ in range(100)]
        heap.keep_what_was_built()
        assert _tracked(more) == len(more)  # left where its collection can reach it
        assert more and kept
    finally:
        heap.app_closed()


def test_a_tidying_collection_waits_for_a_pause_however_long_the_typing_goes_on(monkeypatch) -> None:
    """A closed screen's collection is forced after RELEASE_DEFER_LIMIT (its memory); a tidying one (thaw and walk
    everything, ~400 ms on the 10k store) only frees frozen garbage: it waits for a pause, never forced into a
    screen's work (it landed in the Learning screen's build, whose worker keeps the app from being idle)."""
    monkeypatch.setattr(heap, "RELEASE_DEFER_LIMIT", 0.0)
    app = _TimerApp(quiet=0.0)
    try:
        garbage = _frozen_garbage_cycle()
        heap.release_later(app, None)
        for _ in range(3):  # typing on, past the defer limit
            app.fire()
            assert garbage() is not None and len(app.timers) == 1
        app.quiet = heap.RELEASE_IDLE + 0.1  # a pause
        app.fire()
        assert garbage() is None and not app.timers
    finally:
        heap.app_closed()


def test_the_first_build_walks_no_frozen_object_until_its_screen_is_released(monkeypatch) -> None:
    """`gc.get_freeze_count` walks every frozen object (~20 ms of the event loop at load 18 on the 10k store): the
    first open took the first freeze's count in its push. It is taken at that screen's release now, when nothing
    has been frozen since, so the tidying counts growth from the same number (the test above)."""
    heap.app_closed()  # no count left by an earlier test
    walks: list[int] = []
    real = gc.get_freeze_count
    monkeypatch.setattr(gc, "get_freeze_count", lambda: walks.append(1) or real())
    app = _App()
    try:
        heap.building(app)
        heap.built()
        assert not walks and gc.get_threshold()[2] == heap.FULL_OFF  # frozen, not counted, in the build
        walks.clear()
        heap.released()
        assert walks  # counted at the release, before its own freeze
    finally:
        heap.app_closed()
