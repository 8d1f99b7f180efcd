"""The one-line summary and key hints above a pane or a screen, whole at any width.

"11 entries · 2 long silences   a add · e edit · d delete · i import · T key times" does not fit in 80
columns. Like lazygit's options bar, the line keeps what it can in order of priority and says where the rest
is: the status first (in the longest form that leaves the most room for keys), then the keys in the order
given (the most used first), and "? more" when any key was left out (`?` lists every key; the footer shows them too).
Nothing is ever cut mid-word; only a status too long for the line on its own ends in an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

GAP = "   "  # between the status and the keys
SEP = " · "
MORE = "? more"


def fit_hint(statuses: Sequence[str], keys: Sequence[tuple[str, str]], width: int | None) -> Text:
    """The line for `width` columns: the status form (longest first) after which the most keys fit, every key
    or as many as fit followed by "? more". A shorter form only ever says the same counts in fewer words, so
    a key is worth more than the longer wording; the longest form wins among equals."""
    forms = [s for s in statuses if s] or [""]
    if not width:
        return _line(forms[0], keys, dropped=False)
    best: tuple[int, Text] | None = None
    for status in forms:
        whole = _line(status, keys, dropped=False)
        if whole.cell_len <= width:
            return whole
        for n in range(len(keys) - 1, -1, -1):
            line = _line(status, keys[:n], dropped=True)
            if line.cell_len <= width:
                if best is None or n > best[0]:
                    best = (n, line)
                break
    if best is not None:
        return best[1]
    line = Text(forms[-1], no_wrap=True, overflow="ellipsis")
    line.truncate(width, overflow="ellipsis")
    return line


def _line(status: str, keys: Sequence[tuple[str, str]], dropped: bool) -> Text:
    line = Text(status, no_wrap=True)
    parts = [*keys, ("?", "more")] if dropped else list(keys)
    for n, (key, label) in enumerate(parts):
        line.append(SEP if n else (GAP if status else ""))
        line.append(key, style="bold")
        line.append(f" {label}")
    return line


class HintLine(Widget):
    """A pane's summary line: `show(status, keys)`; `status` may be a list of forms, longest first.

    A fixed one-line height: a change repaints it and never re-lays out the screen (see redraw.py)."""

    DEFAULT_CSS = """
    HintLine { height: 1; width: 1fr; color: $text-muted; padding: 0 1; }
    """

    def __init__(
        self,
        status: str | Sequence[str] = "",
        keys: Sequence[tuple[str, str]] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.statuses: tuple[str, ...] = (status,) if isinstance(status, str) else tuple(status)
        self.keys: tuple[tuple[str, str], ...] = tuple(keys)

    def show(self, status: str | Sequence[str], keys: Sequence[tuple[str, str]] | None = None) -> None:
        statuses = (status,) if isinstance(status, str) else tuple(status)
        shown_keys = self.keys if keys is None else tuple(keys)
        if (statuses, shown_keys) == (self.statuses, self.keys):
            return
        self.statuses, self.keys = statuses, shown_keys
        self.refresh()

    def render(self) -> Text:
        return fit_hint(self.statuses, self.keys, self.content_size.width)
