"""A focusable scroll over a long read: the report, the meeting agenda, the help."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ReadingScroll(VerticalScroll):
    """A VerticalScroll whose focus restyles only itself.

    Textual restyles a widget and every descendant when it gains or loses focus, so that `:focus` rules can reach
    inside it. Nothing in this app styles by an ancestor's focus, and a rendered report is about 600 widgets
    (2,000 style rules applied): entering or leaving the Report pane held the event loop for most of a second.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
