"""A warm-up box (hidden widgets mounted to bring their CSS, then removed) never ends the app with an error: one
that comes due while the app is closing mounts nothing (mounting then raised MountError; a Select mounted while
the screens were being closed raised NoMatches for its pruned overlay), and one that runs is removed only once
every widget in it has handled its Mount."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from workbench.ui.styles_ahead import mount_then_remove


class LateSelect(Select[str]):
    """A Select whose Mount takes a while before Select's own handler runs, as under load."""

    async def on_mount(self) -> None:
        await asyncio.sleep(0.1)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("host")


def warm_up_box() -> Vertical:
    box = Vertical(LateSelect([("a", "a")]), Input())
    box.display = False
    return box


async def test_a_warm_up_that_comes_due_as_the_app_exits_mounts_nothing() -> None:
    app = Host()
    box = warm_up_box()
    async with app.run_test():
        screen = app.screen
        app.exit()
        screen.call_later(mount_then_remove, screen, box)
        await asyncio.sleep(0.05)
    # run_test re-raises what ended the app: the MountError of a mount into a closing app would fail here.
    assert app.return_code == 0
    assert not box.is_mounted


async def test_a_warm_up_box_is_gone_once_all_its_widgets_are_mounted() -> None:
    app = Host()
    box = warm_up_box()
    async with app.run_test() as pilot:
        await mount_then_remove(app.screen, box)
        await pilot.pause()
        assert all(widget.is_mounted for widget in box.walk_children(with_self=True))
        assert not box.is_attached
        assert app.screen.query_one(Label)  # the app's own widgets stay
