"""The incident screen's guard against outside edits (an editor, `git pull`, a checkout changing its files).

Every second a thread worker polls `OutsideEditWatcher` (a stat per file; sha256 only when the stat moved;
the store's own writes are never reported), so the UI never waits on the disk. When an outside change is
found:
- nothing unsaved here (session clean, save queue idle, narrative editor clean): reload quietly and say so;
- unsaved work here, or a save refused with `OutsideEdit`: ask — reload (mine kept in recovery), keep mine
  (theirs kept in recovery, then saved over), or see both first. Both versions are always kept.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen

from ..services.sync import watcher as outside
from ..store import IncidentRecord, StoreError
from ..store.errors import OutsideEdit
from .panes.narrative import NarrativePane

if TYPE_CHECKING:
    from .panes import Pane
    from .session import IncidentSession


class GuardHost(Protocol):
    """What the guard needs of the incident screen beyond a Screen's own methods. A Protocol, not the
    screen's class: the screen imports this module, and the UI's modules import in one direction only."""

    session: IncidentSession  # over a store on disk (session.git_store): the guard watches files
    panes: list[Pane]

    def set_save_state(self, text: str, state: str) -> None: ...

    def refresh_panes(self, drawn: Pane | None = None) -> None: ...


POLL_SECONDS = 1.0


class OutsideEditGuard:
    def __init__(self, screen: Screen[Any], host: GuardHost) -> None:
        self.screen = screen  # for the app, timers, workers and notices
        self.host = host  # the same screen: its session, store and panes
        self.watcher = outside.OutsideEditWatcher(host.session.git_store, host.session.saved)
        self._baseline: IncidentRecord | None = None  # handed to the poll thread (it alone touches the watcher)
        self._lock = threading.Lock()
        self._polling = False
        self.asking = False  # the dialog (or the diff behind it) is open
        self.pending: list[str] = []  # files changed outside and not settled yet (the dialog was put off)
        self.busy = False  # a reload or keep-mine is running

    # ------------------------------------------------------------------------------------- polling
    def start(self) -> None:
        self.screen.set_interval(POLL_SECONDS, self.poll, name="outside-edit-poll")

    def acknowledge(self, record: IncidentRecord) -> None:
        """Our save (or reload) landed: its hashes are the new baseline, applied before the next poll."""
        with self._lock:
            self._baseline = record

    def poll(self) -> None:
        # Only while the incident is in front: under a form or another screen, the next save (or the first
        # poll after it closes) notices the change instead.
        if self._polling or self.asking or self.busy or self.screen.app.screen is not self.screen:
            return
        self._polling = True
        self.screen.run_worker(self._poll_in_thread, thread=True, group="outside-edit-poll", exit_on_error=False)

    def _poll_in_thread(self) -> None:
        try:
            with self._lock:
                baseline, self._baseline = self._baseline, None
            if baseline is not None:
                self.watcher.acknowledge(baseline)
            changes = self.watcher.poll()
            if any(c.path.name == outside.REVIEW_FILE for c in changes):
                self.screen.app.call_from_thread(self._review_changed)
                changes = [c for c in changes if c.path.name != outside.REVIEW_FILE]
            if not changes:
                return
            try:
                loaded: IncidentRecord | StoreError = self.host.session.git_store.load(self.host.session.id)
            except StoreError as exc:  # deleted, moved or unreadable now: said, never applied
                loaded = exc
            names = sorted({c.path.name for c in changes})
            self.screen.app.call_from_thread(self._changed, names, loaded)
        finally:
            self._polling = False

    # ------------------------------------------------------------------------------------ deciding
    def unsaved(self) -> bool:
        session = self.host.session
        return session.dirty or not session.wait_idle(0) or self._narrative_dirty()

    def _narrative_dirty(self) -> bool:
        pane = self._narrative_pane()
        return pane is not None and pane.dirty

    def _narrative_pane(self) -> NarrativePane | None:
        pane = next((p for p in self.host.panes if isinstance(p, NarrativePane)), None)
        return pane if pane is not None and pane.is_mounted else None

    def mine_narrative(self) -> str:
        pane = self._narrative_pane()
        return pane.editor.text if pane is not None else self.host.session.narrative

    def _changed(self, names: list[str], loaded: IncidentRecord | StoreError) -> None:
        if self.busy or not self.screen.is_mounted:  # settling this very change, or the incident was closed
            return
        if self.asking or self.unsaved():
            self.ask(names)
            return
        if isinstance(loaded, StoreError):
            self.pending = names
            self.host.set_save_state("CHANGED ON DISK — ctrl+r decides", "failed")
            self.screen.notify(
                f"{' and '.join(names)} changed on disk but cannot be loaded: {loaded}. "
                "Nothing here changed; fix the file outside, or save here to choose.",
                severity="warning",
                timeout=12,
            )
            return
        self.adopt(loaded)
        self.screen.notify(f"reloaded: {' and '.join(names)} changed on disk")

    def _review_changed(self) -> None:
        """review.toml changed outside (a pull, `workbench review` in a shell): show it again. The app holds no
        unsaved review state (each review step loads, checks and commits at once), so there is nothing to ask."""
        if not self.screen.is_mounted:
            return
        for pane in self.host.panes:
            reload_review = getattr(pane, "load_review", None)
            if reload_review is not None and pane.is_mounted:
                reload_review()
        self.screen.notify(f"reloaded: {outside.REVIEW_FILE} changed on disk")

    def save_refused(self, error: OutsideEdit) -> None:
        """A save found the files changed on disk (before a poll did): the same choice."""
        if not self.host.session.dirty:
            return  # settled meanwhile (a reload or keep-mine ran after this save was queued)
        self.ask([Path(str(error.path)).name])

    def ask(self, names: list[str]) -> None:
        from .modals.outside_edit import OutsideEditModal

        self.pending = sorted(set(self.pending) | set(names))
        if self.asking or self.busy:
            return
        self.asking = True
        self.host.set_save_state("CHANGED ON DISK — ctrl+r decides", "failed")
        self.screen.app.push_screen(OutsideEditModal(self.host.session.id, self.pending), self._chosen)

    def _chosen(self, choice: str | None) -> None:
        from .modals.outside_edit import BothVersionsModal

        self.asking = False
        if choice == "back":  # from the diff, back to the choice
            self.ask(self.pending)
        elif choice == "both":
            session = self.host.session
            diff = outside.see_both(session.saved, session.incident, self.mine_narrative(), self.host.session.git_store)
            self.asking = True
            self.screen.app.push_screen(BothVersionsModal(session.id, diff), self._chosen)
        elif choice in ("reload", "keep"):
            self.busy = True
            mine = self.mine_narrative()  # read on the UI thread: the editor is a widget
            self.screen.run_worker(
                lambda: self._settle_in_thread(choice, mine),
                thread=True,
                group="outside-edit-settle",
                exit_on_error=False,
            )
        # None: decided later; the save state says so, and ctrl+r (or the next save) asks again.

    # ------------------------------------------------------------------------------------ settling
    def _settle_in_thread(self, choice: str, mine: str) -> None:
        screen, session = self.screen, self.host.session
        session.wait_idle(30)  # a queued save finishes (or fails) before the files are touched
        try:
            if choice == "reload":
                record, kept = outside.reload(self.host.session.git_store, session.saved, session.incident, mine)
                what = "Reloaded the version on disk"
            else:
                record, kept = outside.keep_mine(
                    self.host.session.git_store,
                    session.saved,
                    session.incident,
                    mine,
                    where="outside edit",
                    what="save my unsaved edits",
                )
                what = "Kept your version (saved and committed)"
        except Exception as exc:  # said, and the guard stays usable (busy is reset): nothing here is lost
            screen.app.call_from_thread(self._settle_failed, choice, exc)
            return
        screen.app.call_from_thread(self._settled, choice, record, kept, what)

    def _settle_failed(self, choice: str, error: Exception) -> None:
        self.busy = False
        if self.screen.is_mounted:
            self.host.set_save_state("NOT SAVED — ctrl+r retries", "failed")
        verb = "reload" if choice == "reload" else "keep your version"
        text = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
        self.screen.notify(
            f"Could not {verb}: {text}. Nothing is lost: your edit is still here.", severity="error", timeout=12
        )

    def _settled(self, choice: str, record: IncidentRecord, kept: Path | None, what: str) -> None:
        self.busy = False
        self.pending = []
        if self.screen.is_mounted:  # closed meanwhile: the files and the commit are done, nothing to redraw
            self.adopt(record)
        other = "your unsaved version" if choice == "reload" else "the outside version"
        where = (
            f"{other} is kept in {self.host.session.git_store.display(kept)}"
            if kept
            else f"no recovery copy of {other} could be written"
        )
        self.screen.notify(f"{what}; {where}.", timeout=12)

    def adopt(self, record: IncidentRecord) -> None:
        """The disk version becomes what the screen shows, cursors kept where the entries still are."""
        host = self.host
        host.session.replace_saved(record)
        self.acknowledge(record)
        pane = self._narrative_pane()
        if pane is not None and pane.editor.text != record.narrative:
            location = pane.editor.cursor_location
            pane.adopt(record.narrative)
            lines = record.narrative.split("\n")
            row = min(location[0], len(lines) - 1)
            pane.editor.cursor_location = (row, min(location[1], len(lines[row])))
        host.set_save_state("saved", "saved")
        host.refresh_panes()
        for each in host.panes:
            if each.is_mounted:
                each.saved()
