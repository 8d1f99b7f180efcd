"""The base of every pane of the incident screen. A pane draws the session's incident and turns
keys into new incident versions; the screen saves them (one commit each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.widget import Widget

from ...domain.model import Incident

if TYPE_CHECKING:
    from ..screens.incident import IncidentScreen
    from ..session import IncidentSession


class Pane(Widget, can_focus=False):
    """Subclasses set pane_id/title/key and implement `show()`."""

    pane_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    key: ClassVar[str] = ""  # the single key that brings it up on the incident screen

    DEFAULT_CSS = """
    Pane { height: 1fr; }
    """

    def __init__(self, session: IncidentSession) -> None:
        super().__init__(id=f"pane-{self.pane_id}")
        self.session = session

    @property
    def incident(self) -> Incident:
        return self.session.incident

    def show(self) -> None:
        """Redraw from `self.session`. Called on mount and after every change."""

    def saved(self) -> None:
        """A save landed on disk and in git (for panes that show history or disk state)."""

    def flush(self) -> None:
        """Save anything the pane holds that the session does not have yet (before closing)."""

    def focus_entry(self, entry_id: str) -> bool:
        """Put the cursor on an entry (for search results and review findings); True when found."""
        return False

    def commit(self, incident: Incident, what: str, narrative: str | None = None) -> None:
        self.incident_screen.apply(incident, self.pane_id, what, narrative)

    @property
    def incident_screen(self) -> IncidentScreen:
        from ..screens.incident import IncidentScreen

        screen = self.screen
        assert isinstance(screen, IncidentScreen)
        return screen
