"""Updating a Static without re-laying out the screen when its size does not change.

`Static.update` lays out by default, and in Textual a layout request re-arranges the whole screen and
re-measures every widget whose size follows its content: after a save that was most of the time the event
loop was blocked. A widget whose width and height are set (not `auto`) keeps its size whatever it shows, so
a repaint is enough; one whose height follows its content at a set width (a section of a pane) keeps its
size when the new content is as many lines as the old, which is measured here as Textual measures it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static


def update_static(widget: Static, content: VisualType) -> None:
    """Show `content` in `widget`: nothing when it already does, a repaint when its size stays the same."""
    if content == widget.content:
        return
    widget.update(content, layout=_size_may_change(widget, content))


def _size_may_change(widget: Static, content: VisualType) -> bool:
    width, height = widget.styles.width, widget.styles.height
    if not ((width is not None and width.is_auto) or height is None or height.is_auto):
        return False  # a set size: whatever it shows
    if (width is not None and width.is_auto) or not widget.is_mounted or not widget.display:
        return True
    # Rich renderables (tables) only: strings are markup and Text is wrapped by Textual's own rules.
    size = widget.content_size
    if isinstance(content, (str, Text)) or not isinstance(content, ConsoleRenderable) or size.width <= 0:
        return True
    app = widget.app
    options = app.console_options.update_width(size.width).update(highlight=False)
    lines = sum(text.count("\n") for text, _, _ in app.console.render(content, options))
    return lines != size.height


class RenderedOnce:
    """A rich Table (or any renderable drawn the same whatever height it is offered, as a word-wrapped Syntax)
    whose lines are made once per width and then reused; `lines_at` makes them ahead, in a worker thread.

    Textual renders a Static's rich content once to measure its height and again to paint it, and each layout
    of the screen measures it again. An incident screen is laid out two or three times as it opens (Textual's
    own widgets ask for a layout as they mount, after the screen's first one), so the Overview's five tables
    were rendered about ten times before the screen settled: ~30 ms of the event loop. A Table renders the
    same lines for the same width whatever height it is offered (rich renders its cells with no height), so
    the lines are kept by the options that change them."""

    KEEP = 4  # widths kept (the pane's width, and the widths it was measured at on the way)

    def __init__(self, table: ConsoleRenderable) -> None:
        self.table = table
        self._lines: dict[tuple[object, ...], list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self.lines_at(console, options)

    def lines_at(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        """The lines at these options, made now if not yet. Safe in a thread before the widget shows this (Rich
        keeps a console's render state per thread); what it makes there is what the loop then finds."""
        key = (
            options.max_width,
            options.min_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.markup,
            options.is_terminal,
            options.encoding,
            options.legacy_windows,
        )
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= self.KEEP:
                self._lines.clear()
            lines = self._lines[key] = list(console.render(self.table, options))
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table)

    def prime(self, console: Console, options: ConsoleOptions) -> None:
        """Make the lines for `options` now (the width a layout to come will ask for), in the caller's turn."""
        self.__rich_console__(console, options)


class KeptLines:
    """A widget's rich table and its lines, kept across the widget's calls to render() while its styles stay the same.

    Textual asks a widget for its content again after each refresh and each layout (its size set), then renders
    it once to measure its height and once more to paint it: a Markdown table or list made afresh at each
    render() (the Report pane's one-widget blocks) was drawn twice at each layout and paint, much of the event
    loop's longest stretch after a page of the report is built. Such a widget keeps one KeptLines for its
    content (a new one when its content changes) and its render() returns `get(styles, make)`: the same
    RenderedOnce while `styles` (what it is drawn with besides the content: the theme's component styles, a
    selection's colours) compares equal, so its lines at a width are made once and serve both."""

    def __init__(self) -> None:
        self._styles: tuple[object, ...] | None = None
        self._once: RenderedOnce | None = None

    def get(self, styles: tuple[object, ...], make: Callable[[], ConsoleRenderable]) -> RenderedOnce:
        """The kept table; made anew by `make` when the styles are not those it was made with."""
        if self._once is None or styles != self._styles:
            self._styles, self._once = styles, RenderedOnce(make())
        return self._once
