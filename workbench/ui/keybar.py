"""The key bar at the foot of every screen: the keys in reach, drawn as one line of one widget.

Textual's Footer mounts a widget per key and rebuilds them all whenever the bindings change, which is on every
focus move. A pane switch moves focus, so it restyled and re-laid out about 230 nodes (on the 1k store, three
quarters of the style work of a switch). This bar reads the same bindings and draws them itself: a change of
bindings repaints one line and never asks for a layout (the bar is always one row high).

What it shows matches the Footer: one key per action (the first bound), a disabled key dimmed, the command
palette's key at the right edge; a click on a key presses it. Keys that do not fit are left out whole, never
cut in half (they are all in `?` and the palette).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyCap:
    """One key as the bar shows it."""

    key: str  # what simulate_key presses
    display: str  # what the bar shows ("^s", "?")
    description: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--palette"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .keybar--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[KeyCap, ...] = ()
        self.palette: KeyCap | None = None
        self._spans: list[tuple[int, int, KeyCap]] = []  # x ranges drawn last time, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_bindings()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        active = self.screen.active_bindings
        keys: list[KeyCap] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(KeyCap(binding.key, self.app.get_key_display(binding), binding.description, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = KeyCap(binding.key, self.app.get_key_display(binding), binding.description, enabled)
            keys = [k for k in keys if k.key != palette.key]
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()  # one row high whatever it shows: a repaint, never a layout

    def _cap(self, cap: KeyCap, key_style, description_style) -> Text:
        text = Text.assemble((f" {cap.display} ", key_style), (f"{cap.description} ", description_style))
        if not cap.enabled:
            text.stylize("dim")
        return text

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        width = self.size.width
        right = Text()
        if self.palette is not None:
            right = Text("▏", self.get_component_rich_style("keybar--palette")) + self._cap(
                self.palette, key_style, description_style
            )
        room = width - right.cell_len - 1
        line, spans, x = Text(), [], 0
        for cap in self.keys:
            piece = self._cap(cap, key_style, description_style)
            if x + piece.cell_len > room:
                break  # a key is shown whole or not at all
            line.append_text(piece)
            spans.append((x, x + piece.cell_len, cap))
            x += piece.cell_len
        if self.palette is not None and right.cell_len <= width:
            line.append(" " * (width - x - right.cell_len))
            spans.append((width - right.cell_len + 1, width, self.palette))
            line.append_text(right)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, cap in self._spans:
            if start <= event.x < end:
                if cap.enabled:
                    self.app.simulate_key(cap.key)
                else:
                    self.app.bell()
                return
