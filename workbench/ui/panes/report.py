"""Report: the canonical postmortem as it will be read, and keys to export it (markdown, HTML,
the executive one-pager, a redacted copy for sharing)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Static

from ...domain.taxonomy import Taxonomy
from ...services.report import ReportOptions, default_filename, export_report, render
from ...store import StoreError
from ..modals.export_path import ExportPathModal
from ..tables import fit_markdown_tables
from ..windowed_markdown import PieceText, WindowedMarkdown, split_pieces
from .base import Pane

EXPORTS = {
    "md": ("Export the report as markdown", ReportOptions(format="md")),
    "html": ("Export the report as HTML", ReportOptions(format="html")),
    "exec": ("Export the executive one-pager", ReportOptions(format="md", exec=True)),
    "redacted": (
        "Export a redacted report (people, emails, IPs and secrets removed)",
        ReportOptions(format="md", audience="external"),
    ),
}


class ReportPane(Pane):
    pane_id = "report"
    title = "Report"
    key = "9"
    needs_disk = True

    BINDINGS = [
        Binding("m", "export('md')", "Export md", id="report.export_md"),
        Binding("h", "export('html')", "Export HTML", id="report.export_html"),
        Binding("x", "export('exec')", "Export one-pager", id="report.export_exec"),
        Binding("r", "export('redacted')", "Export redacted", id="report.export_redacted"),
    ]

    DEFAULT_CSS = """
    ReportPane #report-hint { height: 1; padding: 0 1; color: $text-muted; }
    ReportPane #report-preview { height: 1fr; padding: 0 1; }
    """

    def __init__(self, session) -> None:
        super().__init__(session)
        self.taxonomy: Taxonomy | None = None
        self.export_base: Path | None = None  # the store's exports/ folder, made on the first export
        self._shown: str | None = None
        self._taxonomy_read = False
        self._asked: tuple[object, str, Taxonomy | None] | None = None  # what the last render was asked for
        self._asked_seq = 0

    def compose(self) -> ComposeResult:
        yield Static("m markdown · h HTML · x one-pager · r redacted — export to a file", id="report-hint")
        # Only the part of the report near the view is built as widgets (a long report is ~600 of them, and
        # every layout of the screen walks them all): see windowed_markdown.py. The action table wraps inside
        # the width instead of running past it (fit_markdown_tables, as each piece is built).
        yield WindowedMarkdown(id="report-preview", after_build=fit_markdown_tables)

    def on_mount(self) -> None:
        # Begun at the mount, not at the first Show: the report is made while the pane's first frames are laid
        # out, not after them.
        self._refresh_preview()

    def report_markdown(self) -> str:
        return render(self.session.incident, self.session.narrative, ReportOptions(), self.taxonomy)

    def show(self) -> None:
        # Every edit redraws every pane. Building the Markdown widget for a long report is slow, so the
        # preview is rebuilt only when this pane is on screen, and only when the report text changed.
        if self._on_screen():
            self._refresh_preview()

    def on_show(self) -> None:
        self._refresh_preview()

    def _on_screen(self) -> bool:
        node: DOMNode | None = self
        while node is not None and node is not self.screen:
            if not node.display:
                return False
            node = node.parent
        return self.is_mounted

    def _refresh_preview(self) -> None:
        """The report made in a thread (the store's taxonomy read there the first time), cut into pieces there
        too, and shown if its text changed: on the loop it held a 10,000-incident store's first look ~15 ms."""
        if not self._on_screen():
            return
        asked = (self.session.incident, self.session.narrative, self.taxonomy)
        if self._asked is not None and all(a is b for a, b in zip(asked, self._asked)):
            return  # the same incident, narrative and taxonomy: the same report (a Show after the mount)
        self._asked = asked
        self._asked_seq += 1
        self._render_preview(self._asked_seq, *asked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-render")
    def _render_preview(self, seq: int, incident, narrative: str, taxonomy: Taxonomy | None) -> None:
        if taxonomy is None and not self._taxonomy_read:
            try:
                taxonomy = self.session.git_store.load_taxonomy()
            except StoreError:
                taxonomy = None  # the report is drawn without framework mappings
        text = render(incident, narrative, ReportOptions(), taxonomy)
        pieces = split_pieces(text)
        self.app.call_from_thread(self._rendered, seq, taxonomy, text, pieces)

    def _rendered(self, seq: int, taxonomy: Taxonomy | None, text: str, pieces: list[PieceText]) -> None:
        if not self._taxonomy_read:
            self._taxonomy_read = True
            self.taxonomy = taxonomy
            if self._asked is not None:  # the taxonomy it was made with: the same report asked again is skipped
                self._asked = (self._asked[0], self._asked[1], taxonomy)
        if seq != self._asked_seq or not self.is_mounted:
            return  # a newer report is on its way
        if text != self._shown:
            self._shown = text
            # A newer text replaces only the pieces that differ (an edit in one section).
            self.query_one("#report-preview", WindowedMarkdown).update(text, pieces)

    # ----------------------------------------------------------------------------------- export
    def action_export(self, kind: str) -> None:
        title, options = EXPORTS[kind]
        default = default_filename(self.session.incident.id, options)

        def chosen(path: Path | None) -> None:
            if path is not None:  # the report as it is now, not as it may be when the thread runs
                self._write(path, options, self.session.incident, self.session.narrative)

        if self.export_base is None:
            try:
                self.export_base = self.session.git_store.exports_dir()
            except OSError as exc:
                self.notify(f"Could not make the store's exports/ folder: {exc}", severity="error")
                return
        self.app.push_screen(ExportPathModal(title, default, self.export_base, "the store's exports/ folder"), chosen)

    @work(thread=True, exit_on_error=False, group="report-export")
    def _write(self, path: Path, options: ReportOptions, incident, narrative: str) -> None:
        try:
            rendered = export_report(self.session.git_store, path, incident, narrative, options, self.taxonomy)
        except (OSError, StoreError) as exc:
            self.app.call_from_thread(self.app.notify, f"Could not write {path}: {exc}", severity="error", timeout=10)
            return
        note = f" {rendered.redaction.line()}" if rendered.redaction is not None else ""
        self.app.call_from_thread(self.app.notify, f"Wrote {path}.{note}")
