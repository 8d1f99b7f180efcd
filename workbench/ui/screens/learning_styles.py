"""The Learning screen's CSS, and putting it and its widgets' CSS in the stylesheet ahead of the first `L`.

Textual keeps the parsed rules of at most 64 CSS sources (its stylesheet's parse cache); once an app holds more
(an incident screen opened brings its panes', Textual's own widgets' and the forms': ~90 on the 10k screens run),
every new source makes it parse every source again. The Learning screen brought two such batches on the event
loop: its own CSS as `L` pushed it (plus Header's and Input's when first used), then Sparkline's and Label's with
its first section: two turns of 60-140 ms of loop CPU at load 13, mostly that parsing. Here they are added while
the list is read, with the incident screen's (`app._prefetch_incident_screen`), so the one parse that warm-up
does anyway covers them and neither the push nor the first section parses anything. Kept apart from
`learning.py`, whose import (the figures' modules) stays off the start (app.action_learning)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Sparkline, Static

from ..keybar import KeyBar
from ..reading_scroll import ReadingScroll
from ..styles_ahead import add_default_css
from ..tables import FitTable

LEARNING_CSS = """
LearningScreen #since { margin: 0 1; width: 60; }
LearningScreen #learning-summary { height: auto; padding: 0 1; color: $text-muted; }
LearningScreen #learning-body { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
LearningScreen .section { text-style: bold; color: $primary; padding: 1 0 0 0; }
LearningScreen .family-row { height: 1; }
LearningScreen .family-name { width: 30; }
LearningScreen .family-row Sparkline { width: 24; }
LearningScreen .family-counts { width: 1fr; padding: 0 0 0 2; color: $text-muted; }
LearningScreen #learning-causes { height: auto; max-height: 12; }
LearningScreen #learning-cause-detail { height: auto; border-top: solid $panel; }
"""

# Where Textual says LearningScreen's CSS comes from (the file that defines the class, and the class variable):
# the same key, so that pushing the screen finds its source there and adds none.
LEARNING_CSS_FROM = (str(Path(__file__).with_name("learning.py")), "LearningScreen.DEFAULT_CSS")

# The widgets the screen and its sections are made of (their bases' CSS comes with them).
WIDGETS = (Header, Input, Static, ReadingScroll, KeyBar, Horizontal, Label, Sparkline, DataTable, FitTable)


def add_learning_styles(app: App[Any]) -> None:
    """Add the Learning screen's CSS and its widgets' to `app`'s stylesheet, as their first mounts would; parsed
    at the stylesheet's next use (call it just before a warm-up that mounts something: one parse for both)."""
    app.stylesheet.add_source(
        LEARNING_CSS, read_from=LEARNING_CSS_FROM, is_default_css=True, tie_breaker=0, scope="LearningScreen"
    )
    for widget_class in WIDGETS:
        add_default_css(app, widget_class)
