"""Snapshots of the Taxonomy screen, its modals, the Learning screen and the start screen's due counts.

Fixed size, frozen clock, example store (or the 33-incident fixture store for the due counts).
Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from learning_store import learning_copy, learning_root  # noqa: F401

from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig

from .test_taxonomy_screen import open_taxonomy
from .waiting import until

SIZE = (140, 40)


def _taxonomy(query: str = "", then: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        await open_taxonomy(pilot, query)
        for key in then:
            await pilot.press(key)
        await pilot.pause()
        await pilot.pause()

    return run_before


def test_taxonomy_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy())


def test_taxonomy_screen_filtered(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("misrouting"))


def test_taxonomy_add_modal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("kv cache", ("a",)))


def test_taxonomy_edit_modal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("kv cache", ("e",)))


def test_taxonomy_rename_modal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("kv cache", ("r",)))


def test_taxonomy_merge_modal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("kv cache", ("m",)))


def test_taxonomy_deprecate_modal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_taxonomy("kv cache", ("x",)))


def test_learning_screen(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("L")
        await until(pilot, lambda: getattr(pilot.app.screen, "stats", None) is not None, "the stats")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_start_screen_due_counts(snap_compare, learning_copy):  # noqa: F811
    app = WorkbenchApp(
        learning_copy,
        UserConfig(),
        clock=lambda: datetime(2026, 1, 15, 9, tzinfo=timezone.utc),
        store_label="~/learning",
    )

    async def run_before(pilot) -> None:
        await until(pilot, lambda: getattr(app.screen, "due_counts", None) is not None, "the due counts")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
