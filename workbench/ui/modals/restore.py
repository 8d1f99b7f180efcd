"""At start: edits that were typed but never saved (the journal survived a crash). Restore, discard or later."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...store.journal import JournalEntry
from ..form_journal import form_preview, is_form_content
from ..help_registry import help_section


def _row(e: JournalEntry) -> Text:
    when = f"{e.saved_at:%Y-%m-%d %H:%M} UTC"
    if is_form_content(e.content):
        where = f"{e.content['pane']} form" + (f" · {e.content['entry']}" if e.content.get("entry") else "")
        return Text(f"{e.incident_id} · {where} · {when}\n  {form_preview(e.content, 80)}")
    return Text(f"{e.incident_id} · {e.pane} · {when}\n  {e.preview(80)}")


@help_section("Unsaved work at start", order=140)
class RestoreModal(ModalScreen[tuple[str, JournalEntry] | None]):
    """Dismisses with ("restore" | "discard", entry), or None for "later" (the entries stay)."""

    DEFAULT_CSS = """
    RestoreModal { align: center middle; }
    RestoreModal > Vertical { width: 100; max-width: 95%; height: auto; max-height: 80%;
        border: thick $warning; background: $surface; padding: 1 2; }
    RestoreModal OptionList { height: auto; max-height: 12; margin: 1 0; }
    RestoreModal .restore-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("r,enter", "choose('restore')", "Restore", id="restore.restore", priority=True),
        Binding("d", "choose('discard')", "Discard", id="restore.discard"),
        Binding("escape,l", "later", "Later", id="restore.later"),
    ]

    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    f"Unsaved work was found ({len(self.entries)} edit"
                    f"{'s' if len(self.entries) != 1 else ''} typed but never saved, "
                    "probably before a crash).",
                    style="bold",
                )
            )
            yield OptionList(*(Option(_row(e), id=str(i)) for i, e in enumerate(self.entries)), id="restore-list")
            yield Static(
                Text(
                    "r restore: the narrative into its editor, a form reopened with what was typed "
                    "(then ctrl+s saves it) · d discard · esc later (kept for next time)"
                ),
                classes="restore-keys",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def _current(self) -> JournalEntry | None:
        index = self.query_one(OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def action_choose(self, what: str) -> None:
        entry = self._current()
        if entry is not None:
            self.dismiss((what, entry))

    def action_later(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_choose("restore")
