"""DataTable helpers shared by every table-based pane and screen: the cursor by entry id (rows are keyed
by it), text shortened for a cell or a commit subject, theme colours for Rich text in cells."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
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


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most `limit` characters, "..." marking a cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def theme_style(widget: Widget, style: str) -> str:
    """Theme variables ($warning) resolved to colours for Rich text in table cells."""
    variables = widget.app.theme_variables
    return " ".join(variables.get(part[1:], part) if part.startswith("$") else part for part in style.split())
