"""The Learning screen: what keeps going wrong across incidents, how fast it is noticed and fixed,
and what was promised but not done. The same figures as `workbench stats` (services/learning/stats.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Label, Sparkline, Static

from ...services.learning.charts import bar, sparkline
from ...services.learning import source as learning_source
from ...services.learning.memory import cyclic_gc_held_off, release_free_memory
from ...store import Store, StoreError
from .. import heap
from ..due_summary import ui_today
from ..search_index import SearchIndex
from ..help_registry import help_section
from ..redraw import RenderedOnce
from ..tables import Fit, FitTable

if TYPE_CHECKING:
    # The figures' module imports the domain models (pydantic) and the taxonomy's TOML: ~1 s on the event loop
    # when `L` is the first thing pressed (3.4 s at load 15). They are imported by the worker instead.
    from ...services.learning.stats import CauseCluster, Stats


SHOWN_CAUSES = 6  # statements of a group shown whole under the table; at 10k a group holds thousands
SHOWN_IDS = 5
SHOWN_OVERDUE = 25  # most overdue first; at 10k there are ~13,000 (`workbench due` lists every one)


def _first(ids: list[str], count: int) -> str:
    more = f" … and {count - SHOWN_IDS:,} more" if count > SHOWN_IDS else ""
    return ", ".join(ids[:SHOWN_IDS]) + more


def progress_text(step: str, count: int, total: int) -> str:
    """The summary line while the figures are computed: incidents read of how many, then the grouping."""
    if step == "grouping":
        return f"Grouping {count:,} cause statements into recurring causes…"
    return f"Reading incidents… {count:,} of {total:,}" if total >= count else f"Reading incidents… {count:,}"


def group_text(c: CauseCluster) -> Text:
    """A group whole: its words, how many incidents and causes, and its first statements."""
    text = Text()
    text.append(", ".join(c.words) or "alike wording", style="bold")
    text.append(f"  {c.incident_count:,} incidents · {c.cause_count:,} causes\n")
    for ref in c.causes[:SHOWN_CAUSES]:
        text.append(f"{ref.incident_id} {ref.cause_id}: ", style="dim")
        text.append(f"{ref.statement}\n")
    if c.cause_count > SHOWN_CAUSES:
        text.append(
            f"… and {c.cause_count - SHOWN_CAUSES:,} more (workbench stats --all lists every one)", style="italic"
        )
    return text


async def next_frame(node: Widget) -> None:
    """Until a frame has been drawn after what `node`'s screen had to lay out and paint now."""
    drawn = asyncio.Event()
    node.call_after_refresh(drawn.set)
    await drawn.wait()


def _sections(widgets: Iterable[Widget]) -> Iterator[list[Widget]]:
    """The widgets a section at a time: each section starts at its heading (a Static of class "section")."""
    section: list[Widget] = []
    for widget in widgets:
        if section and widget.has_class("section"):
            yield section
            section = []
        section.append(widget)
    if section:
        yield section


from ..keybar import KeyBar
from ..reading_scroll import ReadingScroll
from .learning_styles import LEARNING_CSS


