"""The Conflicts screen: fields a sync found changed on both sides, with both values, settled by key.

Per field: o takes ours, t takes theirs; O / T take one side for every field of the incident under the
cursor. s resolves: each incident whose fields all have a side is written from a fresh three-way merge with
those choices (never conflict markers) and staged; when nothing is left the sync finishes (the rebase
commits, then pushes). The same steps as `workbench conflicts` / `resolve` / `sync --continue`
(services/sync/conflicts.py).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ...domain.wording import counted
from ...services.sync import conflicts as conflict_service
from ...store import StoreError
from ...store.conflicts import ConflictSet
from ...store.sync import SyncConflict
from ..help_registry import help_section
from ..tables import Fit, FitTable, cursor_key, move_to
from ..keybar import KeyBar


def _one_line(value: str) -> str:
    return value.replace("\n", " ")  # the table cuts it with an ellipsis; the detail shows it whole


@help_section("Conflicts screen", order=110)
class ConflictsScreen(Screen[None]):
    AUTO_FOCUS = "#conflicts-table"
    BINDINGS = [
        Binding("o", "take('ours')", "Ours", id="conflicts.ours"),
        Binding("t", "take('theirs')", "Theirs", id="conflicts.theirs"),
        # Uppercase: the whole incident. T shadows the app's Taxonomy key here (still in ^p and ?).
        Binding("O", "take_all('ours')", "All ours", id="conflicts.all_ours"),
        Binding("T", "take_all('theirs')", "All theirs", id="conflicts.all_theirs"),
        Binding("u", "undo_choice", "Undo choice", id="conflicts.undo", show=False),
        Binding("s,ctrl+s", "resolve", "Resolve + commit", id="conflicts.resolve"),
        Binding("x", "abort", "Abort sync", id="conflicts.abort"),
        Binding("r", "reload", "Reload", id="conflicts.reload", show=False),
        Binding("escape", "back", "Back", id="conflicts.back"),
    ]

    DEFAULT_CSS = """
    ConflictsScreen #conflicts-intro { height: auto; padding: 0 1; }
    ConflictsScreen #conflicts-table { height: 1fr; }
    ConflictsScreen #conflict-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $panel; }
    ConflictsScreen #conflicts-others { height: auto; padding: 0 1; color: $warning; }
    """

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store
        self.found: conflict_service.OpenConflicts | None = None
        self.rows: list[tuple[ConflictSet, dict[str, str]]] = []
        self.chosen: dict[str, dict[str, str]] = {}  # incident id -> {field: side}
        self.working = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Looking for conflicts…", id="conflicts-intro")
        # At 80 columns: Base gives way (the detail below shows all three values whole), then the incident
        # id, the field and Theirs narrow; Ours takes what is left, and Choice always shows.
        yield FitTable(
            {
                "ours": Fit(flex_min=14),
                "base": Fit(compact=0),
                "incident": Fit(compact=14),
                "field": Fit(compact=16),
                "theirs": Fit(compact=14),
            },
            id="conflicts-table",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Static("", id="conflict-detail")
        yield Static("", id="conflicts-others")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Conflicts"
        self.sub_title = self.app.store_label  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        table = self.query_one(DataTable)
        for label, key, width in (
            ("Incident", "incident", 30),
            ("Field", "field", 24),
            ("Base", "base", 20),
            ("Ours", "ours", None),
            ("Theirs", "theirs", 34),
            ("Choice", "choice", 7),
        ):
            table.add_column(label, key=key, width=width)
        self.action_reload()

    # ------------------------------------------------------------------------------------ loading
    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="conflicts-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            found = conflict_service.open_conflicts(self.store)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, f"Could not read the conflicts: {exc}", severity="error")
            return
        self.app.call_from_thread(self._show, found)

    def _show(self, found: conflict_service.OpenConflicts) -> None:
        # Choices stand only for the very same conflict: the next rebased commit may conflict on the same
        # field with other values, and starts unchosen.
        before = {c.incident_id: c.fields for c in (self.found.incidents if self.found else [])}
        self.chosen = {
            c.incident_id: self.chosen[c.incident_id]
            for c in found.incidents
            if c.incident_id in self.chosen and before.get(c.incident_id) == c.fields
        }
        self.found = found
        self.rows = [(c, f) for c in found.incidents for f in c.fields]
        self._draw()

    def _draw(self) -> None:
        table = self.query_one(DataTable)
        current = cursor_key(table)
        table.clear()
        for n, (conflict, field) in enumerate(self.rows):
            side = self.chosen.get(conflict.incident_id, {}).get(field["field"])
            choice = Text(side, style="bold green") if side else Text("choose", style="bold yellow")
            # Text, not str: a field like timeline[t-0001].event is not markup.
            table.add_row(
                Text(conflict.incident_id),
                Text(field["field"]),
                Text(_one_line(field["base"])),
                Text(_one_line(field["ours"])),
                Text(_one_line(field["theirs"])),
                choice,
                key=str(n),
            )
        if current is not None:
            move_to(table, current)
        self._intro()
        self._detail()
        others = self.found.other_files if self.found else []
        self.query_one("#conflicts-others", Static).update(
            Text("Also unmerged, not incident fields (edit the file, then `git add` it): " + ", ".join(others))
            if others
            else ""
        )

    def _intro(self) -> None:
        found = self.found
        intro = self.query_one("#conflicts-intro", Static)
        if found is None:
            return
        if found.empty:
            waiting = {
                "rebase": " A sync is still waiting: s finishes it.",
                "merge": " A merge is still waiting: s commits it.",
            }.get(found.waiting or "", "")
            intro.update(Text("No conflicts." + waiting))
            return
        first = found.incidents[0] if found.incidents else None
        fields = len(self.rows)
        left = sum(1 for c, f in self.rows if f["field"] not in self.chosen.get(c.incident_id, {}))
        text = Text()
        text.append(
            f"{counted(fields, 'field')} of {counted(len(found.incidents), 'incident')} changed on both sides",
            style="bold",
        )
        text.append(f" · {left} to choose. ")
        if first is not None:
            text.append(f"ours = {first.ours_label} · theirs = {first.theirs_label}. ")
        text.append(
            "Nothing is written until every field of an incident has a side; conflict markers never are.", style="dim"
        )
        intro.update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def _current(self) -> tuple[ConflictSet, dict[str, str]] | None:
        key = cursor_key(self.query_one(DataTable))
        if key is None or not key.isdigit() or int(key) >= len(self.rows):
            return None
        return self.rows[int(key)]

    def _detail(self) -> None:
        detail = self.query_one("#conflict-detail", Static)
        row = self._current()
        if row is None:
            detail.update("")
            return
        conflict, field = row
        side = self.chosen.get(conflict.incident_id, {}).get(field["field"])
        text = Text()
        text.append(f"{conflict.incident_id} · {field['field']}", style="bold")
        text.append(f"  ({conflict.path})\n", style="dim")
        text.append("  base   ", style="dim")
        text.append(f"{field['base']}\n")
        for name, label in (("ours", conflict.ours_label), ("theirs", conflict.theirs_label)):
            mark = "▶ " if side == name else "  "
            text.append(f"{mark}{name:<7}", style="bold green" if side == name else "bold")
            text.append(f"{field[name]}", style="green" if side == name else "")
            text.append(f"   [{label}]\n", style="dim")
        detail.update(text)

    # ----------------------------------------------------------------------------------- choosing
    def action_take(self, side: str) -> None:
        row = self._current()
        if row is None:
            return
        conflict, field = row
        self.chosen.setdefault(conflict.incident_id, {})[field["field"]] = side
        self._draw()
        table = self.query_one(DataTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_take_all(self, side: str) -> None:
        row = self._current()
        if row is None:
            return
        conflict = row[0]
        self.chosen[conflict.incident_id] = conflict_service.choices(conflict, take=side)
        self._draw()

    def action_undo_choice(self) -> None:
        row = self._current()
        if row is not None:
            self.chosen.get(row[0].incident_id, {}).pop(row[1]["field"], None)
            self._draw()

    # ---------------------------------------------------------------------------------- resolving
    def action_resolve(self) -> None:
        found = self.found
        if found is None or self.working:
            return
        ready = [
            c.incident_id for c in found.incidents if set(self.chosen.get(c.incident_id, {})) >= set(c.field_names())
        ]
        if found.incidents and not ready:
            self.notify(
                "Choose a side for every field of an incident first (o / t, or O / T for all of it).",
                severity="warning",
            )
            return
        if not found.incidents and found.other_files:
            self.notify(
                "Only files outside the incident fields are left: edit them, `git add` them, then s.",
                severity="warning",
            )
            self.action_reload()
            return
        if found.empty and found.waiting is None:
            self.notify("Nothing to resolve.")
            return
        self.working = True
        self.notify("Resolving…", timeout=2)
        self._resolve({i: dict(self.chosen[i]) for i in ready})

    @work(thread=True, exclusive=True, group="conflicts-resolve", exit_on_error=False)
    def _resolve(self, choices: dict[str, dict[str, str]]) -> None:
        messages: list[str] = []
        severity = "information"
        finished = False
        try:
            for incident_id, fields in choices.items():
                left = conflict_service.resolve(self.store, incident_id, fields=fields)
                messages.append(
                    f"{incident_id}: still to choose: {', '.join(left)}" if left else f"resolved {incident_id}"
                )
            if conflict_service.open_conflicts(self.store).empty:
                messages.extend(conflict_service.finish(self.store))
                finished = True
        except SyncConflict:  # the next rebased commit conflicts too: its fields are listed now
            messages.append("the sync stopped again at your next commit: its conflicts are listed now")
            severity = "warning"
        except StoreError as exc:
            messages.append(str(exc))
            severity = "error"
        self.app.call_from_thread(self._resolved, messages, severity, finished)

    def _resolved(self, messages: list[str], severity: str, finished: bool) -> None:
        self.working = False
        self.app.forget_titles()  # type: ignore[attr-defined]  # the incident list reloads its titles
        self.notify("\n".join(messages), title="Conflicts", severity=severity, timeout=12)  # type: ignore[arg-type]  # "error" or "warning", as chosen above
        if finished and self.app.screen is self:
            self.app.pop_screen()
            return
        self.action_reload()

    def action_abort(self) -> None:
        from ..modals.confirm import ConfirmModal

        if self.found is None or self.found.waiting != "rebase":
            self.notify("No sync is waiting: nothing to abort.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._abort()

        self.app.push_screen(
            ConfirmModal(
                "Abort the sync? Your store goes back to how it was before it "
                "(your commits kept, nothing pushed); the choices made here are "
                "dropped.",
                yes="Abort sync",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="conflicts-resolve", exit_on_error=False)
    def _abort(self) -> None:
        try:
            messages, severity = conflict_service.abort(self.store), "information"
        except StoreError as exc:
            messages, severity = [str(exc)], "error"
        self.app.call_from_thread(self._resolved, messages, severity, severity == "information")

    def action_back(self) -> None:
        self.app.pop_screen()
