"""The staging list: imported candidate events, reviewed before any lands in the timeline.

Each candidate is accepted, edited or dropped (or all those shown, at once); the list filters by
source and by text. Only accepted events are returned, and the Timeline pane writes them as one
commit that names the sources. Nothing here touches disk.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from ...domain.model import EntryKind
from ...services.importing.timeline import ImportProblem
from ...services.importing.timeline.review import Duplicate, Staged, filter_staged
from ..forms import FormField, FormModal
from ..tables import cursor_key
from ..help_registry import help_section
from ..hints import HintLine

# An origin's own edit form: (title, fields, values, build) for one candidate; build returns the edited one.
Editor = Callable[[Staged], "tuple[str, list[FormField], dict[str, Any], Callable[[dict[str, Any]], Staged]]"]
MARKS = {"pending": ("·", ""), "accepted": ("✓", "bold green"), "dropped": ("✗", "dim red")}
ALL = "__all__"


@help_section("Timeline import review", order=150)
class TimelineStagingModal(ModalScreen["list[Staged] | None"]):
    DEFAULT_CSS = """
    TimelineStagingModal { align: center middle; }
    TimelineStagingModal > Vertical { width: 96%; height: 92%; border: thick $primary; background: $surface;
        padding: 0 1; }
    /* Wraps rather than cuts: it names the file, the incident and the counts ("(3" was all 80x24 showed). */
    TimelineStagingModal .staging-title { text-style: bold; color: $primary; height: auto; max-height: 3; }
    TimelineStagingModal #staging-summary { height: 1; color: $text-muted; }
    TimelineStagingModal #staging-filters { height: 3; }
    TimelineStagingModal #staging-filter { width: 1fr; }
    TimelineStagingModal #staging-origin { width: 40; }
    TimelineStagingModal #staging-table { height: 1fr; }
    TimelineStagingModal #staging-detail { height: auto; max-height: 9; border-top: solid $panel; }
    TimelineStagingModal #staging-keys { padding: 0; }
    """

    BINDINGS = [
        Binding("a", "decide('accepted')", "Accept", id="staging.accept"),
        Binding("x,d", "decide('dropped')", "Drop", id="staging.drop"),
        Binding("u", "decide('pending')", "Undecide", id="staging.undo", show=False),
        Binding("e,enter", "edit", "Edit", id="staging.edit"),
        Binding("A", "decide_all('accepted')", "Accept shown", id="staging.accept_all"),
        Binding("X,D", "decide_all('dropped')", "Drop shown", id="staging.drop_all"),
        Binding("slash", "focus_filter", "Filter", id="staging.filter"),
        Binding("p", "toggle_problems", "Problems", id="staging.problems"),
        Binding("ctrl+s,w", "write", "Write accepted", id="staging.write", priority=True),
        Binding("escape", "cancel", "Cancel", id="staging.cancel"),
    ]

    def __init__(
        self,
        title: str,
        items: list[Staged],
        duplicates: list[Duplicate] | None = None,
        problems: list[ImportProblem] | None = None,
        untimed: frozenset[str] = frozenset(),
        editors: dict[str, Editor] | None = None,
    ) -> None:
        super().__init__()
        # Origins with a form of their own (an impact figure: value, unit, note) instead of the text field.
        self.editors = editors or {}
        # Origins whose candidates are not timeline events (a postmortem import's actions, impact figures,
        # causes): no time is shown or edited for them, and "Kind" shows their status or field.
        self.untimed = untimed
        self.staging_title = title
        self.items = list(items)
        self.duplicates = duplicates or []
        self.problems = problems or []
        self.shown: list[int] = list(range(len(self.items)))
        self.showing_problems = False

    # ------------------------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        origins = sorted({s.origin for s in self.items if s.origin})
        with Vertical():
            yield Static(self.staging_title, classes="staging-title", markup=False)
            yield Static("", id="staging-summary", markup=False)
            with Horizontal(id="staging-filters"):
                yield Input(placeholder="/ filter by text (event or source)", id="staging-filter")
                yield Select(
                    [("all sources", ALL), *((o, o) for o in origins)],
                    value=ALL,
                    allow_blank=False,
                    id="staging-origin",
                )
            table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, id="staging-table")
            table.add_column(" ", key="mark", width=1)
            table.add_column("Time (UTC)", key="time", width=19)
            table.add_column("Kind", key="kind", width=13)
            table.add_column("Event", key="event", width=60)
            table.add_column("Source", key="source")
            yield table
            yield Static("", id="staging-detail")
            yield HintLine(
                keys=[
                    ("a", "accept"),
                    ("x", "drop"),
                    ("e", "edit"),
                    ("ctrl+s", "write accepted"),
                    ("esc", "cancel"),
                    ("A/X", "accept/drop all shown"),
                    ("/", "filter"),
                    ("p", "problems"),
                ],
                id="staging-keys",
            )

    def on_mount(self) -> None:
        self._redraw()
        self.table.focus()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#staging-table", DataTable)

    def _redraw(self, keep: int | None = None) -> None:
        table = self.table
        current = keep if keep is not None else self._current()
        table.clear()
        text = self.query_one("#staging-filter", Input).value
        origin = self.query_one("#staging-origin", Select).value
        self.shown = filter_staged(self.items, text, "" if origin in (ALL, Select.BLANK) else str(origin))
        for index in self.shown:
            item = self.items[index]
            mark, style = MARKS[item.decision]
            when = Text("—", style="dim") if item.origin in self.untimed else f"{item.time:%Y-%m-%d %H:%M:%S}"
            table.add_row(
                Text(mark, style=style),
                when,
                item.kind or Text("—", style="dim"),
                Text(" ".join(item.event.split()), style="dim" if item.decision == "dropped" else ""),
                Text(item.source),
                key=str(index),
            )
        if current is not None and current in self.shown:
            table.move_cursor(row=self.shown.index(current))
        self._summary()
        self._detail()

    def _summary(self) -> None:
        accepted = sum(1 for s in self.items if s.decision == "accepted")
        dropped = sum(1 for s in self.items if s.decision == "dropped")
        parts = [
            f"{len(self.items)} candidates",
            f"{accepted} accepted",
            f"{dropped} dropped",
            f"{len(self.items) - accepted - dropped} undecided",
        ]
        if len(self.shown) != len(self.items):
            parts.append(f"{len(self.shown)} shown")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicates left out")
        if self.problems:
            parts.append(f"{len(self.problems)} problems (p)")
        self.query_one("#staging-summary", Static).update(" · ".join(parts))

    def _current(self) -> int | None:
        key = cursor_key(self.table)  # rows are keyed by the candidate's index
        return None if key is None else int(key)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        detail = self.query_one("#staging-detail", Static)
        if self.showing_problems:
            lines = [str(p) for p in self.problems[:40]] or ["No problems: every record was read."]
            more = len(self.problems) - 40
            detail.update(Text("\n".join(lines) + (f"\n… and {more} more" if more > 0 else ""), style="yellow"))
            return
        index = self._current()
        if index is None:
            detail.update(
                Text(
                    "Nothing to review: no candidates match."
                    if self.items
                    else "Nothing to review: every event is already in the timeline or was unreadable.",
                    style="italic",
                )
            )
            return
        item = self.items[index]
        when = item.origin if item.origin in self.untimed else f"{item.time:%Y-%m-%d %H:%M:%S} UTC"
        detail.update(
            Text.assemble(
                (f"{when}  {item.kind or 'no kind'}  {item.decision}\n", "bold"),
                item.event,
                "\n",
                ("source: ", "dim"),
                item.source,
                "\n",
                ("raw: ", "dim"),
                (item.candidate.raw[:400], "dim"),
            )
        )

    # ----------------------------------------------------------------------------------- actions
    def action_decide(self, decision: str) -> None:
        index = self._current()
        if index is None:
            return
        self.items[index] = replace(self.items[index], decision=decision)
        position = self.shown.index(index)
        self._redraw(keep=index)
        if position + 1 < len(self.shown):  # on to the next one: review is a walk down the list
            self.table.move_cursor(row=position + 1)

    def action_decide_all(self, decision: str) -> None:
        for index in self.shown:
            self.items[index] = replace(self.items[index], decision=decision)
        self._redraw()

    def action_edit(self) -> None:
        index = self._current()
        if index is None:
            return
        item = self.items[index]
        if item.origin in self.editors:
            self._edit_with(index, self.editors[item.origin])
            return
        if item.origin in self.untimed:
            self._edit_text(index)
            return
        fields = [
            FormField("time", "Time (ISO 8601 with offset or Z; stored in UTC)", "time"),
            FormField("kind", "Kind", "select", [(k, k) for k in get_args(EntryKind)]),
            FormField("event", "Event", "multiline"),
        ]

        def build(values: dict[str, Any]) -> Staged:
            from ..forms import FormError

            if not values.get("time"):
                raise FormError({"time": "a time is needed"})
            if not str(values.get("event") or "").strip():
                raise FormError({"event": "an event cannot be empty"})
            return replace(
                item,
                time=values["time"],
                kind=values.get("kind") or None,
                event=str(values["event"]).strip(),
                decision="accepted",
            )

        def done(result: Staged | None) -> None:
            if result is not None:
                self.items[index] = result
                self._redraw(keep=index)

        self.app.push_screen(
            FormModal(
                f"Edit candidate from {item.source}",
                fields,
                {"time": item.time, "kind": item.kind, "event": item.event},
                build,
            ),
            done,
        )

    def action_focus_filter(self) -> None:
        # At once, not after the next refresh (what focus() does): "/" and the words typed in one burst must all
        # land in the field, none of them taken as this screen's keys.
        self.set_focus(self.query_one("#staging-filter", Input))

    def action_toggle_problems(self) -> None:
        self.showing_problems = not self.showing_problems
        self._detail()

    @on(Input.Changed, "#staging-filter")
    def _filter_changed(self) -> None:
        self._redraw()

    @on(Input.Submitted, "#staging-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(Select.Changed, "#staging-origin")
    def _origin_changed(self) -> None:
        self._redraw()

    def action_write(self) -> None:
        if not any(s.decision == "accepted" for s in self.items):
            self.notify("Nothing accepted yet: a accepts the selected event, A all shown.", severity="warning")
            return
        self.dismiss(self.items)

    def action_cancel(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
            return
        self.dismiss(None)

    def _edit_text(self, index: int) -> None:
        """An action, cause or figure from a postmortem import: only its words can be edited here."""
        item = self.items[index]

        def build(values: dict[str, Any]) -> Staged:
            from ..forms import FormError

            text = str(values.get("event") or "").strip()
            if not text:
                raise FormError({"event": "the text cannot be empty"})
            return replace(item, event=text, decision="accepted")

        def done(result: Staged | None) -> None:
            if result is not None:
                self.items[index] = result
                self._redraw(keep=index)

        self.app.push_screen(
            FormModal(
                f"Edit {item.origin} from {item.source}",
                [FormField("event", "Text", "multiline")],
                {"event": item.event},
                build,
            ),
            done,
        )

    def _edit_with(self, index: int, editor: Editor) -> None:
        """A candidate edited in its origin's own form; saving the form accepts it."""
        item = self.items[index]
        title, fields, values, build = editor(item)

        def done(result: Staged | None) -> None:
            if result is not None:
                self.items[index] = replace(result, decision="accepted")
                self._redraw(keep=index)

        self.app.push_screen(FormModal(title, fields, values, build), done)
