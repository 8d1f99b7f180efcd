"""Where to write an export: a path prompt that never overwrites a file without a second Enter."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..help_registry import help_section


@help_section("Export", order=190)
class ExportPathModal(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportPathModal { align: center middle; }
    ExportPathModal > Vertical { width: 80; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    ExportPathModal #export-message { color: $warning; height: auto; }
    ExportPathModal .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, title: str, default: str, base: Path, base_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.base = base
        self.base_label = base_label or str(base)  # how the folder is named to the person (the path may be long)
        self._confirm: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield Static(
                Text(
                    f"File to write (a relative path is under {self.base_label}, git-ignored; or give "
                    "an absolute path):"
                ),
                classes="hint",
            )
            yield Input(self.default, id="export-path")
            yield Static("", id="export-message")
            yield Static(Text("enter write · escape cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def resolve(self, text: str) -> Path:
        path = Path(text.strip()).expanduser()
        return path if path.is_absolute() else self.base / path

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirm = None
        self.query_one("#export-message", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        message = self.query_one("#export-message", Static)
        if not event.value.strip():
            message.update(Text("Give a file name."))
            return
        path = self.resolve(event.value)
        if path.is_dir():
            message.update(Text(f"{path} is a folder; give a file name."))
            return
        if not path.parent.is_dir():
            message.update(Text(f"The folder {path.parent} does not exist."))
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            message.update(Text(f"{path.name} exists: press enter again to replace it, or change the name."))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
