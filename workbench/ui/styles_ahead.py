"""A screen's CSS put in the stylesheet before the screen first opens, and its first frame styled once.

Textual adds a widget class's DEFAULT_CSS to the app's stylesheet when the first widget of that class is
mounted, and parses the new source then: an incident screen opened for the first time brought 14 sources
(the screen, its panes, the tab bar's parts), parsed across the open's first callbacks (~10 ms near idle,
~35 ms of loop CPU at load 15). `add_default_css` adds a class's CSS as Textual itself would (its own
source and its bases', each with the tie-breaker Textual gives it), so that mount finds it there; classes
of Textual's own that are not public are brought by mounting one hidden instance of a public widget that
contains them (`warm`), as `forms.warm_form_styles` does for the forms.

`styled_once` then lets a screen skip the second styling Textual does when a screen is first shown:
ScreenResume styles every widget again, though each was styled as it was mounted, a sixth of the open's
longest hold. It is only safe when no CSS arrived after the screen's first widgets were styled (a source
added by a later child can hold rules for the screen itself: FormModal's alignment lives in FormBody's
CSS), so a screen counts the stylesheet's sources when it is made and skips only if none came since."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

WARMUP_ID = "styles-ahead-warmup"


def add_default_css(app: App[Any], cls: type[DOMNode]) -> None:
    """Add the DEFAULT_CSS of `cls` and of the bases it inherits CSS from, as mounting an instance would:
    the class itself first (tie-breaker 0), then each first base that is a DOM node (-1, -2, ...); a source
    already there keeps the lowest tie-breaker, as in Textual's own `add_source`. Parsed at the next use."""
    sheet = app.stylesheet
    chain: list[type[DOMNode]] = [cls]
    while True:
        base = next((b for b in chain[-1].__bases__ if issubclass(b, DOMNode)), None)
        if base is None:
            break
        chain.append(base)
    for depth, base in enumerate(chain):
        css = base.__dict__.get("DEFAULT_CSS", "")
        if not css:
            continue
        try:
            path = inspect.getfile(base)
        except (TypeError, OSError):
            path = ""
        scope = base.__name__ if base.__dict__.get("SCOPED_CSS", True) else ""
        sheet.add_source(
            css, read_from=(path, f"{base.__name__}.DEFAULT_CSS"), is_default_css=True, tie_breaker=-depth, scope=scope
        )


def warm(screen: Screen[Any], box: Widget, then: Callable[[], None] | None = None) -> None:
    """Mount `box` (hidden) into `screen` and remove it once mounted: its widgets' CSS is then in the
    stylesheet, parsed in that one callback while the app is idle. `then`: called once it is removed."""
    box.id = WARMUP_ID
    box.display = False
    screen.call_later(mount_then_remove, screen, box, then)


async def mount_then_remove(parent: Widget, box: Widget, then: Callable[[], None] | None = None) -> None:
    """Mount `box` into `parent`, wait until every widget in it has handled its Mount, then remove it (and call
    `then`); nothing once the app is closing (a warm-up is only ever worth something to a running app).

    `mount` returns once `box` itself is mounted; its children compose and mount in their own tasks after
    that. Removed before then, or mounted while the app's screens were being closed, a Select handled its Mount
    with its overlay already pruned and raised NoMatches, which ended the app with an error."""

    def running() -> bool:
        return parent.is_attached and parent.app.is_running

    if not running():
        return
    await parent.mount(box)
    while running() and not all(widget.is_mounted for widget in box.walk_children(Widget, with_self=True)):
        await asyncio.sleep(0.01)
    if running():
        await box.remove()
        if then is not None:
            then()


def warmed(screen: Screen[Any]) -> bool:
    """Whether no warm-up box is left in `screen` (mounted and removed again, or never started)."""
    return not screen.query(f"#{WARMUP_ID}")


def css_sources(app: App[Any]) -> int:
    """How many CSS sources the stylesheet holds (one per class with DEFAULT_CSS, plus the app's files)."""
    return len(app.stylesheet.source)


def styled_once(event: events.ScreenResume, first: bool, sources_then: int, sources_now: int) -> None:
    """Call from a screen's `on_screen_resume` (it runs before Screen's own handler): on its first resume,
    when no CSS source was added since the screen was made, its widgets are not styled a second time."""
    if first and sources_now == sources_then:
        event.refresh_styles = False
