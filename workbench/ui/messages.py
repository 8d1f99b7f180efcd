"""Messages that cross screens, named in the past tense."""

from __future__ import annotations

from textual.message import Message

from ..store import IncidentRecord


class IncidentSaved(Message):
    """A save landed on disk and in git."""

    def __init__(self, record: IncidentRecord, subject: str) -> None:
        self.record = record
        self.subject = subject
        super().__init__()


class IncidentChanged(Message):
    """The in-memory incident changed (before it reaches disk); panes redraw from it."""


class SaveFailed(Message):
    def __init__(self, error: Exception, subject: str) -> None:
        self.error = error
        self.subject = subject
        super().__init__()


class OpenIncident(Message):
    """Ask the app to open an incident, optionally at a pane and an entry."""

    def __init__(self, incident_id: str, pane: str | None = None, entry: str | None = None) -> None:
        self.incident_id = incident_id
        self.pane = pane
        self.entry = entry
        super().__init__()
