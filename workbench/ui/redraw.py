"""Updating a Static without re-laying out the screen when its size cannot change.

`Static.update` lays out by default, and in Textual a layout request re-arranges the whole screen: after a
save that was 63% of the time the event loop was blocked. A widget whose width and height are set (not
`auto`) keeps its size whatever it shows, so a repaint is enough.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


def update_static(widget: Static, content: VisualType) -> None:
    """Show `content` in `widget`: nothing when it already does, a repaint when its size is fixed."""
    if content == widget.content:
        return
    width, height = widget.styles.width, widget.styles.height
    sized_by_content = (width is not None and width.is_auto) or height is None or height.is_auto
    widget.update(content, layout=sized_by_content)
