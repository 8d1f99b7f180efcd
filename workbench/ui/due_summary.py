"""The follow-through counts the start screen shows: the same figures as `workbench due`."""

from __future__ import annotations

import os
from datetime import date

from rich.text import Text

from ..services.clock import today as clock_today

WITHIN_DAYS = 14


def ui_today(app) -> date:
    """$WORKBENCH_TODAY when set (as for `workbench due`), else the app's clock (frozen in tests)."""
    if os.environ.get("WORKBENCH_TODAY"):
        return clock_today()
    return app.clock().date()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def due_text(c: dict[str, int], within: int = WITHIN_DAYS) -> Text:
    """The counts of `services.followup.due.due_counts` (or `DueReport.counts()`) as one styled line."""
    parts: list[tuple[str, str]] = []
    if c["overdue_actions"]:
        parts.append((_count(c["overdue_actions"], "overdue action"), "bold red"))
    if c["overdue_follow_ups"]:
        parts.append((_count(c["overdue_follow_ups"], "follow-up") + " overdue", "bold red"))
    if c["resurfaced"]:
        parts.append((f"{c['resurfaced']} closed resurfaced", "bold yellow"))  # closed incidents
    upcoming = c["upcoming_actions"] + c["follow_ups"] - c["overdue_follow_ups"]
    if upcoming:
        parts.append((f"{upcoming} due in {within}d", "yellow"))
    out = Text("due: ", style="dim")
    if not parts:
        out.append("nothing overdue", style="green")
    for i, (label, style) in enumerate(parts):
        out.append((" · " if i else ""))
        out.append(label, style=style)
    return out
