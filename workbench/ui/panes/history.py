"""History: this incident's commits, the diff of any of them, and restore (a new commit, never a rewrite)."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from rich.console import ConsoleOptions
from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...domain.wording import counted
from ...store import Commit, IncidentRecord, StoreError
from ..modals.confirm import ConfirmModal
from ..tables import Fit, FitTable, cursor_key
from ..hints import HintLine
from ..redraw import RenderedOnce
from .base import Pane


class HistoryPane(Pane):
    pane_id = "history"
    title = "History"
    key = "7"

    BINDINGS = [
        Binding("enter,v", "view_diff", "Show diff", id="history.diff"),
        Binding("r", "restore", "Restore this version", id="history.restore"),
        Binding("g", "reload", "Refresh", id="history.refresh"),
    ]

    DEFAULT_CSS = """
    HistoryPane #history-table { height: 12; }
    HistoryPane #history-diff { height: 1fr; border-top: solid $panel; }
    """

    def __init__(self, session) -> None:
        super().__init__(session)
        self.commits: list[Commit] = []
        self._diff_for: str | None = None
        self._diff_asked: str | None = None  # the diff being read (a table refill highlights the same row again)
        self.diff_text = ""  # the diff on screen, as text
        self._select_newest = False
        self._listed = False  # the log has been read into the table once
        self._hidden = False  # hidden since its last load: read the log again when shown
        self._waiting = False  # for a refresh, the diff view not laid out yet
        self._layout_waits = 3  # refreshes the diff may still wait for

    def compose(self) -> ComposeResult:
        yield HintLine(
            keys=[("enter", "diff"), ("r", "restore the selected version"), ("g", "refresh")], id="history-summary"
        )
        table: DataTable[Any] = FitTable(
            {"message": Fit(flex_min=24), "author": Fit(compact=12)},
            cursor_type="row",
            zebra_stripes=True,
            id="history-table",
        )
        table.add_column("Commit", key="sha", width=9)
        table.add_column("When (UTC)", key="when", width=16)
        table.add_column("Author", key="author", width=18)
        table.add_column("Message", key="message", width=40)
        yield table
        with VerticalScroll(id="history-diff"):
            yield Static("", id="history-diff-text")

    def show(self) -> None:
        pass  # history changes when a save lands, not when memory changes: see _saved

    def saved(self) -> None:
        self._select_newest = True  # a new step was committed: show it
        # hidden: on_show loads it when it is next shown; active_pane_id is IncidentScreen's (self.screen is typed Screen)
        if self.screen.active_pane_id() == self.pane_id:  # type: ignore[attr-defined]
            self.load()

    def on_mount(self) -> None:
        # At mount, not at the first Show: Textual can drop a new widget's first Show (its mount's end refreshes
        # it, which reads its region; when the compositor's map is stale then, it is rebuilt with the pane in, and
        # the layout after finds nothing newly shown): loaded on Show only, 2 of 8 runs never listed the log.
        self.load()

    def on_hide(self) -> None:
        self._hidden = True

    def on_show(self) -> None:
        if self._hidden:  # shown again: a save may have landed meanwhile (the first show is the mount's load)
            self._hidden = False
            self.load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        try:
            commits = self.session.store.history(self.session.id)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, f"History unavailable: {exc}", severity="error")
            return
        self.app.call_from_thread(self._loaded, commits)

    def _loaded(self, commits: list[Commit]) -> None:
        if self._listed and commits == self.commits and not self._select_newest:
            return  # shown again, nothing committed meanwhile: the table and diff are as they were
        self.commits, self._listed = commits, True
        table = self.query_one(DataTable)
        keep = None if self._select_newest else self.current_sha()
        self._select_newest = False
        table.clear()
        for c in commits:
            table.add_row(
                c.short,
                c.time.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M"),
                Text(c.author),
                Text(c.subject),
                key=c.sha,
            )
        if keep:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:
                pass
        touch = f"{counted(len(commits), 'commit')} touch{'es' if len(commits) == 1 else ''} this incident"
        self.query_one("#history-summary", HintLine).show([touch, counted(len(commits), "commit")])
        if commits and (self._diff_for is None or keep is None):
            self.action_view_diff()

    def current_sha(self) -> str | None:
        return cursor_key(self.query_one(DataTable))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.action_view_diff()

    def action_view_diff(self) -> None:
        sha = self.current_sha()
        if not sha or sha in (self._diff_for, self._diff_asked):  # a commit's diff never changes
            return
        widths, height = self._diff_widths()
        if not widths and self._layout_waits:
            # Not laid out yet (the log came before the first layout): asked again after the refresh, so the
            # worker draws it at its widths. A few times only: a pane mounted hidden has none until shown (it is
            # then drawn on the loop, when shown).
            if not self._waiting:
                self._waiting = True
                self.call_after_refresh(self._after_refresh)
            return
        self._diff_asked = sha
        self._load_diff(sha, widths, height, self.app.console_options.update(highlight=False))

    def _after_refresh(self) -> None:
        self._waiting, self._layout_waits = False, self._layout_waits - 1
        self.action_view_diff()

    def _diff_widths(self) -> tuple[list[int], int]:
        """The widths the diff will be laid out at (the view's, and narrower by its scrollbar when the diff is
        longer than the view: Textual measures at both) and the view's height; none before the first layout.
        Its size as last laid out (`outer_size`), not its region: asked for before the layout, the region has
        Textual place every new widget ahead, and that layout then sends them no Show or Resize."""
        view = self.query_one("#history-diff", VerticalScroll)
        gutter = view.styles.gutter
        width, height = view.outer_size.width - gutter.width, view.outer_size.height - gutter.height
        if width <= 0:
            return [], height
        return [width, width - view.styles.scrollbar_size_vertical], height

    @work(thread=True, exclusive=True, group="history-diff", exit_on_error=False)
    def _load_diff(self, sha: str, widths: list[int], height: int, options: ConsoleOptions) -> None:
        try:
            diff = self.session.store.diff(self.session.id, sha)
        except StoreError as exc:
            diff = f"(no diff: {exc})"
        body = None
        if diff:
            # Highlighted and wrapped here, at the widths it will be measured and painted at: a long diff (a
            # narrative rewritten, ~600 lines) was ~100 ms of the event loop, drawn twice (to measure, to paint).
            body = RenderedOnce(Syntax(diff, "diff", theme="ansi_dark", word_wrap=True))
            for width in widths:
                lines = body.lines_at(self.app.console, options.update_width(width))
                if sum(text.count("\n") for text, _, _ in lines) <= height:
                    break  # fits the view: no scrollbar, the narrower width is never asked for
        self.app.call_from_thread(self._show_diff, sha, diff, body)

    def _show_diff(self, sha: str, diff: str, body: RenderedOnce | None) -> None:
        self._diff_for = sha
        if self._diff_asked == sha:
            self._diff_asked = None
        self.diff_text = diff
        commit = next((c for c in self.commits if c.sha == sha), None)
        header = f"{sha[:8]} {commit.subject if commit else ''}\n"
        self.query_one("#history-diff-text", Static).update(Text(header, style="bold") if body is None else body)

    def action_reload(self) -> None:
        self._listed, self._diff_for = False, None  # asked for: fill the table and read the diff again
        self.load()

    def action_restore(self) -> None:
        sha = self.current_sha()
        if not sha:
            return
        if self.commits and sha == self.commits[0].sha:
            self.notify("That is the current version already.")
            return
        commit = next(c for c in self.commits if c.sha == sha)

        def done(yes: bool | None) -> None:
            if yes:
                self._restore(sha)

        self.app.push_screen(
            ConfirmModal(
                f'Restore {self.session.id} to its version at {sha[:8]}?\n\n"{commit.subject}"\n\n'
                "This makes a new commit; nothing in the history is rewritten, so this can be undone the same way.",
                "Restore",
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="history-restore", exit_on_error=False)
    def _restore(self, sha: str) -> None:
        try:
            old: IncidentRecord = self.session.store.show_at(self.session.id, sha)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, f"Cannot restore: {exc}", severity="error")
            return
        self.app.call_from_thread(self._apply_restore, old, sha)

    def _apply_restore(self, old: IncidentRecord, sha: str) -> None:
        self.commit(old.incident, f"restore version {sha[:8]}", narrative=old.narrative)
        self.post_message(self.NarrativeReplaced(old.narrative))
