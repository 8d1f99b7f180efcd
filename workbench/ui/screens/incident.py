"""The incident screen: one tab per pane, the stage always visible, every change saved as a commit.

Panes never call this screen: they post messages (`Pane.Edited`, `Pane.EntryWanted`, ...) and the handlers
below do what spans panes: redraw the others, switch tabs, open a meeting or another incident.

Only the pane shown first is mounted with the screen (with the header, stage bar and tab bar); every other pane
is mounted the first time it is shown or needed. Mounting all eleven before the first frame held the event
loop 1.0-1.4 s on a large incident. A pane that is not mounted holds nothing the session does not have (it draws
from the session when it mounts), so edits, saves and flushes simply pass it by. While a pane mounts, keys wait
for it (`building`, read by ui/key_hold.py), so a key typed right after a pane key reaches the new pane."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Static, TabPane

from ...domain import edit
from ...domain.model import STAGE_LABELS, STAGES, Incident, severity_label
from ...store import IncidentRecord, OutsideEdit, RepoBusy, StoreError, StoreProtocol
from ..messages import IncidentNotSaved, IncidentSaved
from ..forms import warm_form_styles
from ..outside_edits import OutsideEditGuard
from ..panes import DIGIT_KEYS, Pane, pane_classes
from ..panes.narrative import NarrativePane
from ..readonly import refuse_edit
from ..session import IncidentSession, SaveRequest
from .. import heap
from ..help_registry import help_section
from ..stages import STAGE_WORD
from ..keybar import KeyBar
from ..pane_bar import PaneBar
from ..resize_once import skip_same_size
from ..styles_ahead import add_default_css, css_sources, styled_once, warm


FORM_STYLES_AFTER_S = 1.0


class StageBar(Static):
    """The id, severity and the seven stages with the current one marked; when the line is too narrow for all
    of it (80 columns), a compact form: severity, "3/7 Timeline construction" and as much of the id as fits,
    then "3/7 timeline" alone."""

    DEFAULT_CSS = """
    StageBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.incident: Incident | None = None

    def show(self, incident: Incident) -> None:
        """Repaints only when what the bar shows changed (a save must not redraw what stayed the same)."""
        old, self.incident = self.incident, incident
        if old is None or (old.id, old.severity, old.stage) != (incident.id, incident.severity, incident.stage):
            self.refresh()

    def render(self) -> Text:
        i = self.incident
        if i is None:
            return Text("")
        width = self.content_region.width or 200
        number = "✓" if i.stage == "closed" else f"{STAGES.index(i.stage) + 1}/7"
        full = Text.assemble(
            (i.id, "bold"),
            "  ",
            severity_label(i.severity),
            "  ",
            f"stage {'✓/7' if i.stage == 'closed' else number}  ",
        )
        for n, s in enumerate(STAGES):
            if n:
                full.append(" › ")
            if s == i.stage:
                full.append(f" {STAGE_LABELS[s]} ", "bold reverse")
            else:
                full.append(str(n + 1) if s != "closed" else "✓", "dim")
        if full.cell_len <= width:
            return full
        label = STAGE_LABELS[i.stage].split(" ", 1)[-1] if i.stage != "closed" else "Closed"
        compact = Text.assemble((severity_label(i.severity), "bold"), "  ", (f" {number} {label} ", "bold reverse"))
        if compact.cell_len + 12 <= width:  # room for a useful part of the id
            room = width - compact.cell_len - 2
            ident = Text(i.id, style="bold")
            ident.truncate(room, overflow="ellipsis")
            return Text.assemble(compact, "  ", ident)
        if compact.cell_len <= width:
            return compact
        return Text.assemble(
            (severity_label(i.severity), "bold"), " ", (f" {number} {STAGE_WORD[i.stage]} ", "bold reverse")
        )


