"""What is typed into a form is journaled, so a crash before ctrl+s loses nothing.

A form opened by a pane through `Pane.open_form(form, done, action, entry)` carries a `FormJournal`:
the form's raw field values go to the store's journal (`.workbench/journal/<id>/form.<pane>.<action>...json`,
git-ignored) half a second after the last change, in a thread. The entry says how to open the same form
again — the pane, the pane action that opens it and the entry the cursor must be on — so a restore is
generic: open the incident on that pane, put the cursor on the entry, run the action, pre-fill the values.

Lifetime of an entry: written while the form differs from what it opened with; kept after ctrl+s until
the save that holds it is committed (the session clears it then); removed at once by a deliberate
discard (esc twice). A crash is not a discard: the entry stays and the next start offers it back.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

FORM_PREFIX = "form."
_UNSAFE = re.compile(r"[^a-z0-9_.-]+")


def journal_key(pane: str, action: str, entry: str | None) -> str:
    """The journal's name for one form: one file per pane, action and entry (lowercase, file-safe)."""
    raw = f"{FORM_PREFIX}{pane}.{action}" + (f".{entry}" if entry else "")
    return _UNSAFE.sub("-", raw.lower()).strip("-")[:61]


def is_form_content(content: Any) -> bool:
    return (
        isinstance(content, dict)
        and content.get("kind") == "form"
        and isinstance(content.get("values"), dict)
        and isinstance(content.get("pane"), str)
        and isinstance(content.get("action"), str)
    )


def form_preview(content: dict[str, Any], width: int = 80) -> str:
    """The form's title and what was typed, on one line, for the restore list (the journal's own preview)."""
    from ..store.journal import JournalEntry

    return JournalEntry("", "", None, "", content, None).preview(width)  # type: ignore[arg-type]  # preview reads only the content


@dataclass
class FormJournal:
    """One open form's journal entry. Thread-safe: writes run in workers, in any order.

    A sequence number drops a write that arrives after a newer one; `close` (submitted) and `discard`
    stop all later writes, so a debounced write in flight can never bring back an entry once cleared.
    """

    store: Any  # workbench.store.Store (the journal lives there)
    incident_id: str
    pane: str
    action: str
    entry: str | None
    title: str
    base_sha256: str = ""
    then: tuple[str, ...] = ()  # actions on the screen `action` opens, that open the form (the review meeting)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _written_seq: int = -1
    _closed: bool = False
    # Whose entry the file holds: this form's (token), or the earlier one it was pre-filled from (adopted).
    # Clearing checks it, so a commit landing late never removes a newer form's typing under the same key.
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    adopted: str | None = None

    @property
    def key(self) -> str:
        return journal_key(self.pane, ".".join([self.action, *self.then]), self.entry)

    def content(self, values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
        return {
            "kind": "form",
            "title": self.title,
            "pane": self.pane,
            "action": self.action,
            "entry": self.entry,
            "then": list(self.then),
            "values": values,
            "changed": changed,
            "token": self.token,
        }

    def pending_values(self) -> dict[str, Any] | None:
        """Values typed into this same form before (a crash, or "later" at the restore offer)."""
        found = self.store.journal.get(self.incident_id, self.key)
        if found is not None and is_form_content(found.content):
            self.adopted = str(found.content.get("token", ""))
            return dict(found.content["values"])
        return None

    def _clear_if_ours(self) -> None:
        found = self.store.journal.get(self.incident_id, self.key)
        if found is None:
            return
        owner = str(found.content.get("token", "")) if isinstance(found.content, dict) else ""
        if owner == self.token or (self.adopted is not None and owner == self.adopted):
            self.store.journal.clear(self.incident_id, self.key)

    def write(
        self, seq: int, values: dict[str, Any] | None, *, final: bool = False, changed: list[str] | None = None
    ) -> None:
        """Record the values (None: the form is back to what it opened with, so forget them).

        `final` (the form was submitted): write, then take no more writes.
        """
        with self._lock:
            if self._closed or seq <= self._written_seq:
                return
            self._written_seq = seq
            self._closed = final
            if values is None:
                self._clear_if_ours()
            else:
                self.store.journal.record(
                    self.incident_id, self.key, self.content(values, changed or []), self.base_sha256
                )

    def discard(self) -> None:
        """A deliberate cancel: the typed values are forgotten."""
        with self._lock:
            self._closed = True
            self._clear_if_ours()


def open_journaled_form(
    app: Any,
    session: Any,
    form: Any,
    done: Callable[[Any], Any],
    pane: str,
    action: str,
    entry: str | None = None,
    then: tuple[str, ...] = (),
) -> None:
    """Push `form` with its typing journaled for `session`'s incident (see the module docstring).

    `done` gets the form's result. When it commits through the session (`Pane.commit`), the entry goes with that
    save; when it returns a Worker that writes on its own, the entry stays until the worker returns True.
    """
    if session.journal is None:  # the in-memory store keeps no journal (nothing on disk for a crash to lose)
        app.push_screen(form, done)
        return
    journal = FormJournal(
        session.git_store, session.id, pane, action, entry, form.form_title, session.saved.toml.sha256, then
    )
    form.journal = journal
    try:
        held = session.form_in_flight(journal.key)  # submitted just now, its commit not landed yet
        form.prefill = None if held else journal.pending_values()
    except Exception:  # a damaged journal never keeps a form from opening
        form.prefill = None

    def finished(result: Any) -> None:
        if result is not None:  # submitted: the next save carries the entry and discards it once committed
            session.hold_form(journal)
        outcome = None
        try:
            outcome = done(result)
        finally:
            if result is not None:
                if isinstance(outcome, Worker) and session.unhold_form(journal):
                    app.run_worker(_await_write(session, journal, outcome), group="form-journal", exit_on_error=False)
                else:
                    session.release_form(journal)

    app.push_screen(form, finished)


async def _await_write(session: Any, journal: FormJournal, worker: Worker[Any]) -> None:
    """The form's own write: its journal entry is discarded once it returned True, kept otherwise."""
    try:
        await worker.wait()
    except (WorkerCancelled, WorkerFailed):
        pass
    session.finish_form(journal, worker.state == WorkerState.SUCCESS and worker.result is True)
