"""Small pickers: many of a list (evidence, causes to address) and one of a list (a status).

Prompts are `rich.text.Text`: entry text from users is never markup ("[DATA GAP]" shows as written).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from ..readonly import refuse_edit
from ..help_registry import help_section


@help_section("Pick lists", order=170)
class PickManyModal(ModalScreen[list[Any] | None]):
    """Tick any number of `options` ((prompt, value) pairs); returns the ticked values in list order,
    or None when cancelled. `selected` values start ticked."""

    DEFAULT_CSS = """
    PickManyModal { align: center middle; }
    PickManyModal > Vertical { width: 110; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    PickManyModal .pick-title { text-style: bold; color: $primary; padding: 1 0 0 0; }
    PickManyModal .pick-help { color: $text-muted; padding: 0 0 1 0; }
    PickManyModal SelectionList { height: auto; max-height: 28; }
    """
    BINDINGS = [
        Binding("ctrl+s,enter", "submit", "Save", id="pick.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[Text | str, Hashable]],
        selected: Sequence[Hashable],
        empty: str = "Nothing to pick from.",
    ) -> None:
        super().__init__()
        self.pick_title = title
        self.options = list(options)
        self.initial = set(selected)
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.pick_title), classes="pick-title")
            yield Static(
                Text(
                    self.empty if not self.options else "space ticks or unticks · enter or ctrl+s saves · esc cancels"
                ),
                classes="pick-help",
            )
            yield SelectionList[Any](*((_text(p), v, v in self.initial) for p, v in self.options), id="pick-list")

    def on_mount(self) -> None:
        if refuse_edit(self):
            self.dismiss(None)
            return
        self.query_one(SelectionList).focus()

    def action_submit(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        self.dismiss([v for _, v in self.options if v in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


@help_section("Pick lists", order=170)
class PickOneModal(ModalScreen[Any]):
    """Choose one of `options` ((prompt, value) pairs) with enter; None when cancelled."""

    DEFAULT_CSS = """
    PickOneModal { align: center middle; }
    PickOneModal > Vertical { width: 60; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1; }
    PickOneModal .pick-title { text-style: bold; color: $primary; padding: 1 0 0 0; }
    PickOneModal .pick-help { color: $text-muted; padding: 0 0 1 0; }
    PickOneModal OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, options: Sequence[tuple[Text | str, Any]], current: Any = None) -> None:
        super().__init__()
        self.pick_title = title
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.pick_title), classes="pick-title")
            yield Static("↑/↓ move · enter picks · esc cancels", classes="pick-help")
            yield OptionList(*(Option(_text(p), id=str(i)) for i, (p, _) in enumerate(self.options)), id="pick-one")

    def on_mount(self) -> None:
        if refuse_edit(self):
            self.dismiss(None)
            return
        option_list = self.query_one(OptionList)
        index = next((i for i, (_, v) in enumerate(self.options) if v == self.current), 0)
        option_list.highlighted = index
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _text(prompt: Text | str) -> Text:
    return prompt if isinstance(prompt, Text) else Text(prompt)
