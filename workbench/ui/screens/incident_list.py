"""The start screen: every incident of the store, filterable as you type, and what failed to load.

Rows come from the search index's light excerpts (cached by file hash; a warm start reads them in
well under a second even at 10,000 incidents), never from loading every incident: an incident is
loaded and validated in full only when it is opened. Files that would not load are still reported,
in the store's own words, because the index records each file's load problems when it reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, ProgressBar, Static

from ...domain.wording import counted
from ...domain.ids import new_incident_id
from ...domain.vocab import STAGE_LABELS, severity_label
from ...services.followup.due import due_counts_of_columns
from ...services.search.listing import ListColumns, StateKey
from ...store import IncidentRecord, LoadResult, Problem, Store
from ..due_summary import due_text, ui_today
from ..search_index import SearchIndex
from ..help_registry import help_section
from ..stages import stage_short
from ..virtual_table import Column, VirtualTable
from ..keybar import KeyBar

if TYPE_CHECKING:
    from ...domain.model import Incident

_EPOCH = datetime.min.replace(tzinfo=timezone.utc)
PROBLEM_ROW = "problem:"  # row key prefix of a file that would not load
FIRST_COUNTED = 100  # findings are counted for the first rows after the list shows, then for rows as they are drawn


def _folder_label(path: Path) -> str:
    """The incident folder's name for a broken file's row (or the file's, for a file at the top)."""
    return path.parent.name if path.parent.name else path.name


@dataclass(frozen=True)
class BrokenRow:
    """A file that would not load: listed too, and enter views it read-only with its problem lines."""

    path: Path
    message: str


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ cost ~3x as much, ~30 ms at 10,000 rows
class Row:
    id: str
    title: str
    severity: str
    stage: str
    started: datetime | None
    open_actions: int
    haystack: str
    folder: str  # relative to the store


def rows_of_columns(c: ListColumns) -> tuple[list[Row], list[Problem], list[int]]:
    """The rows of the incidents that load, the problems of those that do not (as `Store.load_all` reports them:
    an id used by several folders, a file's load problems), and the rows' positions in the columns."""
    ids = c.ids
    bad: dict[int, list[Problem]] = {}  # first position of an id -> its problems
    if len(set(ids)) != len(ids):  # an id used by several folders (the columns are in id order: they are together)
        for incident_id, group in groupby(range(len(ids)), key=ids.__getitem__):
            same = list(group)
            if len(same) > 1:
                folders = sorted(c.paths[r] for r in same)
                message = f"id {incident_id!r} is used by {len(same)} folders: {', '.join(folders)}"
                bad[same[0]] = [Problem(Path(folders[0]), message, None, "id")]
                bad.update((r, []) for r in same[1:])
    for row, found in c.problems.items():
        if row not in bad:
            bad[row] = [Problem(Path(p["path"]), p["message"], p.get("line"), p.get("field", "")) for p in found]
    good = [r for r in range(len(ids)) if r not in bad] if bad else list(range(len(ids)))
    # fromisoformat, not strptime: ~20x faster, which is a quarter of a second at 10,000 rows.
    parse = datetime.fromisoformat
    rows = [
        Row(
            ids[r],
            c.titles[r],
            c.severities[r] or "",
            c.stages[r],
            parse(f"{c.started_at[r]}:00+00:00".replace(" ", "T")) if c.started_at[r] else None,
            c.open_actions[r],
            " ".join([ids[r], c.titles[r], severity_label(c.severities[r]), c.stages[r], *c.tags[r]]).lower(),
            c.paths[r],
        )
        for r in good
    ]
    return rows, [p for r in sorted(bad) for p in bad[r]], good


def row_of_record(record: IncidentRecord, root: Path) -> Row:
    i = record.incident
    haystack = " ".join(
        [i.id, i.title, severity_label(i.severity), i.stage, *i.tags, *i.systems, *i.models, i.summary]
    ).lower()
    return Row(
        i.id,
        i.title,
        i.severity or "",
        i.stage,
        i.times.started,
        len(i.open_actions()),
        haystack,
        record.folder.relative_to(root).as_posix(),
    )


def matches(row: Row, query: str) -> bool:
    """Every word of the query is in the row, or close to a word in it (typos welcome)."""
    for word in query.lower().split():
        if word in row.haystack:
            continue
        from rapidfuzz import fuzz  # only for a word not found as typed: not imported before the list shows

        if fuzz.partial_ratio(word, row.haystack) < 85 or len(word) < 3:
            return False
    return True


SORTS = {
    "started": (lambda r: r.started or _EPOCH, True),
    "severity": (lambda r: (r.severity or "P9", -(r.started or _EPOCH).timestamp()), False),  # unset last
    "stage": (lambda r: r.stage, False),
    "id": (lambda r: r.id, False),
    "open": (lambda r: r.open_actions, True),
}


# Narrowest last: at 80 columns the id gives way to its start date, the stage to its short form, and the title
# keeps at least 24 characters; severity, findings, stage and open actions are never dropped.
COLUMNS = [
    Column("id", ("ID", "Started"), (44, 10)),  # the full width follows the longest id listed
    Column("title", ("Title",), (24,), flex=True),
    Column("severity", ("Sev",), (3,)),
    Column("findings", ("Findings", "Find"), (8, 5)),
    Column("stage", ("Stage", "Stage"), (23, 11)),
    Column("open", ("Open",), (4,), justify="right"),
]
LADDER = [("stage", 1), ("id", 1), ("findings", 1), ("id", None)]


class IncidentTable(VirtualTable):
    """The list's table: only the rows on screen are drawn, whatever the store's size."""

    BINDINGS = [Binding("enter", "select", "Open", id="list.table_open")]


@help_section("Incident list", order=10, also=(IncidentTable,))
class IncidentListScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Open", id="list.open", show=True),
        Binding("n", "new", "New incident", id="list.new"),
        Binding("i", "import_postmortem", "Import postmortem", id="list.import"),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("s", "cycle_sort", "Sort", id="list.sort"),
        Binding("r", "reload", "Reload", id="list.reload"),
        Binding("escape", "clear_filter", "Clear filter", id="list.clear", show=False),
        Binding("T", "app.taxonomy", "Taxonomy", id="list.taxonomy"),
        Binding("L", "app.learning", "Learning", id="list.learning"),
        Binding("C", "app.conflicts", "Conflicts", id="list.conflicts", show=False),
        Binding("q", "app.quit", "Quit", id="list.quit"),
    ]

    # The table, not the filter box, has focus from the first frame: n, T, L, / and the rest work even while
    # the list is still loading (a focused Input would take them as text).
    AUTO_FOCUS = "#incidents"

    DEFAULT_CSS = """
    IncidentListScreen #filter { margin: 0 1; }
    IncidentListScreen #problems { color: $error; padding: 0 1; height: auto; max-height: 8; }
    IncidentListScreen #counts { color: $text-muted; padding: 0 1; height: auto; max-height: 2; }
    IncidentListScreen #indexing { margin: 0 1; height: 1; display: none; }
    IncidentListScreen #indexing.shown { display: block; }
    IncidentListScreen #incidents { height: 1fr; }
    IncidentListScreen #detail { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    IncidentListScreen.-short #problems { max-height: 3; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._rows: list[Row] = []
        self._sorted: dict[str, list[Row]] = {}  # sort key -> the rows in that order (made once per rows)
        self._shown = 0  # rows the filter keeps, as last drawn
        self.problems: list[Problem] = []
        self.sort_key = "started"
        self.due = Text("")
        self.due_counts: dict[str, int] | None = None
        self.finding_counts: dict[str, dict[str, int]] = {}  # id -> {"error": n, "warning": n, ...}
        # The search engine's answer for the current filter (ids, best first); None: not asked yet.
        self.filter_ids: list[str] | None = None
        self.filter_error = ""
        self.filter_seq = 0
        self._first_load = True
        self._wanted: set[str] = set()  # drawn rows whose findings are not counted yet
        self._counting = False
        self._asking = False
        # The index state the rows were read from (SearchEngine.state_key): a "ready" with the same state has
        # nothing new, so the rows are not read and redrawn again. None: not read from the index.
        self._rows_key: StateKey | None = None

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @rows.setter
    def rows(self, rows: list[Row]) -> None:
        self._rows, self._sorted = rows, {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter incidents: type words (typos are fine) · / to focus · esc clears", id="filter")
        yield Static("", id="counts")
        yield ProgressBar(id="indexing", show_eta=False)
        yield IncidentTable(COLUMNS, LADDER, self._cell, id="incidents")
        yield Static("", id="detail")
        yield Static("", id="problems")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Postmortem Workbench"
        self.sub_title = f"{self.app.store_label} · {self.store.branch()}"  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        # No loading overlay on the table: a loading widget cannot hold focus, and the keys must work at once.
        self.query_one("#counts", Static).update("reading the incidents…")
        self._first_load = True
        index = SearchIndex.of(self.app)
        # The rows first: told "listed" before the loop's listener, the index's thread makes them at once instead
        # of first waiting for a round trip through the loop (busy with the first frame then).
        index.subscribe(self._listed_in_thread)
        self._index_listener = index.subscribe_on_loop(self.app, self._index_changed)
        self.load()
        self._remind_open_conflicts()

    @work(thread=True, group="conflicts-reminder", exit_on_error=False)
    def _remind_open_conflicts(self) -> None:
        """A sync stopped on conflicts earlier (in the app or the CLI): saves wait until it is settled, so say
        where to settle it. A file check first; git is asked only while a rebase or merge is waiting."""
        from ...store.gitdirs import stopped

        if stopped(self.store.git_dirs.git_dir) is None:
            return  # nothing waits: neither git nor the merge code (pydantic) is loaded at start
        from ...services.sync import conflicts as conflict_service

        try:
            found = conflict_service.open_conflicts(self.store)
        except Exception:  # a reminder only: the Conflicts screen says what is wrong when opened
            return
        if found is not None and found.incidents:
            fields = sum(len(c.fields) for c in found.incidents)
            self.app.call_from_thread(
                self.notify,
                f"A sync stopped on conflicts: {counted(fields, 'field')} of "
                f"{counted(len(found.incidents), 'incident')} to settle; press C.",
                severity="warning",
                timeout=12,
            )

    def on_unmount(self) -> None:
        index = SearchIndex.of(self.app)
        index.unsubscribe(self._index_listener)
        index.unsubscribe(self._listed_in_thread)

    def _listed_in_thread(self, state: str, done: int, total: int) -> None:
        """In the index's thread, before it imports and opens the engine: the rows from the index as it is on
        disk, shown at once. The "ready" that follows reads them again only when the index found changes."""
        listing = SearchIndex.of(self.app).listing
        if state != "listed" or listing is None:
            return
        try:
            self._post_rows(listing.columns, listing.key)
        except RuntimeError:  # the app is shutting down
            pass

    def load(self) -> None:
        """Open or catch up with the index (in its thread); the rows follow when it is ready."""
        index = SearchIndex.of(self.app)
        if not index.refresh_in_thread() and index.ready:
            self.read_excerpts()  # a refresh was already under way: its "ready" will read again

    def _index_changed(self, state: str, done: int, total: int) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one("#indexing", ProgressBar)
        if state == "indexing":
            # A first build of a large store: the list says how far it is and the app stays usable.
            bar.set_class(total > 0, "shown")
            bar.update(total=total or None, progress=done)
            self.query_one("#counts", Static).update(
                f"indexing the store for the list and search: {done:,} of {total:,} incidents read"
            )
            return
        bar.set_class(False, "shown")
        if state == "ready":
            self.read_excerpts()
        elif state.startswith("failed"):
            self.notify(
                f"The search index could not be opened ({state[8:]}); listing by loading every incident.",
                severity="warning",
            )
            self.load_without_index()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def read_excerpts(self) -> None:
        engine = SearchIndex.of(self.app).engine
        key = engine.state_key()  # before the excerpts: a change in between reads them again next time
        if key == self._rows_key:
            return  # the rows shown are these excerpts already
        from ...services.search.listing import read_listing

        # The listing files of the segments the index is at now, when the manifest on disk names that state (a
        # catch-up writes its delta's listing with it): a dozen small parses, not 10,000 excerpts decoded.
        listing = read_listing(self.store.root)
        columns = listing.columns if listing is not None and listing.key == key else None
        self._post_rows(columns or ListColumns.of_excerpts(engine.excerpts()), key)

    def _post_rows(self, columns: ListColumns, key: StateKey) -> None:
        """In a thread: the rows to the screen, sorted as first shown; then the due counts (after the first
        frame with rows, which they would only delay)."""
        rows, problems, good = rows_of_columns(columns)
        key_of, reverse = SORTS["started"]
        ordered = sorted(rows, key=key_of, reverse=reverse)
        self.app.call_from_thread(self._loaded, rows, problems, None, key, ordered)
        counts = due_counts_of_columns(columns, good, ui_today(self.app))
        self.app.call_from_thread(self._due_loaded, counts, key)

    def _due_loaded(self, counts: dict[str, int], key: StateKey) -> None:
        if key != self._rows_key or not self.is_mounted:
            return  # rows of another state came meanwhile, with counts of their own
        self.due_counts = counts
        self.due = due_text(counts)
        self.redraw_counts()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_without_index(self) -> None:
        """The fallback when the index cannot be opened (say, a read-only store): slow, but complete."""
        from ...services.followup.due import due_report

        result: LoadResult = self.store.load_all()
        counts = due_report([r.incident for r in result.records], ui_today(self.app)).counts()
        rows = [row_of_record(r, self.store.root) for r in result.records]
        self.app.call_from_thread(self._loaded, rows, result.problems, counts, None)

    def _loaded(
        self,
        rows: list[Row],
        problems: list[Problem],
        counts: dict[str, int] | None,
        key: StateKey | None,
        ordered: list[Row] | None = None,
    ) -> None:
        """`counts` None: they follow (_due_loaded); `ordered`: the rows sorted by start, newest first."""
        self._rows_key = key
        self.rows = rows
        if ordered is not None:
            self._sorted["started"] = ordered
        self.problems = problems
        if counts is not None:
            self.due_counts = counts
            self.due = due_text(counts)
        table = self.query_one(IncidentTable)
        first, self._first_load = self._first_load, False
        self._filter_changed()  # redraws; with a filter typed, asks the engine again
        if first and not self.query_one("#filter", Input).value:
            table.focus()  # unless the user is already typing a filter
        # After the first paint (counting competes with it for the interpreter): the first rows in the list's
        # order; rows further down are counted when they are drawn (see _cell).
        listed = [r.id for r in self.visible_rows()[:FIRST_COUNTED]]
        self.call_after_refresh(self._want_counts, listed)

    def _want_counts(self, ids: list[str]) -> None:
        self._wanted.update(i for i in ids if i not in self.finding_counts)
        self._ask_counts()

    def _ask_counts(self) -> None:
        """One counting worker at a time; what is drawn meanwhile is counted when it finishes."""
        self._asking = False
        if self._counting or not self._wanted:
            return
        folders = {r.id: self.store.root / r.folder for r in self.rows if r.id in self._wanted}
        self._wanted.clear()
        if folders:
            self._counting = True
            self.count_findings(folders)

    @work(thread=True, group="findings", exit_on_error=False)
    def count_findings(self, folders: dict[str, Path]) -> None:
        """Error/warning counts of the method's checks for the listed rows (issue 5), filled in after the list
        shows; cached by the files' bytes, so only incidents changed since the last start are counted again."""
        from ...services.review.findings_cache import FindingsCache

        try:
            cache = FindingsCache(self.store)
            report = lambda found: self.app.call_from_thread(self._counts_loaded, found)  # noqa: E731
            report(cache.count_all(folders, report))
        finally:
            self.app.call_from_thread(self._counting_done)

    def _counting_done(self) -> None:
        self._counting = False
        self._ask_counts()

    def _counts_loaded(self, found: dict[str, dict[str, int]]) -> None:
        changed = [i for i, counted in found.items() if self.finding_counts.get(i) != counted]
        self.finding_counts.update(found)
        if changed:
            self.query_one(IncidentTable).refresh()  # redraws the rows on screen, whatever the list's length
            self._show_detail()

    # ------------------------------------------------------------------------------------ drawing
    def _cell(self, row: Row | BrokenRow, column: str, form: int, width: int) -> Text:
        """One cell of the virtual table, drawn when its row comes into view."""
        if isinstance(row, BrokenRow):
            if column == "id":
                return Text(_folder_label(row.path), style="red")
            if column == "title":
                return Text(f"✗ not loaded (enter views it read-only): {row.path.name}: {row.message}", style="red")
            return Text("—", style="dim")
        if column == "id":
            return Text(row.id if form == 0 else (row.started.date().isoformat() if row.started else row.id[:10]))
        if column == "title":
            return Text(row.title)
        if column == "severity":
            return (
                Text(row.severity, style="bold" if row.severity == "P0" else "")
                if row.severity
                else Text("—", style="dim")
            )
        if column == "findings":
            return self._findings_cell(row.id, compact=form > 0)
        if column == "stage":
            return Text(STAGE_LABELS[row.stage] if form == 0 else stage_short(row.stage))
        return Text(str(row.open_actions))

    def redraw(self, keep: str | None = None) -> None:
        table = self.query_one(IncidentTable)
        keep = keep or self.current_key()
        query = self.query_one("#filter", Input).value.strip()
        rows = self.visible_rows()
        items: list[Row | BrokenRow] = list(rows)
        keys = [r.id for r in rows]
        for path, found in self._broken_files(query).items():
            items.append(BrokenRow(path, found[0].message))
            keys.append(f"{PROBLEM_ROW}{path}")
        # The id column is as wide as the longest id listed (up to 52), so a wide terminal shows every id whole.
        longest = max((len(r.id) for r in rows), default=10)
        table.set_column(Column("id", ("ID", "Started"), (min(max(longest, 10), 52), 10)))
        table.set_rows(items, keys, keep)
        self._shown = len(rows)
        self.redraw_counts()
        problems = self.query_one("#problems", Static)
        if self.problems:
            lines = [
                f"✗ {len(self.problems)} file(s) could not be loaded (the others are shown; enter on its row "
                "views it read-only):"
            ]
            lines += [f"  {p}" for p in self.problems[:6]]
            if len(self.problems) > 6:
                lines.append(f"  … and {len(self.problems) - 6} more: run `workbench validate`")
            problems.update("\n".join(lines))
            problems.display = True
        else:
            problems.display = False

    def redraw_counts(self) -> None:
        """The line above the table: how many incidents are listed, the order, and what is due."""
        query = self.query_one("#filter", Input).value.strip()
        shown = f"{self._shown:,} of {len(self.rows):,} incidents" if query else f"{len(self.rows):,} incidents"
        if query and self.filter_error:
            shown = f"{self.filter_error} · {shown}"
        counts = Text(f"{shown} · sorted by {self.sort_key} (s to change) · ")
        counts.append_text(self.due)
        self.query_one("#counts", Static).update(counts)

    def visible_rows(self) -> list[Row]:
        """The rows the filter keeps, in the order shown."""
        query = self.query_one("#filter", Input).value.strip()
        key, reverse = SORTS[self.sort_key]
        if query and self.filter_ids is not None:
            # The search engine's answer: filters and fuzzy words over every field, best match first.
            by_id = {r.id: r for r in self.rows}
            rows = [by_id[i] for i in self.filter_ids if i in by_id]
            if not any(w for w in query.split() if ":" not in w):
                rows.sort(key=key, reverse=reverse)  # filters only: keep the chosen order
            return rows
        # Filtering the sorted rows keeps their order: the same as sorting what the filter keeps (a stable sort).
        return [r for r in self._ordered() if not query or matches(r, query)]

    def _ordered(self) -> list[Row]:
        made = self._sorted.get(self.sort_key)
        if made is None:
            key, reverse = SORTS[self.sort_key]
            made = self._sorted[self.sort_key] = sorted(self.rows, key=key, reverse=reverse)
        return made

    def _findings_cell(self, incident_id: str, compact: bool = False) -> Text:
        found = self.finding_counts.get(incident_id)
        if found is None:
            if incident_id not in self._wanted:  # drawn, not counted: ask (once, for everything drawn now)
                self._wanted.add(incident_id)
                if not self._asking:
                    self._asking = True
                    self.call_later(self._ask_counts)
            return Text("…", style="dim")
        if not found["error"] and not found["warning"]:
            return Text("✓" if compact else "✓ clean", style="green")
        return Text.assemble(
            (f"{found['error']}E", "bold red" if found["error"] else "dim"),
            " ",
            (f"{found['warning']}W", "yellow" if found["warning"] else "dim"),
        )

    def current_id(self) -> str | None:
        key = self.current_key()
        return None if key is None or key.startswith(PROBLEM_ROW) else key

    def current_key(self) -> str | None:
        return self.query_one(IncidentTable).cursor_key

    @on(VirtualTable.Highlighted, "#incidents")
    def _show_detail(self) -> None:
        """The whole of the row under the cursor, whatever the table had to cut or drop to fit the width."""
        table = self.query_one(IncidentTable)
        detail = self.query_one("#detail", Static)
        index = table.cursor_row
        row = table.rows[index] if 0 <= index < table.row_count else None
        if not isinstance(row, Row):
            detail.update(Text(str(row.path), style="red") if isinstance(row, BrokenRow) else "")
            return
        line = Text.assemble(
            (row.id, "bold"),
            " · ",
            row.title,
            " · ",
            STAGE_LABELS[row.stage],
            " · ",
            counted(row.open_actions, "open action"),
            " · ",
        )
        line.append_text(self._findings_cell(row.id))
        detail.update(line)

    def _broken_files(self, query: str) -> dict[Path, list[Problem]]:
        """The problems by file, in the order found; with a filter typed, only the files it names."""
        out: dict[Path, list[Problem]] = {}
        for p in self.problems:
            if query and not all(w in str(p.path).lower() or w in p.message.lower() for w in query.lower().split()):
                continue
            out.setdefault(p.path, []).append(p)
        return out

    def view_broken(self, path: Path) -> None:
        from .raw_view import ReadOnlyViewScreen

        self.app.push_screen(ReadOnlyViewScreen(self.store, path, [p for p in self.problems if p.path == path]))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        query = self.query_one("#filter", Input).value.strip()
        self.filter_seq += 1
        index = SearchIndex.of(self.app)
        if query and index.ready:
            self.filter_search(query, self.filter_seq)  # off the UI thread; redraws when it answers
            return
        if query:
            index.refresh_in_thread()  # until it is open, the simple filter below answers
        self.filter_ids, self.filter_error = None, ""
        self.redraw()

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def filter_search(self, query: str, seq: int) -> None:
        result = SearchIndex.of(self.app).engine.search(query, limit=100_000, include_modes=False)
        self.app.call_from_thread(self._filtered, seq, result)

    def _filtered(self, seq: int, result: Any) -> None:
        if seq != self.filter_seq:  # the filter changed again meanwhile
            return
        self.filter_error = str(result.error) if result.error else ""
        # A list filter keeps the incidents that match every word (the search screen also shows near misses).
        self.filter_ids = None if result.error else [h.id for h in result.hits if h.matched >= result.words]
        self.redraw()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(IncidentTable).focus()

    @on(VirtualTable.Selected, "#incidents")
    def _row_selected(self, event: VirtualTable.Selected) -> None:
        if event.key:
            self._open_row(event.key)

    def action_open(self) -> None:
        key = self.current_key()
        if key:
            self._open_row(key)

    def _open_row(self, key: str) -> None:
        if key.startswith(PROBLEM_ROW):
            self.view_broken(Path(key[len(PROBLEM_ROW) :]))
        else:
            self.open_incident(key)

    def open_incident(self, incident_id: str, pane: str | None = None, entry: str | None = None) -> None:
        self.app.open_incident(incident_id, pane, entry)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)

    def action_filter(self) -> None:
        # At once, not after the next refresh (what focus() does): "/" then "reward" typed in one burst must give
        # "reward" in the filter, not "r" as Reload and "eward" as the filter.
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(IncidentTable).focus()

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self.sort_key = names[(names.index(self.sort_key) + 1) % len(names)]
        self.redraw()

    def action_reload(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # An incident may have been saved or edited outside meanwhile. Not when another screen is already over
        # this one again (a search result opened: the search closes, the incident opens): catching up then only
        # competed with the incident's opening, and the list catches up when it is shown.
        if self.rows and self.is_active:
            self.load()

    def action_import_postmortem(self) -> None:
        from .postmortem_import import PostmortemImport

        PostmortemImport(self, self.store).start()

    def action_new(self) -> None:
        from ..forms import FormField, FormModal  # the form's widgets (Select, TextArea) load when first used

        fields = [
            FormField("title", "Title", placeholder="What went wrong, in a few words"),
            FormField("severity", "Severity", "select", [("P0", "P0"), ("P1", "P1"), ("P2", "P2")], allow_blank=False),
            FormField("started", "Started (ISO 8601 with offset or Z)", "time", placeholder="2025-08-05T16:00Z"),
            FormField(
                "kind", "Kind", "select", [("incident", "incident"), ("near-miss", "near-miss")], allow_blank=False
            ),
            FormField(
                "review",
                "Review",
                "select",
                [("full postmortem", "full"), ("light review", "light")],
                allow_blank=False,
                help="Scope discipline: a minor issue deserves a light review, not a full postmortem.",
            ),
        ]
        now = self.app.clock().replace(second=0, microsecond=0)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        values = {"severity": "P2", "started": now, "kind": "incident", "review": "full"}
        taken = set(self.store.ids())
        from ...domain.model import Incident, KeyTimes  # pydantic: loaded when a new incident is made, not at start

        def build(v: dict[str, Any]) -> Incident:
            if not v["title"].strip():
                from ..forms import FormError

                raise FormError({"title": "a title is needed"})
            if v["started"] is None:
                from ..forms import FormError

                raise FormError({"started": "the start time places the incident in the store"})
            return Incident(
                id=new_incident_id(v["started"].date(), v["title"], taken),
                title=v["title"].strip(),
                severity=v["severity"],
                kind=v["kind"],
                review=v["review"],
                times=KeyTimes(started=v["started"]),
            )

        def done(incident: Incident | None) -> None:
            if incident is not None:
                self.create(incident)

        self.app.push_screen(FormModal("New incident", fields, values, build), done)

    @work(thread=True, exclusive=True, group="create", exit_on_error=False)
    def create(self, incident: Incident) -> None:
        try:
            self.store.create(incident)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Could not create the incident: {exc}", severity="error")
            return
        self.app.call_from_thread(self.open_incident, incident.id)
