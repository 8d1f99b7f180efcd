"""The panes of the incident screen, in tab order. Add a pane: subclass `Pane`, list it here."""

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


def pane_classes() -> list[type[Pane]]:
    return [OverviewPane, TimelinePane, CausesPane, ActionsPane, TaxonomyPane, NarrativePane, HistoryPane,
            ReviewPane, ReportPane, EvidencePane, DiagnosticsPane]


__all__ = ["Pane", "pane_classes"]
