"""The base of every pane of the incident screen. A pane draws the session's incident and turns
keys into new incident versions; the screen saves them (one commit each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar

from textual.widget import Widget

from ...domain.model import Incident

if TYPE_CHECKING:
    from ..forms import FormModal
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

    def resumed(self) -> None:
        """The incident screen shows again after a screen or modal over it closed (e.g. the Taxonomy screen,
        where the taxonomy may have been edited)."""

    def flush(self) -> None:
        """Save anything the pane holds that the session does not have yet (before closing)."""

    def focus_entry(self, entry_id: str) -> bool:
        """Put the cursor on an entry (for search results and review findings); True when found."""
        return False

    def open_form(self, form: FormModal, done: Callable[[Any], Any], action: str,
                  entry: str | None = None) -> None:
        """Show a form whose typing is journaled; `action` (run with the cursor on `entry`) opens it again.

        That pair is all a restore after a crash needs: the values typed come back into the same form.
        Values typed into this form before and never saved (a crash, "later" at the start) are shown.
        """
        from ..form_journal import open_journaled_form

        open_journaled_form(self.app, self.session, form, done, self.pane_id, action, entry)

    def reopen_form(self, content: dict[str, Any]) -> bool:
        """Restore: put the cursor on the entry and run the action that opens the form (pre-filled from
        the journal by `open_form`). False when the entry is gone (the journal entry is kept)."""
        entry = content.get("entry")
        if entry and not self.focus_entry(entry):
            self.notify(f"{entry} is not in {self.title} any more; what was typed is kept (workbench recover "
                        "shows it, d in the restore list discards it)", severity="warning", timeout=10)
            return False
        self.call_later(self._run_reopen, content["action"], list(content.get("then") or []))
        return True

    async def _run_reopen(self, action: str, then: list[str]) -> None:
        await self.run_action(action)
        for step in then:  # on the screen the action opened (the review meeting: its section, then the form)
            await self.app.screen.run_action(step)

    def commit(self, incident: Incident, what: str, narrative: str | None = None) -> None:
        self.incident_screen.apply(incident, self.pane_id, what, narrative)

    @property
    def incident_screen(self) -> IncidentScreen:
        from ..screens.incident import IncidentScreen

        screen = self.screen
        assert isinstance(screen, IncidentScreen)
        return screen
