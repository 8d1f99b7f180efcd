"""DataTable cursor helpers shared by every table-based pane and screen (rows are keyed by entry id)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    try:
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    except Exception:  # the cursor can sit outside the rows while the table is being refilled
        return None


def move_to(table: DataTable[Any], key: str) -> bool:
    """Put the cursor on the row with `key`; False when there is no such row."""
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:
        return False
    return True
