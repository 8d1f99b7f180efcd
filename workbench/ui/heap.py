"""Keeping Python's full garbage collections out of pane switches.

An incident screen's widgets, styles, renderables and record are a great many tracked objects that live as long as
it does (about 250,000 when it was ~1,700 widgets, before its panes were composed when first shown; now 33 widgets
at its first frame and ~80 with six panes drawn, the example store's OpenAI incident at stop 35). CPython's
cyclic collector walks every tracked object on a full collection, and the allocations of building that screen
or of drawing a pane set one off every so often: on the 10k store at load 8, four of 150-450 ms while the screen
opened, and one of ~370 ms inside a switch to the Report or History pane (a first paint of 80 ms became 450 ms).
The objects that make a screen are not garbage while it is open, so:

- when an incident screen is about to be built, everything alive is frozen (`gc.freeze`, as the search index
  does after it opens): the list, the index, the modules; later collections walk only what is newer;
- from then until the screen has been collected, no automatic full collection runs (the oldest generation's
  threshold is set out of reach); the young generations' collections go on, each a short walk, and carry the
  screen's objects into the oldest generation as it is built. The screen itself is never frozen: until stop 29 it
  was, once drawn, so its collection had to thaw and walk everything the app holds (~545,000 objects with two
  closed screens on the 10k store: the Learning screen's 537-652 ms stall near idle);
- when it closes, one collection (`released`) walks what is younger than that freeze: the screen, its panes'
  modules imported meanwhile, what came after; when nothing else large is alive, what is left is frozen. If the
  closed screen is still alive then (a worker thread of one of its panes, cancelled but still running, holds the
  pane: a review's checks at load 15), the caller tries again later, and from the fourth try on thaws everything
  (a freeze the heap does not own may have caught it);
- what was frozen and became garbage since (a search screen open below an incident when it was built) is out of
  every such collection's sight: once the frozen objects have grown by a quarter since the last thorough
  collection, one (thaw, collect, freeze) runs at the next idle moment with nothing large alive (`_tidy`);
- those collections (50-100 ms with the list alone on the 10k store, 300-500 ms while a
  closed screen is still held, at load 9) run when nobody is typing or clicking and no screen is being built
  (`release_later`), not at a fixed half second after the close, where they landed inside the search screen
  opened right after (ctrl+k, a query typed, a result opened: a 300-700 ms stall). Tries after a failed one are
  spaced out (doubling up to RELEASE_MAX_WAIT).
- a screen about to make a large build in a worker (the Learning screen's figures) has what is still waiting
  collected first (`release_waiting`): its worker keeps the app from being idle, so the build came on top of the
  closed screens, and their collection just after it.

Cyclic garbage that reached the oldest generation while a screen is open (a preview's first blocks, replaced)
waits for that screen's collection; it is bounded by what was done on the screen, and freed then.
"""

from __future__ import annotations

import asyncio
import gc
import time
import weakref
from collections.abc import Callable
from typing import Any

BUILD_LIMIT = 5.0  # seconds the collector waits at most for a screen being built
START_LIMIT = 30.0  # seconds automatic full collections wait at most for the index to open at start
RELEASE_AFTER = 0.5  # seconds after a screen closed before its collection is first considered
RELEASE_IDLE = 1.0  # ... which waits for this long without a key or click (the app's `seconds_idle`)
RELEASE_DEFER_LIMIT = 30.0  # ... but not for longer than this after the close (someone typing on and on)
RELEASE_MAX_WAIT = 8.0  # the longest pause between two tries while something still holds the closed screen
RELEASE_TRIES = 40  # tries at most (about five minutes)

FULL_OFF = 1 << 30  # the oldest generation's threshold while large screens are alive: no automatic full walk
TIDY_GROWTH = 1.25  # a thorough collection (`released`) once the frozen objects grew by a quarter since the last

_building = 0  # screens being built now
_large = 0  # large screens built or being built and not collected yet (automatic full collections off while > 0)
_owner: weakref.ref[Any] | None = None  # the app those builds belong to
_release_pending = False  # a release came while a screen was being built: done when that build ends
_threshold: tuple[int, int, int] | None = None  # the collector's thresholds before `_full_off`
_frozen_after_tidy = 0  # objects frozen after the last thorough collection
# The first freeze's count is still to be taken. `gc.get_freeze_count` walks every frozen object (~20 ms of the
# event loop at load 18 on the 10k store): taken in the first open's push, it was a fifth of that turn. Nothing
# is frozen again until the screen built then is released (every freeze waits for no large screen alive), so the
# count taken at that release is the same number.
_count_pending = False
_starting = False  # the app is starting: no automatic full collection until the index is open (`starting`)


