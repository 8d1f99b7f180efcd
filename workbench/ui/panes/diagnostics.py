"""Diagnostics: the incident's saved statistics (reproduction rates, sample ratio mismatch, eval deltas,
impact calculations, rate changes), each with its result and whether a re-run still gives it.

a adds one (a form per kind, the result live as you type), e edits, d deletes, r re-runs them all from
their saved inputs (in a worker) and u records a re-run's new result. Each save is one commit."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.wording import counted
from ...domain import edit
from ...domain.model import DIAGNOSTIC_KINDS, DIAGNOSTIC_LABELS, Diagnostic, Incident
from ..diagnostic_form import DiagnosticForm, form_values
from ..modals.confirm import ConfirmModal
from ..modals.pick import PickOneModal
from ..tables import Fit, FitTable, cursor_key, move_to
from ..hints import HintLine
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
DIAGNOSTIC_KEYS = [("a", "add"), ("e", "edit"), ("r", "re-run all"), ("u", "use re-run result"), ("d", "delete")]

KIND_HINTS = {
    "reproduction": "k of n runs → rate with an exact or Wilson interval",
    "srm": "arm counts vs the intended split → chi-square, flag at p < 0.001",
    "eval-delta": "two eval runs → difference, interval, test, minimum detectable effect",
    "impact": "requests = rate × traffic × window; GPU-hours × price; tokens × price",
    "rate-change": "events before/after a deploy → rate ratio with interval",
}
STATUS_STYLE = {"same": "green", "saved": "dim", "changed": "bold red", "stale": "yellow"}


def without(incident: Incident, diagnostic_id: str) -> Incident:
    """The incident without a diagnostic, and without the citations of it."""
    causes = [
        c.model_copy(update={"diagnostics": [d for d in c.diagnostics if d != diagnostic_id]})
        if diagnostic_id in c.diagnostics
        else c
        for c in incident.causes
    ]
    impact = incident.impact.model_copy(
        update={"diagnostics": [d for d in incident.impact.diagnostics if d != diagnostic_id]}
    )
    diagnostics = [d for d in incident.diagnostics if d.id != diagnostic_id]
    return edit.replace(incident, causes=causes, impact=impact, diagnostics=diagnostics)


class DiagnosticsPane(Pane):
    pane_id = "diagnostics"
    title = "Diagnostics"
    key = "f8"  # the digits are taken; a function key is never text typed into an editor

    BINDINGS = [
        Binding("a", "add", "Add", id="diagnostics.add"),
        Binding("e,enter", "edit", "Edit", id="diagnostics.edit"),
        Binding("d,delete", "delete", "Delete", id="diagnostics.delete"),
        Binding("r", "rerun", "Re-run all", id="diagnostics.rerun"),
        Binding("u", "update", "Use re-run result", id="diagnostics.update"),
    ]

    DEFAULT_CSS = """
    DiagnosticsPane #diagnostics-table { height: 1fr; }
    DiagnosticsPane #diagnostics-detail { height: auto; max-height: 9; border-top: solid $panel; padding: 0 1; }
    """

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.reruns: dict[str, Any] = {}  # diagnostic id -> Rerun (status "same", "changed" or "stale")

    def compose(self) -> ComposeResult:
        yield HintLine(keys=DIAGNOSTIC_KEYS, classes="pane-summary", id="diagnostics-summary")
        table: DataTable[Any] = FitTable(
            {"result": Fit(flex_min=24), "claim": Fit(compact=16)},
            cursor_type="row",
            zebra_stripes=True,
            id="diagnostics-table",
        )
        table.add_column("Id", key="id", width=8)
        table.add_column("Kind", key="kind", width=12)
        table.add_column("Claim", key="claim", width=22)
        table.add_column("Status", key="status", width=8)
        table.add_column("Result", key="result", width=40)
        yield table
        yield Static("", id="diagnostics-detail")

    def on_mount(self) -> None:
        self.show()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#diagnostics-table", DataTable)

    def status(self, d: Diagnostic) -> str:
        from ...services.diagnostics.runner import status_of

        rerun = self.reruns.get(d.id)
        if rerun is not None and rerun.diagnostic == d:
            return str(rerun.status)
        return status_of(d)

    def show(self) -> None:
        table = self.table
        current = cursor_key(table)
        table.clear()
        for d in self.incident.diagnostics:
            status = self.status(d)
            table.add_row(
                d.id,
                d.kind,
                Text(d.claim or "—", style="" if d.claim else "dim"),
                Text(status, style=STATUS_STYLE.get(status, "")),
                Text(d.sentence),
                key=d.id,
            )
        if current:
            move_to(table, current)
        count = len(self.incident.diagnostics)
        changed = sum(1 for d in self.incident.diagnostics if self.status(d) in ("changed", "stale"))
        summary = counted(count, "diagnostic")
        if changed:
            summary += f" · {changed} changed or stale"
        self.query_one("#diagnostics-summary", HintLine).show(summary)
        self._detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def current(self) -> Diagnostic | None:
        key = cursor_key(self.table)
        return next((d for d in self.incident.diagnostics if d.id == key), None)

    def _detail(self) -> None:
        detail = self.query_one("#diagnostics-detail", Static)
        d = self.current()
        if d is None:
            detail.update(
                Text(
                    "No diagnostics yet: press a to compute a reproduction rate, a sample ratio "
                    "mismatch test, an eval delta, an impact calculation or a rate change.",
                    style="italic",
                )
            )
            return
        from ...services.report.diagnostics import inputs_text, method

        cited = [c.id for c in self.incident.causes if d.id in c.diagnostics]
        if d.id in self.incident.impact.diagnostics:
            cited.append("impact")
        parts: list[Any] = [
            (f"{d.id}  {DIAGNOSTIC_LABELS[d.kind]}", "bold"),
            "\n",
            d.sentence,
            "\n",
            ("method: ", "dim"),
            method(d),
            "\n",
            ("inputs: ", "dim"),
            inputs_text(d) or "—",
            "\n",
            ("computed: ", "dim"),
            f"{d.computed_at:%Y-%m-%d %H:%M} UTC" if d.computed_at else "—",
            ("  cited by: ", "dim"),
            ", ".join(cited) or "nothing yet",
        ]
        rerun = self.reruns.get(d.id)
        if rerun is not None and rerun.diagnostic == d:
            style = "green" if rerun.status == "same" else "bold red"
            parts += ["\n", (rerun.describe(), style)]
            if rerun.status == "changed":
                parts += (("  (u records the new result)", "dim"),)
        detail.update(Text.assemble(*parts))

    def focus_entry(self, entry_id: str) -> bool:
        return move_to(self.table, entry_id)

    # ---------------------------------------------------------------------------------- adding
    def action_add(self) -> None:
        options = [
            (Text.assemble((f"{DIAGNOSTIC_LABELS[k].capitalize():<24}", "bold"), (KIND_HINTS[k], "dim")), k)
            for k in DIAGNOSTIC_KINDS
        ]

        def picked(kind: str | None) -> None:
            if kind is not None:
                self.action_add_kind(kind)

        self.app.push_screen(PickOneModal("Add a diagnostic: which kind?", options), picked)

    def action_add_kind(self, kind: str, claim: str = "") -> None:
        """The form of one kind (also what the review's fix for an uncited claim opens)."""
        defaults: dict[str, Any] = {"claim": claim, "method": "exact", "calc": "requests"}
        form = DiagnosticForm(kind, self.incident, self.session.saved.folder, defaults)
        self.open_form(form, self._saved("add"), f"add_kind('{kind}')")

    def action_edit(self) -> None:
        d = self.current()
        if d is None:
            return
        form = DiagnosticForm(d.kind, self.incident, self.session.saved.folder, form_values(d), d.id)
        self.open_form(form, self._saved("edit"), "edit", d.id)

    def _saved(self, verb: str):
        def done(diagnostic: Diagnostic | None) -> None:
            if diagnostic is None:
                return
            from ...services.diagnostics import add, commit_what

            self.reruns.pop(diagnostic.id, None)
            self.commit(add(self.incident, diagnostic), commit_what(diagnostic, verb))
            self.focus_entry(diagnostic.id)

        return done

    def action_delete(self) -> None:
        d = self.current()
        if d is None:
            return
        cited = [c.id for c in self.incident.causes if d.id in c.diagnostics] + (
            ["the impact"] if d.id in self.incident.impact.diagnostics else []
        )
        question = f"Delete diagnostic {d.id} ({DIAGNOSTIC_LABELS[d.kind]})?\n\n{d.sentence}"
        if cited:
            question += f"\n\n{', '.join(cited)} stop citing it."

        def done(yes: bool | None) -> None:
            if yes:
                self.commit(without(self.incident, d.id), f"delete {d.id} ({DIAGNOSTIC_LABELS[d.kind]})")

        self.app.push_screen(ConfirmModal(question, "Delete"), done)

    # --------------------------------------------------------------------------------- re-running
    def action_rerun(self) -> None:
        if not self.incident.diagnostics:
            self.notify("No diagnostics to re-run.", severity="warning")
            return
        self.notify(f"Re-running {len(self.incident.diagnostics)} diagnostic(s)…", timeout=3)
        self._rerun(self.incident, self.session.saved.folder)

    @work(thread=True, exclusive=True, group="diagnostics-rerun", exit_on_error=False)
    def _rerun(self, incident: Incident, folder: Any) -> None:
        from ...services.diagnostics import rerun

        runs = [rerun(d, incident, folder) for d in incident.diagnostics]
        self.app.call_from_thread(self._reran, runs)

    def _reran(self, runs: list[Any]) -> None:
        for r in runs:
            self.reruns[r.diagnostic.id] = r
        self.show()
        differ = [r for r in runs if r.status != "same"]
        if differ:
            self.notify("\n".join(r.describe() for r in differ)[:600], severity="warning", timeout=10)
        else:
            self.notify(f"All {len(runs)} re-run(s) give the saved results.")

    def action_update(self) -> None:
        d = self.current()
        rerun = self.reruns.get(d.id) if d is not None else None
        if d is None or rerun is None or rerun.diagnostic != d or rerun.status != "changed":
            self.notify("Press r to re-run first; u records a re-run whose result differs.", severity="warning")
            return
        from ...services.diagnostics import add

        updated = rerun.updated()
        self.reruns.pop(d.id, None)
        self.commit(add(self.incident, updated), f"re-run {d.id} ({DIAGNOSTIC_LABELS[d.kind]}): result changed")
