"""The app's search index tells every listener, and one listener's failure is not the index's."""

from __future__ import annotations

import threading

from workbench.services.search import SearchEngine
from workbench.ui.search_index import SearchIndex


def test_a_failing_listener_does_not_make_the_index_fail(example_store) -> None:
    SearchEngine(example_store.root).open()  # as a previous session left it: the first rows are "listed"
    index = SearchIndex(example_store.root)
    told: list[str] = []
    done = threading.Event()

    def torn_down(state: str, done_: int, total: int) -> None:  # a screen whose widgets are gone
        raise LookupError("No nodes match 'ProgressBar'")

    def listener(state: str, done_: int, total: int) -> None:
        told.append(state)
        if state != "listed":
            done.set()

    index.subscribe(torn_down)
    index.subscribe(listener)
    assert index.refresh_in_thread()
    assert done.wait(60)
    assert told == ["listed", "ready"]
    assert index.ready and index.state == "ready"
    assert index.listing is not None and len(index.listing.columns) == len(example_store.ids())
