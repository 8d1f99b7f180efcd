"""Import a published postmortem from the start screen: choose the file (and a date if the source states
none), review every extracted fact in the staging list the timeline import uses, then write the accepted
ones as one new incident in one commit."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from textual.screen import Screen

from ...services.importing.postmortem import ImportResult, commit, prepare
from ...services.importing.postmortem.staging import ORIGINS, UNTIMED, StagedImport, figure_parts, figure_text
from ...services.importing.timeline.review import Staged
from ...store import Store, StoreError
from ..forms import FormError, FormField, FormModal
from ..modals.timeline_staging import TimelineStagingModal


class PostmortemImport:
    """The steps of one import, driven from a screen (the incident list)."""

    def __init__(self, screen: Screen[Any], store: Store) -> None:
        self.screen = screen
        self.store = store
        self.record: str | None = None  # for a file of records: which one

    def start(self) -> None:
        fields = [
            FormField(
                "path",
                "Postmortem (markdown) or file of records to import",
                "text",
                placeholder="~/postmortems/outage.md",
                help="A published postmortem (blog post, day-by-day log, structured report), a workbench "
                "report, or ATLAS / AIID records. Nothing is written until you accept the items.",
            ),
            FormField(
                "date",
                "Incident date, only if the source states none",
                "date",
                help="Never guessed: left empty, an undated source asks again, then records a [DATA GAP].",
            ),
            FormField(
                "record",
                "Record, in a file of records (ATLAS .yaml, AIID .json)",
                "text",
                placeholder="AML.CS0003 or 23",
                help="A file of records holds many incidents: name the one to review and import.",
            ),
        ]

        def build(values: dict[str, Any]) -> dict[str, Any]:
            raw = str(values.get("path") or "").strip()
            if not raw:
                raise FormError({"path": "name the markdown file to import"})
            path = Path(raw).expanduser()
            if not path.is_file():
                raise FormError({"path": f"{raw}: no such file"})
            return {"path": path, "date": values.get("date"), "record": str(values.get("record") or "").strip() or None}

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.screen.notify(f"Reading {values['path'].name}…")
                self.record = values.get("record")
                self.read(values["path"], values.get("date"), asked=values.get("date") is not None)

        self.screen.app.push_screen(FormModal("Import a postmortem", fields, {}, build), done)

    def read(self, path: Path, given: date | None, asked: bool) -> None:
        # Parsing (and the first load of the tagger) takes seconds: off the event loop.
        self.screen.run_worker(
            lambda: self._read(path, given, asked),
            thread=True,
            exclusive=True,
            group="postmortem-import",
            exit_on_error=False,
        )

    def _read(self, path: Path, given: date | None, asked: bool) -> None:
        try:
            result = prepare(self.store, path, None, given, self.record)
        except StoreError as exc:
            self.screen.app.call_from_thread(self.screen.notify, str(exc), severity="error", timeout=10)
            return
        if result.undated and not asked:
            self.screen.app.call_from_thread(self.ask_date, path)
            return
        self.screen.app.call_from_thread(self.review, path, result)

    def ask_date(self, path: Path) -> None:
        fields = [
            FormField(
                "date",
                "Incident date (YYYY-MM-DD); leave empty to record a [DATA GAP]",
                "date",
                help=f"{path.name} states no date for the incident; the workbench does not guess one.",
            )
        ]

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.read(path, values.get("date"), asked=True)

        self.screen.app.push_screen(FormModal("The source states no date", fields, {}, lambda v: v), done)

    def review(self, path: Path, result: ImportResult) -> None:
        staged = StagedImport.of(result)
        counts = ", ".join(f"{n} {k}" for k, n in _counts(result).items() if n)
        title = f"Review the import of {path.name} → {result.incident.id} ({counts or 'no facts found'})"

        def done(items: list[Any] | None) -> None:
            if items:
                self.write(path, staged.apply(items))

        self.screen.app.push_screen(
            TimelineStagingModal(title, staged.staged, untimed=UNTIMED, editors={ORIGINS["impact"]: edit_figure}), done
        )

    def write(self, path: Path, result: ImportResult) -> None:
        self.screen.run_worker(
            lambda: self._write(path, result),
            thread=True,
            exclusive=True,
            group="postmortem-import",
            exit_on_error=False,
        )

    def _write(self, path: Path, result: ImportResult) -> None:
        try:
            record = commit(self.store, result, path.name)
        except StoreError as exc:
            self.screen.app.call_from_thread(self.screen.notify, f"Could not import: {exc}", severity="error")
            return
        self.screen.app.call_from_thread(self.screen.notify, f"Imported {path.name} as {record.id} (one commit).")
        self.screen.app.call_from_thread(self.screen.app.open_incident, record.id)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)


def edit_figure(item: Staged) -> tuple[str, list[FormField], dict[str, Any], Callable[[dict[str, Any]], Staged]]:
    """An impact figure's own form: its number, its unit and the note citing the sentence, apart."""
    value, unit, note = figure_parts(item.event) or (None, "", item.event)
    fields = [
        FormField(
            "value",
            "Value (a number; empty if the source gives none)",
            "float",
            help="As the source states it: 305 users, 4.5 hours, 12 %.",
        ),
        FormField("unit", "Unit", "text", placeholder="users, requests, %, minutes, usd, gpu-hours"),
        FormField("note", "Note (the sentence it came from)", "multiline"),
    ]

    def build(values: dict[str, Any]) -> Staged:
        number = values.get("value")
        text_unit = " ".join(str(values.get("unit") or "").split())
        text_note = str(values.get("note") or "").strip()
        if number is not None and not math.isfinite(number):
            raise FormError({"value": "a figure is a finite number"})
        if number is not None and not text_unit:
            raise FormError({"unit": "a figure needs its unit (users, %, minutes, ...)"})
        if number is None and not text_note:
            raise FormError({"note": "without a value, the note must say what is known"})
        if " " in text_unit or "—" in text_unit:
            raise FormError({"unit": "one word, e.g. users or gpu-hours"})
        return replace(item, event=figure_text(number, text_unit, text_note))

    return f"Edit figure from {item.source}", fields, {"value": value, "unit": unit, "note": note}, build


def _counts(result: ImportResult) -> dict[str, int]:
    names = {"timeline": "times", "impact": "figures", "action": "actions", "cause": "causes", "lesson": "lessons"}
    out = {v: 0 for v in names.values()}
    for item in result.items:
        out[names.get(item.kind, item.kind)] = out.get(names.get(item.kind, item.kind), 0) + 1
    return out