class _Closed:
    """A closed screen whose collection waits (`release_later`), with what runs before and after it."""

    __slots__ = ("after", "before", "screen")

    def __init__(
        self, screen: Callable[[], Any], before: Callable[[], None] | None, after: Callable[[], None] | None
    ) -> None:
        self.screen, self.before, self.after = screen, before, after


_waiting: set[_Closed] = set()  # closed screens not collected yet (`release_later`, `release_waiting`)


def _full_off() -> None:
    """No automatic full collection: young ones only (each walks at most a few thousand new objects)."""
    global _threshold
    if _threshold is None:
        _threshold = gc.get_threshold()
        gc.set_threshold(_threshold[0], _threshold[1], FULL_OFF)


def _full_on() -> None:
    global _threshold
    if _threshold is not None:
        gc.set_threshold(*_threshold)
        _threshold = None


def building(app: Any) -> None:
    """A large screen is about to be built. What is alive now (the list, the index, imported modules) is frozen, out
    of every later collection's sight; the screen's own objects are not, so that once it closes a collection
    walks them alone (`release_waiting`), not everything the app holds. Until it has been collected, no automatic
    full collection runs (it would walk the whole screen: 100-400 ms inside a pane switch on the 10k store); the
    young generations' collections go on, each a short walk, and carry the screen's objects into the oldest one
    as it is built (with the collector off instead, the first young collection after it walked all of them)."""
    global _building, _owner, _large, _count_pending
    if _owner is None or _owner() is not app:
        # Builds counted for another app that ended before they did (an app run after another in one process,
        # as tests do) are not this app's to wait for: left counted, every later release would be skipped.
        _building = _large = 0
        _owner = weakref.ref(app)
    _building += 1
    if not _large and not _waiting:  # with a closed screen still waiting, a freeze would put it out of reach
        gc.freeze()
        if not _frozen_after_tidy:  # the first freeze is where the tidying's growth is counted from
            _count_pending = True  # counted at the screen's release, not in its build (`_count_first_freeze`)
    _large += 1
    _full_off()
    token = _building
    app.set_timer(BUILD_LIMIT, lambda: _give_up(token), name="heap-build-limit")


def _give_up(token: int) -> None:
    """A screen that never finished building does not leave the collector off."""
    global _building
    if _building and _building == token:
        _building = 0
        if _release_pending:
            released()


def _count_first_freeze() -> None:
    """The count of the first freeze, taken once the frozen objects may change again (`_count_pending`)."""
    global _frozen_after_tidy, _count_pending
    if _count_pending:
        _count_pending = False
        _frozen_after_tidy = gc.get_freeze_count()


def built() -> None:
    """The screen is up (it stays out of automatic full collections until it is collected)."""
    global _building, _release_pending
    _building = max(0, _building - 1)
    if not _building and _release_pending:  # a screen closed while this one was built: collect it now
        _release_pending = False
        released()


def released(screen: weakref.ref[Any] | None = None, thorough: bool = False) -> bool:
    """A large screen closed: collect it now (once, whole) and, when nothing else large is alive, freeze what is
    left. False when `screen` (a weak reference to it) is still alive after the collection, or another screen is
    being built: then call again later; nothing is frozen meanwhile, so that it is collected once let go.

    The collection walks only what is younger than the last freeze (`building`): the closed screen and what came
    after it, not the list, index and modules frozen before it (on the 10k screens run ~210,000 objects of
    ~545,000). A screen frozen while it was open (the search index freezes what is alive once it has opened) is
    reached by thawing everything (`thorough`: a screen held for long, `release_later`'s later tries): that walk is
    the long one."""
    global _release_pending
    _count_first_freeze()  # before this release's thaw or freeze changes what is frozen
    if _building:  # another is being built: no full walk now; it is done when that build ends (`built`)
        _release_pending = True
        return False
    _release_pending = False
    gc.collect()
    if thorough and screen is not None and screen() is not None and gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    if screen is not None and screen() is not None:
        return False
    if _large <= (0 if screen is None else 1):  # nothing else large alive: what is left lives on
        gc.freeze()
    return True


