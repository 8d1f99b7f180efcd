"""The index freezes what it loaded out of the collector's sight only while its app is open: an open that
outlives the app (the app's unfreeze has run) must not leave objects frozen for good."""

from __future__ import annotations

import gc
import threading

from workbench.ui.search_index import SearchIndex


def _open(index: SearchIndex) -> None:
    done = threading.Event()
    index.subscribe(lambda state, *_: done.set() if state == "ready" or state.startswith("failed") else None)
    assert index.refresh_in_thread()
    assert done.wait(60)
    assert index.state == "ready"


def test_an_open_index_freezes_what_it_loaded(example_store) -> None:
    gc.unfreeze()
    try:
        _open(SearchIndex(example_store.root))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_an_index_closed_before_its_open_ends_freezes_nothing(example_store) -> None:
    gc.unfreeze()
    index = SearchIndex(example_store.root)
    index.close()  # the app ended while the thread was still opening
    try:
        _open(index)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
