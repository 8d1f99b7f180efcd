"""The base of a pane whose entries are the rows of its one table, keyed by entry id (Timeline, Actions)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from ..tables import cursor_into_view, move_to, place_cursor
from .base import Pane


class TableEntriesPane(Pane):
    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    def _show_detail(self) -> None:
        """Draw the entry under the cursor in the pane's detail line."""
        raise NotImplementedError

    def focus_entry(self, entry_id: str) -> bool:
        return move_to(self.table, entry_id)

    def focus_entry_before_layout(self, entry_id: str) -> bool:
        if not place_cursor(self.table, entry_id):
            return False
        self._show_detail()
        return True

    def cursor_into_view(self) -> None:
        cursor_into_view(self.table)
