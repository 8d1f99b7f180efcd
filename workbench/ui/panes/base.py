"""The base of every pane of the incident screen. A pane draws the session's incident and turns keys
into new incident versions; the session saves them in the background (one commit each).

A pane never imports or calls the screen that holds it: what it needs from the rest of the screen (another
pane shown, an entry found, a meeting opened, the stage bar redrawn) it asks for with a message that bubbles
up, named for what happened. `IncidentScreen` handles every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from textual.message import Message
from textual.widget import Widget

from ...domain.model import Incident
from ...store import IncidentRecord
from ..dom_display import displayed_in_dom
from ..readonly import refuse_edit

if TYPE_CHECKING:
    from ..forms import FormModal
    from ..session import IncidentSession


class Pane(Widget, can_focus=False):
    """Subclasses set pane_id/title/key and implement `show()`."""

    # ------------------------------------------------------------------ messages up to the screen
    @dataclass
    class Edited(Message):
        """The pane put a new version of the incident in the session (its save is queued): the screen
        redraws the stage bar, the title and the other panes, and shows "saving…"."""

        pane: Pane
        what: str

    @dataclass
    class Written(Message):
        """Files were written and committed outside the save queue (evidence added or removed, a meeting's
        new action) and the session took the saved version: the screen treats it as a landed save and
        redraws the panes (all but `drawn`, which has redrawn itself)."""

        record: IncidentRecord
        subject: str
        drawn: Pane | None = None

    @dataclass
    class NarrativeReplaced(Message):
        """The narrative was replaced from elsewhere (a restored version): the narrative editor adopts it."""

        text: str

    @dataclass
    class PaneWanted(Message):
        """Show another pane; then put its cursor at a narrative line, or run one of its actions."""

        pane_id: str
        line: int | None = None
        action: str | None = None

    @dataclass
    class EntryWanted(Message):
        """Show whichever pane lists this entry, cursor on it; `missing` is said when none does."""

        pane: Pane
        entry_id: str
        missing: str

    @dataclass
    class IncidentWanted(Message):
        """Open another incident over this one (a similar incident chosen)."""

        incident_id: str

    pane_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # The key that brings it up on the incident screen (the scheme: PANE_KEYS in panes/__init__.py).
    key: ClassVar[str] = ""
    # True for a pane that reads or writes files of the incident beyond its two (evidence, review.toml,
    # exports, the taxonomy index): not shown over the in-memory store (IncidentSession.disk is None).
    needs_disk: ClassVar[bool] = False

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

    def focus_entry_before_layout(self, entry_id: str) -> bool:
        """Put the cursor on an entry before the screen's first layout (a search result opened at it), with what
        shows the entry under the cursor (a detail line) drawn now: the screen's first frame shows it, and no
        second layout follows for it. False when the pane does not (the screen moves to it after the first frame,
        with `focus_entry`, which also scrolls it into view once the pane has a size)."""
        return False

    def cursor_into_view(self) -> None:
        """Scroll the cursor into view, once laid out (after `focus_entry_before_layout`): where the cursor is then,
        on the entry or where a key typed meanwhile moved it."""

    def focus_line(self, line: int) -> bool:
        """Put the cursor on a line of the file the pane edits (the narrative); True when it has one."""
        return False

    def displayed(self) -> bool:
        """Shown on its screen, as far as the DOM says (the pane switcher hides every pane but one). Also in its
        `on_mount` (where `is_mounted` is not true yet)."""
        return displayed_in_dom(self)

    def first_seen(self, then: Callable[[], object]) -> None:
        """Call from `on_mount`: `then()` once the pane has been laid out, if it is shown as it mounts (a pane is
        mounted when first shown). For work a pane starts when first seen, besides its `on_show`: Textual can drop
        a new widget's first Show (the end of its mount refreshes it, which reads its region; when the
        compositor's map is stale then, it is rebuilt with the pane in, and the layout after finds nothing newly
        shown). `then` must do nothing the second time (the Show may come too)."""
        if self.displayed():
            self.call_after_refresh(lambda: then() if self.displayed() else None)

    def open_form(self, form: FormModal, done: Callable[[Any], Any], action: str, entry: str | None = None) -> None:
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
            self.notify(
                f"{entry} is not in {self.title} any more; what was typed is kept (workbench recover "
                "shows it, d in the restore list discards it)",
                severity="warning",
                timeout=10,
            )
            return False
        self.call_later(self._run_reopen, content["action"], list(content.get("then") or []))
        return True

    async def _run_reopen(self, action: str, then: list[str]) -> None:
        await self.run_action(action)
        for step in then:  # on the screen the action opened (the review meeting: its section, then the form)
            await self.app.screen.run_action(step)

    def commit(
        self, incident: Incident, what: str, narrative: str | None = None, trailers: tuple[str, ...] = ()
    ) -> None:
        """An edit: shown here at once, saved and committed in the background, announced to the screen."""
        if refuse_edit(self.screen):
            return
        self.session.apply(incident, self.pane_id, what, narrative, trailers)
        if self.is_mounted:
            self.show()  # now, not when the message arrives: callers put the cursor on what they just made
        self.post_message(self.Edited(self, what))

    def wrote(self, record: IncidentRecord, subject: str) -> None:
        """The pane committed files itself: the session takes the saved version, the screen is told."""
        self.session.replace_saved(record)
        if self.is_mounted:
            self.show()
        self.post_message(self.Written(record, subject, drawn=self))
