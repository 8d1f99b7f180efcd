"""A file that will not load, shown read-only: its lines as they are, bad bytes as \\xNN, problem lines marked.

Opened from a broken row of the start screen (or when an incident cannot be opened). Nothing here can
write: there is no editing widget and no save, and the file is only read (in a worker).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...services.validation.rawview import RawView, raw_view
from ...store import Problem, Store
from ..help_registry import help_section
from ..keybar import KeyBar
from ..reading_scroll import ReadingScroll

GUTTER = 7


@help_section("Unreadable file viewer", order=130)
class ReadOnlyViewScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="rawview.back"),
        Binding("n", "next_problem", "Next problem line", id="rawview.next"),
    ]

    DEFAULT_CSS = """
    ReadOnlyViewScreen #rawview-head { padding: 0 1; height: auto; max-height: 10; background: $panel; }
    ReadOnlyViewScreen #rawview-scroll { height: 1fr; }
    ReadOnlyViewScreen #rawview-body { width: auto; padding: 0 1; }
    """

    def __init__(self, store: Store, path: Path, problems: list[Problem]) -> None:
        super().__init__()
        self.store = store
        self.path = path  # as the problems name it (relative to the store)
        self.problems = problems
        self.view: RawView | None = None
        self.size_bytes = 0
        self._problem_index = -1

    @property
    def problem_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line})

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._head(), id="rawview-head")
        with ReadingScroll(id="rawview-scroll"):
            yield Static(Text("reading…", style="dim"), id="rawview-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"{self.path} (read-only)"
        self._read()

    def _head(self, extra: str = "") -> Text:
        head = Text.assemble(
            ("opened read-only", "bold reverse"),
            "  ",
            (str(self.path), "bold"),
            ("  · nothing here is written; fix the file in an editor, then r on the list reloads it", "dim"),
        )
        for p in self.problems[:6]:
            head.append("\n")
            head.append(f"✗ {p}", style="bold red")
        if len(self.problems) > 6:
            head.append(f"\n  … and {len(self.problems) - 6} more")
        if extra:
            head.append("\n" + extra, style="yellow")
        return head

    @work(thread=True, exclusive=True, group="rawview", exit_on_error=False)
    def _read(self) -> None:
        try:
            data, size = self.store.read_raw(self.path)
        except Exception as exc:  # gone, unreadable, outside the store: said, never a traceback
            self.app.call_from_thread(self._failed, str(exc))
            return
        view = raw_view(data, self.problem_lines[0] if self.problem_lines else None)
        self.app.call_from_thread(self._show, view, size, len(data))

    def _failed(self, message: str) -> None:
        self.query_one("#rawview-body", Static).update(Text(f"Cannot read {self.path}: {message}", style="red"))

    def _show(self, view: RawView, size: int, read: int) -> None:
        self.view, self.size_bytes = view, size
        marked = set(self.problem_lines)
        body = Text(no_wrap=True)
        for n, line in enumerate(view.lines):
            if n:
                body.append("\n")
            bad = line.number in marked
            body.append(f"{'▶' if bad else ' '}{line.number:>{GUTTER - 2}} ", style="bold red" if bad else "dim")
            start = len(body)
            for piece in line.pieces:
                body.append(piece.text, style="bold white on red" if piece.escaped else "")
            if bad:
                body.stylize("underline", start, len(body))
        notes = []
        if view.bad_bytes:
            notes.append(f"{view.bad_bytes} byte(s) are not UTF-8: shown as \\xNN on a red background")
        if read < size:
            notes.append(f"showing the first {read:,} of {size:,} bytes")
        if view.lines and (view.lines[0].number > 1 or view.lines[-1].number < view.total_lines):
            notes.append(f"showing lines {view.lines[0].number}–{view.lines[-1].number} of {view.total_lines:,}")
        self.query_one("#rawview-head", Static).update(self._head(" · ".join(notes)))
        self.query_one("#rawview-body", Static).update(body)
        if marked:
            self.call_after_refresh(self.action_next_problem)

    def action_next_problem(self) -> None:
        lines = self.problem_lines
        if not lines or self.view is None or not self.view.lines:
            return
        self._problem_index = (self._problem_index + 1) % len(lines)
        row = lines[self._problem_index] - self.view.lines[0].number
        self.query_one("#rawview-scroll", VerticalScroll).scroll_to(y=max(0, row - 3), animate=False)

    def action_close(self) -> None:
        self.app.pop_screen()