def starting(app: Any) -> None:
    """The app starts: until its index is open (`freeze_long_lived`; START_LIMIT at most), no automatic full
    collection. Reading the list and opening the index make objects that all live on, and each full collection
    set off meanwhile walked every one of them again (3-4 of 50-100 ms each on the 10k store, on the event loop
    or holding the GIL in the index's thread: the start's longest stalls); the young generations' collections go
    on."""
    global _starting
    _starting = True
    _full_off()

    def give_up() -> None:
        global _starting
        if _starting:
            _starting = False
            if not _large:
                _full_on()

    app.set_timer(START_LIMIT, give_up, name="heap-start-limit")


def freeze_long_lived() -> None:
    """What is alive now lives as long as the app (the index just opened, the start's objects): frozen, unless a
    large screen is alive (frozen, it would be out of its own collection's reach; the next freeze here covers it).
    The start is over: automatic full collections are back (when no large screen is alive). May run in any
    thread."""
    global _starting
    if not _large and not _building:
        gc.freeze()
    _starting = False
    if not _large:
        _full_on()


def keep_what_was_built() -> None:
    """A large build in a worker thread ends with the collector held off (services/learning/memory.py): what it
    made and keeps (the Learning screen's figures; numpy's and scipy's modules imported on first use: ~130,000
    objects on the 10k store) all sits in the youngest generation, and the first collection once the collector was
    back walked every one of them, then the next one again a generation up (70 + 60 ms of CPU holding the
    interpreter, the Learning screen's longest stall). They live as long as the screen or the app: frozen here
    instead, at once (what of them is cyclic garbage waits for the next thorough collection, `_tidy`), unless a
    large screen is alive, being built or waiting for its collection (frozen, it would be out of its reach). Call
    it before the collector is back. May run in any thread."""
    if not _large and not _building and not _waiting:
        gc.freeze()


def _tidy() -> bool:
    """A thorough collection: everything thawed, collected and frozen again. What was alive at a freeze and became
    garbage since (a search screen open below an incident when it was built, the list's replaced rows) is out
    of every other collection's sight. False while something large is alive (frozen now, it would be too)."""
    global _frozen_after_tidy, _count_pending
    if _building or _large:
        return False
    _count_pending = False
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _frozen_after_tidy = gc.get_freeze_count()
    return True


def _screen_gone() -> None:
    """A large screen was collected (or given up on)."""
    global _large
    _large = max(0, _large - 1)
    _count_first_freeze()  # given up on, never released: nothing was frozen since
    if not _large and not _starting:
        _full_on()
        app = _owner() if _owner is not None else None
        if app is not None and gc.get_freeze_count() > TIDY_GROWTH * max(_frozen_after_tidy, 1):
            release_later(app, None)


def let_go_of_parser() -> None:
    """No incident screen is open: the spaCy pipeline a Review pane loaded is let go (spaCy's modules stay, so the
    next Review pane loads it again in ~0.3 s). Called before `released`, whose one full collection then frees what
    of the pipeline sits in reference cycles (thinc's models, spaCy's vocabulary: ~20 MB) with the screen's; a
    pipeline loaded after `parser_not_needed` (by a closed pane's worker still running) goes here. Never waits on
    the event loop: while a load holds the pipeline's lock, this leaves it to the next close."""
    from ..services.review.checks import release_parser

    release_parser(wait=False)


def parser_not_needed() -> None:
    """The last incident screen closed: spaCy's pipeline is let go now, not only at the idle collection (which waits
    for a pause in typing and for the shown screen's workers: the Learning screen computed its figures, 3-5 s,
    with the pipeline still held). What no reference cycle holds (~25 MB of its ~45) is freed at once, the rest in
    that collection. In the app's pool: a load still under way (a closed pane's worker) holds the pipeline's lock
    until it ends, and the pipeline it loads goes then."""
    from ..services.review.checks import release_parser

    try:
        asyncio.get_running_loop().run_in_executor(None, release_parser)
    except RuntimeError:  # no running loop, or its pool is shut down: the app is closing
        pass


def give_back() -> None:
    """After a collection freed a screen: the C allocator's free pages go back to the system, off the event loop
    (glibc keeps what a closed screen and its workers freed, ~10-25 MB after an incident screen; elsewhere a
    no-op). See services/learning/memory.py."""
    from ..services.learning.memory import release_free_memory

    def trim() -> None:
        try:
            release_free_memory()
        except Exception:  # noqa: BLE001 - returning memory is an optimisation; never a failure to report
            pass

    try:
        asyncio.get_running_loop().run_in_executor(None, trim)  # the app's pool (ui/worker_threads.py)
    except RuntimeError:  # no running loop, or its pool is shut down: the app is closing
        pass


