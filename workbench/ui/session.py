"""An open incident: what the user sees now, what is on disk, and the queue of saves in between.

Edits apply to the in-memory incident at once, so the UI never waits; a background thread writes
and commits them in order, one commit per step. A failed save keeps the edit in memory (and the
next save carries it), so nothing typed is lost.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Callable

from ..domain.model import Incident
from ..store import IncidentRecord, Store


@dataclass(frozen=True)
class SaveRequest:
    incident: Incident
    narrative: str
    where: str
    what: str
    trailers: tuple[str, ...] = ()


class IncidentSession:
    def __init__(self, store: Store, record: IncidentRecord,
                 on_saved: Callable[[IncidentRecord, SaveRequest], None],
                 on_failed: Callable[[Exception, SaveRequest], None]):
        self.store = store
        self.saved = record  # what is on disk and committed
        self.incident = record.incident  # what the user sees
        self.narrative = record.narrative
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._queue: queue.Queue[SaveRequest | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name=f"save-{record.id}", daemon=True)
        self._thread.start()

    @property
    def id(self) -> str:
        return self.saved.id

    @property
    def dirty(self) -> bool:
        return self.incident != self.saved.incident or self.narrative != self.saved.narrative

    def apply(self, incident: Incident, where: str, what: str, narrative: str | None = None,
              trailers: tuple[str, ...] = ()) -> None:
        self.incident = incident
        if narrative is not None:
            self.narrative = narrative
        self._idle.clear()
        self._queue.put(SaveRequest(incident, self.narrative, where, what, trailers))

    def retry(self) -> None:
        if self.dirty:
            self.apply(self.incident, "retry", "save edits kept after a failed save")

    def replace_saved(self, record: IncidentRecord) -> None:
        """After a reload from disk or a restore: the disk version becomes the truth."""
        self.saved = record
        self.incident = record.incident
        self.narrative = record.narrative

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._idle.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)

    def _clear_journal(self, saved_narrative: str) -> None:
        """The journaled narrative is safe once exactly that text is saved (newer typing stays journaled)."""
        try:
            entry = self.store.journal.get(self.id, "narrative")
            if entry is not None and entry.content == saved_narrative:
                self.store.journal.clear(self.id, "narrative")
        except Exception:  # the journal is a safety net: its trouble never fails a save
            pass

    def _run(self) -> None:
        while True:
            request = self._queue.get()
            if request is None:
                self._idle.set()
                return
            try:
                self.saved = self.store.save(self.saved, request.incident, request.narrative,
                                             where=request.where, what=request.what,
                                             trailers=list(request.trailers) or None)
                self._clear_journal(request.narrative)
                self._on_saved(self.saved, request)
            except Exception as exc:  # reported to the user; the edit stays in memory
                self._on_failed(exc, request)
            finally:
                if self._queue.empty():
                    self._idle.set()
