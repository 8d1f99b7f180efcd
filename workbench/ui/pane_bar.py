"""The incident screen's pane tabs, drawn as two lines of one widget.

Textual's TabbedContent is ~30 widgets for eleven panes (a tab bar of scroll, list and bar containers, one Static
per label, an underline, a content switcher): every layout of the screen arranged and measured each, and the first
ones (a screen's first frame, then the layout every new widget asks for when it first learns its size) painted
each. Those widgets were about 40% of an incident screen's on its first frame. This bar draws the same picture
itself: the labels on the first line (the shown pane's bright, the others dimmed), Textual's underline bar under
the shown one on the second, scrolled so the shown label sits in the middle when the labels are wider than the
screen (80 columns), as Textual's tabs scroll. A click on a label posts `Chosen`. It takes focus as Textual's tabs
did (an editor's escape moves focus on, which must leave the editor; left / right then step between panes), and
draws focus as they did. Changing the shown pane repaints these two lines and lays nothing
out (the bar is always two rows high)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget


class PaneBar(Widget, can_focus=True):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"pane-bar--tab", "pane-bar--active", "pane-bar--underline"}
    BINDINGS = [
        Binding("left", "step(-1)", "Previous pane (the tab bar focused)", id="pane_bar.previous", show=False),
        Binding("right", "step(1)", "Next pane (the tab bar focused)", id="pane_bar.next", show=False),
    ]
    # The colours of Textual's Tab and Underline (textual/widgets/_tabs.py), so the screen looks as it did.
    DEFAULT_CSS = """
    PaneBar {
        width: 1fr;
        height: 2;
        & > .pane-bar--tab { color: $foreground 50%; }
        & > .pane-bar--active { color: $foreground; }
        & > .pane-bar--underline { color: $block-cursor-background; background: $foreground 10%; }
        &:focus {
            & > .pane-bar--underline { background: $foreground 30%; }
            & > .pane-bar--active {
                text-style: $block-cursor-text-style;
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:ansi {
            & > .pane-bar--tab { text-style: dim; }
            & > .pane-bar--active { text-style: not dim bold; }
            & > .pane-bar--underline { color: $block-cursor-background; background: $border-blurred; }
        }
    }
    """

    active: reactive[str] = reactive("", layout=False)

    class Chosen(Message):
        """A label was clicked: show the pane with this id."""

        def __init__(self, tab_id: str) -> None:
            super().__init__()
            self.tab_id = tab_id

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        """`tabs`: (id, label) in order; `active`: the id of the one shown."""
        super().__init__(id=id)
        self.tabs = tabs
        self.set_reactive(PaneBar.active, active)
        spans: list[tuple[int, int]] = []  # each label's cells with its padding, from the bar's left edge
        x = 0
        for _, label in tabs:
            width = Text(label).cell_len + 2  # padding 0 1, as Textual's Tab
            spans.append((x, x + width))
            x += width
        self._spans = spans
        self._total = x
        self._scroll = 0  # cells scrolled off to the left (Textual's tabs scroll to centre the shown one)

    def watch_active(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, step: int) -> None:
        """left / right while the bar has focus (as on Textual's tabs): the pane before or after."""
        ids = [tab_id for tab_id, _ in self.tabs]
        if self.active in ids:
            self.post_message(self.Chosen(ids[(ids.index(self.active) + step) % len(ids)]))

    def _scrolled(self, view: int) -> int:
        """Where Textual's `scroll_to_center(force=True)` leaves the tabs: the shown label's centre at the
        view's centre, rounded as Textual rounds, within the labels; the previous position matters to that
        rounding, so it is kept."""
        most = max(0, self._total - view)
        index = next((n for n, (tab_id, _) in enumerate(self.tabs) if tab_id == self.active), None)
        if index is None:
            self._scroll = min(self._scroll, most)
            return self._scroll
        start, end = self._spans[index]
        centre = start + (end - start) / 2
        scroll = self._scroll
        delta = int(centre - (scroll + view / 2) + 0.5)
        self._scroll = max(0, min(scroll + delta, most))
        return self._scroll

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width <= 0 or y > 1:
            return Strip.blank(width, self.rich_style)
        scroll = self._scrolled(width)
        base = self.rich_style
        if y == 0:
            tab_style = base + self.get_component_rich_style("pane-bar--tab")
            active_style = base + self.get_component_rich_style("pane-bar--active")
            pad = Style.from_color(bgcolor=base.bgcolor)
            segments = []
            for tab_id, label in self.tabs:  # padding apart from the label, as Textual draws a Tab
                shown = tab_id == self.active
                # A focused bar's shown tab has the cursor's background, padding included (Textual's Tabs:focus).
                around = Style.from_color(bgcolor=active_style.bgcolor) if shown and self.has_focus else pad
                segments += [
                    Segment(" ", around),
                    Segment(label, active_style if shown else tab_style),
                    Segment(" ", around),
                ]
            strip = Strip(segments, self._total).extend_cell_length(width, pad)  # the rest: as a Tab's padding
        else:
            bar_style = self.get_component_rich_style("pane-bar--underline")
            index = next((n for n, (tab_id, _) in enumerate(self.tabs) if tab_id == self.active), None)
            if index is None:
                highlight = (0, 0)
            else:
                start, end = self._spans[index]
                highlight = (start + 1, end - 1)  # the label without its padding, as Textual's underline
            bar = Bar(
                highlight_range=highlight,
                highlight_style=Style.from_color(bar_style.color),
                background_style=Style.from_color(bar_style.bgcolor),
                width=max(self._total, width),
            )
            console = self.app.console
            segments = list(console.render(bar, self.app.console_options.update_width(max(self._total, width))))
            strip = Strip([s for s in segments if s.text != "\n"]).apply_style(base)
        strip = strip.crop(scroll, scroll + width).extend_cell_length(width, base)
        return strip.simplify()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        x = event.x + self._scroll
        for (tab_id, _), (start, end) in zip(self.tabs, self._spans):
            if start <= x < end:
                self.post_message(self.Chosen(tab_id))
                return