def release_later(
    app: Any,
    screen: weakref.ref[Any] | None,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
) -> None:
    """`released(screen)` once the app is idle: RELEASE_IDLE seconds without input (read from the app's
    `seconds_idle()` when it has one) and no screen being built; again, at growing intervals, while the
    closed screen is still held. `before` runs just before each collection (what should go in it), `after`
    once it freed the screen. Timers are the app's (`set_timer`). `screen` None: a thorough collection alone
    (`release_waiting`'s tidying), no screen counted."""
    closed = time.monotonic()
    waiting = _Closed(screen if screen is not None else _NOTHING, before, after)
    _waiting.add(waiting)

    def attempt(tries: int, wait: float) -> None:
        if waiting not in _waiting:  # collected meanwhile (`release_waiting`), or given up
            return
        since_input = getattr(app, "seconds_idle", None)
        quiet = since_input() if callable(since_input) else RELEASE_IDLE
        # A tidying (no screen) is never forced past the defer limit: it thaws and walks everything the app holds
        # (~400 ms of CPU on the 10k screens run), and frees only what was frozen and died since; forced, it
        # landed in the Learning screen's build, twice (the closed screens' runs of the search steps had aged it).
        limited = screen is not None and time.monotonic() - closed >= RELEASE_DEFER_LIMIT
        if (quiet < RELEASE_IDLE or _building) and not limited:
            # Someone is typing or a screen is opening: the walk would be a stall they feel. Look again soon.
            delay = max(RELEASE_IDLE - quiet, RELEASE_AFTER)
            app.set_timer(delay, lambda: attempt(tries, wait), name="heap-release")
            return
        if before is not None:
            before()
        # From the fourth try on (~7.5 s after the close) a screen still alive may have been frozen by a freeze the
        # heap does not own: those tries thaw everything.
        thorough = tries <= RELEASE_TRIES - 3
        if released(screen, thorough) if screen is not None else _tidy():
            _forget(waiting)
            if after is not None:
                after()
        elif tries > 1:
            later = min(wait * 2, RELEASE_MAX_WAIT)
            app.set_timer(later, lambda: attempt(tries - 1, later), name="heap-release")
        else:
            _forget(waiting)

    app.set_timer(RELEASE_AFTER, lambda: attempt(RELEASE_TRIES, RELEASE_AFTER), name="heap-release")


def _nothing() -> None:
    return None


_NOTHING: Callable[[], Any] = _nothing  # the "screen" of a tidying collection: always gone


def _forget(waiting: _Closed) -> None:
    if waiting in _waiting:
        _waiting.discard(waiting)
        if waiting.screen is not _NOTHING:
            _screen_gone()


def release_waiting() -> bool:
    """Collect now, in one collection, the closed screens `release_later` waits to collect: for a screen about to
    make a large build in a worker (the Learning screen's figures). Waiting for an idle app, the collection came
    only after that build (its worker counts as work of the shown screen): the build's memory then came on top
    of the closed screens' (two incident screens at the peak of the 10k screens run), and the collection's pause
    landed just after the figures appeared, as the user began reading them. True when something was collected.
    It walks what `released` walks: the closed screens, not what was frozen before them. A screen still held
    after it is left to its own later tries."""
    if not _waiting or _building:
        return False
    for closed in list(_waiting):
        if closed.before is not None:
            closed.before()
    gc.collect()
    gone = [closed for closed in _waiting if closed.screen() is None and closed.screen is not _NOTHING]
    screens = sum(1 for closed in gone)
    if _large <= screens:  # nothing else large alive: what is left lives on (modules imported with them, the list)
        gc.freeze()
    for closed in gone:
        _forget(closed)
    done: list[Callable[[], None]] = []
    for closed in gone:
        if closed.after is not None and closed.after not in done:
            done.append(closed.after)
            closed.after()
    return bool(gone)


def app_closed() -> None:
    """The app is done: nothing stays frozen or held (an app run inside a longer process, tests among them)."""
    global _building, _owner, _release_pending, _large, _frozen_after_tidy, _starting, _count_pending
    _building, _owner, _release_pending, _large, _frozen_after_tidy, _starting = 0, None, False, 0, 0, False
    _count_pending = False
    _waiting.clear()
    _full_on()
    gc.unfreeze()
    gc.enable()
