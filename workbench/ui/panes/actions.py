"""Actions: what the team will change, with owner, due date, status, priority, the causes it addresses
and how it will be verified. Overdue items (open or in progress past their due date, by the app's
clock) stand out. Add, edit, delete, quick status change and cause links, each one commit."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...domain.wording import counted
from ...domain import edit
from ...domain.model import ACTION_STATUSES, ActionItem, Incident, Priority
from ..forms import FormError, FormField, FormModal
from ..modals.confirm import ConfirmModal
from ..modals.pick import PickManyModal, PickOneModal
from ..tables import Fit, FitTable, cursor_into_view, cursor_key, move_to, place_cursor, shorten, theme_style
from ..hints import HintLine
from ..redraw import update_static
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
ACTION_KEYS = [
    ("a", "add"),
    ("e", "edit"),
    ("space", "next status"),
    ("s", "status…"),
    ("l", "causes"),
    ("d", "delete"),
]

STATUS_OPTIONS: list[tuple[str, str]] = [(s, s) for s in ACTION_STATUSES]
PRIORITY_OPTIONS = [(p, p) for p in get_args(Priority)]
# space walks the usual path; s picks any status (won't-do, or back to open).
NEXT_STATUS = {"open": "in-progress", "in-progress": "done", "done": "verified"}
STATUS_STYLE = {
    "open": "",
    "in-progress": "bold $warning",
    "done": "$success",
    "verified": "bold $success",
    "wont-do": "dim",
}


def action_fields() -> list[FormField]:
    return [
        FormField("action", "Action (a concrete change to the system, not 'be more careful')", "multiline"),
        FormField("owner", "Owner (team or role handle)", placeholder="@inference-platform"),
        FormField("due", "Due date", "date", placeholder="2025-10-31"),
        FormField("status", "Status", "select", STATUS_OPTIONS, allow_blank=False),
        FormField("priority", "Priority", "select", PRIORITY_OPTIONS, allow_blank=False),
        FormField("verification", "Verification: how will we know it works?", "multiline"),
        FormField("success_criteria", "Success criteria (measurable)", "text"),
        FormField("tracker", "Tracker link or ticket", "text"),
    ]


class ActionsPane(Pane):
    pane_id = "actions"
    title = "Actions"
    key = "4"

    BINDINGS = [
        Binding("a", "add", "Add", id="actions.add"),
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("d,delete", "delete", "Delete", id="actions.delete"),
        Binding("space", "next_status", "Next status", id="actions.next_status"),
        Binding("s", "pick_status", "Status…", id="actions.status"),
        Binding("l", "link_causes", "Causes", id="actions.causes"),
    ]

    DEFAULT_CSS = """
    ActionsPane DataTable { height: 1fr; }
    ActionsPane #actions-detail-scroll { height: 12; border-top: solid $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HintLine(keys=ACTION_KEYS, classes="pane-summary")
        # Narrow terminals: verification and addresses give way first (shown in the detail area), the action keeps room.
        table: DataTable[Any] = FitTable(
            {
                "action": Fit(flex_min=24),
                "verification": Fit(compact=0),
                "addresses": Fit(compact=0),
                "owner": Fit(compact=12),
                "status": Fit(compact=11),
            },
            cursor_type="row",
            zebra_stripes=True,
            id="actions-table",
        )
        table.add_column("ID", key="id", width=6)
        table.add_column("Action", key="action", width=33)
        table.add_column("Owner", key="owner", width=16)
        table.add_column("Due", key="due", width=10)
        table.add_column("Status", key="status", width=19)
        table.add_column("Prio", key="priority", width=4)
        table.add_column("Addresses", key="addresses", width=14)
        table.add_column("Verification", key="verification", width=20)
        yield table
        with VerticalScroll(id="actions-detail-scroll"):
            yield Static("", id="actions-detail")

    def on_mount(self) -> None:
        self.show()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    @property
    def today(self) -> date:
        return self.app.clock().date()  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)

    def show(self) -> None:
        table = self.table
        current = self.current_id()
        table.clear()
        today = self.today
        error = theme_style(self, "bold $error")
        overdue_count = 0
        for a in self.incident.actions:
            overdue = a.is_overdue(today)
            overdue_count += overdue
            status = Text(a.status, style=theme_style(self, STATUS_STYLE[a.status]))
            if overdue:
                status = Text.assemble((a.status, error), (" OVERDUE", error))
            due = Text(f"{a.due:%Y-%m-%d}" if a.due else "—", style=error if overdue else ("" if a.due else "dim"))
            table.add_row(
                Text(a.id, style=error if overdue else "bold"),
                Text(shorten(a.action, 33)),
                Text(a.owner) if a.owner else Text("no owner", style=theme_style(self, "italic $warning")),
                due,
                status,
                Text(a.priority, style="bold" if a.priority in ("P0", "P1") else ""),
                Text(", ".join(a.addresses)) if a.addresses else Text("—", style="dim"),
                Text(shorten(a.verification, 20))
                if a.verification
                else Text("none", style=theme_style(self, "italic $warning")),
                key=a.id,
            )
        open_count = len(self.incident.open_actions())
        summary = f"{counted(len(self.incident.actions), 'action')} · {open_count} open"
        late = f" · {overdue_count} OVERDUE" if overdue_count else ""
        self.query_one(".pane-summary", HintLine).show(
            [f"{summary}{late} (today {today:%Y-%m-%d})" if late else summary, summary + late]
        )
        if current:
            self.focus_entry(current)
        self._show_detail()

    def current_id(self) -> str | None:
        return cursor_key(self.table)

    def focus_entry(self, entry_id: str) -> bool:
        return move_to(self.table, entry_id)

    def focus_entry_before_layout(self, entry_id: str) -> bool:
        if not place_cursor(self.table, entry_id):
            return False
        self._show_detail()
        return True

    def cursor_into_view(self) -> None:
        cursor_into_view(self.table)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    def _action(self, action_id: str) -> ActionItem:
        return next(a for a in self.incident.actions if a.id == action_id)

    def _show_detail(self) -> None:
        detail = self.query_one("#actions-detail", Static)
        action_id = self.current_id()
        if action_id is None:
            update_static(
                detail,
                Text("No actions yet: press a to add one, then l to say which causes it addresses.", style="italic"),
            )
            return
        a = self._action(action_id)
        overdue = a.is_overdue(self.today)
        head = Text.assemble(
            (f"{a.id}  {a.priority}  {a.status}", "bold"),
            (" OVERDUE" if overdue else "", theme_style(self, "bold $error")),
            f"  owner {a.owner or '—'}  due {a.due or '—'}",
            (f"  tracker {a.tracker}" if a.tracker else "", "dim"),
        )
        causes = {c.id: c for c in self.incident.causes}
        parts: list[Any] = [head, Text(a.action)]
        if a.addresses:
            parts.append(Text("Addresses", style="bold"))
            parts += [Text.assemble((f"  {cid}  ", "dim"), shorten(causes[cid].statement, 110)) for cid in a.addresses]
        else:
            parts.append(
                Text(
                    "Addresses no cause yet: press l to link the causes it fixes.",
                    style=theme_style(self, "italic $warning"),
                )
            )
        parts.append(Text.assemble(("Verification: ", "bold"), a.verification or "—"))
        parts.append(Text.assemble(("Success criteria: ", "bold"), a.success_criteria or "—"))
        update_static(detail, Group(*parts))

    # ---------------------------------------------------------------------------------- editing
    def _form(
        self,
        title: str,
        values: dict[str, Any],
        action_id: str,
        base: ActionItem | None,
        what: str,
        action: str,
        anchor: str | None = None,
    ) -> None:
        def build(v: dict[str, Any]) -> Any:
            if not v["action"].strip():
                raise FormError({"action": "cannot be empty: say what will change in the system"})
            item = ActionItem(id=action_id, addresses=base.addresses if base else [], **v)
            return edit.upsert(self.incident, "actions", item)

        def done(result: Incident | None) -> None:
            if result is None or result == self.incident:
                return
            text = next(a for a in result.actions if a.id == action_id).action
            self.commit(result, f'{what} {action_id} "{shorten(text, 60)}"')
            self.focus_entry(action_id)

        self.open_form(FormModal(title, action_fields(), values, build), done, action, anchor)

    def action_add(self) -> None:
        action_id = edit.fresh_id(self.incident, "actions")
        self._form(
            f"Add action {action_id}", {"status": "open", "priority": "P2"}, action_id, None, "add action", "add"
        )

    def action_edit(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        a = self._action(action_id)
        values = a.model_dump(exclude={"id", "addresses"})
        self._form(f"Edit action {action_id}", values, action_id, a, "edit action", "edit", action_id)

    def action_delete(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        a = self._action(action_id)

        def done(yes: bool | None) -> None:
            if yes:
                self.commit(
                    edit.delete(self.incident, "actions", action_id),
                    f'delete action {action_id} "{shorten(a.action, 60)}"',
                )

        self.app.push_screen(ConfirmModal(f"Delete action {action_id}?\n\n{a.action}", "Delete"), done)

    def _set_status(self, action_id: str, status: str) -> None:
        a = self._action(action_id)
        if status == a.status:
            return
        actions = [x.model_copy(update={"status": status}) if x.id == action_id else x for x in self.incident.actions]
        self.commit(edit.replace(self.incident, actions=actions), f"status {action_id} {a.status} -> {status}")

    def action_next_status(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        a = self._action(action_id)
        nxt = NEXT_STATUS.get(a.status)
        if nxt is None:
            self.notify(f"{action_id} is {a.status}: press s to pick another status.", severity="information")
            return
        self._set_status(action_id, nxt)

    def action_pick_status(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        a = self._action(action_id)

        def done(status: str | None) -> None:
            if status:
                self._set_status(action_id, status)

        self.app.push_screen(PickOneModal(f"Status of {action_id}", STATUS_OPTIONS, a.status), done)

    def action_link_causes(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        a = self._action(action_id)
        options = []
        for c in self.incident.causes:
            prompt = Text.assemble(
                (f"{c.id}  ", "bold"),
                (f"{c.kind:<12} ", "dim"),
                (shorten(c.statement, 80), "italic" if c.status == "hypothesis" else ""),
            )
            options.append((prompt, c.id))

        def done(chosen: list[str] | None) -> None:
            if chosen is None or set(chosen) == set(a.addresses):
                return
            addresses = [c for c in a.addresses if c in chosen] + [c for c in chosen if c not in a.addresses]
            added = [c for c in addresses if c not in a.addresses]
            removed = [c for c in a.addresses if c not in addresses]
            words = []
            if added:
                words.append(f"link {action_id} to {', '.join(added)}")
            if removed:
                words.append(f"unlink {action_id} from {', '.join(removed)}")
            actions = [
                x.model_copy(update={"addresses": addresses}) if x.id == action_id else x for x in self.incident.actions
            ]
            self.commit(edit.replace(self.incident, actions=actions), "; ".join(words))

        self.app.push_screen(
            PickManyModal(
                f"Causes {action_id} addresses: {shorten(a.action, 60)}",
                options,
                a.addresses,
                "No causes yet: add them in the Causes pane (3) first.",
            ),
            done,
        )
