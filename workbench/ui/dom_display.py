"""Whether a widget is on show, as far as the DOM says."""

from __future__ import annotations

from textual.widget import Widget


def displayed_in_dom(widget: Widget) -> bool:
    """Attached, and neither it nor an ancestor below its screen has `display` off (the incident screen's pane
    switcher hides every pane but one). Asking the compositor instead could make it lay out every widget; the DOM
    also answers in `on_mount`, where `is_mounted` is not true yet."""
    if not widget.is_attached:
        return False
    screen = widget.screen
    for node in widget.ancestors_with_self:
        if node is screen:
            return True
        if not node.display:
            return False
    return False
