"""Evidence: the incident's evidence locker (kept, hashed files and references) and the method's
data-collection checklist (each source gathered, not needed, or missing -> a [DATA GAP])."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.wording import counted
from ...domain.model import SOURCE_LABELS
from ...services.evidence.collection import checklist, describe_mark, mark_incident
from ...services.evidence.locker import Removed, add_evidence, human_size, remove_evidence, verify
from ...store import IncidentRecord, StoreError
from ..forms import FormError, FormField, FormModal
from ..modals.confirm import ConfirmModal
from ..tables import Fit, FitTable, cursor_key, move_to
from ..hints import HintLine
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
EVIDENCE_KEYS = [
    ("a", "add"),
    ("g", "gathered"),
    ("n", "not needed"),
    ("m", "missing"),
    ("v", "verify"),
    ("x", "remove"),
]

STATUS_STYLE = {"gathered": "bold green", "not-needed": "dim", "missing": "bold red", "open": "yellow"}


class EvidencePane(Pane):
    pane_id = "evidence"
    title = "Evidence"
    key = "0"
    needs_disk = True

    BINDINGS = [
        Binding("a", "add", "Add evidence", id="evidence.add"),
        Binding("x", "remove", "Remove", id="evidence.remove"),
        Binding("g", "mark('gathered')", "Gathered", id="evidence.gathered"),
        Binding("n", "mark('not-needed')", "Not needed", id="evidence.not_needed"),
        Binding("m", "mark('missing')", "Missing", id="evidence.missing"),
        Binding("v", "verify", "Verify hashes", id="evidence.verify"),
    ]

    DEFAULT_CSS = """
    EvidencePane .section { height: 1; text-style: bold; padding: 0 1; color: $primary; }
    EvidencePane #evidence-table { height: 1fr; }
    EvidencePane #collection-table { height: auto; max-height: 12; }
    EvidencePane #evidence-detail { height: auto; max-height: 5; border-top: solid $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HintLine(keys=EVIDENCE_KEYS, classes="pane-summary", id="evidence-summary")
        yield Static("Evidence locker", classes="section")
        table: DataTable[Any] = FitTable(
            {
                "description": Fit(flex_min=16),
                "added": Fit(compact=0),
                "sha": Fit(compact=0),
                "where": Fit(compact=20),
                "kind": Fit(compact=9),
            },
            cursor_type="row",
            zebra_stripes=True,
            id="evidence-table",
        )
        table.add_column("Id", key="id", width=7)
        table.add_column("Kind", key="kind", width=14)
        table.add_column("Where", key="where", width=36)
        table.add_column("Size", key="size", width=9)
        table.add_column("SHA-256", key="sha", width=13)
        table.add_column("Added (UTC)", key="added", width=16)
        table.add_column("Description", key="description", width=30)
        yield table
        yield Static("Data collection (the sources the method asks for)", classes="section")
        checks: DataTable[Any] = FitTable(
            {"note": Fit(flex_min=16)}, cursor_type="row", zebra_stripes=True, id="collection-table"
        )
        checks.add_column("Source", key="source", width=20)
        checks.add_column("Status", key="status", width=11)
        checks.add_column("Evidence", key="evidence", width=16)
        checks.add_column("Note", key="note", width=30)
        yield checks
        yield Static("", id="evidence-detail")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        incident = self.incident
        table = self.query_one("#evidence-table", DataTable)
        current = cursor_key(table)
        table.clear()
        for e in incident.evidence:
            where = e.path or e.reference
            if e.revision:
                where += f" @ {e.revision[:10]}"
            flags = Text(" SENSITIVE", style="bold red") if e.sensitive else Text("")
            table.add_row(
                e.id,
                e.kind,
                Text(where),
                human_size(e.size),
                e.sha256[:12] or Text("—", style="dim"),
                f"{e.added:%Y-%m-%d %H:%M}" if e.added else "",
                Text(e.description) + flags,
                key=e.id,
            )
        if current:
            move_to(table, current)
        checks = self.query_one("#collection-table", DataTable)
        current = cursor_key(checks)
        checks.clear()
        lines = checklist(incident)
        for line in lines:
            checks.add_row(
                SOURCE_LABELS[line.source],
                Text(line.status, style=STATUS_STYLE[line.status]),
                ", ".join(line.evidence),
                Text(line.note),
                key=line.source,
            )
        if current:
            move_to(checks, current)
        settled = sum(1 for line in lines if line.status != "open")
        kept = sum(1 for e in incident.evidence if e.path)
        settled_text = f"checklist {settled}/{len(lines)} settled"
        self.query_one("#evidence-summary", HintLine).show(
            [
                f"{counted(len(incident.evidence), 'item')} ({kept} kept in evidence/, "
                f"{counted(len(incident.evidence) - kept, 'reference')}) · {settled_text}",
                f"{counted(len(incident.evidence), 'item')} ({kept} kept) · {settled_text}",
            ]
        )
        self._detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        detail = self.query_one("#evidence-detail", Static)
        focused = self.app.focused
        if focused is not None and focused.id == "collection-table":
            source = cursor_key(self.query_one("#collection-table", DataTable))
            line = next((x for x in checklist(self.incident) if x.source == source), None)
            if line is not None:
                detail.update(
                    Text.assemble(
                        (f"{SOURCE_LABELS[line.source]}: {line.status}\n", "bold"),
                        line.note
                        or "g gathered (with its evidence) · n not needed (with a "
                        "reason) · m missing (records a [DATA GAP])",
                    )
                )
            return
        entry_id = cursor_key(self.query_one("#evidence-table", DataTable))
        entry = next((e for e in self.incident.evidence if e.id == entry_id), None)
        if entry is None:
            detail.update(
                Text(
                    "No evidence yet: press a to keep a file (copied and hashed) or reference a git "
                    "repository, path or URL.",
                    style="italic",
                )
            )
            return
        detail.update(
            Text.assemble(
                (f"{entry.id}  {entry.name}  {entry.kind}", "bold"),
                "\n",
                ("sha256: ", "dim"),
                entry.sha256 or "— (a reference; nothing kept to hash)",
                "\n",
                ("added by: ", "dim"),
                entry.added_by or "—",
                ("  ", ""),
                entry.description,
            )
        )

    # ----------------------------------------------------------------------------------- adding
    def action_add(self) -> None:
        fields = [
            FormField(
                "items",
                "Files, git repository folders or URLs (comma separated)",
                "list",
                placeholder="/tmp/app.jsonl, ~/src/service-repo",
            ),
            FormField("description", "Description", "text"),
            FormField("sensitive", "Sensitive (PII, secrets, customer data)", "bool"),
            FormField("reference", "Reference only: record path and SHA-256, do not copy", "bool"),
        ]

        def build(values: dict[str, Any]) -> dict[str, Any]:
            items = [str(Path(i).expanduser()) if "://" not in i else i for i in values.get("items") or []]
            if not items:
                raise FormError({"items": "name at least one file, repository or URL"})
            missing = [i for i in items if "://" not in i and not Path(i).exists()]
            if missing:
                raise FormError({"items": f"no such file or folder: {', '.join(missing)}"})
            return {**values, "items": items}

        def done(values: dict[str, Any] | None) -> Any:
            if values is not None:
                return self._add(values)  # the form's journal entry waits for this write
            return None

        self.open_form(FormModal("Add evidence", fields, {}, build), done, "add")

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _add(self, values: dict[str, Any]) -> bool:
        """True once the evidence is committed (the form's journal entry is then discarded)."""
        session = self.session
        # Copies and their manifest are one commit of their own: queued edits land first.
        if not session.wait_idle(20) or session.dirty:
            self.app.call_from_thread(
                self.notify,
                "Unsaved edits are pending (ctrl+r retries the save); evidence was not added.",
                severity="error",
            )
            return False
        try:
            record, added = add_evidence(
                session.git_store,
                session.saved,
                values["items"],
                description=values.get("description") or "",
                sensitive=bool(values.get("sensitive")),
                reference=bool(values.get("reference")),
            )
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return False
        self.app.call_from_thread(self._added, record, [e.id for e in added])
        return True

    def _added(self, record: IncidentRecord, ids: list[str]) -> None:
        self.wrote(record, f"evidence: add {', '.join(ids)}")
        move_to(self.query_one("#evidence-table", DataTable), ids[-1])
        self.notify(f"Added {', '.join(ids)}")

    # ---------------------------------------------------------------------------------- removing
    def action_remove(self) -> None:
        entry_id = cursor_key(self.query_one("#evidence-table", DataTable))
        entry = next((e for e in self.incident.evidence if e.id == entry_id), None)
        if entry is None:
            self.notify("No evidence selected.", severity="warning")
            return
        what = (
            f"{entry.path} is deleted from the folder; git history keeps it"
            if entry.path
            else "a reference: only its manifest entry goes"
        )
        question = f"Remove evidence {entry.id} {entry.name}?\n{what}. One commit."

        def done(yes: bool | None) -> None:
            if yes:
                self._remove(entry.id)

        self.app.push_screen(ConfirmModal(question, yes="Remove"), done)

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _remove(self, entry_id: str) -> None:
        session = self.session
        if not session.wait_idle(20) or session.dirty:
            self.app.call_from_thread(
                self.notify,
                "Unsaved edits are pending (ctrl+r retries the save); evidence was not removed.",
                severity="error",
            )
            return
        try:
            removed = remove_evidence(session.git_store, session.saved, entry_id)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._removed, removed)

    def _removed(self, removed: Removed) -> None:
        self.wrote(removed.record, f"evidence: remove {removed.entry.id}")
        note = f"Removed {removed.entry.id} {removed.entry.name}"
        if removed.sources:
            note += f"; timeline entries citing it keep their source text: {', '.join(removed.sources)}"
        self.notify(note, severity="warning" if removed.left_behind else "information", timeout=8)
        if removed.left_behind:
            self.notify(removed.left_behind, severity="error", timeout=12)

    # ---------------------------------------------------------------------------------- checklist
    def action_mark(self, status: str) -> None:
        checks = self.query_one("#collection-table", DataTable)
        source = cursor_key(checks)
        if source is None:
            return
        if status == "gathered":
            self._mark(source, status, "")
            return
        label = "Why is it not needed?" if status == "not-needed" else "What is missing, and how could it be got?"

        def build(values: dict[str, Any]) -> Any:
            try:
                return mark_incident(self.incident, source, status, reason=values.get("reason") or "")
            except StoreError as exc:
                raise FormError({"reason": str(exc)}) from None

        def done(incident: Any) -> None:
            if incident is not None:
                self.commit(incident, describe_mark(source, status))

        title = f"{SOURCE_LABELS[source]}: {status}"
        self.app.push_screen(FormModal(title, [FormField("reason", label, "text")], {}, build), done)

    def _mark(self, source: str, status: str, reason: str) -> None:
        try:
            incident = mark_incident(self.incident, source, status, reason=reason)
        except StoreError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        self.commit(incident, describe_mark(source, status))

    def focus_entry(self, entry_id: str) -> bool:
        return move_to(self.query_one("#evidence-table", DataTable), entry_id)

    # ------------------------------------------------------------------------------------ verify
    def action_verify(self) -> None:
        self._verify()

    @work(thread=True, exclusive=True, group="evidence-verify", exit_on_error=False)
    def _verify(self) -> None:
        problems = verify(self.session.git_store, self.session.saved)
        if problems:
            text = "\n".join(str(p) for p in problems[:8])
            self.app.call_from_thread(self.notify, text, severity="error", timeout=12)
        else:
            self.app.call_from_thread(self.notify, "Every kept file matches its SHA-256.")
