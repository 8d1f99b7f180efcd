"""Updating a Static without re-laying out the screen when its size does not change.

`Static.update` lays out by default, and in Textual a layout request re-arranges the whole screen and
re-measures every widget whose size follows its content: after a save that was most of the time the event
loop was blocked. A widget whose width and height are set (not `auto`) keeps its size whatever it shows, so
a repaint is enough; one whose height follows its content at a set width (a section of a pane) keeps its
size when the new content is as many lines as the old, which is measured here as Textual measures it.
"""

from __future__ import annotations

from rich.console import ConsoleRenderable
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
