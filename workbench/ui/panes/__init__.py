"""The panes of the incident screen, in tab order. Add a pane: subclass `Pane`, list it here.

The pane keys: the first ten panes in tab order have the digits 1…9 and 0 (alt+digit from a text field where the
terminal reports alt keys by kitty's keyboard protocol; tmux and xterm do not);
panes after them take a function key from FUNCTION_KEYS, in order (F8 is the Diagnostics pane's). Every pane
is also reached by "Go to <pane>" in the command palette and by ctrl+pageup / ctrl+pagedown.
"""

from __future__ import annotations

from .actions import ActionsPane
from .base import Pane
from .causes import CausesPane
from .diagnostics import DiagnosticsPane
from .evidence import EvidencePane
from .history import HistoryPane
from .narrative import NarrativePane
from .overview import OverviewPane
from .report import ReportPane
from .review import ReviewPane
from .taxonomy import TaxonomyPane
from .timeline import TimelinePane


DIGIT_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")
# Not F1, F10, F11 (terminals take them for help, menus and full screen) nor F5 (sync).
FUNCTION_KEYS = ("f8", "f6", "f7", "f9", "f12", "f2", "f3", "f4")


def pane_classes() -> list[type[Pane]]:
    return [
        OverviewPane,
        TimelinePane,
        CausesPane,
        ActionsPane,
        TaxonomyPane,
        NarrativePane,
        HistoryPane,
        ReviewPane,
        ReportPane,
        EvidencePane,
        DiagnosticsPane,
    ]


def pane_keys() -> list[str]:
    """The key each pane should have, by its place in tab order (what tests hold the panes' `key` to)."""
    return [*DIGIT_KEYS, *FUNCTION_KEYS][: len(pane_classes())]


__all__ = ["DIGIT_KEYS", "FUNCTION_KEYS", "Pane", "pane_classes", "pane_keys"]
