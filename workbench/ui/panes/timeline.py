"""Timeline: entries in UTC order with kind, event and source; unsourced and [DATA GAP]/[ASSUMPTION]
entries stand out. Add, edit, delete, duplicate and reorder, each one commit."""

from __future__ import annotations

from typing import Any, get_args

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.wording import counted
from ...domain import edit
from ...domain.model import EntryKind, TimelineEntry, format_minutes
from ...services.evidence.locker import source_label
from ...services.importing.timeline import FORMATS, ImportOptions, run_import
from ...services.importing.timeline.base import parse_zone
from ...services.importing.timeline.review import (
    SilentGap,
    Staged,
    accept,
    apply_times,
    deduplicate,
    default_window,
    propose_times,
    silent_gaps,
)
from ..forms import FormError, FormField, FormModal
from ..modals.confirm import ConfirmModal
from ..modals.timeline_staging import TimelineStagingModal
from ..tables import Fit, FitTable, cursor_into_view, cursor_key, move_to, place_cursor, shorten, theme_style
from ..hints import HintLine
from ..redraw import update_static
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
TIMELINE_KEYS = [("a", "add"), ("e", "edit"), ("d", "delete"), ("i", "import"), ("T", "key times")]

GAP_ROW = "gap:"  # row keys of the "possible [DATA GAP]" rows between entries

KIND_OPTIONS = [(k, k) for k in get_args(EntryKind)]


def timeline_fields() -> list[FormField]:
    return [
        FormField("time", "Time (ISO 8601 with offset or Z; stored in UTC)", "time", placeholder="2025-08-05T16:00Z"),
        FormField("kind", "Kind", "select", KIND_OPTIONS),
        FormField("event", "Event", "multiline"),
        FormField(
            "source",
            "Source / evidence (log line, dashboard, commit, message link)",
            "text",
            help="An entry without a source is flagged: never present an unsourced claim as fact.",
        ),
        FormField("data_gap", "[DATA GAP] — evidence is missing", "bool"),
        FormField("assumption", "[ASSUMPTION] — inferred, not observed", "bool"),
    ]


