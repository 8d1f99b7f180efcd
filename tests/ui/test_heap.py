"""ui/heap.py's bookkeeping across apps and overlapping screens: a closed screen is always collected in the end."""

from __future__ import annotations

import gc
import weakref

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


def test_a_build_left_counted_by_an_ended_app_does_not_hold_back_the_next_apps_collections() -> None:
    old, new = _App(), _App()
    try:
        heap.building(old)  # that app ended before its screen was built (and before app_closed ran)
        heap.building(new)
        heap.built()
        assert gc.isenabled()  # the new app's screen is up: the collector is back on
        garbage = _frozen_garbage_cycle()
        heap.released()
        assert garbage() is None
    finally:
        heap.app_closed()


def test_a_screen_closed_while_another_is_built_is_collected_when_that_build_ends() -> None:
    app = _App()
    try:
        heap.building(app)
        garbage = _frozen_garbage_cycle()
        heap.released()  # no full walk in the middle of a build
        assert garbage() is not None
        heap.built()
        assert garbage() is None and gc.isenabled()
    finally:
        heap.app_closed()


async def test_an_app_that_ends_while_a_screen_is_being_built_leaves_the_collector_on_and_nothing_frozen(make_app):
    assert gc.isenabled()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heap.building(app)  # as open_incident does: the collector held off while the screen is made ...
        assert not gc.isenabled()
        gc.freeze()
        app.exit()  # ... and the app ends first (before the screen is drawn and before the build's time limit)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
