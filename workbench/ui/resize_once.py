"""A screen's layout done once when it opens, not twice.

Textual lays a screen out when it is first shown (its ScreenResume), and that layout then sends the screen
a Resize of the size it was just laid out at; the Screen's default Resize handler lays the whole screen out
and paints it again, and lays out every screen under it too (for a form, the incident screen beneath).
Measured on the 10k store: about a third of the event loop's longest hold while an incident opens, and of a
form's first frame. A Resize to the size the screen already has changes nothing, so a screen handling
`on_resize` with `skip_same_size` lets only real size changes through (the terminal resized: the app posts
the new size to each screen, which then differs from the size it has)."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


def skip_same_size(screen: Screen, event: events.Resize) -> None:
    """Keep Textual's Screen from laying `screen` (and those beneath it) out again at the size it has."""
    if event.size == screen.outer_size:
        event.prevent_default()
