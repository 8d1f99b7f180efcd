"""Messages the incident screen posts to itself from the save thread, named in the past tense.

(What panes tell the screen is in `Pane`'s own messages: `Pane.Edited`, `Pane.EntryWanted`, ... in panes/base.py.)
"""

from __future__ import annotations

from textual.message import Message

from ..store import IncidentRecord


class IncidentSaved(Message):
    """A save landed on disk and in git."""

    def __init__(self, record: IncidentRecord, subject: str) -> None:
        self.record = record
        self.subject = subject
        super().__init__()


class IncidentNotSaved(Message):
    """A save failed (the store's `SaveFailed`, `RepoBusy`, `OutsideEdit`, ...): the edit stays in memory."""

    def __init__(self, error: Exception, subject: str) -> None:
        self.error = error
        self.subject = subject
        super().__init__()
