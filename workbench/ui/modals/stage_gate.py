"""Advancing a stage with unmet entry criteria asks first; going on anyway needs a reason, which the
commit records (Override: / Override-Reason: trailers)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ...domain.model import STAGE_LABELS
from ...services.review.method_guide import guide
from ...services.review.stages import Criterion
from ..help_registry import help_section


@help_section("Stage gate", order=90)
class StageGateModal(ModalScreen[str | None]):
    """Returns the override reason, or None when the user stays at the current stage."""

    DEFAULT_CSS = """
    StageGateModal { align: center middle; }
    StageGateModal > Vertical { width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2; }
    StageGateModal #gate-title { text-style: bold; color: $warning; }
    StageGateModal #gate-list { height: auto; max-height: 16; margin: 1 0; }
    StageGateModal #gate-error { color: $error; height: auto; }
    StageGateModal .gate-buttons { height: auto; padding-top: 1; align-horizontal: right; }
    StageGateModal Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "stay", "Stay", id="gate.stay"),
        Binding("ctrl+s", "override", "Advance anyway", id="gate.override", priority=True),
    ]

    def __init__(self, from_stage: str, to_stage: str, unmet: list[Criterion]) -> None:
        super().__init__()
        self.from_stage, self.to_stage, self.unmet = from_stage, to_stage, unmet

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{len(self.unmet)} entry criteria for {STAGE_LABELS[self.to_stage]} are not met",
                id="gate-title",
                markup=False,
            )
            lines = Text()
            for c in self.unmet:
                lines.append("✘ ", style="bold red")
                lines.append(f"{c.label}")
                if c.detail:
                    lines.append(f" — {c.detail}", style="dim")
                lines.append("\n")
                for f in c.findings[:3]:
                    where = f.entry or (f"{f.file}:{f.line}" if f.line else f.file)
                    said = f.message if f.message.startswith(where) else f"{where}: {f.message}"
                    lines.append(f"  ↳ {said[:100]}\n", style="dim")
                if len(c.findings) > 3:
                    lines.append(f"  ↳ … and {len(c.findings) - 3} more (Review pane)\n", style="dim")
            lines.append(
                f"\nThe method at {guide()[self.from_stage].title}: {guide()[self.from_stage].goal}", style="italic"
            )
            with VerticalScroll(id="gate-list"):
                yield Static(lines)
            yield Static("To advance anyway, say why (recorded in the commit message):", markup=False)
            yield Input(placeholder="e.g. exec readout tomorrow; evidence for c-… follows", id="gate-reason")
            yield Static("", id="gate-error")
            with Horizontal(classes="gate-buttons"):
                yield Button("Stay (esc)", id="stay")
                yield Button("Advance anyway (ctrl+s)", id="override", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#gate-reason", Input).focus()

    def action_stay(self) -> None:
        self.dismiss(None)

    def action_override(self) -> None:
        reason = self.query_one("#gate-reason", Input).value.strip()
        if not reason:
            self.query_one("#gate-error", Static).update("✗ a reason is needed to override the gate")
            self.query_one("#gate-reason", Input).focus()
            return
        self.dismiss(reason)

    @on(Input.Submitted, "#gate-reason")
    def _submitted(self) -> None:
        self.action_override()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "override":
            self.action_override()
        else:
            self.action_stay()
