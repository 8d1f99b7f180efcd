"""Review meeting mode: the postmortem section by section, large and uncluttered, for a room or a
screen share; decisions, corrections and new action items are captured with timestamps and each is
committed as it is made (review.toml; a new action also lands in incident.toml, in the same commit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Markdown, Static

from ...domain.review import MeetingNote
from ...services.review.meeting import AgendaItem, agenda
from ...services.review.steps import add_meeting_note
from ...store import IncidentRecord
from ...store.reviewfile import load_review
from ..form_journal import open_journaled_form
from ..forms import FormError, FormField, FormModal
from ..help_registry import help_section
from ..session import IncidentSession
from ..keybar import KeyBar
from ..reading_scroll import ReadingScroll

KIND_LABELS = {"decision": "Decision", "correction": "Correction", "action": "New action item"}


@help_section("Review meeting", order=120)
class MeetingScreen(Screen[None]):
    BINDINGS = [
        Binding("right,n,space", "step(1)", "Next section", id="meeting.next"),
        Binding("left,p", "step(-1)", "Previous", id="meeting.prev"),
        Binding("d", "capture('decision')", "Decision", id="meeting.decision"),
        Binding("c", "capture('correction')", "Correction", id="meeting.correction"),
        Binding("a", "capture('action')", "New action", id="meeting.action"),
        Binding("escape,q", "end", "End meeting", id="meeting.end"),
    ]

    DEFAULT_CSS = """
    MeetingScreen { background: $background; }
    MeetingScreen #meeting-head { height: 3; padding: 1 4 0 4; text-style: bold; color: $primary; }
    MeetingScreen #meeting-scroll { height: 1fr; padding: 0 4; }
    MeetingScreen #meeting-body { max-width: 110; padding: 1 2; }
    MeetingScreen #meeting-notes { height: auto; max-height: 8; border-top: heavy $primary; padding: 0 4; }
    """

    def __init__(self, session: IncidentSession, wrote: Callable[[IncidentRecord, str], None]) -> None:
        """`wrote(record, subject)` is called when a capture changed incident.toml (a new action item) and the
        session took that version: the incident screen underneath redraws its panes."""
        super().__init__()
        self.session = session
        self.wrote = wrote
        self.items: list[AgendaItem] = agenda(self.session.incident, self.session.narrative)
        self.index = 0
        self.notes: list[MeetingNote] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="meeting-head")
            with ReadingScroll(id="meeting-scroll"):
                yield Markdown(self.items[self.index].markdown, id="meeting-body")
            yield Static("", id="meeting-notes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Review meeting · {self.session.incident.title}"
        self._draw(body=False)  # the body was composed with the first section
        self.load_notes()

    @work(thread=True, exclusive=True, group="meeting-load", exit_on_error=False)
    def load_notes(self) -> None:
        try:
            notes = load_review(self.session.git_store, self.session.id).review.meeting
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"review.toml could not be read: {exc}", severity="error")
            return
        self.app.call_from_thread(self._set_notes, list(notes))

    def _set_notes(self, notes: list[MeetingNote]) -> None:
        self.notes = notes
        self._draw_notes()

    def _draw(self, body: bool = True) -> None:
        item = self.items[self.index]
        head = Text.assemble(
            (f"{self.index + 1}/{len(self.items)}  ", "dim"),
            (item.title.upper(), "bold"),
            ("  ·  ← → sections · d decision · c correction · a new action · esc end", "dim"),
        )
        self.query_one("#meeting-head", Static).update(head)
        if body:
            self.query_one("#meeting-body", Markdown).update(item.markdown)
            self.query_one("#meeting-scroll", VerticalScroll).scroll_home(animate=False)
        self._draw_notes()

    def _draw_notes(self) -> None:
        text = Text()
        if not self.notes:
            text.append(
                "Nothing captured yet. Each decision, correction and new action is committed as you make it.",
                style="italic dim",
            )
        for note in self.notes[-6:]:
            text.append(f"{note.at:%H:%M} UTC  ", style="dim")
            text.append(f"{KIND_LABELS[note.kind]}", style="bold")
            if note.action:
                text.append(f" {note.action}", style="bold")
            text.append(f" · {note.section}: " if note.section else ": ", style="dim")
            text.append(note.text.replace("\n", " ") + "\n")
        self.query_one("#meeting-notes", Static).update(text)

    def action_step(self, delta: int) -> None:
        index = self.index + delta
        if 0 <= index < len(self.items):
            self.index = index
            self._draw()

    def action_capture(self, kind: str) -> None:
        fields = [
            FormField(
                "text",
                KIND_LABELS[kind],
                "multiline",
                help=f"About: {self.items[self.index].title}. Committed as soon as you save.",
            )
        ]
        if kind == "action":
            fields.append(FormField("owner", "Owner (a person or team handle)", "text"))

        def build(values: dict[str, Any]) -> dict[str, Any]:
            if not values["text"].strip():
                raise FormError({"text": "say what was decided"})
            return values

        def done(values: dict[str, Any] | None) -> Any:
            if values:
                # The form's journal entry waits for this write (see open_journaled_form).
                return self.capture(kind, values["text"], values.get("owner", ""), self.items[self.index].title)
            return None

        # Journaled as typed; a restore after a crash opens the meeting from the Review pane, goes to this
        # section and reopens this form with what was typed.
        open_journaled_form(
            self.app,
            self.session,
            FormModal(KIND_LABELS[kind], fields, {}, build),
            done,
            "review",
            "meeting",
            None,
            (f"goto({self.index})", f"capture('{kind}')"),
        )

    def action_goto(self, index: int) -> None:
        """Straight to a section (a restore of a capture typed there)."""
        if 0 <= index < len(self.items):
            self.index = index
            try:
                self._draw()
            except NoMatches:  # not composed yet: compose and on_mount show this section
                pass

    @work(thread=True, exclusive=True, group="meeting-write", exit_on_error=False)
    def capture(self, kind: str, text: str, owner: str, section: str) -> bool:
        """True once the note is committed (the capture form's journal entry is then discarded)."""
        session = self.session
        session.wait_idle(20)  # edits in flight land first; one git writer at a time
        try:
            _, note, action_id = add_meeting_note(
                session.git_store,
                session.id,
                kind,
                text,
                section=section,
                owner=owner,
                now=self.app.clock(),  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
            )
            record = session.git_store.load(session.id) if action_id else None
        except Exception as exc:
            self.app.call_from_thread(
                self.notify,
                f"Not saved: {exc}. The meeting goes on; what you typed is kept: the same key opens it again.",
                severity="error",
                timeout=10,
            )
            return False
        self.app.call_from_thread(self._captured, note, record)
        return True

    def _captured(self, note: MeetingNote, record: Any) -> None:
        self.notes.append(note)
        if record is not None:
            # The new action item is in incident.toml now: the open incident adopts the saved version.
            self.session.replace_saved(record)
            self.wrote(record, f"meeting: {KIND_LABELS[note.kind].lower()} {note.action}")
            self.items = agenda(self.session.incident, self.session.narrative)
            self._draw()
        self._draw_notes()
        self.notify(f"{KIND_LABELS[note.kind]} recorded" + (f" as {note.action}" if note.action else ""))

    def action_end(self) -> None:
        self.app.pop_screen()
