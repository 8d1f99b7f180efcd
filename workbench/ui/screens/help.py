"""`?`: every key of every screen, with the binding ids a keymap file can rebind."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..config import config_dir
from ..help_registry import help_section
from ..reading_scroll import ReadingScroll


def _tilde(path: Path) -> str:
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


@help_section("This list", order=200)
class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 98%; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with ReadingScroll():
            intro = Text.assemble(
                ("Keys\n", "bold"),
                "Every action has a key; ctrl+p opens the command palette. Rebind any key by its id in ",
                (_tilde(config_dir() / "keymap.toml"), "bold"),
                ' under [keys], e.g. timeline.add = "ctrl+n".\n',
                "Panes: ",
                ("1…9, 0", "bold"),
                " show the first ten in tab order, later panes have a function key (",
                ("F8", "bold"),
                " Diagnostics), and ",
                ("ctrl+p", "bold"),
                ' "Go to …" reaches every pane.\n',
                "In a text field (the narrative, a form) digits are text: switch panes with ",
                ("ctrl+pageup", "bold"),
                "/",
                ("ctrl+pagedown", "bold"),
                " (every terminal), or ",
                ("alt+1…alt+0", "bold"),
                " where the terminal speaks kitty's keyboard protocol (kitty, WezTerm, foot, Ghostty; tmux and xterm"
                " turn alt+digit into other characters).\n",
            )
            yield Static(intro)
            for title, bindings in self.sections:
                table = Table(title=title, title_justify="left", title_style="bold", expand=True, box=None)
                table.add_column("Key", style="bold", width=16)
                table.add_column("Action")
                table.add_column("Id (for keymap.toml)", style="dim")
                for b in bindings:
                    table.add_row(self._keys(b), b.description or b.action.replace("_", " ").capitalize(), b.id or "")
                yield Static(table)
                yield Static("")

    def _keys(self, b: Binding) -> str:
        """As the footer shows them ("?", "ctrl+k"), not Textual's key names ("question_mark")."""
        if b.key_display:
            return b.key_display
        return " / ".join(self.app.get_key_display(Binding(key.strip(), b.action)) for key in b.key.split(","))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
