"""An open incident: what the user sees now, what is on disk, and the queue of saves in between.

Edits apply to the in-memory incident at once, so the UI never waits; a background thread writes
and commits them in order, one commit per step. A failed save keeps the edit in memory (and the
next save carries it), so nothing typed is lost.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

from ..domain.model import Incident
from ..store import IncidentRecord, Store, StoreError, StoreProtocol
from ..store.journal import Journal


@dataclass(frozen=True)
class SaveRequest:
    incident: Incident
    narrative: str
    where: str
    what: str
    trailers: tuple[str, ...] = ()
    forms: tuple[Any, ...] = ()  # FormJournal entries whose values this save holds: discarded once it lands
    forms_only: bool = False  # nothing to save: only forget `forms` (in order after earlier saves)
    seq: int = 0  # the how-manieth save handed over (see IncidentSession.saving)


class IncidentSession:
    """Over any StoreProtocol store. The git store (`disk`) adds the journal of unsaved typing and what panes
    read from files (evidence, review.toml, exports, the taxonomy index); over the in-memory store those are
    absent and the panes that need them are not shown (Pane.needs_disk)."""

    def __init__(
        self,
        store: StoreProtocol,
        record: IncidentRecord,
        on_saved: Callable[[IncidentRecord, SaveRequest], None],
        on_failed: Callable[[Exception, SaveRequest], None],
    ):
        self.store = store
        self.disk: Store | None = store if isinstance(store, Store) else None
        self.journal: Journal | None = self.disk.journal if self.disk is not None else None
        self.saved = record  # what is on disk and committed
        self.incident = record.incident  # what the user sees
        self.narrative = record.narrative
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._queue: queue.Queue[SaveRequest | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._held_forms: list[Any] = []  # submitted forms waiting for the save that carries their values
        self._forms_lock = threading.Lock()  # the UI thread and the save thread both touch that list
        self._forms_in_flight: set[str] = set()  # their journal keys, until discarded after the commit
        self._thread = threading.Thread(target=self._run, name=f"save-{record.id}", daemon=True)
        self._thread.start()

    @property
    def id(self) -> str:
        return self.saved.id

    @property
    def git_store(self) -> Store:
        """The store on disk, for what only it has; a clear error over the in-memory store."""
        if self.disk is None:
            raise StoreError("this needs a store on disk (the in-memory store keeps no files)")
        return self.disk

    @property
    def dirty(self) -> bool:
        return self.incident != self.saved.incident or self.narrative != self.saved.narrative

    def apply(
        self, incident: Incident, where: str, what: str, narrative: str | None = None, trailers: tuple[str, ...] = ()
    ) -> None:
        self.incident = incident
        if narrative is not None:
            self.narrative = narrative
        with self._forms_lock:
            forms, self._held_forms = tuple(self._held_forms), []
        self._idle.clear()
        self._applied += 1
        self._queue.put(SaveRequest(incident, self.narrative, where, what, trailers, forms, seq=self._applied))

    # Saves handed to the queue and saves whose outcome is known (counted before the outcome is announced, so
    # a message handled after the announcement never takes the save for one still in flight).
    _applied = 0
    _finished = 0

    def hold_form(self, journal: Any) -> None:
        """A form was submitted: its journal entry goes with the next save and is discarded once committed."""
        with self._forms_lock:
            self._held_forms.append(journal)
            self._forms_in_flight.add(journal.key)

    def unhold_form(self, journal: Any) -> bool:
        """Take a submitted form back from the next save (its values are written some other way);
        it stays "in flight" until `finish_form`. False when a save already took it."""
        with self._forms_lock:
            if journal not in self._held_forms:
                return False
            self._held_forms.remove(journal)
            return True

    def finish_form(self, journal: Any, written: bool) -> None:
        """The other way's write ended: written -> the entry is discarded (after queued saves); not
        written -> it stays in the journal, so what was typed is offered again at the next start."""
        if written:
            self._idle.clear()
            self._queue.put(SaveRequest(self.incident, self.narrative, "", "", forms=(journal,), forms_only=True))
        else:
            with self._forms_lock:
                self._forms_in_flight.discard(journal.key)

    def form_in_flight(self, key: str) -> bool:
        """A submitted form's values on their way to a commit (its journal entry is not "unsaved work")."""
        with self._forms_lock:
            return key in self._forms_in_flight

    def release_form(self, journal: Any) -> None:
        """After the form's callback: when no save took the entry (nothing changed, or the form's work is
        not an incident save), it is discarded now, in the save thread, after the saves queued before it."""
        with self._forms_lock:
            if journal not in self._held_forms:
                return
            self._held_forms.remove(journal)
        self._idle.clear()
        self._queue.put(SaveRequest(self.incident, self.narrative, "", "", forms=(journal,), forms_only=True))

    def retry(self) -> None:
        if self.dirty:
            self.apply(self.incident, "retry", "save edits kept after a failed save")

    def replace_saved(self, record: IncidentRecord) -> None:
        """After a reload from disk or a restore: the disk version becomes the truth."""
        self.saved = record
        self.incident = record.incident
        self.narrative = record.narrative

    @property
    def saving(self) -> bool:
        """A save is queued or being written and committed (its outcome not yet known)."""
        return self._finished < self._applied

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._idle.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)

    def _clear_journal(self, saved_narrative: str) -> None:
        """The journaled narrative is safe once exactly that text is saved (newer typing stays journaled)."""
        if self.journal is None:
            return
        try:
            entry = self.journal.get(self.id, "narrative")
            if entry is not None and entry.content == saved_narrative:
                self.journal.clear(self.id, "narrative")
        except Exception:  # the journal is a safety net: its trouble never fails a save
            pass

    def _discard_forms(self, forms: tuple[Any, ...]) -> None:
        for form in forms:
            try:
                form.discard()
            except Exception:  # the journal is a safety net: its trouble never fails a save
                pass
            with self._forms_lock:
                self._forms_in_flight.discard(form.key)

    def _run(self) -> None:
        while True:
            request = self._queue.get()
            if request is None:
                self._idle.set()
                return
            if request.forms_only:  # see release_form
                self._discard_forms(request.forms)
                if self._queue.empty():
                    self._idle.set()
                continue
            try:
                self.saved = self.store.save(
                    self.saved,
                    request.incident,
                    request.narrative,
                    where=request.where,
                    what=request.what,
                    trailers=list(request.trailers) or None,
                )
                self._clear_journal(request.narrative)
                self._discard_forms(request.forms)
                self._finished = max(self._finished, request.seq)
                self._on_saved(self.saved, request)
            except Exception as exc:  # reported to the user; the edit stays in memory
                # The form's values are only in memory now: their journal entries wait for the retry.
                with self._forms_lock:
                    self._held_forms[:0] = [f for f in request.forms if f not in self._held_forms]
                self._finished = max(self._finished, request.seq)
                self._on_failed(exc, request)
            finally:
                if self._queue.empty():
                    self._idle.set()
