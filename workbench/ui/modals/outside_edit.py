"""The open incident's files changed on disk while there is unsaved work here: reload, keep mine, or see both.

Whatever is chosen, both versions are kept: the one not taken goes to `.workbench/recovery/<id>/`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..help_registry import help_section

CHOICES = (
    ("reload", "r  Reload: take the version on disk; your unsaved version is kept in .workbench/recovery/"),
    ("keep", "k  Keep mine: save yours over it; the version on disk is kept in .workbench/recovery/ first"),
    ("both", "b  See both: the differences between the two, then choose"),
)


@help_section("Changed on disk", order=100)
class OutsideEditModal(ModalScreen[str | None]):
    """Dismisses with "reload", "keep" or "both"; None puts the choice off (the next save or ctrl+r asks)."""

    DEFAULT_CSS = """
    OutsideEditModal { align: center middle; }
    OutsideEditModal > Vertical { width: 104; max-width: 95%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    OutsideEditModal OptionList { height: auto; margin: 1 0; }
    OutsideEditModal .outside-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("r", "choose('reload')", "Reload theirs", id="outside.reload"),
        Binding("k", "choose('keep')", "Keep mine", id="outside.keep"),
        Binding("b", "choose('both')", "See both", id="outside.both"),
        Binding("escape", "later", "Decide later", id="outside.later"),
    ]

    def __init__(self, incident_id: str, names: list[str]) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"{' and '.join(self.names)} of {self.incident_id} changed on disk", style="bold"))
            yield Static(
                Text(
                    "Another program changed it (an editor, git pull, a checkout) while you have "
                    "unsaved changes here. Nothing is lost whichever you choose: the version not "
                    "taken is kept as a recovery copy."
                )
            )
            yield OptionList(*(Option(Text(label), id=key) for key, label in CHOICES), id="outside-choices")
            yield Static(
                Text("enter picks · esc decide later (nothing is saved until you choose; ctrl+r asks again)"),
                classes="outside-keys",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_later(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def diff_text(diff: str) -> Text:
    """A unified diff, coloured: removed (on disk) red, added (yours) green, hunk headers dim."""
    out = Text()
    for line in diff.splitlines(keepends=True):
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("+"):
            style = "green"
        else:
            style = ""
        out.append(line, style=style)
    return out


@help_section("Changed on disk", order=100)
class BothVersionsModal(ModalScreen[str]):
    """Both versions side by side as a diff; dismisses with "reload", "keep" or "back" (to the choice)."""

    DEFAULT_CSS = """
    BothVersionsModal { align: center middle; }
    BothVersionsModal > Vertical { width: 95%; height: 90%; border: thick $warning; background: $surface;
        padding: 0 1; }
    BothVersionsModal #both-diff { height: 1fr; border: round $panel; }
    BothVersionsModal .both-keys { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("r", "choose('reload')", "Take the disk version", id="both.reload"),
        Binding("k", "choose('keep')", "Keep mine", id="both.keep"),
        Binding("escape", "choose('back')", "Back", id="both.back"),
    ]

    def __init__(self, incident_id: str, diff: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.diff = diff

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    f"{self.incident_id}: the version on disk (-, red) against yours, unsaved (+, green)", style="bold"
                )
            )
            with VerticalScroll(id="both-diff"):
                yield Static(
                    diff_text(self.diff)
                    if self.diff
                    else Text("The two versions are the same: either choice loses nothing.")
                )
            yield Static(
                Text(
                    "r take the version on disk (yours kept in recovery) · k keep mine (the disk "
                    "version kept in recovery) · esc back"
                ),
                classes="both-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#both-diff").focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