@help_section("Learning screen", order=70)
class LearningScreen(Screen[None]):
    AUTO_FOCUS = "#learning-body"
    BINDINGS = [
        Binding("slash", "since", "Since…", id="learning.since"),
        Binding("r", "reload", "Reload", id="learning.reload"),
        Binding("escape", "back", "Back", id="learning.back"),
    ]

    DEFAULT_CSS = LEARNING_CSS  # kept apart, so the app can add it ahead of the first L (learning_styles.py)

    class Progress(Message):
        """How far the figures' worker has got (posted from its thread: `post_message` is thread-safe and, unlike
        `call_from_thread`, does not wait for the event loop)."""

        def __init__(self, run: int, text: str) -> None:
            super().__init__()
            self.run, self.text = run, text

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.stats: Stats | None = None
        self.progress_text = "Computing…"  # what the summary line says while the worker runs
        self._runs = itertools.count(1)
        self._latest = 0  # the newest run of `compute` (an older one still running is not listened to)
        self._ended = 0  # the newest run whose figures (or error) the summary line shows
        self.figures_drawn = False  # every section of the newest figures mounted and drawn (`show`)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Since (YYYY-MM-DD, blank for all) · enter", id="since")
        yield Static("Computing…", id="learning-summary")
        yield ReadingScroll(id="learning-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Learning across incidents"
        self.sub_title = self.app.store_label  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        # After the first paint: the worker's Python holds the GIL most of the time it runs, and started at
        # once it held back drawing the screen itself (2.4 s to the first frame on the idle 10k store).
        self.call_after_refresh(self.compute, None)

    @work(thread=True, exclusive=True, group="learning", exit_on_error=False)
    def compute(self, since: date | None) -> None:
        run = self._latest = next(self._runs)
        # Closed incident screens still waiting for their collection (it waits for an idle app, and this worker
        # counts as the shown screen's work) are collected first, on the event loop, after what it had queued (the
        # first frame drawn): the build would otherwise come on top of them (the 10k screens run's peak), and the
        # collection's pause land just after the figures appear, as the user begins reading (ui/heap.py).
        self.app.call_from_thread(heap.release_waiting)
        try:
            taxonomy = self.store.load_taxonomy()
        except StoreError as exc:
            self.app.call_from_thread(self._failed, run, Text(f"Cannot read taxonomy.toml: {exc}", style="red"))
            return
        # The collector held off for the whole build (services/learning/memory.py): re-enabled while the profiles were
        # still alive, its first pass would walk all of them at once.
        with cyclic_gc_held_off():
            # From the search index's profiles, one at a time (no incident is loaded, and the profiles are never
            # all alive at once: see services/learning/source.py). Only the statements and overdue actions shown
            # are made into objects (`causes_kept`, `overdue_kept`); the summary line says how far it has got.
            try:
                engine = SearchIndex.of(self.app).engine
                incidents = learning_source.stream_profiles(engine)  # the index caught up with the files first
                total = int(engine.stats()["incidents"])

                def told(step: str, count: int) -> None:
                    self.post_message(self.Progress(run, progress_text(step, count, total)))

                from ...services.learning.stats import compute_stats

                stats = compute_stats(
                    incidents,
                    taxonomy,
                    ui_today(self.app),
                    since,
                    overdue_kept=SHOWN_OVERDUE,
                    causes_kept=SHOWN_CAUSES,
                    progress=told,
                ).shown(SHOWN_CAUSES, SHOWN_IDS, SHOWN_OVERDUE)
                # Before the collector is back: what the build kept is frozen, not walked twice (ui/heap.py).
                heap.keep_what_was_built()
            except Exception as exc:  # noqa: BLE001 - shown on screen; the app keeps working
                self.app.call_from_thread(self._failed, run, Text(f"Cannot read the incidents: {exc}", style="red"))
                return
        release_free_memory()
        self.app.call_from_thread(self._ended_with, run, stats)

    def _failed(self, run: int, text: Text) -> None:
        if run == self._latest:  # not a run replaced by a newer one (a reload, another date) that ended late
            self._ended = run
            self._summary(text)

    def _ended_with(self, run: int, stats: Stats) -> None:
        if run == self._latest:
            self._ended = run
            # A worker of this screen, not awaited here: it draws over several frames, and the figures' thread
            # (waiting on this call) must not outlive a screen closed meanwhile (its workers are cancelled then).
            self.run_worker(self.show(stats), group="learning-show", exclusive=True, exit_on_error=False)

    def _summary(self, text: Text | str) -> None:
        self.query_one("#learning-summary", Static).update(text)

    def on_learning_screen_progress(self, message: LearningScreen.Progress) -> None:
        # Posted messages can arrive after the figures they led to (those come by `call_from_thread`).
        if message.run == self._latest and message.run > self._ended:
            self.progress_text = message.text
            self._summary(message.text)

    async def show(self, stats: Stats) -> None:
        self.stats = stats
        since = f" since {stats.since}" if stats.since else ""
        span = f"{stats.quarters[0]} to {stats.quarters[-1]}" if stats.quarters else "no dated incidents"
        rate = "—" if stats.closure_rate is None else f"{stats.closure_rate * 100:.0f}%"
        self._summary(
            f"{stats.incidents:,} incidents{since} · {span} · closure rate {rate} · "
            f"{stats.overdue_count:,} overdue actions · today {stats.today}"
        )
        self.figures_drawn = False
        body = self.query_one("#learning-body", VerticalScroll)
        await body.remove_children()
        # A section a frame: mounted, styled, measured and drawn all at once, the figures held the event loop
        # ~90 ms (the groups' table, the tables' rows measured for the layout: 180 ms at load 11); the first
        # section is on screen a frame after the figures came, the others follow one a frame.
        run = self._ended
        for section in _sections(self._widgets(stats)):
            if run != self._ended or not self.is_mounted:  # newer figures replaced these meanwhile
                return
            await body.mount_all(section)
            await next_frame(self)
        self.figures_drawn = True

    def _widgets(self, stats: Stats):
        from ...domain.model import format_minutes  # imported already: the worker's figures needed it

        yield Static(f"Incidents per family, by quarter ({', '.join(stats.quarters)})", classes="section")
        for family, series in stats.by_family.items():
            counts = list(series.values())
            yield Horizontal(
                Label(Text(stats.family_names.get(family, family)), classes="family-name"),
                Sparkline([float(c) for c in counts]),
                Label(Text(f"{sum(counts):>3}   {' '.join(str(c) for c in counts)}"), classes="family-counts"),
                classes="family-row",
            )
        if not stats.by_family:
            yield Static(Text("No incident is tagged with a failure mode yet.", style="italic"))

        yield Static("Failure modes, by quarter", classes="section")
        modes = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        modes.add_column("Mode")
        modes.add_column("Quarters")
        modes.add_column("Incidents", justify="right")
        modes.add_column("")
        top = max((sum(s.values()) for s in stats.by_mode.values()), default=0)
        for mode_id, series in list(stats.by_mode.items())[:20]:
            total = sum(series.values())
            modes.add_row(
                Text(stats.mode_names.get(mode_id, mode_id)),
                sparkline(list(series.values())),
                str(total),
                Text(bar(total, top, 20), style="cyan"),
            )
        # Drawn once per width (RenderedOnce): each section mounted after it lays the screen out again, and a Rich
        # table in a Static was drawn afresh at every layout (to measure its height) and every paint.
        yield Static(RenderedOnce(modes))

        yield Static("Recurring failure modes (tagged in more than one incident)", classes="section")
        modes_text = Text()
        for r in stats.recurring_modes:
            modes_text.append(r.name, style="bold")
            modes_text.append(f"  {r.incident_count} incidents: {_first(r.incidents, r.incident_count)}\n")
        if not stats.recurring_modes:
            modes_text.append("No mode recurs yet.", style="italic")
        yield Static(modes_text)

        yield Static(
            f"Recurring causes ({len(stats.recurring_causes)}): each group is one cause that keeps coming back",
            classes="section",
        )
        if stats.recurring_causes:
            yield self._groups_table(stats)
            yield Static(group_text(stats.recurring_causes[0]), id="learning-cause-detail")
        else:
            yield Static(Text("No cause recurs yet.", style="italic"))

        yield Static("Median time to detect / mitigate / resolve", classes="section")
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("", "Detect", "Mitigate", "Resolve", "Incidents"):
            table.add_column(column, justify="left" if not column else "right")
        for group in (stats.medians_by_severity, stats.medians_by_quarter):
            for key, m in group.items():
                table.add_row(
                    key,
                    format_minutes(m.to_detect),
                    format_minutes(m.to_mitigate),
                    format_minutes(m.to_resolve),
                    str(m.incidents),
                )
        yield Static(RenderedOnce(table))

        yield Static("Action items", classes="section")
        actions = Text()
        peak = max(stats.actions_by_status.values(), default=0)
        for status, count in stats.actions_by_status.items():
            actions.append(f"{status:<12}{count:>4} ")
            actions.append(bar(count, peak, 30) + "\n", style="green" if status in ("done", "verified") else "")
        rate = "—" if stats.closure_rate is None else f"{stats.closure_rate * 100:.0f}%"
        actions.append(f"closure rate {rate} (done + verified, of all but won't do)\n", style="bold")
        yield Static(actions)

        yield Static(f"Overdue ({stats.overdue_count:,})", classes="section")
        overdue = Text()
        for o in stats.overdue:
            overdue.append(f"{o.incident_id} {o.action_id}", style="bold red")
            overdue.append(
                f"  due {o.due}, {o.days_overdue} days over ({o.status}, {o.owner or 'no owner'}): {o.action}\n"
            )
        if stats.overdue_count > len(stats.overdue):
            more = stats.overdue_count - len(stats.overdue)
            overdue.append(f"… and {more:,} more, less overdue (workbench due lists every one)", style="italic")
        if not stats.overdue:
            overdue.append("Nothing overdue.", style="italic")
        yield Static(overdue)

    def _groups_table(self, stats: Stats) -> FitTable:
        # The words that set a group apart lead; its first statement shows what it says (whole below).
        groups = FitTable(
            {"example": Fit(flex_min=26), "words": Fit(compact=24)},
            id="learning-causes",
            cursor_type="row",
            zebra_stripes=True,
        )
        groups.add_column("Distinguishing words", key="words", width=30)
        groups.add_column("Incidents", key="incidents", width=9)
        groups.add_column("Causes", key="causes", width=6)
        groups.add_column("Example", key="example")
        for n, c in enumerate(stats.recurring_causes):
            groups.add_row(
                Text(", ".join(c.words) or "alike wording", style="bold"),
                Text(f"{c.incident_count:,}", justify="right"),
                Text(f"{c.cause_count:,}", justify="right"),
                Text(c.causes[0].statement),
                key=str(n),
            )
        return groups

    @on(DataTable.RowHighlighted, "#learning-causes")
    def _group_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.stats is not None and event.row_key.value is not None:
            self.query_one("#learning-cause-detail", Static).update(
                group_text(self.stats.recurring_causes[int(event.row_key.value)])
            )

    # ------------------------------------------------------------------------------------- actions
    def action_since(self) -> None:
        # At once, not after the next refresh (what focus() does): "/" and the words typed in one burst must all
        # land in the field, none of them taken as this screen's keys.
        self.set_focus(self.query_one("#since", Input))

    @on(Input.Submitted, "#since")
    def _since(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.compute(None)
            return
        try:
            since = date.fromisoformat(text)
        except ValueError:
            self.notify(f"{text!r} is not a date like 2025-01-31", severity="error")
            return
        self.compute(since)
        self.query_one("#learning-body").focus()

    def action_reload(self) -> None:
        value = self.query_one("#since", Input).value.strip()
        try:
            self.compute(date.fromisoformat(value) if value else None)
        except ValueError:
            self.compute(None)

    def action_back(self) -> None:
        self.app.pop_screen()