class TimelinePane(Pane):
    pane_id = "timeline"
    title = "Timeline"
    key = "2"

    BINDINGS = [
        Binding("a", "add", "Add", id="timeline.add"),
        Binding("e,enter", "edit", "Edit", id="timeline.edit"),
        Binding("d,delete", "delete", "Delete", id="timeline.delete"),
        Binding("y", "duplicate", "Duplicate", id="timeline.duplicate"),
        Binding("shift+up,K", "move(-1)", "Move up", id="timeline.move_up"),
        Binding("shift+down,J", "move(1)", "Move down", id="timeline.move_down"),
        Binding("i", "import", "Import", id="timeline.import"),
        Binding("T", "derive_times", "Key times", id="timeline.derive_times"),
    ]

    DEFAULT_CSS = """
    TimelinePane DataTable { height: 1fr; }
    TimelinePane #timeline-detail { height: auto; max-height: 8; border-top: solid $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HintLine(keys=TIMELINE_KEYS, classes="pane-summary")
        # At 80 columns Source and Flags narrow (the detail area below shows them whole) so the event keeps room.
        table: DataTable[Any] = FitTable(
            {"event": Fit(flex_min=24), "source": Fit(compact=9), "flags": Fit(compact=9), "kind": Fit(compact=10)},
            cursor_type="row",
            zebra_stripes=True,
            id="timeline-table",
        )
        table.add_column("Time (UTC)", key="time", width=16)
        table.add_column("Kind", key="kind", width=13)
        table.add_column("Event", key="event", width=56)
        table.add_column("Source / evidence", key="source", width=26)
        table.add_column("Flags", key="flags", width=21)
        yield table
        yield Static("", id="timeline-detail")

    def on_mount(self) -> None:
        self.show()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    def ordered(self) -> list[TimelineEntry]:
        return self.incident.sorted_timeline()

    def show(self) -> None:
        table = self.table
        current = self.current_id()
        table.clear()
        unsourced = 0
        gaps = {g.after.id: g for g in silent_gaps(self.incident)}
        for entry in self.ordered():
            flags = []
            if not entry.source:
                unsourced += 1
                flags.append(("NO SOURCE", "bold $warning"))
            if entry.data_gap:
                flags.append(("GAP", "bold $error"))
            if entry.assumption:
                flags.append(("ASSUMED", "bold $accent"))
            flag_text = Text(" ").join(Text(label, style=theme_style(self, style)) for label, style in flags)
            event = Text(entry.event.replace("\n", " "), style="italic" if entry.assumption else "")
            table.add_row(
                f"{entry.time:%Y-%m-%d %H:%M}",
                entry.kind or Text("—", style="dim"),
                event,
                entry.source or Text("(none)", style=theme_style(self, "$warning")),
                flag_text,
                key=entry.id,
            )
            gap = gaps.get(entry.id)
            if gap is not None:
                warn = theme_style(self, "$warning")
                table.add_row(
                    Text("   ⋮", style=warn),
                    Text("silence", style=warn),
                    Text(f"{_minutes(gap.minutes)} with no entry: possible [DATA GAP]", style=f"italic {warn}"),
                    Text("—", style="dim"),
                    Text("GAP?", style=f"bold {warn}"),
                    key=f"{GAP_ROW}{entry.id}",
                )
        count = len(self.incident.timeline)
        silences = f" · {counted(len(gaps), 'long silence')}" if gaps else ""
        self.query_one(".pane-summary", HintLine).show(
            [
                counted(count, "entry", "entries")
                + (f" · {unsourced} without a source" if unsourced else "")
                + (f"{silences} (possible [DATA GAP])" if gaps else ""),
                counted(count, "entry", "entries") + (f" · {unsourced} unsourced" if unsourced else "") + silences,
            ]
        )
        if current:
            self.focus_entry(current)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The whole of the selected entry: the table cuts long events and sources."""
        detail = self.query_one("#timeline-detail", Static)
        gap = self._current_gap()
        if gap is not None:
            update_static(
                detail,
                Text.assemble(
                    (f"{_minutes(gap.minutes)} with no timeline entry", "bold"),
                    f" between {gap.after.time:%Y-%m-%d %H:%M}Z ({gap.after.id}) and {gap.before.time:%Y-%m-%d %H:%M}Z "
                    f"({gap.before.id}).\nPossible [DATA GAP]: import more evidence (i), or add an entry saying what "
                    "is known about this stretch.",
                ),
            )
            return
        entry_id = self.current_id()
        entry = next((e for e in self.incident.timeline if e.id == entry_id), None)
        if entry is None:
            update_static(detail, Text("No entries yet: press a to add the first one.", style="italic"))
            return
        marks = [m for m, on_ in (("[DATA GAP]", entry.data_gap), ("[ASSUMPTION]", entry.assumption)) if on_]
        text = Text.assemble(
            (f"{entry.id}  {entry.time:%Y-%m-%d %H:%M:%S} UTC  {entry.kind or 'no kind'}  ", "bold"),
            (" ".join(marks) + "\n" if marks else "\n", "bold"),
            entry.event,
            "\n",
            ("source: ", "dim"),
            entry.source or Text("none — add one, or mark the entry [DATA GAP]", style="italic"),
        )
        update_static(detail, text)

    def _row_key(self) -> str | None:
        return cursor_key(self.table)

    def current_id(self) -> str | None:
        key = self._row_key()
        return None if key is None or key.startswith(GAP_ROW) else key

    def _current_gap(self) -> SilentGap | None:
        key = self._row_key()
        if key is None or not key.startswith(GAP_ROW):
            return None
        return next((g for g in silent_gaps(self.incident) if g.after.id == key[len(GAP_ROW) :]), None)

    def focus_entry(self, entry_id: str) -> bool:
        return move_to(self.table, entry_id)

    def focus_entry_before_layout(self, entry_id: str) -> bool:
        if not place_cursor(self.table, entry_id):
            return False
        self._show_detail()
        return True

    def cursor_into_view(self) -> None:
        cursor_into_view(self.table)

    def _entry(self, entry_id: str) -> TimelineEntry:
        return next(e for e in self.incident.timeline if e.id == entry_id)

    def _form(
        self, title: str, values: dict[str, Any], entry_id: str, what: str, action: str, anchor: str | None = None
    ) -> None:
        def build(v: dict[str, Any]) -> Any:
            entry = TimelineEntry(id=entry_id, **v)
            return edit.upsert(self.incident, "timeline", entry)

        def done(result: Any) -> None:
            if result is not None:
                self.commit(result, f'{what} {entry_id} "{shorten(self._entry_from(result, entry_id).event)}"')
                self.focus_entry(entry_id)

        self.open_form(FormModal(title, timeline_fields(), values, build), done, action, anchor)

    @staticmethod
    def _entry_from(incident: Any, entry_id: str) -> TimelineEntry:
        return next(e for e in incident.timeline if e.id == entry_id)

    def action_add(self) -> None:
        entry_id = edit.fresh_id(self.incident, "timeline")
        last = self.ordered()[-1].time if self.incident.timeline else self.incident.times.started
        self._form("Add timeline entry", {"time": last}, entry_id, "add entry", "add")

    def action_edit(self) -> None:
        entry_id = self.current_id()
        if entry_id:
            entry = self._entry(entry_id)
            self._form(
                f"Edit timeline entry {entry_id}",
                entry.model_dump(exclude={"id"}),
                entry_id,
                "edit entry",
                "edit",
                entry_id,
            )

    def action_delete(self) -> None:
        entry_id = self.current_id()
        if not entry_id:
            return
        entry = self._entry(entry_id)

        def done(yes: bool | None) -> None:
            if yes:
                self.commit(
                    edit.delete(self.incident, "timeline", entry_id),
                    f'delete entry {entry_id} "{shorten(entry.event)}"',
                )

        self.app.push_screen(ConfirmModal(f"Delete timeline entry {entry_id}?\n\n{entry.event}", "Delete"), done)

    def action_duplicate(self) -> None:
        entry_id = self.current_id()
        if entry_id:
            incident, copy_id = edit.duplicate(self.incident, "timeline", entry_id)
            self.commit(incident, f"duplicate entry {entry_id} as {copy_id}")
            self.focus_entry(copy_id)

    def action_move(self, delta: int) -> None:
        entry_id = self.current_id()
        if not entry_id:
            return
        ordered = self.ordered()
        index = next(i for i, e in enumerate(ordered) if e.id == entry_id)
        target = index + delta
        if not 0 <= target < len(ordered):
            return
        if ordered[target].time != ordered[index].time:
            self.notify(
                "The timeline is ordered by time: change the entry's time to move it past "
                "another time. Reordering applies to entries at the same instant.",
                severity="warning",
            )
            return
        entries = list(self.incident.timeline)
        a = next(i for i, e in enumerate(entries) if e.id == entry_id)
        b = next(i for i, e in enumerate(entries) if e.id == ordered[target].id)
        entries[a], entries[b] = entries[b], entries[a]
        self.commit(edit.replace(self.incident, timeline=entries), f"reorder entry {entry_id}")
        self.focus_entry(entry_id)

    # ------------------------------------------------------------------------------- import & review
    def action_import(self) -> None:
        fields = [
            FormField(
                "format", "Format", "select", [(f"{k} — {v[1]}", k) for k, v in FORMATS.items()], allow_blank=False
            ),
            FormField(
                "path",
                "File, export folder or git repository",
                "text",
                placeholder="evidence/app.jsonl  or  /path/to/repo",
                help="A path relative to the incident folder (evidence/...) or to where the workbench runs.",
            ),
            FormField(
                "tz",
                "Time zone for timestamps without an offset",
                "text",
                placeholder="UTC or Europe/Berlin",
                help="Without it, such timestamps are reported as problems, never guessed.",
            ),
            FormField("since", "Only events from (optional; git: a day before the incident by default)", "time"),
            FormField("until", "Only events until (optional)", "time"),
            FormField("time_field", "Timestamp field or column (logs/evals; detected when blank)", "text"),
            FormField("message_field", "Message field or column (logs; detected when blank)", "text"),
            FormField("latency_ms", "Latency threshold in ms (traces, LLM runs)", "float"),
            FormField("metric", "Metric (evals)", "text"),
            FormField("threshold", "Threshold (evals: the metric falls below it; LLM traces: low scores)", "float"),
            FormField("above", "Evals: the bad side is above the threshold", "bool"),
            FormField("group_field", "Evals: one series per value of this field (e.g. eval, model)", "text"),
            FormField("min_level", "Logs: keep lines at this level or above (e.g. WARN)", "text"),
            FormField("notable_only", "LLM traces: only errors, slow runs and low scores", "bool"),
            FormField("channel", "Slack: only this channel", "text"),
            FormField(
                "link_base", "Slack: workspace address for message links", "text", placeholder="https://acme.slack.com"
            ),
        ]
        folder = self.session.saved.folder

        def build(values: dict[str, Any]) -> dict[str, Any]:
            from pathlib import Path

            raw = str(values.get("path") or "").strip()
            if not raw:
                raise FormError({"path": "name the file, folder or repository to import"})
            path = Path(raw).expanduser()
            if not path.is_absolute() and (folder / path).exists():
                path = folder / path
            if not path.exists():
                raise FormError({"path": f"{raw}: no such file or folder"})
            try:
                zone = parse_zone(values.get("tz"))
            except ValueError as exc:
                raise FormError({"tz": str(exc)}) from None
            return {**values, "path": path, "tz": zone}

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.notify(f"Reading {values['path'].name}…")
                self._run_import(values)

        self.open_form(
            FormModal("Import timeline events from evidence", fields, {"format": "jsonl"}, build), done, "import"
        )

    @work(thread=True, exclusive=True, group="timeline-import", exit_on_error=False)
    def _run_import(self, values: dict[str, Any]) -> None:
        incident = self.incident
        since, until = default_window(values["format"], incident, values.get("since"), values.get("until"))
        opts = ImportOptions(
            label=source_label(self.session.saved, values["path"]),
            tz=values.get("tz"),
            time_field=values.get("time_field") or None,
            message_field=values.get("message_field") or None,
            since=since,
            until=until,
            latency_ms=values.get("latency_ms"),
            metric=values.get("metric") or None,
            threshold=values.get("threshold"),
            direction="above" if values.get("above") else "below",
            group_field=values.get("group_field") or None,
            min_level=values.get("min_level") or None,
            notable_only=bool(values.get("notable_only")),
            channel=values.get("channel") or None,
            link_base=values.get("link_base") or None,
        )
        result = run_import(values["format"], values["path"], opts)
        staged, duplicates = deduplicate(incident, result.candidates)
        self.app.call_from_thread(
            self.review, f"Review events from {opts.label} ({values['format']})", staged, duplicates, result.problems
        )

    def review(self, title: str, staged: list[Staged], duplicates: list[Any], problems: list[Any]) -> None:
        """Open the staging list; write what the reviewer accepted as one commit naming the sources."""

        def done(items: list[Staged] | None) -> None:
            if not items:
                return
            outcome = accept(self.incident, items)
            if outcome is None:
                return
            incident, what, trailers = outcome
            self.commit(incident, what, trailers=tuple(trailers))
            self.notify(what)

        self.app.push_screen(TimelineStagingModal(title, staged, duplicates, problems), done)

    def action_derive_times(self) -> None:
        proposals = [p for p in propose_times(self.incident) if p.changes]
        if not proposals:
            self.notify(
                "Key times already match the first trigger, detection, mitigation and resolution entries "
                "(or no entry has those kinds yet)."
            )
            return
        lines = [
            f"{p.name:<10} {p.proposed:%Y-%m-%d %H:%M}Z  (now "
            f"{p.current.strftime('%Y-%m-%d %H:%M') + 'Z' if p.current else 'unset'})  from {p.entry_id} "
            f'"{shorten(p.event)}"'
            for p in proposals
        ]
        try:
            incident = apply_times(self.incident, proposals)
        except ValueError as exc:
            self.notify(f"The derived key times are out of order; check the entry kinds. {exc}", severity="error")
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.commit(incident, "derive key times " + ", ".join(f"{p.name} from {p.entry_id}" for p in proposals))

        self.app.push_screen(
            ConfirmModal("Set the incident's key times from the timeline?\n\n" + "\n".join(lines), "Apply"), done
        )


def _minutes(value: float) -> str:
    return format_minutes(value)