def warm_incident_styles(app: App[Any], *more: Widget, then: Callable[[], None] | None = None) -> None:
    """The CSS of an incident screen's first frame put in the stylesheet while the app is idle (before the
    first open): the screen's and every pane's own, and the tab bar's and containers' by one hidden instance
    of each (styles_ahead.py). The first open then parses no CSS and styles its widgets once. `more`: other
    widgets whose CSS is wanted ahead, mounted (hidden) in the same box; `then`: called once it is removed."""
    if not app.is_running or isinstance(app.screen, IncidentScreen):
        return
    add_default_css(app, IncidentScreen)
    for pane_class in pane_classes():
        add_default_css(app, pane_class)
    switcher = ContentSwitcher()
    switcher.compose_add_child(TabPane(""))  # as `with ContentSwitcher(): yield TabPane(...)` in a compose
    warm(app.screen, Vertical(Horizontal(StageBar()), PaneBar([], ""), switcher, VerticalScroll(), *more), then)


@help_section("Incident screen", order=20, also=(PaneBar,))
class IncidentScreen(Screen[None]):
    # Focus is the screen's own: the active pane's first focusable widget (`_focus_active_pane`), from the
    # mount on. Textual's default ("*") first focused the tab strip at compose, then the pane took it a refresh
    # later: two moves whose order against the pane's workers varied with load.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="incident.back"),
        Binding("]", "stage(1)", "Next stage", id="incident.stage_next"),
        Binding("[", "stage(-1)", "Prev stage", id="incident.stage_prev"),
        Binding("ctrl+r", "retry_save", "Retry save", id="incident.retry", show=False),
        *(Binding(str(n), f"show_index({n})", f"Pane {n}", id=f"incident.pane_{n}", show=False) for n in range(10)),
        # Panes after the tenth: a function key each (panes/__init__.py says the scheme); a function key is
        # never text typed into an editor, so these work from a text field too.
        *(
            Binding(p.key, f"show_pane('{p.pane_id}')", p.title, id=f"incident.{p.pane_id}", show=False)
            for p in pane_classes()
            if p.key not in DIGIT_KEYS
        ),
        # In a text field a digit is text: these switch panes from anywhere (priority: before the editor).
        *(
            Binding(
                f"alt+{n}",
                f"show_index({n})",
                f"Pane {n}, also from a text field",
                id=f"incident.pane_{n}_alt",
                show=False,
                priority=True,
            )
            for n in range(10)
        ),
        Binding("ctrl+pagedown", "cycle_pane(1)", "Next pane", id="incident.pane_next", show=False, priority=True),
        Binding("ctrl+pageup", "cycle_pane(-1)", "Previous pane", id="incident.pane_prev", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    IncidentScreen #pane-switcher { height: 1fr; }
    IncidentScreen TabPane { height: 1fr; padding: 0; }
    IncidentScreen #status { height: 1; padding: 0 1; }
    IncidentScreen #status .saving { color: $warning; }
    IncidentScreen #save-state { width: auto; dock: right; padding: 0 1; }
    IncidentScreen #save-state.failed { color: $error; text-style: bold; }
    IncidentScreen #save-state.saving { color: $warning; }
    IncidentScreen #save-state.saved { color: $success; }
    """

    def __init__(
        self, store: StoreProtocol, record: IncidentRecord, pane: str | None = None, entry: str | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.session = IncidentSession(store, record, self._saved_in_thread, self._failed_in_thread)
        self.initial_pane = pane
        self.initial_entry = entry
        # Over the in-memory store (no files) the panes that read files are left out; the rest work in full.
        on_disk = self.session.disk is not None
        self.panes: list[Pane] = [cls(self.session) for cls in pane_classes() if on_disk or not cls.needs_disk]
        self._stale: set[str] = set()  # hidden panes an edit has not been drawn into yet
        # Panes being mounted (first shown or first needed), with what to run on each once it is mounted.
        self._mounting: dict[str, list[Callable[[Pane], object]]] = {}
        # Until mounted, focused and (a search result) on its entry: keys typed with enter wait for that, whatever
        # it takes (key_hold.LIMIT lets keys go after 2 s to a screen not building; its mount took longer at load 20,
        # and the `down` typed with enter reached the screen before it had focus: lost).
        self._opening = True
        # Notices the files changing on disk (polled from on_mount); the in-memory store has no files to watch.
        self.outside: OutsideEditGuard | None = OutsideEditGuard(self, self) if on_disk else None
        self._save_text, self._save_class = "saved", "saved"  # what #save-state shows
        self._resumed = False  # shown once already (its first ScreenResume has run)
        self._css_sources = css_sources(self.app)  # CSS sources when made: none new by the first resume? (styled_once)

    # ----------------------------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        # The bars and the pane switcher straight under the screen, stacked by its vertical layout (the header
        # and key bar docked): Textual paints every widget's whole region, containers included, before cutting
        # what overlaps, so two wrapping Verticals (#body, #panes) were two more full-screen paints and arranges
        # in the open's longest turn, for the same picture.
        yield Header()
        with Horizontal(id="status"):
            yield StageBar(id="stage-bar")
            yield Static(self._save_text, id="save-state", classes=self._save_class)
        first = self._first_pane_id()
        # The tabs as one widget (pane_bar.py): Textual's TabbedContent was ~30 widgets.
        tabs = [(f"tab-{pane.pane_id}", f"{pane.key} {pane.title}") for pane in self.panes]
        yield PaneBar(tabs, f"tab-{first}", id="pane-bar")
        with ContentSwitcher(id="pane-switcher", initial=f"tab-{first}"):
            for pane in self.panes:
                with TabPane(f"{pane.key} {pane.title}", id=f"tab-{pane.pane_id}"):
                    if pane.pane_id == first:  # the others when first shown (see the module's docstring)
                        yield pane
        yield KeyBar()

    def _first_pane_id(self) -> str:
        ids = [p.pane_id for p in self.panes]
        return self.initial_pane if self.initial_pane in ids else ids[0]

    def on_mount(self) -> None:
        if not self.children:
            # The app began closing between the push and this mount: Textual then skips mounting what compose
            # made, so there is no stage bar or pane to draw, and nothing (poller, timers) should start.
            self._opening = False
            return
        branch = f" · {self.session.disk.branch()}" if self.session.disk is not None else ""
        self.sub_title = f"{self.app.store_label}{branch}"  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        self.title = self.session.incident.title
        self._draw_stage()
        placing = bool(self.initial_entry and self.initial_pane) and self._open_at_entry(
            self.initial_pane or "", self.initial_entry or ""
        )
        self._focus_active_pane()
        if not placing:  # open once the focus asked for above has landed (Widget.focus goes through the queue)
            self.call_after_refresh(self._opened)
        # Drawn once: the build is over (no automatic full collection until it has been collected: ui/heap.py).
        self.call_after_refresh(heap.built)
        if self.outside is not None:
            self.outside.start()
        # Once the screen is drawn and idle: the forms' CSS, so the first form opened parses none (forms.py).
        self.set_timer(FORM_STYLES_AFTER_S, lambda: warm_form_styles(self))
        if self.session.disk is not None:
            self.run_worker(self._load_taxonomy, thread=True, group="taxonomy-index", exit_on_error=False)

    def _opened(self) -> None:
        self._opening = False

    def _open_at_entry(self, pane_id: str, entry_id: str) -> bool:
        """A search result's entry under the cursor before the screen's first layout, when its pane (composed with
        the screen) can: the cursor and the pane's detail show the entry in the frame the screen opens with. Moved
        after that frame (as until stop 32), the move and the detail's new text laid the whole screen out and
        painted it a second time (~41 ms of the event loop on the 10k store). Scrolled into view after that frame
        (the pane has its size then). True when the entry is placed after the first frame (keys wait for it)."""
        pane = next((p for p in self.panes if p.pane_id == pane_id), None)
        shown = pane is not None and pane.is_mounted and pane_id == self.active_pane_id()
        if pane is not None and shown and pane_id not in self._mounting and pane.focus_entry_before_layout(entry_id):
            # Not focus_entry again: a key typed while the screen opened may have moved the cursor on already.
            self.call_after_refresh(pane.cursor_into_view)
            return False
        # Keys typed with enter wait until the entry is placed (`building`): replayed before it, a `down` would
        # move the cursor and the placing put it back on the entry.
        self._opening = True

        def place() -> None:
            try:
                self.focus_entry(pane_id, entry_id)
            finally:
                self._opening = False

        self.call_after_refresh(place)
        return True

    def _load_taxonomy(self) -> None:
        """The taxonomy index panes draw mode names from (a cause's tags: "id (name)"), read off the loop once
        per store. The Taxonomy pane read it at the open when every pane was mounted with the screen."""
        from ..taxonomy_cache import cached_index, load_index

        disk = self.session.disk
        if disk is None or cached_index(disk) is not None:
            return
        try:
            load_index(disk)
        except (StoreError, OSError):
            return  # the Taxonomy pane says what is wrong with the file when it is shown
        self.app.call_from_thread(self._taxonomy_loaded)

    def _taxonomy_loaded(self) -> None:
        if self.is_mounted:
            self.refresh_panes()  # the shown pane now; the others when next shown

    def on_unmount(self) -> None:
        self.session.close()
        # Once the screen below has been drawn and the app is idle: this one's objects are collected once, whole;
        # again later while a pane's worker thread still holds it. With no incident screen left open, the Review
        # pane's spaCy pipeline is let go at once (what no cycle holds is freed now), what is left of it goes in
        # that same collection, and the freed pages go back to the system after it (ui/heap.py).
        app, gone = self.app, weakref.ref(self)
        if not any(isinstance(s, IncidentScreen) and s is not self for s in app.screen_stack):
            heap.parser_not_needed()

        def before() -> None:
            if not any(isinstance(s, IncidentScreen) and s is not gone() for s in app.screen_stack):
                heap.let_go_of_parser()

        heap.release_later(app, gone, before=before, after=heap.give_back)

    def on_resize(self, event: events.Resize) -> None:
        skip_same_size(self, event)  # the open's layout is not done twice (resize_once.py)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Styled as mounted, not a second time when no CSS came meanwhile (styles_ahead.py).
        styled_once(event, not self._resumed, self._css_sources, css_sources(self.app))
        self._resumed = True
        for pane in self.panes:
            if pane.is_mounted:
                pane.resumed()
        if self.focused is None and self.children:  # what had focus went while a form was open: the pane's widget
            self._focus_active_pane()

    @property
    def incident(self) -> Incident:
        return self.session.incident

    def pane(self, pane_id: str) -> Pane:
        """The pane, redrawn first if an edit happened while it was hidden. It may not be mounted yet: what
        needs its widgets goes through `with_pane`."""
        pane = next(p for p in self.panes if p.pane_id == pane_id)
        if pane_id in self._stale and pane.is_mounted:
            self._stale.discard(pane_id)
            pane.show()
        return pane

    @property
    def building(self) -> bool:
        """A pane is being mounted, or a search result's entry is still to be placed: keys wait until it is
        there (ui/key_hold.py)."""
        return bool(self._mounting) or self._opening

    def with_pane(self, pane_id: str, then: Callable[[Pane], object]) -> None:
        """Run `then(pane)` now if the pane is mounted, else once it is (mounting it first if no one has)."""
        pane = self.pane(pane_id)
        if pane.is_mounted and pane_id not in self._mounting:
            then(pane)
            return
        waiting = self._mounting.get(pane_id)
        if waiting is not None:
            waiting.append(then)
            return
        self._mounting[pane_id] = [then]
        self.run_worker(self._mount_pane(pane), group=f"mount-{pane_id}")

    async def _mount_pane(self, pane: Pane) -> None:
        try:
            await self.query_one(f"#tab-{pane.pane_id}", TabPane).mount(pane)
            # Its on_mount drew it from the session as it is now: nothing it missed while unmounted.
            self._stale.discard(pane.pane_id)
            for then in self._mounting.get(pane.pane_id, []):
                then(pane)
        finally:
            # After the focus those callbacks asked for (Widget.focus goes through the app's queue): a key
            # held meanwhile must reach the focused widget of the new pane. Also when the mount failed: keys
            # are never held for a pane that will not come.
            self.app.call_later(self._mounted, pane.pane_id)

    def _mounted(self, pane_id: str) -> None:
        self._mounting.pop(pane_id, None)

    def active_pane_id(self) -> str:
        return (self.query_one("#pane-switcher", ContentSwitcher).current or "").removeprefix("tab-")

    def _draw_stage(self) -> None:
        self.query_one(StageBar).show(self.session.incident)

    # ------------------------------------------------------------------------------- navigation
    def action_show_index(self, number: int) -> None:
        pane = next((p for p in self.panes if p.key == str(number)), None)
        if pane is not None:
            self.action_show_pane(pane.pane_id)

    def action_cycle_pane(self, step: int) -> None:
        ids = [p.pane_id for p in self.panes]
        self.action_show_pane(ids[(ids.index(self.active_pane_id()) + step) % len(ids)])

    def action_show_pane(self, pane_id: str) -> None:
        self.query_one("#pane-switcher", ContentSwitcher).current = f"tab-{pane_id}"
        self.query_one(PaneBar).active = f"tab-{pane_id}"
        self._focus_active_pane()

    @on(PaneBar.Chosen)
    def _tab_chosen(self, message: PaneBar.Chosen) -> None:
        self.action_show_pane(message.tab_id.removeprefix("tab-"))

    def _focus_active_pane(self) -> None:
        """Focus the shown pane's first focusable widget; a pane shown for the first time is mounted first."""
        active = self.active_pane_id()

        def focus(pane: Pane) -> None:
            if self.active_pane_id() != active:  # another pane was asked for while this one mounted
                return
            target = next((w for w in pane.query("*") if w.focusable), None)
            if target is not None:
                target.focus()
            elif self.focused is not None and pane not in self.focused.ancestors:
                self.set_focus(None)  # keys must not go on to a widget of a pane no longer shown

        self.with_pane(active, focus)  # pane(): redraws it if it went stale while hidden

    def focus_entry(self, pane_id: str, entry_id: str) -> None:
        self.action_show_pane(pane_id)

        def found(pane: Pane) -> None:
            if not pane.focus_entry(entry_id):
                self.notify(f"{entry_id} is not in {pane_id} any more", severity="warning")

        self.with_pane(pane_id, found)

    def action_close(self) -> None:
        self.flush()
        self.app.pop_screen()

    # ----------------------------------------------------------------------------------- saving
    def apply(
        self, incident: Incident, where: str, what: str, narrative: str | None = None, trailers: tuple[str, ...] = ()
    ) -> None:
        """An edit made here (a stage move): shown at once, saved and committed in the background."""
        if refuse_edit(self):
            return
        self.session.apply(incident, where, what, narrative, trailers)
        self.set_save_state("save…", "saving")  # as wide as "saved": no layout (see set_save_state)
        self.refresh_panes()

    def refresh_panes(self, drawn: Pane | None = None) -> None:
        """Redraw the visible pane now and the hidden ones when they are next shown or asked for: redrawing
        all ten on every keystroke-sized edit held the event loop for tens of milliseconds. `drawn` has
        redrawn itself already."""
        self.title = self.session.incident.title
        self._draw_stage()
        active = self.active_pane_id()
        for pane in self.panes:
            if not pane.is_mounted or pane is drawn:
                continue
            if pane.pane_id == active:
                self._stale.discard(pane.pane_id)
                pane.show()
            else:
                self._stale.add(pane.pane_id)

    # ----------------------------------------------------------------------- what panes ask for
    @on(Pane.Edited)
    def _pane_edited(self, message: Pane.Edited) -> None:
        # Its save may have landed (IncidentSaved came first) or failed (the failure's state must stay: "NOT
        # SAVED", "CHANGED ON DISK") before this message arrives: "save…" only while a save is in flight.
        if self.session.dirty and self.session.saving:
            self.set_save_state("save…", "saving")  # as wide as "saved" (see set_save_state)
        self.refresh_panes(drawn=message.pane)

    @on(Pane.Written)
    def _pane_wrote(self, message: Pane.Written) -> None:
        self.took_saved(message.record, message.subject, message.drawn)

    def took_saved(self, record: IncidentRecord, subject: str, drawn: Pane | None = None) -> None:
        """The session took a version committed outside its queue: a landed save, and every pane redrawn."""
        self._on_saved(IncidentSaved(record, subject))
        self.refresh_panes(drawn=drawn)

    @on(Pane.NarrativeReplaced)
    def _narrative_replaced(self, message: Pane.NarrativeReplaced) -> None:
        for pane in self.panes:
            if isinstance(pane, NarrativePane) and pane.is_mounted:
                pane.adopt(message.text)

    @on(Pane.PaneWanted)
    def _pane_wanted(self, message: Pane.PaneWanted) -> None:
        if not any(p.pane_id == message.pane_id for p in self.panes):
            return
        self.action_show_pane(message.pane_id)

        def wanted(pane: Pane) -> None:
            if message.line is not None:
                pane.focus_line(message.line)
            if message.action:
                # After the tab has switched: a modal pushed in the same turn left the tab bar on the old pane.
                self.call_after_refresh(pane.run_action, message.action)

        self.with_pane(message.pane_id, wanted)

    @on(Pane.EntryWanted)
    def _entry_wanted(self, message: Pane.EntryWanted) -> None:
        """The first pane in tab order that lists the entry shows it; panes not mounted yet are mounted to
        look (in order, stopping at the first that has it)."""
        others = [p.pane_id for p in self.panes if p is not message.pane]

        def look(index: int) -> None:
            if index == len(others):
                self.notify(message.missing, severity="warning")
                return

            def check(pane: Pane) -> None:
                if pane.focus_entry(message.entry_id):
                    self.action_show_pane(pane.pane_id)
                    pane.focus_entry(message.entry_id)
                else:
                    look(index + 1)

            self.with_pane(others[index], check)  # pane(): redrawn if it was stale

        look(0)

    @on(Pane.IncidentWanted)
    def _incident_wanted(self, message: Pane.IncidentWanted) -> None:
        """Over this one (esc comes back); never a second screen on one incident."""
        if any(isinstance(s, IncidentScreen) and s.session.id == message.incident_id for s in self.app.screen_stack):
            self.notify(
                f"{message.incident_id} is already open under this screen: esc goes back to it.", severity="information"
            )
            return
        self.flush()
        self.app.open_incident(message.incident_id)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)

    def _saved_in_thread(self, record: IncidentRecord, request: SaveRequest) -> None:
        self.post_message(IncidentSaved(record, f"{request.where}: {request.what}"))

    def _failed_in_thread(self, error: Exception, request: SaveRequest) -> None:
        self.post_message(IncidentNotSaved(error, f"{request.where}: {request.what}"))

    @on(IncidentSaved)
    def _on_saved(self, message: IncidentSaved) -> None:
        if self.outside is not None:
            self.outside.acknowledge(message.record)
        if not self.session.dirty:
            self.set_save_state("saved", "saved")
        for pane in self.panes:
            if pane.is_mounted:
                pane.saved()

    def flush(self) -> None:
        """Hand every pane's unsaved work to the save queue (on close and on quit)."""
        for pane in self.panes:
            if pane.is_mounted:
                pane.flush()

    @on(IncidentNotSaved)
    def _on_failed(self, message: IncidentNotSaved) -> None:
        error = message.error
        if (
            isinstance(error, OutsideEdit) and self.outside is not None
        ):  # changed on disk: reload, keep mine or see both
            self.outside.save_refused(error)
            return
        self.set_save_state("NOT SAVED — ctrl+r retries", "failed")
        if isinstance(error, RepoBusy):
            text = str(error) + (" (^p Conflicts settles a stopped sync)" if "rebase" in str(error) else "")
        elif isinstance(error, OutsideEdit):
            text = str(error)
        else:
            text = f"{type(error).__name__}: {error}"
        self.notify(f"Could not save ({message.subject}): {text}. Your edit is kept.", severity="error", timeout=10)

    def set_save_state(self, text: str, state: str) -> None:
        """Show the save state. The usual states ("save…" while committing, "saved") take the same cells, so a
        save repaints this one widget: `Static.update` lays out by default, and re-laying out the whole screen
        was 63% of the event loop's time during a commit. Only a change of width (a failure) lays out."""
        if text == self._save_text and self._save_class == state:
            return
        widget = self.query_one("#save-state", Static)
        widget.update(text, layout=cell_len(text) != cell_len(self._save_text))
        if state != self._save_class:
            widget.set_classes(state)
        self._save_text, self._save_class = text, state

    def action_retry_save(self) -> None:
        if self.outside is not None and self.outside.pending:  # an outside edit put off: ask again, not fail again
            self.outside.ask(self.outside.pending)
            return
        self.session.retry()

    # ------------------------------------------------------------------------------------ stage
    def action_stage(self, delta: int) -> None:
        i = self.session.incident
        index = STAGES.index(i.stage) + delta
        if not 0 <= index < len(STAGES):
            return
        new_stage = STAGES[index]
        if delta > 0:
            # The gate: entry criteria computed from the checks; unmet ones ask first (issue 5).
            from ...services.review.stages import advance, override_trailers
            from ..modals.stage_gate import StageGateModal

            review, config = self._review_for_gate()
            unmet = advance(i, new_stage, self.session.narrative, review=review, config=config)
            if unmet:

                def decided(reason: str | None) -> None:
                    if reason:
                        self._move_stage(new_stage, delta, override_trailers(i.stage, new_stage, unmet, reason))

                self.app.push_screen(StageGateModal(i.stage, new_stage, unmet), decided)
                return
        self._move_stage(new_stage, delta, [])

    def _review_for_gate(self) -> tuple[Any, Any]:
        """The review and check rules the Review pane holds; read here when it has not loaded them (not shown
        yet, so not mounted): sign-offs and comments count whether or not the pane was opened."""
        review_pane = next((p for p in self.panes if p.pane_id == "review"), None)
        if review_pane is None:  # the in-memory store: no review.toml
            return None, None
        if getattr(review_pane, "loaded", False):
            return getattr(review_pane, "review", None), getattr(review_pane, "config", None)
        from ..panes.review import read_review

        review, config, _problems = read_review(self.session)  # the pane says them when it is shown
        return review, config

    def _move_stage(self, new_stage: str, delta: int, trailers: list[str]) -> None:
        i = self.session.incident
        verb = "advance" if delta > 0 else "move back"
        self.apply(
            edit.replace(i, stage=new_stage), "stage", f"{verb} {i.stage} -> {new_stage}", trailers=tuple(trailers)
        )
        self.notify(f"Stage: {STAGE_LABELS[new_stage]}" + (" (override recorded)" if trailers else ""))
