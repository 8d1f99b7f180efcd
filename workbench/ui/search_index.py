"""The app's one search engine, opened and refreshed off the UI thread.

Screens ask `SearchIndex.of(app)` for it. Opening loads the cache (or builds it, reporting progress)
and refreshing catches up with files changed inside or outside the app; both run in a thread, so
typing never waits for the disk. Until the engine is ready, `ready` is False and screens say so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from . import heap

if TYPE_CHECKING:
    from ..services.search import SearchEngine
    from ..services.search.listing import Listing

Listener = Callable[[str, int, int], None]
# (state, done, total): state is "listed" (at most once, before the first open: `listing` holds the list as the
# index on disk has it, see services/search/listing.py), "indexing", "ready" or "failed: …"


class SearchIndex:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._engine: SearchEngine | None = None
        self._engine_lock = threading.Lock()
        self.ready = False
        self.state = "idle"
        self._lock = threading.Lock()
        self._running = False
        self._listeners: list[Listener] = []
        self.listing: Listing | None = None  # read once, before the engine (numpy) is first opened
        self._closed = False  # the app is done: the thread no longer freezes what it loaded (see close)

    @classmethod
    def of(cls, app: App) -> SearchIndex:
        index = getattr(app, "search_index", None)
        if index is None:
            index = cls(app.store.root)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
            app.search_index = index  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        return index

    @property
    def engine(self) -> SearchEngine:
        """Made on first use, which at start is the index's own thread: importing the engine (numpy) on the
        event loop held the first paint of the list back."""
        with self._engine_lock:
            if self._engine is None:
                from ..services.search import SearchEngine

                # A first build of a large store in two passes: search and the list are ready after the first;
                # validation and learning profiles follow in the same thread (see _refresh). A small store is
                # built in one pass (under a second), so its list is never shown without its broken files.
                self._engine = SearchEngine(self.root, defer_checks=True, defer_from=400)
            return self._engine

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def subscribe_on_loop(self, app: App, callback: Listener) -> Listener:
        """Listeners are called from the index's thread; this one runs `callback` on the app's event loop.
        Returns what to pass to `unsubscribe`."""

        def listener(state: str, done: int, total: int) -> None:
            try:
                app.call_from_thread(callback, state, done, total)
            except RuntimeError:  # the app is shutting down
                pass

        self.subscribe(listener)
        return listener

    def _tell(self, state: str, done: int = 0, total: int = 0) -> None:
        self.state = state
        for listener in list(self._listeners):
            try:
                listener(state, done, total)
            except Exception:  # noqa: BLE001 - one screen's trouble (say, torn down while told) is not the index's
                # Raised here it made the index report itself "failed", and the list fell back to loading every
                # incident (seen when a search screen closed as its refresh ended).
                continue

    def close(self) -> None:
        """The app is ending: an open still running in the thread leaves the collector as it finds it."""
        with self._lock:
            self._closed = True

    def refresh_in_thread(self) -> bool:
        """Open (first time) or catch up with the files, in a daemon thread; one at a time.
        False when one is already running (its "ready" comes later)."""
        with self._lock:
            if self._running:
                return False
            self._running = True
        threading.Thread(target=self._refresh, name="search-index", daemon=True).start()
        return True

    def _refresh(self) -> None:
        try:
            progress = lambda done, total: self._tell("indexing", done, total)  # noqa: E731
            if self._engine is None:
                # The list's rows first, from the index as it is on disk (one JSON parse, no numpy): the list
                # shows them while the engine is imported, opened and caught up with the files below.
                from ..services.search.listing import read_listing

                self.listing = read_listing(self.root)
                if self.listing is not None:
                    self._tell("listed")
            if self.engine.base is None:
                self.engine.open(progress)
                # What is loaded now (the index, the app's start-up objects) lives as long as the app: out
                # of the cyclic GC's way, so a full collection set off by a save's allocations (in any
                # thread, holding the GIL, so blocking the event loop) no longer walks it. No collection
                # first: it would run other objects' finalizers (asyncio's among them) in this thread.
                # Not once the app has closed: its unfreeze has run, and what was frozen now stayed frozen for
                # good (an open that outlived its app, seen in CI at load 2).
                with self._lock:
                    if not self._closed:
                        heap.freeze_long_lived()
            else:
                self.engine.refresh(progress)
            self.engine.warm()  # here, not in the first search typed after this
            self.ready = True
            self._tell("ready")
            # The second pass of a first build (or of a rebuild): listeners hear "ready" again when it has
            # added load problems to the list's excerpts.
            if self.engine.finish_checks():
                self._tell("ready")
            # Filter columns after "ready" (the first answers need not wait for them) and after the second pass
            # (which replaces the documents they are read from).
            self.engine.warm_columns()
            # An index written before listings (or copied without its times): the next start reads its rows
            # from a listing (services/search/listing.py), not from every document.
            self.engine.write_listings()
        except Exception as exc:  # noqa: BLE001 - reported on screen; search stays usable where it can
            self._tell(f"failed: {exc}")
        finally:
            with self._lock:
                self._running = False
